"""Threads: one budget of cores for every session in the process.

Two kinds of parallelism draw on the same cores: the executor runs ops that do not depend
on each other at once on a pool of worker threads (inter-op; numpy releases the GIL inside
BLAS and inside large ufuncs and copies, so Python threads do overlap), and a big matrix
product runs on several BLAS threads (intra-op).

A session's BLAS thread count is its intra-op count (`BlasThreads` limits it), the same
for every run whatever else the machine does: OpenBLAS splits some products differently
on one thread and on two, so a count that followed the load would make a seeded run's
numbers depend on what else was running. (OpenBLAS's threads spin while they wait, so
another process competing for the cores slows a run; `intra_op_parallelism_threads=1`
is the remedy on a machine known to be busy.) Hand-offs go only to idle pool threads, so
nothing waits on a thread that is busy elsewhere.
"""
import collections
import contextlib
import os
import threading


def available_cores():
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


class Pool:
    """`size` helper threads (started on first use) that take jobs only when idle."""

    def __init__(self, size):
        self.size = size
        self._jobs = collections.deque()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._idle = 0
        self._threads = []

    def try_submit(self, job):
        """Hand `job` (a callable) to an idle thread; False when none is idle."""
        with self._lock:
            if self._idle <= len(self._jobs):
                self._start_all()
                return False
            self._jobs.append(job)
            self._wake.notify()
            return True

    def idle(self):
        """How many threads wait for work right now (a hint, not a promise)."""
        return max(self._idle - len(self._jobs), 0)

    def _start_all(self):
        while len(self._threads) < self.size:
            thread = threading.Thread(target=self._work, name="autograd-worker", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _work(self):
        while True:
            with self._lock:
                self._idle += 1
                while not self._jobs:
                    self._wake.wait()
                self._idle -= 1
                job = self._jobs.popleft()
            job()


_pools = {}
_pools_lock = threading.Lock()


def pool(threads):
    """The process's pool for `threads` threads in all (the caller counts as one)."""
    with _pools_lock:
        found = _pools.get(threads)
        if found is None:
            found = _pools[threads] = Pool(threads - 1)
        return found


class BlasThreads:
    """How many threads OpenBLAS (or any BLAS threadpoolctl can drive) uses inside one
    product. Runs ask for a limit while they execute; the BLAS uses the smallest limit
    asked for by the runs inside, and gets back the count it had when the last one leaves.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._limits = collections.Counter()
        self._saved = None
        self._controllers = None

    def _blas(self):
        if self._controllers is None:
            try:
                import threadpoolctl
                found = threadpoolctl.ThreadpoolController().lib_controllers
                self._controllers = [c for c in found if c.user_api == "blas"]
            except Exception:  # no threadpoolctl, or a BLAS it cannot drive: leave it be
                self._controllers = []
        return self._controllers

    def own(self):
        """The BLAS's thread count outside our runs (the largest, if several)."""
        if self._saved is not None:
            return max((threads for _, threads in self._saved), default=1)
        return max((c.num_threads for c in self._blas()), default=1)

    @contextlib.contextmanager
    def limit(self, threads):
        """At most `threads` BLAS threads while inside (nested and concurrent uses
        combine: the smallest limit wins)."""
        with self._lock:
            if not self._limits:
                self._saved = [(c, c.num_threads) for c in self._blas()]
            self._limits[threads] += 1
            self._apply()
        try:
            yield
        finally:
            with self._lock:
                self._limits[threads] -= 1
                if not self._limits[threads]:
                    del self._limits[threads]
                self._apply()
                if not self._limits:
                    self._saved = None

    def _apply(self):
        least = min(self._limits) if self._limits else None
        for controller, threads in self._saved:
            wanted = threads if least is None else min(threads, least)
            if controller.num_threads != wanted:
                controller.set_num_threads(wanted)


blas_threads = BlasThreads()
