"""The dataflow graph: Operations, the Tensors they produce, unique names and name scopes.

Nodes never hold run results: a Session owns every value. An op's inputs must exist before
the op, so creation order is always a topological order and a graph cannot hold a cycle.
"""
import contextlib
import difflib
import threading

from . import devices, errors
from .default_session import session_for
from .graph_def import GraphDef
from .shapes import fmt, make_shape, merge
from .sites import format_location, user_frame


class Tensor:
    """A symbolic value: output `index` of operation `op`, with a static shape and dtype."""

    __slots__ = ("op", "value_index", "dtype", "_shape", "_consumers", "__weakref__")
    __array_ufunc__ = None  # make `ndarray + tensor` call Tensor.__radd__

    def __init__(self, op, value_index, shape, dtype):
        self.op = op
        self.value_index = value_index
        self.dtype = dtype
        self._shape = shape
        self._consumers = []

    @property
    def name(self):
        return f"{self.op.name}:{self.value_index}"

    @property
    def graph(self):
        return self.op.graph

    @property
    def shape(self):
        """Static shape: a tuple of ints and None, or None when even the rank is unknown."""
        return self._shape

    def get_shape(self):
        return self._shape

    def set_shape(self, shape):
        """Make the static shape more specific (what a reader's or decoder's output is
        known to be); ValueError if `shape` contradicts what is known. The kernel's
        output is checked against it when the op first runs."""
        self._shape = merge(self._shape, make_shape(shape))

    def consumers(self):
        """The operations that take this tensor as an input."""
        return list(self._consumers)

    def eval(self, feed_dict=None, session=None):
        """Run the default session (or `session`) and return this tensor's value."""
        return session_for(self, session, "eval").run(self, feed_dict)

    def __repr__(self):
        return f"<Tensor {self.name!r} shape={fmt(self._shape)} dtype={self.dtype.name}>"

    def __bool__(self):
        raise TypeError(f"using Tensor {self.name!r} as a Python bool is not allowed: its value "
                        f"exists only when a Session runs it. Use autograd.where / "
                        f"logical ops in the graph, or sess.run the tensor first.")

    def __iter__(self):
        raise TypeError(f"Tensor {self.name!r} is not iterable while the graph is being built; "
                        f"use autograd.unstack(t) to get a list of tensors.")

    __hash__ = object.__hash__


class Operation:
    """A node of the graph: an op type applied to input tensors with fixed attributes."""

    __slots__ = ("graph", "name", "op_def", "inputs", "outputs", "attrs", "control_inputs",
                 "location", "origin", "device", "gradient_op_type", "_id", "__weakref__")

    def __init__(self, graph, name, op_def, inputs, attrs, control_inputs, location,
                 origin=None):
        self.graph = graph
        self.name = name
        self.op_def = op_def
        self.inputs = tuple(inputs)
        self.attrs = attrs
        self.control_inputs = tuple(control_inputs)
        self.location = location
        # the forward op whose gradient this op computes (set by autograd.gradients, as
        # TF's _original_op), or None for an op of the forward pass
        self.origin = origin
        self.device = ""               # the device scope it was built in (autograd.devices)
        self.gradient_op_type = None   # a gradient registered by name overrides the OpDef's
        self.outputs = ()
        self._id = 0

    @property
    def type(self):
        return self.op_def.type

    def get_attr(self, name):
        return self.attrs[name]

    def outputs_or_single(self):
        """What building the op returns: its one tensor, a list of several, or the op
        itself when it has no outputs."""
        if len(self.outputs) == 1:
            return self.outputs[0]
        return list(self.outputs) if self.outputs else self

    def run(self, feed_dict=None, session=None):
        """Run this operation in the default session (or `session`)."""
        session_for(self, session, "run").run(self, feed_dict)

    def describe(self):
        """`MatMul op 'layer/MatMul' (created at train.py:12)`, for error messages."""
        return f"{self.type} op {self.name!r} (created at {format_location(self.location)})"

    def __repr__(self):
        return f"<Operation {self.name!r} type={self.type}>"


