"""The executor's cost model: how long each step of a plan takes, roughly, and so whether
threads can pay for themselves.

A step's cost is measured once, on its first run, from the sizes of what it read and
wrote (and, for ops that declare `flops`, their arithmetic): no clock, so the estimate is
the same on a busy machine as on an idle one. Once every step is measured the plan knows
which steps are heavy enough to hand to another thread and whether the whole plan is
worth the dataflow executor's bookkeeping. Each step is measured exactly once and the
plan keeps a count of the steps still unmeasured, so a first run costs time linear in
the plan's size.
"""
import threading

import numpy as np

# Rough throughputs of one core (numpy, float32, this kind of machine).
FLOPS_PER_US = 50e3          # 50 GFLOP/s in BLAS
BYTES_PER_US = 5e3           # 5 GB/s through an elementwise numpy loop
OP_OVERHEAD_US = 1.0         # Python's share of any op
HEAVY_US = 150               # a step worth a hand-off (which costs ~10-20 us)
PARALLEL_US = 1000           # a plan worth the dataflow executor's bookkeeping


class Costs:
    """Per-step cost estimates of one plan, in microseconds.

    - `costs[i]`: step i's estimate, None until it has run once;
    - `heavy[i]`: worth handing to another thread. Only memory-bound steps are:
      compute-bound ones (those with `flops`) already run on all the BLAS threads, and
      two of them at once would only fight over the cores and the cache;
    - `total`: the sum, None until every step is measured.
    """

    def __init__(self, ops):
        self.costs = [None] * len(ops)
        # compute-bound steps use every BLAS thread already; blocking ones (a dequeue)
        # must wait on the calling thread: neither is handed to a worker
        self.stays = [op.op_def.flops is not None or op.op_def.blocking for op in ops]
        self.heavy = [False] * len(ops)
        self.total = None if ops else 0.0
        self._unmeasured = len(ops)
        self._lock = threading.Lock()  # two threads may run a new plan at once

    @property
    def complete(self):
        """True once every step has been measured."""
        return self._unmeasured == 0

    def measure(self, index, op, args, result):
        """Record step `index`'s cost from one run of it (only its first counts)."""
        if self.costs[index] is None:
            with self._lock:
                if self.costs[index] is None:
                    self._record(index, op, args, result)

    def _record(self, index, op, args, result):
        outputs = result if isinstance(result, (tuple, list)) else (result,)
        arrays = [a for a in list(args) + list(outputs) if isinstance(a, np.ndarray)]
        flops = 0
        if op.op_def.flops is not None:
            flops = op.op_def.flops([np.shape(a) for a in args],
                                    [np.shape(r) for r in outputs], **op.attrs)
        self.costs[index] = (flops / FLOPS_PER_US + sum(a.nbytes for a in arrays)
                             / BYTES_PER_US + OP_OVERHEAD_US)
        self._unmeasured -= 1
        if self._unmeasured == 0:
            self.heavy = [cost >= HEAVY_US and not stays
                          for cost, stays in zip(self.costs, self.stays)]
            self.total = sum(self.costs)

    def worth_threads(self):
        """True once measured, when the steps are big enough for threads to pay."""
        return self.total is not None and self.total >= PARALLEL_US

    def worth_dataflow(self):
        """True when some heavy, memory-bound step could run beside another one."""
        return self.worth_threads() and any(self.heavy)
