"""Kernels that wait: a queue's dequeue on an empty queue, an enqueue on a full one.

A wait must end for four reasons besides the one it waits for, as TF1's do:
- the run's deadline passes (`RunOptions(timeout_in_ms=...)`): DeadlineExceededError;
- the thing waited on is closed or cancelled (the session closes): the caller's error;
- Ctrl-C in the main thread: KeyboardInterrupt, raised by Python's signal handler,
  which runs between the slices of the wait (so a slice is short);
- nothing else: waiting forever is what TF does, and what a queue runner relies on.

The deadline belongs to the run, not to a thread: Session.run sets it in a context
variable, and the executor's pool threads run steps in a copy of the caller's context.
"""
import contextlib
import contextvars
import time

from . import errors

SLICE_SECONDS = 0.05   # how long a wait sleeps between checks (Ctrl-C, deadline, closing)

_deadline = contextvars.ContextVar("autograd_run_deadline", default=None)


@contextlib.contextmanager
def run_deadline(timeout_in_ms):
    """Within the block, waits give up `timeout_in_ms` milliseconds from now (0 or
    less: never), raising DeadlineExceededError."""
    if timeout_in_ms <= 0:
        yield
        return
    token = _deadline.set(time.monotonic() + timeout_in_ms / 1000.0)
    try:
        yield
    finally:
        _deadline.reset(token)


def current_deadline():
    """The running run's deadline (time.monotonic() seconds), or None: for waits that
    poll instead of waiting on a condition (autograd.distributed.aggregation)."""
    return _deadline.get()


def wait_until(condition, ready, what, op=None):
    """Wait on `condition` (a threading.Condition, held by the caller) until `ready()`
    returns true, and return that; the run's deadline raises DeadlineExceededError naming
    `what`. `ready` may raise to end the wait (a closed queue)."""
    deadline = _deadline.get()
    while True:
        found = ready()
        if found:
            return found
        wait = SLICE_SECONDS
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise errors.DeadlineExceededError(
                    f"Timed out waiting for {what} (RunOptions.timeout_in_ms passed)", op)
            wait = min(wait, left)
        condition.wait(wait)