class Graph:
    """A dataflow graph: the operations built while it is the default graph."""

    def __init__(self):
        self._ops = []
        self._ops_by_name = {}
        self._names_in_use = {}
        self._name_stack = ""
        self._control_stack = []
        self._collections = {}
        self._finalized = False
        self.seed = None
        self._gradient_sources = {}
        self._origins = []   # the forward ops whose gradients are being built (innermost last)
        self._device_stack = []      # device strings and device functions, outermost first
        self._override_stack = []    # {op type: registered gradient name}

    # -- building ---------------------------------------------------------------------------
    def captures_from(self, graph):
        """True when ops built here may use tensors of `graph` (see FuncGraph)."""
        return False

    def capture(self, tensor):
        """The tensor an op built in this graph uses for `tensor` (itself, here)."""
        return tensor

    def note_gradient(self, gradient, tensor):
        """Remember that `gradient` (built by autograd.gradients) is the whole gradient
        flowing into `tensor`, so that drawings can show it beside its tensor."""
        sources = self._gradient_sources.setdefault(gradient, [])
        if tensor not in sources:
            sources.append(tensor)

    @contextlib.contextmanager
    def building_gradient_of(self, op):
        """Ops built inside the block are part of the backward pass of `op`: their
        `origin` is `op` (autograd.gradients wraps each gradient rule in this)."""
        self._origins.append(op)
        try:
            yield
        finally:
            self._origins.pop()

    def gradient_sources(self, tensor):
        """The tensors whose gradient `tensor` is (several when a gradient passes through
        an op unchanged; empty when it is no gradient)."""
        return self._gradient_sources.get(tensor, ())

    def create_op(self, op_def, inputs, attrs, name, output_specs):
        """Add an op; `name` ending in "/" is taken verbatim (a scope's own name)."""
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified: an op was added "
                               "after graph.finalize(). Build every op before the training "
                               "loop and only run them inside it.")
        if name.endswith("/"):
            name = name[:-1]
        else:
            name = self.unique_name(name)
        control = [op for deps in self._control_stack for op in deps]
        origin = self._origins[-1] if self._origins else None
        op = Operation(self, name, op_def, inputs, attrs, control, user_frame(), origin)
        self._place(op)
        op.outputs = tuple(Tensor(op, i, shape, dtype)
                           for i, (shape, dtype) in enumerate(output_specs))
        for tensor in op.inputs:
            tensor._consumers.append(op)
        op._id = len(self._ops)
        self._ops.append(op)
        self._ops_by_name[name] = op
        return op

    def _place(self, op):
        """Record the device scopes and the gradient override map the op is built in."""
        for scope in self._device_stack:
            inner = scope(op) if callable(scope) else scope
            op.device = devices.merge(op.device, inner or "")
        for overrides in self._override_stack:
            op.gradient_op_type = overrides.get(op.op_def.type, op.gradient_op_type)

    @contextlib.contextmanager
    def device(self, device_name_or_function):
        """Ops built inside record this device (a string such as "/job:ps/task:0" or
        "/gpu:0", or a function of the op returning one, e.g. replica_device_setter's);
        None clears the outer scopes. Every op still runs on the CPU."""
        spec = device_name_or_function
        if isinstance(spec, str):
            devices.parse(spec)  # a malformed string fails here, where it was written
            devices.note_accelerator(spec)
        saved = self._device_stack
        self._device_stack = [] if spec is None else saved + [spec]
        try:
            yield
        finally:
            self._device_stack = saved

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map):
        """Ops of the given types built inside differentiate with the gradient registered
        (autograd.RegisterGradient) under the mapped name: {"Square": "MyGrad"}."""
        self._override_stack.append(dict(op_type_map))
        try:
            yield
        finally:
            self._override_stack.pop()

    def unique_name(self, name, mark_as_used=True):
        """Scope `name` and make it unique as TF1 does: `add`, `add_1`, `add_2`, ..."""
        if self._name_stack:
            name = self._name_stack + "/" + name
        key = name.lower()
        count = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = count + 1
        if count > 0:
            base = key
            while key in self._names_in_use:
                key = f"{base}_{count}"
                count += 1
            if mark_as_used:
                self._names_in_use[key] = 1
            name = f"{name}_{count - 1}"
        return name

    @contextlib.contextmanager
    def name_scope(self, name):
        """Push a name scope; yields the scope's prefix ending in "/" (e.g. `layer1/`)."""
        old = self._name_stack
        if not name:
            new = ""
        elif name.endswith("/"):
            new = name[:-1]
        else:
            new = self.unique_name(name)
        self._name_stack = new
        try:
            yield new + "/" if new else ""
        finally:
            self._name_stack = old

    def get_name_scope(self):
        return self._name_stack

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops built inside run only after every op (or tensor's op) in `control_inputs`."""
        if control_inputs is None:
            saved, self._control_stack = self._control_stack, []
            try:
                yield
            finally:
                self._control_stack = saved
            return
        ops = [getattr(item, "op", item) for item in control_inputs]
        for op in ops:
            if not isinstance(op, Operation):
                raise TypeError(f"control_dependencies expects operations or tensors, got "
                                f"{op!r}")
            if op.graph is not self:
                raise ValueError(f"control input {op.name!r} belongs to another graph")
        self._control_stack.append(ops)
        try:
            yield
        finally:
            self._control_stack.pop()

    @contextlib.contextmanager
    def as_default(self):
        """Make this graph the default one inside the `with` block."""
        _state.stack.append(self)
        try:
            yield self
        finally:
            _state.stack.pop()

    def finalize(self):
        """Forbid adding ops from now on (catches graphs that grow inside a training loop)."""
        self._finalized = True

    @property
    def finalized(self):
        return self._finalized

    # -- collections ------------------------------------------------------------------------
    def add_to_collection(self, key, value):
        self._collections.setdefault(key, []).append(value)

    def get_all_collection_keys(self):
        """The names of the collections that hold something."""
        return [key for key, values in self._collections.items() if values]

    def get_collection(self, key):
        return list(self._collections.get(key, ()))

    # -- lookup -----------------------------------------------------------------------------
    def get_operations(self):
        return list(self._ops)

    def get_operation_by_name(self, name):
        op = self._ops_by_name.get(name)
        if op is None:
            raise errors.NotFoundError(self._missing(f"operation {name!r}", name,
                                                     self._ops_by_name))
        return op

    def get_tensor_by_name(self, name):
        op_name, sep, index = name.rpartition(":")
        if not sep or not index.isdigit():
            raise ValueError(f"{name!r} is not a tensor name; tensor names look like "
                             f"'{name}:0' (op name, colon, output index)")
        op = self._ops_by_name.get(op_name)
        if op is None or int(index) >= len(op.outputs):
            names = {t.name: t for o in self._ops for t in o.outputs}
            raise errors.NotFoundError(self._missing(f"tensor {name!r}", name, names))
        return op.outputs[int(index)]

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """Resolve a tensor, op, Variable or name to this graph's Tensor or Operation."""
        if isinstance(obj, str):
            if ":" in obj and allow_tensor:
                return self.get_tensor_by_name(obj)
            if allow_operation:
                return self.get_operation_by_name(obj)
            return self.get_tensor_by_name(obj)
        element = getattr(obj, "_graph_element", obj)
        if not isinstance(element, (Tensor, Operation)):
            raise TypeError(f"expected a Tensor, an Operation or a name, got {obj!r} "
                            f"of type {type(obj).__name__}")
        if element.graph is not self:
            raise ValueError(f"{element!r} belongs to another graph than this one. Build it "
                             f"inside `with graph.as_default():` or create the session with "
                             f"Session(graph=that_graph).")
        return element

    @staticmethod
    def _missing(what, name, known):
        message = f"{what} does not exist in the graph"
        close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
        if close:
            message += "; did you mean " + " or ".join(repr(c) for c in close) + "?"
        return message

    def as_graph_def(self):
        """A serialisable description of the graph: every op's name, type, inputs
        (`^name` for control inputs), attributes and output shapes (see GraphDef)."""
        return GraphDef.from_graph(self)

    @property
    def version(self):
        """Number of ops built so far; grows whenever the graph does."""
        return len(self._ops)

    def operations_since(self, version):
        """The ops built after the graph had `version` ops, in creation order."""
        return self._ops[version:]

    def __repr__(self):
        return f"<Graph with {len(self._ops)} ops>"


class GraphKeys:
    """The standard collection names (TF1's `tf.GraphKeys`): every collection the engine,
    nn, optim and the drawing share is named through this class, never by a string."""

    GLOBAL_VARIABLES = VARIABLES = "variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    WEIGHTS = "weights"
    BIASES = "biases"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    UPDATE_OPS = "update_ops"
    SUMMARIES = "summaries"
    LOSSES = "losses"
    REGULARIZATION_LOSSES = "regularization_losses"
    GLOBAL_STEP = "global_step"
    QUEUE_RUNNERS = "queue_runners"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    SAVERS = "savers"
    SUMMARY_OP = "summary_op"
    TRAIN_OP = "train_op"
    # slot variables an optimizer made (Adam's m and v, its beta powers): drawn beside
    # the variable they serve
    OPTIMIZER_SLOTS = "optimizer_slots"


def effects(op):
    """(reads, writes): the variable handles (input tensors) that `op` reads and changes,
    as its OpDef declares them (`define_op(reads=..., writes=...)`). The plan, the
    schedule, the drawing and function bodies all ask this, and nothing else."""
    op_def = op.op_def
    return _declared(op, op_def.reads), _declared(op, op_def.writes)


def replaced(op):
    """The variable handles whose value `op` sets whole (an assignment), as its OpDef
    declares them (`define_op(replaces=...)`); the other handles it writes, it updates."""
    return _declared(op, op.op_def.replaces)


def _declared(op, positions):
    if not positions:
        return ()
    if callable(positions):
        positions = positions(op)
    return tuple(op.inputs[i] for i in positions)


def ancestors(ops, cut=(), control=True, known=None):
    """The ops that `ops` depend on (themselves included), newly found, in visit order.

    Walks data inputs (and control inputs when `control`) backwards with an explicit
    stack, so long chains cannot overflow recursion; tensors in `cut` (fed values) are
    not looked past, and ops already in the set `known` are skipped (it is updated).
    """
    seen = set() if known is None else known
    found, stack = [], list(ops)
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        found.append(op)
        stack.extend(t.op for t in op.inputs if t not in cut)
        if control:
            stack.extend(op.control_inputs)
    return found


def ops_between(ys, xs):
    """The ops on some data path from a tensor in `xs` to a tensor in `ys`."""
    upstream = set(ancestors([y.op for y in ys], control=False))
    between, stack = set(), [op for x in xs for op in x._consumers]
    while stack:
        op = stack.pop()
        if op in upstream and op not in between:
            between.add(op)
            stack.extend(c for t in op.outputs for c in t._consumers)
    return between


class _DefaultGraphStack(threading.local):
    """Each thread's `as_default()` stack; the global default graph is shared, as in TF1."""

    def __init__(self):
        self.stack = []


_state = _DefaultGraphStack()
_global = [Graph()]


def get_default_graph():
    """The graph new ops go into: the innermost `as_default()` one, else the global one."""
    if _state.stack:
        return _state.stack[-1]
    return _global[0]


def reset_default_graph():
    """Replace the global default graph with an empty one (not inside `as_default()`)."""
    if _state.stack:
        raise RuntimeError("reset_default_graph() was called inside a `with g.as_default():` "
                           "block; leave the block first.")
    _global[0] = Graph()


def name_scope(name, default_name=None, values=None):
    """Context manager for `outer/inner/op` names in the default graph (or `values`' graph)."""
    graph = get_default_graph()
    for value in values or ():
        graph = getattr(value, "graph", graph)
    return graph.name_scope(name if name is not None else default_name)


def device(device_name_or_function):
    """Ops built inside record this device (see Graph.device); they run on the CPU."""
    return get_default_graph().device(device_name_or_function)


def control_dependencies(control_inputs):
    """Ops built inside the block run after `control_inputs` (in the default graph)."""
    return get_default_graph().control_dependencies(control_inputs)


def get_collection(key):
    return get_default_graph().get_collection(key)


def add_to_collection(key, value):
    get_default_graph().add_to_collection(key, value)
