"""Sessions: own the variable values and random generators, and run compiled plans.

A run that may change variables is a transaction (see autograd.transactions): it either
publishes all of its writes when it completes, or none of them when it fails or is
interrupted. Several threads may call `run` on one session at once.
"""
import contextlib
import threading
import warnings

import numpy as np

from . import compiled, default_session, dtypes, errors, memory, targets, workers
from .config import ConfigProto
from .executor import execute, run_to_end
from .graph import GraphKeys, Operation, Tensor, get_default_graph
from .interrupts import deferred_interrupts
from .plan import compile_plan
from .shapes import compatible, fmt
from .sites import format_location
from .tracing import Recorder, wants_trace
from .transactions import Transaction, VariableCell, publish_all
from .waiting import run_deadline

GROWTH_WARNING_REPEATS = 10
_NOTHING = contextlib.nullcontext()
DEFAULT_WORKSPACE_BYTES = 8 << 20  # scratch a kernel may hold at once: fits a CPU cache


class SessionState:
    """Everything a session owns: one VariableCell per variable, one random generator per
    random op, and the settings its kernels read (scratch budget, threads)."""

    def __init__(self, workspace_bytes=DEFAULT_WORKSPACE_BYTES, inter_threads=1,
                 intra_threads=1, kernels=None, remote=None):
        self.cells = {}
        self.generators = {}
        # run-time objects ops keep between runs, by key: dataset iterators' positions,
        # queues, readers (made on first use; cancelled when the session closes)
        self.resources = {}
        self._resource_lock = threading.Lock()
        self.workspace_bytes = int(workspace_bytes)
        self.inter_threads, self.intra_threads = inter_threads, intra_threads
        self.kernels = kernels   # how plans choose kernels (autograd.compiled.use)
        self.remote = remote     # the link to the cluster's other tasks, or None
        self.pool = workers.pool(inter_threads) if inter_threads > 1 else None
        self.body_plans = {}   # (function body, fed placeholders) -> its compiled plan
        self._body_lock = threading.Lock()

    def cell(self, handle_op):
        """The storage of the variable whose VarHandleOp is `handle_op` (made on demand)."""
        cell = self.cells.get(handle_op)
        if cell is None:
            cell = self.cells.setdefault(handle_op, VariableCell(handle_op))  # atomic
        return cell

    def run_body(self, body, args, captured):
        """Run a function body (autograd.function_graph) in this session: its outputs for
        `args` and the `captured` outer values, through a plan compiled once per body and
        set of fed placeholders."""
        feeds = body.feeds(args, captured)
        key = (body, tuple(feeds))
        plan = self.body_plans.get(key)
        if plan is None:
            with self._body_lock:
                plan = self.body_plans.get(key)
                if plan is None:
                    plan = self.body_plans[key] = compile_plan(body.outputs, list(feeds), self)
        values = plan.start(feeds)
        run_to_end(plan, values, plan.observers)
        return [values[s] for s in plan.fetch_slots]

    def resource(self, key, make):
        found = self.resources.get(key)
        if found is None:
            with self._resource_lock:
                found = self.resources.get(key)
                if found is None:
                    found = self.resources[key] = make()
        return found

    def cancel(self):
        """The session is closing: wake every run blocked on a queue or reader with
        CancelledError (a queue runner's thread then ends)."""
        for resource in list(self.resources.values()):
            cancel = getattr(resource, "cancel", None)
            if cancel is not None:
                cancel()

    def rng_for(self, op):
        generator = self.generators.get(op)
        if generator is None:
            seed = op.attrs.get("seed")
            generator = self.generators.setdefault(
                op, np.random.default_rng(None if seed is None else list(seed)))
        return generator


