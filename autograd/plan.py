"""Compiling a run into a flat plan: prune, order, allocate slots, decide when to free.

A plan is made once per (fetches, fed tensors) and cached by the session, so a repeated
`Session.run` only executes `Plan.steps` (see autograd.executor): no graph walking on the
hot path. The plan's `Schedule` records what the dataflow executor needs: which steps
each step waits for, and how costly each step is (measured on the first run's shapes).
"""
import collections
import functools
import operator

import numpy as np

from . import dtypes, errors
from .graph import Tensor, ancestors
from .ops.state import Placeholder, ReadVariableOp, VarHandleOp
from .registry import Const
from .shapes import compatible, fmt
from .sites import format_location


class OpContext:
    """What a `context=True` kernel receives first: its op, the session's random generator
    for that op, and the session's scratch budget (variables arrive as inputs, through
    their handles)."""

    __slots__ = ("op", "_state")

    def __init__(self, op, state):
        self.op = op
        self._state = state

    @property
    def graph(self):
        return self.op.graph

    @property
    def location(self):
        return format_location(self.op.location)

    def rng(self):
        """This op's numpy Generator in this session (created on first use)."""
        return self._state.rng_for(self.op)

    @property
    def state(self):
        """The running session's state, for kernels that run function bodies in it
        (cond, while_loop, map_fn)."""
        return self._state

    @property
    def workspace_bytes(self):
        """How much scratch memory a kernel may hold at once (conv's im2col columns)."""
        return self._state.workspace_bytes


class Plan:
    """The steps of one kind of run: `(kernel, gather, output slot(s), slots to free, op)`
    in topological order, where `gather(values)` picks the op's input values from the slot
    list; plus where feeds go, where fetches come from, and the variables the run may
    change (`written`: (slot, cell) pairs in lock order)."""

    __slots__ = ("steps", "feed_slots", "fetch_slots", "initial", "written", "schedule")

    def __init__(self, steps, feed_slots, fetch_slots, initial, written):
        self.steps = steps
        self.feed_slots = feed_slots
        self.fetch_slots = fetch_slots
        self.initial = initial
        self.written = written
        self.schedule = None

    def new_values(self):
        """A fresh slot list for one run, constants and read-only variables in place."""
        return list(self.initial)


class TraceStep(collections.namedtuple("TraceStep", "op inputs outputs")):
    """One executed op of Session.step: the op, its input values and output values."""

    def __repr__(self):
        ins = ", ".join(summarize(v) for v in self.inputs)
        outs = ", ".join(summarize(v) for v in self.outputs)
        return f"<{self.op.type} {self.op.name!r}: ({ins}) -> ({outs})>"


def needed_ops(targets, fed):
    """The ops that must run to produce `targets` when the tensors in `fed` are given.

    Raises InvalidArgumentError for a placeholder that is needed but not fed, naming the
    first fetch that needs it.
    """
    needed = set()
    for target in targets:
        if isinstance(target, Tensor) and target in fed:
            continue
        root = target.op if isinstance(target, Tensor) else target
        for op in ancestors([root], cut=fed, known=needed):
            if op.op_def is Placeholder:
                raise _unfed(op, target)
    return needed


def _unfed(placeholder, target):
    tensor = placeholder.outputs[0]
    return errors.InvalidArgumentError(
        f"You must feed a value for placeholder {placeholder.name!r} (dtype "
        f"{tensor.dtype.name}, shape {fmt(tensor.shape)}, created at "
        f"{format_location(placeholder.location)}): the fetch {target.name!r} needs it. "
        f"Pass it in feed_dict, e.g. sess.run(..., feed_dict={{{placeholder.name}: value}}).",
        placeholder)


def plan_waves(targets, fed):
    """{op: wave} for the ops a run of `targets` from the `fed` tensors executes (see
    Schedule.waves), without compiling kernels: for drawing the schedule."""
    needed = sorted(needed_ops(targets, fed), key=lambda op: op._id)
    slot = {tensor: i for i, tensor in enumerate(
        list(fed) + [t for op in needed for t in op.outputs])}
    ops = [op for op in needed if op.op_def is not Const and op.op_def is not VarHandleOp]
    return dict(zip(ops, Schedule(ops, slot, set()).waves()))


