"""Compiling a run into a flat plan: prune, order, allocate slots, decide when to free.

A plan is made once per (fetches, fed tensors) and cached by the session, so a repeated
`Session.run` only executes `Plan.steps` (see autograd.executor): no graph walking on the
hot path. The plan's `Schedule` records which steps each step waits for (for the
dataflow executor); how costly each step is lives in autograd.costs, and what watches
the steps in autograd.observers.
"""
import collections
import functools
import operator
from typing import Callable, NamedTuple

from . import compiled, errors, fusions
from .costs import Costs
from .graph import Tensor, ancestors, effects
from .observers import FirstRunCheck, NumericsCheck, summarize
from .ops.state import Placeholder, VarHandleOp
from .registry import Const
from .shapes import fmt
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

    def run(self, body, args, captured):
        """The output values of the function `body` (cond's branches, a loop's body) for
        `args` (one value per input) and `captured` ({outer tensor: value}), computed in
        the running session."""
        return self._state.run_body(body, args, captured)

    def resource(self, key, make):
        """The session's run-time object for `key` (a dataset iterator's position, a
        queue, a reader), made by `make()` the first time any op asks for it."""
        return self._state.resource(key, make)

    def replace_resource(self, key, value):
        """Put `value` in place of the session's object for `key` (an iterator restarts)."""
        self._state.resources[key] = value

    @property
    def workspace_bytes(self):
        """How much scratch memory a kernel may hold at once (conv's im2col columns)."""
        return self._state.workspace_bytes

    @property
    def cluster(self):
        """The running session's link to the other tasks of its cluster (a session made
        with a tf.train.Server's target), or None."""
        return self._state.remote

    @property
    def threads(self):
        """How many threads one kernel may use (the session's intra-op count)."""
        return self._state.intra_threads


class Step(NamedTuple):
    """One step of a plan: run `kernel` on the values `inputs(values)` picks from a run's
    slot list, store what it returns at `outputs` (one slot, or a tuple of slots), then
    free the slots in `frees` (those whose last reader, in plan order, it is).

    NOTE: a NamedTuple rather than a dataclass: the executor's loop unpacks it in its
    `for` line, the cheapest way Python has to read five fields."""

    kernel: Callable
    inputs: Callable
    outputs: object
    frees: tuple
    op: object

    def run(self, values, observers=()):
        """Compute the step over the slot list `values`, with `observers` around it,
        nested like `with` blocks (the last one's `before` runs last and its `after`
        first, so a timer given last times only the kernel); return (args, result)."""
        args = self.inputs(values)
        for observer in observers:
            observer.before(self, args)
        result = self.kernel(*args)
        self.store(values, result)
        for observer in reversed(observers):
            observer.after(self, args, result)
        return args, result

    def store(self, values, result):
        out = self.outputs
        if out.__class__ is int:
            values[out] = result
        elif out:
            for s, r in zip(out, result):
                values[s] = r

    def output_values(self, result):
        """The kernel's result as a list with one value per output."""
        out = self.outputs
        if out.__class__ is int:
            return [result]
        return list(result) if out else []


class Plan:
    """The steps of one kind of run, in topological order, plus where feeds go, where
    fetches come from, the variables the run may change (`written`: (slot, cell) pairs
    in lock order) and every variable it uses (`variables`: cells), its `schedule` (what
    the dataflow executor needs), its `costs` (autograd.costs) and the `observers` every
    run of it calls (the first-run check until each step has been seen; the numerics
    check when asked for)."""

    __slots__ = ("steps", "feed_slots", "fetch_slots", "initial", "written", "variables",
                 "schedule", "costs", "_first_run", "_numerics")

    def __init__(self, steps, feed_slots, fetch_slots, initial, written, check_numerics):
        self.steps = steps
        self.feed_slots = feed_slots
        self.fetch_slots = fetch_slots
        self.initial = initial
        self.written = written
        self.variables = ()
        self.schedule = None
        self.costs = Costs([step.op for step in steps])
        self._first_run = FirstRunCheck(self)
        self._numerics = (NumericsCheck(),) if check_numerics else ()

    @property
    def observers(self):
        """The observers a run of this plan calls: none on the hot path once every step
        has run once (unless check_numerics)."""
        if self._first_run is not None and self._first_run.done:
            self._first_run = None
        return self._numerics if self._first_run is None else \
            (self._first_run,) + self._numerics

    def start(self, feeds):
        """A fresh slot list for one run: constants and read-only variables in place, and
        the fed values ({tensor: array}) in their slots."""
        values = list(self.initial)
        for tensor, slot in self.feed_slots:
            values[slot] = feeds[tensor]
        return values


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