class _Fetches:
    """A fetch structure flattened to a list of graph elements, and packed back after."""

    __slots__ = ("targets", "template")

    def __init__(self, fetches, graph):
        self.targets = []
        self.template = self._flatten(fetches, graph)

    def _flatten(self, fetch, graph):
        if isinstance(fetch, (list, tuple)):
            items = [self._flatten(f, graph) for f in fetch]
            return (type(fetch), items)
        if isinstance(fetch, dict):
            return (type(fetch), [(k, self._flatten(v, graph)) for k, v in fetch.items()])
        if hasattr(fetch, "_fetch_parts"):   # a SparseTensor: its parts, packed after
            kind, parts = fetch._fetch_parts()
            return (kind, [self._flatten(part, graph) for part in parts])
        if fetch is None:
            raise TypeError("Fetch argument None has invalid type: a fetch must be a tensor, an "
                            "operation or its name. A common cause is fetching a gradient that "
                            "gradients() returned as None (the loss does not depend on that "
                            "variable), or the result of a function that returns nothing.")
        self.targets.append(_value_of(graph.as_graph_element(fetch)))
        return len(self.targets) - 1

    def pack(self, values):
        return _pack(self.template, values)


def _value_of(element):
    """A variable's handle stands for the variable's value when fetched or fed by name
    (`sess.run("conv1/W:0")`, as TF1 programs do): the read built with the variable."""
    if not isinstance(element, Tensor) or element.dtype != dtypes.resource:
        return element
    for variable in element.graph.get_collection(GraphKeys.GLOBAL_VARIABLES):
        if variable.handle is element:
            return variable.value()
    raise TypeError(f"{element.name!r} is a variable handle with no Variable object; fetch "
                    f"a read of it (autograd.read_variable(handle))")


def _pack(template, values):
    if template.__class__ is int:
        return values[template]
    kind, items = template
    if kind is dict or issubclass(kind, dict):
        return kind((k, _pack(v, values)) for k, v in items)
    packed = [_pack(item, values) for item in items]
    if kind is list or kind is tuple:
        return kind(packed)
    if hasattr(kind, "_fields"):
        return kind(*packed)
    return kind(packed)


