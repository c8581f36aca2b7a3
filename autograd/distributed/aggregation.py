"""Synchronous replicas: gradients gathered per global step, averaged, applied once.

What TF1's SyncReplicasOptimizer builds from ConditionalAccumulators and a token queue,
here as one `Aggregator` per optimizer:
- each replica's step pushes its gradients tagged with the global step its variables were
  read at; gradients of an older step are stale and dropped, as TF's accumulators drop
  them, and the replica then waits until the chief announces a newer step (TF's token);
- the chief's queue runner takes the average once `replicas_to_aggregate` gradients of
  the current step have arrived, applies it with the wrapped optimizer (one update, one
  global step), and announces the next step, which releases the waiting replicas.

The aggregator lives with the global step: in its task's actor when the global step is
placed on a parameter server of the cluster, else in the session. Waits poll the
task (Ray runs an actor's methods one at a time, so nothing may block inside one), end
with the run's deadline (DeadlineExceededError) or when the session closes
(CancelledError), and let Ctrl-C through.
"""
import threading
import time

import numpy as np

from .. import errors
from ..registry import define_op
from ..waiting import current_deadline

POLL_SECONDS = (0.001, 0.02)   # a remote wait's first and longest sleep between polls


class Aggregator:
    """The gradients of the current step, summed, and the last step announced."""

    def __init__(self):
        self.step, self.sums, self.count = None, None, 0

    def push(self, step, grads):
        """Add one replica's gradients of `step`; False (dropped) if stale or early."""
        if self.step is None or int(step) != self.step:
            return False
        if self.sums is None:
            self.sums = [np.array(g, dtype=np.result_type(g, np.float32)) for g in grads]
        else:
            for total, g in zip(self.sums, grads):
                total += g
        self.count += 1
        return True

    def take(self, count):
        """(step, averaged gradients) once `count` replicas have pushed, else None; the
        aggregator then waits for the next announcement."""
        if self.step is None or self.count < count:
            return None
        taken = (self.step, [total / self.count for total in self.sums])
        self.sums, self.count = None, 0
        return taken

    def announce(self, step):
        """Gather `step`'s gradients from now on (the chief: before training, and once
        the update of the step before is applied)."""
        self.step, self.sums, self.count = int(step), None, 0
        return self.step

    def announced(self):
        return -1 if self.step is None else self.step


class _Hub:
    """Where an aggregator is reached from a session; `cancel()` (the session closing)
    ends the waits on it."""

    cancelled = False

    def cancel(self):
        self.cancelled = True


class _LocalHub(_Hub):
    """An aggregator in the session, for replicas that are threads of one process."""

    def __init__(self):
        self.aggregator = Aggregator()
        self.lock = threading.Lock()

    def __call__(self, operation, *args):
        with self.lock:
            return getattr(self.aggregator, operation)(*args)


class _RemoteHub(_Hub):
    """The aggregator `name` on a task of the cluster (autograd.distributed.runtime)."""

    def __init__(self, link, home, name):
        self.link, self.home, self.name = link, home, name

    def __call__(self, operation, *args):
        return self.link.call(self.home, "aggregate", self.name, operation, args)


def _hub(ctx, name, home):
    """The aggregator `name`: on the task `home` (a device) names, if that is another
    task of the session's cluster, else in the session."""
    remote = ctx.cluster
    task = None if remote is None else remote.home_of_device(home)
    if task is not None:
        return ctx.resource(("sync replicas", name), lambda: _RemoteHub(remote, task, name))
    return ctx.resource(("sync replicas", name), _LocalHub)


def _poll(hub, ready, what, op):
    """Call `ready()` until it returns something other than None, sleeping a little more
    each time; the run's deadline and the session's closing end the wait."""
    deadline = current_deadline()
    sleep = POLL_SECONDS[0]
    while True:
        found = ready()
        if found is not None:
            return found
        if hub.cancelled:
            raise errors.CancelledError(f"the session closed while waiting for {what}", op)
        if deadline is not None and time.monotonic() > deadline:
            raise errors.DeadlineExceededError(
                f"Timed out waiting for {what} (RunOptions.timeout_in_ms passed)", op)
        time.sleep(sleep)
        sleep = min(sleep * 2, POLL_SECONDS[1])


# -- the ops: a replica's push-and-wait, the chief's take and announce, the start ----------
def _push_forward(ctx, step, *grads, aggregator, home, replicas):
    hub = _hub(ctx, aggregator, home)
    hub("push", int(step), [np.asarray(g) for g in grads])
    return np.asarray(_poll(hub, lambda: _later(hub("announced"), step), "the chief to "
                            "apply the step's gradients (SyncReplicasOptimizer's token)",
                            ctx.op), dtype=np.int64)


def _later(announced, step):
    return announced if announced > int(step) else None


def _take_forward(ctx, aggregator, home, replicas, shapes, dtypes):
    hub = _hub(ctx, aggregator, home)
    step, averages = _poll(hub, lambda: hub("take", replicas),
                           f"{replicas} replicas' gradients", ctx.op)
    return (np.asarray(step, np.int64),) + tuple(
        np.asarray(a, dtype=d).reshape(s) for a, s, d in zip(averages, shapes, dtypes))


def _announce_forward(ctx, step, aggregator, home, replicas):
    return np.asarray(_hub(ctx, aggregator, home)("announce", int(step)), np.int64)


def _step_shape(step, *others, **attrs):
    return (), np.int64


def _take_shape(aggregator, home, replicas, shapes, dtypes):
    return [((), np.int64)] + list(zip(shapes, dtypes))


SyncReplicasPush = define_op("SyncReplicasPush", forward=_push_forward, shape=_step_shape,
                             context=True, blocking=True)
SyncReplicasTake = define_op("SyncReplicasTake", forward=_take_forward, shape=_take_shape,
                             context=True, blocking=True)
SyncReplicasAnnounce = define_op("SyncReplicasAnnounce", forward=_announce_forward,
                                 shape=_step_shape, context=True)
