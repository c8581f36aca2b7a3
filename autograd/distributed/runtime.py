"""The cluster's tasks on Ray: each task of a ClusterSpec is a named Ray actor that holds
the variables placed on it.

A `Server` joins the Ray cluster (the one RAY_ADDRESS names, else one started in this
process, which the tasks of a program that starts them all itself share) and creates its
task's actor, owned by its process: when that process ends, the actor and its variables
go with it, as a TF server's do. The actor's name is the task's device name inside a
Ray namespace named after the ClusterSpec, so that every process given the same spec
finds the same tasks, and two clusters on one Ray cluster never meet.

Ray runs an actor's methods one at a time, so a commit (every update of one worker's run
to the variables on that task) is applied whole before any other read or commit.
"""
import os
import time
import uuid

import numpy as np

from .. import errors
from .aggregation import Aggregator

MISSING = ("distributed runs need Ray: pip install 'ray>=2.9' (or scripts/setup.sh "
           "dev,distributed); without it every session runs in this process")
LOCAL_OBJECT_STORE_BYTES = 256 << 20     # a local cluster's shared memory (Ray's default
#                                          is 30% of the machine's memory)
CALL_TIMEOUT_SECONDS = 60.0              # a task that does not answer within is unavailable
STARTUP_WAIT_SECONDS = 120.0             # how long a session waits for its tasks to start


def ray_module():
    """The ray module, or an ImportError saying what to install."""
    try:
        import ray
    except ImportError as exc:
        raise ImportError(MISSING) from exc
    return ray


def connect():
    """Join the Ray cluster RAY_ADDRESS names, or start a local one (once per process)."""
    ray = ray_module()
    if not ray.is_initialized():
        address = os.environ.get("RAY_ADDRESS")
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(object_store_memory=LOCAL_OBJECT_STORE_BYTES, include_dashboard=False,
                     log_to_driver=False)
    return ray


def task_name(job, task):
    return f"/job:{job}/task:{task}"


class TaskState:
    """What one task holds for the cluster: the variables placed on it, by name."""

    def __init__(self, job, task):
        self.job, self.task = job, task
        self.values = {}
        self.aggregators = {}   # SyncReplicasOptimizer's, by name (.aggregation)
        self.incarnation = uuid.uuid4().hex   # a restarted task is another incarnation

    def ping(self):
        return self.incarnation

    def read(self, names):
        """{name: value, or None while it is not initialized here}."""
        return {name: self.values.get(name) for name in names}

    def commit(self, updates):
        """Apply one run's updates, {name: ("set", value) or ("add", change)}, all or none:
        returns the names of updated variables that were never set (nothing is applied
        then)."""
        missing = [name for name, (mode, _) in updates.items()
                   if mode == "add" and self.values.get(name) is None]
        if missing:
            return missing
        for name, (mode, array) in updates.items():
            if mode == "add":   # (a 0-d sum is a numpy scalar: kept an array)
                self.values[name] = np.asarray(self.values[name] + array)
            else:
                self.values[name] = np.array(array)   # its own copy, not Ray's shared one
        return []

    def aggregate(self, name, operation, args):
        """Call `operation` (push, take, announce, announced) of the aggregator `name`."""
        aggregator = self.aggregators.get(name)
        if aggregator is None:
            aggregator = self.aggregators[name] = Aggregator()
        return getattr(aggregator, operation)(*args)


_actor_class = None


def _task_actor():
    global _actor_class
    if _actor_class is None:
        _actor_class = ray_module().remote(TaskState)
    return _actor_class


def host(namespace, job, task):
    """Create this process's task actor; ValueError if another process serves the task."""
    ray = ray_module()
    name = task_name(job, task)
    try:
        ray.get_actor(name, namespace=namespace)
    except ValueError:
        pass
    else:
        raise ValueError(f"task {name} of this cluster is already served by another process "
                         f"(each task of a ClusterSpec is started once)")
    actor = _task_actor().options(name=name, namespace=namespace, num_cpus=0,
                                  max_concurrency=1).remote(job, task)
    call(actor.ping.remote(), name)
    return actor


def find(namespace, job, task, wait=STARTUP_WAIT_SECONDS):
    """The actor of a task of the cluster, waiting up to `wait` seconds for it to start
    (as a TF worker waits for its parameter servers)."""
    ray = ray_module()
    name = task_name(job, task)
    deadline = time.monotonic() + wait
    while True:
        try:
            return ray.get_actor(name, namespace=namespace)
        except ValueError:
            if time.monotonic() >= deadline:
                raise errors.UnavailableError(
                    f"task {name} did not start within {wait:.0f} s: start its process "
                    f"(tf.train.Server(cluster, job_name={job!r}, task_index={task})), or "
                    f"check that every process uses the same ClusterSpec and Ray cluster "
                    f"(RAY_ADDRESS)") from None
            time.sleep(0.2)


def call(futures, what, timeout=CALL_TIMEOUT_SECONDS):
    """ray.get(futures), with a task that died or does not answer as UnavailableError."""
    ray = ray_module()
    try:
        return ray.get(futures, timeout=timeout)
    except ray.exceptions.GetTimeoutError:
        raise errors.UnavailableError(f"{what} did not answer within {timeout:.0f} s") \
            from None
    except ray.exceptions.RayActorError as exc:
        raise errors.UnavailableError(f"{what} is unavailable (its process stopped: "
                                      f"{type(exc).__name__})") from None