def compile_plan(targets, fed, state, check_numerics=False, fuse=True):
    """Build the Plan that computes `targets` (Tensors/Operations) from the `fed` tensors;
    with `check_numerics`, every kernel's float outputs (and the values it writes into
    variables) are checked for NaN and Inf; with `fuse`, the pairs of ops that
    autograd.fusions declares run as one step where that is safe."""
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
    pairs = _fusable(ops, fed, targets) if fuse else {}
    fused_away = {producer for producer, _ in pairs.values()}
    ops = [op for op in ops if op not in fused_away]
    inputs = [list(pairs[op][0].inputs) + list(op.inputs[1:]) if op in pairs else op.inputs
              for op in ops]
    frees = _frees(ops, inputs, slot, set(s for s in fetch_slots if s is not None))
    steps = []
    for index, op in enumerate(ops):
        outs = [slot[t] for t in op.outputs]
        out = outs[0] if len(outs) == 1 else tuple(outs)
        kernel = _bind_fused(op, *pairs[op], state) if op in pairs else bind_kernel(op, state)
        steps.append(Step(kernel, _gather([slot[t] for t in inputs[index]]), out,
                          tuple(frees[index]), op))
    plan = Plan(steps, [(t, slot[t]) for t in fed], fetch_slots, [None] * len(slot), (),
                check_numerics)
    _place(plan, placed, ops, slot, state)
    plan.schedule = Schedule(ops, slot, set(s for s in fetch_slots if s is not None), inputs)
    return plan


def _fusable(ops, fed, targets):
    """autograd.fusions.fusable for one run: who reads each tensor, what must be kept."""
    readers = collections.Counter(t for op in ops for t in op.inputs)
    kept = set(fed) | {t for t in targets if isinstance(t, Tensor)}
    return fusions.fusable(ops, readers, kept, effects)


def _bind_fused(consumer, producer, rule, state):
    """The kernel of a fused pair's step (fusions.Rule), built from the producer's."""
    return rule.build(consumer, bind_kernel(producer, state))


def _gather(slots):
    """A callable picking the values at `slots` from a run's slot list, as a sequence.

    NOTE: itemgetter runs in C, about 3x faster than a list comprehension; with one slot
    it would return the bare value, so a one-item slice stands in for it."""
    if len(slots) == 1:
        return operator.itemgetter(slice(slots[0], slots[0] + 1))
    if not slots:
        return operator.itemgetter(slice(0, 0))
    return operator.itemgetter(*slots)


def _frees(ops, inputs, slot, keep):
    """For each step (its op, and the tensors it reads: `inputs`), the slots whose last
    reader it is (fetched slots are kept)."""
    last_use = {}
    for index, op in enumerate(ops):
        for tensor in op.outputs:
            last_use[slot[tensor]] = index  # freed at once if nothing reads it
        for tensor in inputs[index]:
            last_use[slot[tensor]] = index
    frees = [[] for _ in ops]
    for s, index in last_use.items():
        if s not in keep:
            frees[index].append(s)
    return frees