class Session:
    """Runs parts of a graph: `sess.run(fetches, feed_dict)`. Each session keeps its own
    variable values; a run compiles (once) and executes only the ops the fetches need.

    `kernels` says how ops with a compiled kernel (numba's, see autograd.compiled) choose:
    "fastest" (the default where numba is installed), "numpy" or "compiled". `fuse=False`
    runs every op as its own step, even the pairs autograd.fusions would run as one (a
    bias add and its ReLU): for comparing, or for traces that list every op."""

    def __init__(self, target="", graph=None, config=None, check_numerics=False,
                 workspace_bytes=DEFAULT_WORKSPACE_BYTES, kernels=None, fuse=True):
        compiled.check_kind(kernels)   # early: plans apply it only when compiled
        self.kernels = kernels
        self.fuse = bool(fuse)
        # the tasks that hold the variables placed elsewhere (a distributed target)
        self._remote = targets.link(target)
        self.graph = graph if graph is not None else get_default_graph()
        self.check_numerics = bool(check_numerics)
        self.workspace_bytes = workspace_bytes
        self.config = config if config is not None else ConfigProto()
        self._state = self._new_state()
        memory.keep_freed_memory()
        self._plans = {}
        self._closed = False
        self._last_version = None
        self._growth = {}
        self._growth_lock = threading.Lock()
        self._warned_growth = False
        self._default_context = None

    def _new_state(self):
        inter, intra = self.config.threads()
        return SessionState(self.workspace_bytes, inter, intra, self.kernels, self._remote)

    # -- running ----------------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Compute `fetches` (a tensor, op, name, or any nesting of lists/tuples/dicts of
        them) and return numpy values in the same structure; ops give None.

        The run is a transaction: if it fails or is interrupted (Ctrl-C), no variable
        changes; if it completes, all of its writes become visible at once.

        With `options=RunOptions(trace_level=RunOptions.FULL_TRACE)` and a RunMetadata,
        the run records which thread ran each op and when (autograd.tracing); with
        `RunOptions(timeout_in_ms=...)` an op that waits (a dequeue) gives up then, with
        DeadlineExceededError."""
        if (fetches.__class__ is Tensor and fetches.dtype != dtypes.resource or
                fetches.__class__ is Operation) and fetches.graph is self.graph \
                and not self._closed:   # one tensor or op (a train step): nothing to pack
            structure, targets = None, (fetches,)
        else:
            structure = _Fetches(self._open(fetches), self.graph)
            targets = tuple(structure.targets)
        self._watch_growth()
        plan, values = self._prepare(targets, feed_dict)
        observers = plan.observers
        recorder = None
        if wants_trace(options, run_metadata):
            recorder = Recorder()
            observers = observers + (recorder,)
        if options is not None and options.timeout_in_ms:
            with run_deadline(options.timeout_in_ms):
                self._run_plan(plan, values, observers)
        else:   # the hot path: no context to enter
            self._run_plan(plan, values, observers)
        if recorder is not None:
            recorder.fill(run_metadata, threading.get_ident())
        results = [_fetched(values[s]) if s is not None else None for s in plan.fetch_slots]
        return results[0] if structure is None else structure.pack(results)

    def _run_plan(self, plan, values, observers):
        if plan.written:
            self._transact(plan, values, observers)
        else:
            if self._remote is not None:
                self._remote.fetch(plan)
            self._execute(plan, values, observers)

    def _transact(self, plan, values, observers):
        """Execute a plan that may change variables: lock them, run, publish or drop."""
        with deferred_interrupts() as section:
            txn = Transaction()
            try:
                txn.lock(plan.written, values, section.interrupted)
                if self._remote is not None:   # (its written variables are locked here)
                    self._remote.fetch(plan)
                section.executing(True)
                self._execute(plan, values, observers, section.interrupted)
                section.executing(False)
                if self._remote is not None:
                    self._remote.commit(plan, txn.accesses)
                txn.commit()
            except BaseException:
                txn.abort()
                raise
            finally:   # again, should an exception have cut the abort short
                txn.release()

    def _execute(self, plan, values, observers, interrupted=()):
        """Run the plan's steps with BLAS on at most the intra-op thread count, whatever
        the machine's load (so that the numbers never depend on it, see autograd.workers):
        in plan order on this thread for light plans (no cost beyond the loop), else, with
        several inter-op threads, each step as soon as its inputs are ready."""
        costs = plan.costs
        state = self._state
        blas = state.intra_threads
        with workers.blas_threads.limit(blas) if blas < workers.blas_threads.own() \
                else _NOTHING:
            if costs.total is not None and not costs.worth_threads():
                run_to_end(plan, values, observers)
                return
            pool = state.pool if state.inter_threads > 1 and costs.worth_dataflow() \
                else None
            run_to_end(plan, values, observers, pool, interrupted)

    def step(self, fetches, feed_dict=None):
        """Run `fetches` one op at a time: yields a TraceStep (op, input values, output
        values) per executed op, in execution order, e.g. to walk a forward and backward
        pass in a notebook.

        Variable writes are published when the last op has run, never before: a generator
        that is closed, garbage-collected or left unfinished changes no variable (the
        partial run does not count). While it is suspended it holds no lock, so other runs
        go on; if one of them changes a variable this step also changes, the step
        publishes nothing and raises AbortedError at its end."""
        if self._remote is not None:
            raise errors.UnimplementedError(
                "Session.step walks a run in this process; a session whose variables live "
                "on other tasks (a distributed target) runs whole runs only")
        structure = _Fetches(self._open(fetches), self.graph)
        plan, values = self._prepare(tuple(structure.targets), feed_dict, stepwise=True)
        txn = Transaction.begin(plan.written, values, lock=False)
        finished = False
        try:
            yield from execute(plan, values, plan.observers, trace=True)
            finished = True
        finally:
            if not finished:
                txn.abort()
        with deferred_interrupts() as section:
            txn.commit(section.interrupted)

    def _open(self, fetches):
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        return fetches

    def _prepare(self, targets, feed_dict, stepwise=False):
        """The cached plan for these targets and feed keys, and a slot list with feeds;
        `stepwise`: a plan with one step per op, never fused (Session.step walks them)."""
        feeds = self._feeds(feed_dict) if feed_dict else {}
        key = (targets, frozenset(feeds)) if feeds else targets
        if stepwise:
            key = ("stepwise", key)
        plan = self._plans.get(key)
        if plan is None:
            plan = compile_plan(list(targets), list(feeds), self._state, self.check_numerics,
                                self.fuse and not stepwise)
            self._plans[key] = plan
        return plan, plan.start(feeds)

    def _feeds(self, feed_dict):
        feeds = {}
        for key, value in feed_dict.items():
            if hasattr(key, "_feed_parts"):   # a SparseTensor: each of its tensors
                for tensor, part in key._feed_parts(value):
                    feeds[tensor] = _feed_value(tensor, part)
                continue
            tensor = self._feed_target(key)
            feeds[tensor] = _feed_value(tensor, value)
        return feeds

    def _feed_target(self, key):
        if isinstance(key, str) and ":" not in key:
            try:
                self.graph.get_tensor_by_name(key + ":0")
            except errors.NotFoundError:
                pass
            else:
                raise errors.NotFoundError(f"feed key {key!r} is an op name; feed its tensor: "
                                           f"did you mean {key + ':0'!r}?")
        element = self.graph.as_graph_element(key, allow_operation=False)
        if not isinstance(element, Tensor):
            raise TypeError(f"cannot feed {key!r}: only tensors can be fed")
        return _value_of(element)

    def _watch_growth(self):
        """Warn once when ops built at one place in the code keep being added between runs
        (ops built inside a training loop, every step or every few steps)."""
        version = self.graph.version
        last = self._last_version
        if version == last:
            return
        self._last_version = version
        if last is None or self._warned_growth:
            return
        with self._growth_lock:
            sites = {op.location for op in self.graph.operations_since(last)}
            for site in sites:
                self._growth[site] = self._growth.get(site, 0) + 1
            repeated = [s for s in sites if self._growth[s] >= GROWTH_WARNING_REPEATS]
            if not repeated or self._warned_growth:
                return
            self._warned_growth = True
        warnings.warn(
            f"the ops created at {format_location(repeated[0])} were added to the graph "
            f"between {self._growth[repeated[0]]} different runs of this session (now "
            f"{version} ops). Building ops inside a training loop (e.g. calling "
            f"autograd.assign(...), an optimizer's minimize() or an accuracy formula every "
            f"few steps) makes every step slower and leaks memory: build them once before "
            f"the loop, and call graph.finalize() to catch this early.",
            RuntimeWarning, stacklevel=3)

    # -- variables --------------------------------------------------------------------------
    def load_variables(self, values):
        """Store numpy values into variables directly ({Variable: value}), all at once:
        every value is checked first, and an interruption leaves all or none stored."""
        prepared = []
        for variable, value in values.items():
            cell = self._state.cell(variable.op)
            prepared.append((cell, cell.prepare(_feed_value(variable.value(), value))))
        prepared.sort(key=lambda pair: pair[0].op._id)
        with deferred_interrupts() as section:
            if self._remote is not None:
                self._remote.store(prepared)
            publish_all(prepared, section.interrupted)

    def load_variable(self, variable, value):
        """Store a numpy value into `variable` directly (Variable.load)."""
        self.load_variables({variable: value})

    def value_of(self, variable):
        """A copy of `variable`'s value in this session (a Variable or its handle), or
        None while it is not initialized here. Reads the session's storage directly: no
        run, no lock, and no lookup by name."""
        handle = getattr(variable, "handle", variable)
        cell = self._state.cells.get(getattr(handle, "op", None))
        if cell is not None and self._remote is not None:
            self._remote.refresh_cells([cell])
        value = None if cell is None else cell.value
        return None if value is None else value.copy()

    def is_distributed(self):
        """Whether some of this session's variables may live on other tasks (a target
        made by tf.train.Server)."""
        return self._remote is not None

    def uninitialized_variable_names(self, variables):
        """The names of `variables` that have no value yet, in this session or on the
        task that holds them (what a worker waits on before it trains)."""
        cells = [self._state.cell(getattr(v, "handle", v).op) for v in variables]
        if self._remote is not None:
            self._remote.refresh_cells(cells)
        return [cell.name for cell in cells if cell.value is None]

    def variable_values(self):
        """{variable name: copy of its value} for the variables initialized in this session."""
        if self._remote is not None:
            self._remote.refresh_cells(list(self._state.cells.values()))
        return {cell.name: cell.value.copy() for cell in list(self._state.cells.values())
                if cell.value is not None}

    # -- lifetime ---------------------------------------------------------------------------
    def close(self):
        """Free every value the session holds; later runs raise RuntimeError."""
        self._closed = True
        self._state.cancel()
        self._state = self._new_state()
        self._plans.clear()
        if self._remote is not None:   # its handles of the cluster's tasks
            self._remote.close()

    def as_default(self):
        """Context manager making this session the default for `.eval()` and `.run()`."""
        return default_session.DefaultSession(self)

    def __enter__(self):
        self._default_context = self.as_default()
        self._default_context.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        self._default_context.__exit__(exc_type, exc, tb)
        self.close()


class InteractiveSession(Session):
    """A Session that installs itself as the default session until it is closed."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._default_context = self.as_default()
        self._default_context.__enter__()

    def close(self):
        if not self._closed:
            default_session.remove(self)
        super().close()