def compile_plan(targets, fed, state, check_numerics=False):
    """Build the Plan that computes `targets` (Tensors/Operations) from the `fed` tensors;
    with `check_numerics`, every kernel's float outputs (and the values it writes into
    variables) are checked for NaN and Inf."""
    # NOTE: an op's inputs always exist before it, so creation order is topological.
    ops = sorted(needed_ops(targets, fed), key=lambda op: op._id)
    placed = [op for op in ops if op.op_def is Const or op.op_def is VarHandleOp]
    ops = [op for op in ops if op.op_def is not Const and op.op_def is not VarHandleOp]
    slot = {}
    for tensor in fed:
        slot[tensor] = len(slot)
    for op in placed + ops:
        for tensor in op.outputs:
            slot[tensor] = len(slot)
    fetch_slots = [slot[t] if isinstance(t, Tensor) else None for t in targets]
    frees = _frees(ops, slot, set(s for s in fetch_slots if s is not None))
    steps = []
    for index, op in enumerate(ops):
        outs = [slot[t] for t in op.outputs]
        out = outs[0] if len(outs) == 1 else tuple(outs)
        kernel = bind_kernel(op, state)
        if check_numerics:
            kernel = _numerics_checked(kernel, op)
        steps.append((kernel, _gather([slot[t] for t in op.inputs]), out, tuple(frees[index]),
                      op))
    plan = Plan(steps, [(t, slot[t]) for t in fed], fetch_slots, [None] * len(slot), ())
    _place(plan, placed, ops, slot, state)
    plan.schedule = Schedule(ops, slot, set(s for s in fetch_slots if s is not None))
    for index in range(len(steps)):
        _check_first_run(plan, index)
    return plan


def _gather(slots):
    """A callable picking the values at `slots` from a run's slot list, as a sequence.

    NOTE: itemgetter runs in C, about 3x faster than a list comprehension; with one slot
    it would return the bare value, so a one-item slice stands in for it."""
    if len(slots) == 1:
        return operator.itemgetter(slice(slots[0], slots[0] + 1))
    if not slots:
        return operator.itemgetter(slice(0, 0))
    return operator.itemgetter(*slots)


def _frees(ops, slot, keep):
    """For each step, the slots whose last reader it is (fetched slots are kept)."""
    last_use = {}
    for index, op in enumerate(ops):
        for tensor in op.outputs:
            last_use[slot[tensor]] = index  # freed at once if nothing reads it
        for tensor in op.inputs:
            last_use[slot[tensor]] = index
    frees = [[] for _ in ops]
    for s, index in last_use.items():
        if s not in keep:
            frees[index].append(s)
    return frees


def _place(plan, placed, ops, slot, state):
    """Put constants and variable cells into the initial slots; list the variables the
    plan may change (any op taking a handle, other than a read) in lock order."""
    writers = {t for op in ops if op.op_def is not ReadVariableOp
               for t in op.inputs if t.dtype == dtypes.resource}
    written = []
    for op in placed:
        tensor = op.outputs[0]
        if op.op_def is Const:
            plan.initial[slot[tensor]] = op.attrs["value"]
        elif tensor in writers:
            written.append((slot[tensor], state.cell(op)))  # a VariableAccess per run
        else:
            plan.initial[slot[tensor]] = state.cell(op)
    plan.written = tuple(written)  # `placed` is in creation order: one global lock order