def _place(plan, placed, ops, slot, state):
    """Put constants and variable cells into the initial slots; list the variables the
    plan may change (those some op declares it writes) in lock order."""
    writes = {t for op in ops for t in effects(op)[1]}
    written, variables = [], []
    for op in placed:
        tensor = op.outputs[0]
        if op.op_def is Const:
            plan.initial[slot[tensor]] = op.attrs["value"]
            continue
        cell = state.cell(op)
        variables.append(cell)
        if tensor in writes:
            written.append((slot[tensor], cell))  # a VariableAccess per run
        else:
            plan.initial[slot[tensor]] = cell
    plan.written = tuple(written)  # `placed` is in creation order: one global lock order
    plan.variables = tuple(variables)


class Schedule:
    """What the dataflow executor needs about a plan's steps.

    - `waiting[i]`: how many steps step i waits for: the producers of its inputs, its
      control inputs, and the earlier ops on the same variable (a read waits for the last
      write before it; a write for that write and the reads since), all in creation
      order, which is the sequential executor's order;
    - `dependents[i]`: the steps that wait for step i; `ready`: the steps that wait for
      none; `inputs[i]` and `readers[slot]`: for freeing a value once its last reader,
      whichever finishes last, is done (`keep`: the fetched slots);
    - `waves()`: which steps could run at once (for drawing the schedule).
    """

    def __init__(self, ops, slot, keep, inputs=None):
        inputs = inputs or [op.inputs for op in ops]   # (a fused step reads other tensors)
        index = {op: i for i, op in enumerate(ops)}
        producer = {slot[t]: index[op] for op in ops for t in op.outputs}
        waits = [set() for _ in ops]
        for i, op in enumerate(ops):
            waits[i].update(producer[slot[t]] for t in inputs[i] if slot[t] in producer)
            waits[i].update(index[c] for c in op.control_inputs if c in index)
        _order_variable_accesses(ops, waits)
        self.waiting = [len(w) for w in waits]
        self.dependents = [[] for _ in ops]
        for i, wait in enumerate(waits):
            for j in sorted(wait):
                self.dependents[j].append(i)
        self.ready = [i for i, count in enumerate(self.waiting) if count == 0]
        self.inputs = [tuple(dict.fromkeys(slot[t] for t in read)) for read in inputs]
        self.readers = [0] * len(slot)
        for inputs in self.inputs:
            for s in inputs:
                self.readers[s] += 1
        self.keep = keep

    def waves(self):
        """Each step's wave: 0 for the steps that wait for nothing, else one more than
        the latest wave among the steps it waits for. Steps of one wave never depend on
        each other, so with enough threads they may all run at once."""
        wave = [0] * len(self.waiting)
        for index, dependents in enumerate(self.dependents):  # dependents come later
            for dependent in dependents:
                wave[dependent] = max(wave[dependent], wave[index] + 1)
        return wave


def _order_variable_accesses(ops, waits):
    """Add to `waits` the creation-order edges between ops that use one variable: a read
    waits for the last write before it, a write for that write and the reads since (each
    op's reads and writes as it declares them: graph.effects)."""
    last_write, reads = {}, {}
    for i, op in enumerate(ops):
        read, written = effects(op)
        for handle in read:
            if handle in last_write:
                waits[i].add(last_write[handle])
            reads.setdefault(handle, []).append(i)
        for handle in written:
            waits[i].update(reads.pop(handle, []))
            if handle in last_write:
                waits[i].add(last_write[handle])
            last_write[handle] = i
        waits[i].discard(i)


def bind_kernel(op, state):
    """The op's forward with its attrs (and, if it asks, its OpContext) bound in."""
    if op.op_def.specialize:
        with compiled.use(state.kernels):
            forward = op.op_def.specialize(op)
    else:
        forward = op.op_def.forward
    if op.op_def.context:
        return functools.partial(forward, OpContext(op, state), **op.attrs)
    if op.attrs:
        return functools.partial(forward, **op.attrs)
    return forward
