"""Traced runs, under TF1's names: `sess.run(fetches, options=RunOptions(trace_level=
RunOptions.FULL_TRACE), run_metadata=metadata)` records, for every op the run executed,
which thread ran it and when, in `metadata.step_stats` (laid out as TF's StepStats, so
that TensorBoard and TF's own tools can read it once converted).

Thread ids are small numbers in order of first appearance: 0 is the thread that called
`run`, the others are inter-op worker threads.
"""
import threading
import time

from .observers import Observer

DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


class RunOptions:
    """TF1's per-run options; `trace_level` above NO_TRACE makes the run record timings."""

    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3

    def __init__(self, trace_level=NO_TRACE, timeout_in_ms=0, **others):
        self.trace_level = int(trace_level)
        self.timeout_in_ms = timeout_in_ms
        self.others = others


class NodeExecStats:
    """One executed op: TF's NodeExecStats fields, times in microseconds since the epoch
    (start) and relative to the start (ends)."""

    def __init__(self, node_name, op_type, thread_id, all_start_micros, all_end_rel_micros,
                 output_bytes=0):
        self.node_name = node_name
        self.op_type = op_type
        self.thread_id = thread_id
        self.all_start_micros = all_start_micros
        self.op_start_rel_micros = 0
        self.op_end_rel_micros = all_end_rel_micros
        self.all_end_rel_micros = all_end_rel_micros
        self.timeline_label = f"{node_name} = {op_type}()"
        self.output_bytes = output_bytes

    def __repr__(self):
        return (f"<{self.op_type} {self.node_name!r} on thread {self.thread_id}: "
                f"{self.all_end_rel_micros} us>")


class DeviceStepStats:
    def __init__(self, device=DEVICE, node_stats=None):
        self.device = device
        self.node_stats = list(node_stats or [])


class StepStats:
    def __init__(self, dev_stats=None):
        self.dev_stats = list(dev_stats or [])


class RunMetadata:
    """Filled by a traced run: `step_stats.dev_stats[0].node_stats` lists the ops in the
    order they started."""

    def __init__(self):
        self.step_stats = StepStats()
        self.partition_graphs = []

    def node_stats(self):
        """Every recorded op, in start order, over all devices."""
        return sorted((s for device in self.step_stats.dev_stats for s in device.node_stats),
                      key=lambda s: (s.all_start_micros, s.thread_id))


def _nbytes(result):
    """Bytes of the arrays a kernel returned (its outputs' size)."""
    parts = result if isinstance(result, (tuple, list)) else (result,)
    return int(sum(getattr(p, "nbytes", 0) for p in parts))


def wants_trace(options, run_metadata):
    return (run_metadata is not None and options is not None
            and getattr(options, "trace_level", 0) > RunOptions.NO_TRACE)


class Recorder(Observer):
    """Collects (op, thread, start, end, output bytes) for every step of one run, from
    whichever thread runs the step: an observer of that run only, so untraced runs pay
    nothing."""

    def __init__(self):
        self.records = []  # list.append is atomic, so workers append without a lock
        self._started = {}

    def before(self, step, args):
        self._started[step.op] = time.perf_counter_ns()

    def after(self, step, args, result):
        self.records.append((step.op, threading.get_ident(), self._started.pop(step.op),
                             time.perf_counter_ns(), _nbytes(result)))

    def fill(self, run_metadata, caller):
        """Write the records into `run_metadata` as one device's StepStats."""
        offset = time.time_ns() - time.perf_counter_ns()
        threads = {caller: 0}
        stats = []
        for op, ident, start, end, size in sorted(self.records, key=lambda r: r[2]):
            thread = threads.setdefault(ident, len(threads))
            stats.append(NodeExecStats(op.name, op.type, thread, (start + offset) // 1000,
                                       max((end - start) // 1000, 0), size))
        run_metadata.step_stats = StepStats([DeviceStepStats(DEVICE, stats)])