def _feed_value(tensor, value):
    """Check and convert one fed value; errors name the tensor being fed. The result is
    read-only, so that no kernel can change the caller's array and a fetch copies it."""
    if type(value) is np.ndarray and value.dtype == tensor.dtype:
        array = value.view()
    elif type(value) is float and tensor.dtype.kind == "f":   # a keep probability, a rate
        array = np.array(value, dtype=tensor.dtype)
    else:
        if isinstance(value, (Tensor, Operation)) or hasattr(value, "_as_tensor"):
            raise TypeError(f"the value fed for {tensor.name!r} is a graph element; feed values "
                            f"must be numbers, lists or numpy arrays (sess.run it first)")
        try:
            array = np.asarray(value)
        except ValueError:
            array = np.empty(0, dtype=object)
        if tensor.dtype.kind != "U":
            try:
                dtypes.check_numeric(array, f"the value fed for {tensor.name!r} "
                                            f"({tensor.dtype.name})")
            except TypeError as exc:
                raise errors.InvalidArgumentError(str(exc), tensor.op) from None
        if array.dtype == object:
            raise errors.InvalidArgumentError(
                f"cannot feed a ragged or non-numeric value for {tensor.name!r}: rows of "
                f"different lengths, or objects that are not numbers", tensor.op)
        try:
            array = dtypes.convert_array(array, tensor.dtype)
        except TypeError as exc:
            raise errors.InvalidArgumentError(f"cannot feed {tensor.name!r} ({tensor.dtype.name}): "
                                              f"{exc}", tensor.op) from None
        if array is value or array.base is not None:
            array = array.view()
    if not compatible(tensor.shape, array.shape):
        raise errors.InvalidArgumentError(
            f"Cannot feed value of shape {fmt(array.shape)} for Tensor {tensor.name!r}, which "
            f"has shape {fmt(tensor.shape)}{_feed_shape_hint(tensor.shape, array)}",
            tensor.op)
    array.flags.writeable = False
    return array