class Schedule:
    """What the dataflow executor needs about a plan's steps.

    - `waiting[i]`: how many steps step i waits for: the producers of its inputs, its
      control inputs, and the earlier ops on the same variable (a read waits for the last
      write before it; a write for that write and the reads since), all in creation
      order, which is the sequential executor's order;
    - `dependents[i]`: the steps that wait for step i; `ready`: the steps that wait for
      none; `inputs[i]` and `readers[slot]`: for freeing a value once its last reader,
      whichever finishes last, is done (`keep`: the fetched slots);
    - `costs[i]`: an estimate of step i's time in microseconds, from the sizes of its
      inputs and outputs (and, for ops that declare `flops`, their arithmetic) on its
      first run; `heavy[i]`: worth handing to another thread. Only memory-bound steps
      are: compute-bound ones (those with `flops`) already run on all the BLAS threads,
      and two of them at once would only fight over the cores and the cache.
    """

    def __init__(self, ops, slot, keep):
        index = {op: i for i, op in enumerate(ops)}
        producer = {slot[t]: index[op] for op in ops for t in op.outputs}
        waits = [set() for _ in ops]
        for i, op in enumerate(ops):
            waits[i].update(producer[slot[t]] for t in op.inputs if slot[t] in producer)
            waits[i].update(index[c] for c in op.control_inputs if c in index)
        _order_variable_accesses(ops, waits)
        self.waiting = [len(w) for w in waits]
        self.dependents = [[] for _ in ops]
        for i, wait in enumerate(waits):
            for j in sorted(wait):
                self.dependents[j].append(i)
        self.ready = [i for i, count in enumerate(self.waiting) if count == 0]
        self.inputs = [tuple(dict.fromkeys(slot[t] for t in op.inputs)) for op in ops]
        self.readers = [0] * len(slot)
        for inputs in self.inputs:
            for s in inputs:
                self.readers[s] += 1
        self.keep = keep
        self.costs = [None] * len(ops)
        self.compute_bound = [False] * len(ops)
        self.heavy = [False] * len(ops)
        self.total = None

    def measure(self, index, op, args, result):
        """Record step `index`'s cost from its first run; once every step is measured,
        mark the heavy ones and the plan's total."""
        outputs = result if isinstance(result, (tuple, list)) else (result,)
        arrays = [a for a in list(args) + list(outputs) if isinstance(a, np.ndarray)]
        flops = 0
        if op.op_def.flops is not None:
            flops = op.op_def.flops([np.shape(a) for a in args],
                                    [np.shape(r) for r in outputs], **op.attrs)
        self.costs[index] = (flops / FLOPS_PER_US + sum(a.nbytes for a in arrays)
                             / BYTES_PER_US + OP_OVERHEAD_US)
        self.compute_bound[index] = op.op_def.flops is not None
        if None not in self.costs:
            self.heavy = [cost >= HEAVY_US and not compute
                          for cost, compute in zip(self.costs, self.compute_bound)]
            self.total = sum(self.costs)

    def waves(self):
        """Each step's wave: 0 for the steps that wait for nothing, else one more than
        the latest wave among the steps it waits for. Steps of one wave never depend on
        each other, so with enough threads they may all run at once."""
        wave = [0] * len(self.waiting)
        for index, dependents in enumerate(self.dependents):  # dependents come later
            for dependent in dependents:
                wave[dependent] = max(wave[dependent], wave[index] + 1)
        return wave

    def worth_threads(self):
        """True once measured, when the steps are big enough for threads to pay."""
        return self.total is not None and self.total >= PARALLEL_US

    def worth_dataflow(self):
        """True when some heavy, memory-bound step could run beside another one."""
        return self.worth_threads() and any(self.heavy)


# The cost model: rough throughputs of one core (numpy, float32, this kind of machine).
FLOPS_PER_US = 50e3          # 50 GFLOP/s in BLAS
BYTES_PER_US = 5e3           # 5 GB/s through an elementwise numpy loop
OP_OVERHEAD_US = 1.0         # Python's share of any op
HEAVY_US = 150               # a step worth a hand-off (which costs ~10-20 us)
PARALLEL_US = 1000           # a plan worth the dataflow executor's bookkeeping