def _feed_shape_hint(wanted, array):
    """The fix for the classic feed-shape mistakes, as a sentence (or nothing)."""
    got = array.shape
    if wanted is None or not wanted or wanted[0] is not None:
        return ""
    per_example = wanted[1:]
    if len(got) == len(wanted) - 1 and compatible(per_example, got):
        return (". It looks like one example without its batch axis: feed value[None] "
                "(np.expand_dims(value, 0)), a batch of one")
    whole_numbers = array.dtype.kind in "iub" or (array.dtype.kind == "f" and
                                                  np.all(np.mod(array, 1) == 0))
    if len(got) == 1 and len(wanted) == 2 and wanted[1] not in (None, 1) and whole_numbers:
        return (f". These look like class ids, and the placeholder wants one-hot rows: feed "
                f"np.eye({wanted[1]})[labels], or make the placeholder [None] of ints and use "
                f"sparse_softmax_cross_entropy_with_logits")
    if None not in per_example and got and \
            int(np.prod(got[1:], dtype=np.int64)) == int(np.prod(per_example, dtype=np.int64)):
        target = ", ".join(["-1"] + [str(d) for d in per_example])
        return (f". Each example has the right number of values in another shape: feed "
                f"value.reshape({target})")
    return ""


def _fetched(value):
    """A fetched value as the user gets it: 0-d arrays as numpy scalars; read-only arrays
    (feeds, variables, constants and views of them) copied, so that a result never shares
    memory with anything the session or the caller keeps."""
    if value.__class__ is np.ndarray:
        if value.ndim == 0:
            return value[()]
        if not value.flags.writeable:
            return value.copy()
    return value


get_default_session = default_session.get_default_session