def _order_variable_accesses(ops, waits):
    """Add to `waits` the creation-order edges between ops that use one variable."""
    last_write, reads = {}, {}
    for i, op in enumerate(ops):
        for t in op.inputs:
            if t.dtype != dtypes.resource:
                continue
            if op.op_def is ReadVariableOp:
                if t in last_write:
                    waits[i].add(last_write[t])
                reads.setdefault(t, []).append(i)
            else:
                waits[i].update(reads.pop(t, []))
                if t in last_write:
                    waits[i].add(last_write[t])
                last_write[t] = i
        waits[i].discard(i)


def bind_kernel(op, state):
    """The op's forward with its attrs (and, if it asks, its OpContext) bound in."""
    forward = op.op_def.specialize(op) if op.op_def.specialize else op.op_def.forward
    if op.op_def.context:
        return functools.partial(forward, OpContext(op, state), **op.attrs)
    if op.attrs:
        return functools.partial(forward, **op.attrs)
    return forward


def _check_first_run(plan, index):
    """Wrap step `index` so that its first run checks the outputs against the op's shape
    rule, then puts the bare kernel back (later runs pay nothing)."""
    kernel, gather, out, frees, op = plan.steps[index]

    def checked(*args):
        result = kernel(*args)
        check_outputs(op, result)
        plan.schedule.measure(index, op, args, result)
        plan.steps[index] = (kernel, gather, out, frees, op)
        return result
    plan.steps[index] = (checked, gather, out, frees, op)


def check_outputs(op, result):
    """InternalError if a kernel's result contradicts its op's static shapes and dtypes."""
    if not op.outputs:
        return
    if len(op.outputs) == 1:
        results = (result,)
    else:
        results = tuple(result) if isinstance(result, (tuple, list)) else (result,)
        if len(results) != len(op.outputs):
            raise errors.InternalError(
                f"the kernel of {op.describe()} returned {len(results)} values, but its "
                f"shape rule declares {len(op.outputs)} outputs", op)
    for tensor, value in zip(op.outputs, results):
        if tensor.dtype == dtypes.resource:  # an opaque value (a loop's trace)
            continue
        shape, dtype = np.shape(value), np.result_type(value)
        same_kind = dtype.kind == tensor.dtype.kind == "U"
        if (dtype != tensor.dtype and not same_kind) or not compatible(tensor.shape, shape):
            raise errors.InternalError(
                f"the kernel of {op.describe()} returned {fmt(shape)} {dtype.name} for "
                f"output {tensor.value_index}, but its shape rule says "
                f"{fmt(tensor.shape)} {dtypes.name_of(tensor.dtype)}", op)


def summarize(value):
    """A short description of an array (or a variable handle) for messages and drawings."""
    if hasattr(value, "read"):
        return f"variable {value.name!r}"
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        return f"{array.dtype}"
    head = f"{fmt(array.shape)} {array.dtype.name}"
    if array.size == 0:
        return head + " (empty)"
    if array.size <= 4:
        return head + " = " + np.array2string(array.ravel(), precision=4, separator=", ")
    finite = array[np.isfinite(array)] if array.dtype.kind == "f" else array
    bad = array.size - finite.size
    if finite.size == 0:
        return head + f" all {bad} values NaN/Inf"
    text = (f"{head} min {finite.min():.4g} mean {finite.mean():.4g} "
            f"max {finite.max():.4g}")
    return text + (f" ({bad} NaN/Inf)" if bad else "")


def _numerics_checked(kernel, op):
    def checked(*inputs):
        result = kernel(*inputs)
        outputs = result if isinstance(result, tuple) else (result,)
        written = [a.staged for a in inputs if getattr(a, "staged", None) is not None]
        for index, value in enumerate(list(outputs) + written):
            array = np.asarray(value)
            if array.dtype.kind == "f" and not np.isfinite(array).all():
                what = f"output {index}" if index < len(outputs) else "a variable update"
                given = "; ".join(summarize(v) for v in inputs) or "no inputs"
                raise errors.InvalidArgumentError(
                    f"check_numerics: {op.describe()} produced NaN or Inf in {what} "
                    f"({summarize(array)}). Its inputs: {given}.", op)
        return result
    return checked
