"""The op registry: each op type defined once, with its kernel, shape rule and gradient.

This is the public mechanism by which autograd, nn and user code add ops::

    def _cube_shape(x):               # static rule: input Tensors -> (shape, dtype)
        return x.shape, x.dtype

    def _cube_grad(op, dy):           # gradient rule, built from graph ops
        x, = op.inputs
        return [dy * 3.0 * x * x]

    Cube = define_op("Cube", forward=lambda x: x ** 3, shape=_cube_shape, grad=_cube_grad)
    y = Cube(x)                       # a Tensor in the default graph

An op's identity is its OpDef object, never its type string: there is no global table of
names, so defining "Cube" again (a notebook cell run twice) simply gives a new OpDef, and
ops built from either keep working.
"""
import contextlib
import sys

import numpy as np

from . import dtypes
from .graph import Graph, Operation, Tensor, get_default_graph
from .shapes import Shape, fmt, make_shape, merge

class OpDef:
    """One op type: `forward` (numpy kernel), `shape` (static rule) and `grad` side by side.

    - `forward(*arrays, **attrs)` computes the outputs with numpy (a tuple of arrays when
      the op has several outputs). With `context=True` (or `stateful=True`, its older
      name) the kernel receives an `OpContext` first: the running session's random
      generator for the op (`ctx.rng()`) and its scratch budget (`ctx.workspace_bytes`).
      An input that is a variable handle arrives as a `VariableAccess` (`.read()`,
      `.buffer()`, `.write()`). The first time an op runs, its outputs are checked
      against its shape rule.
    - `shape(*tensors, **attrs)` returns `(shape, dtype)` for a single output or a list of
      them, from the inputs' static shapes and dtypes; it raises ValueError/TypeError for an
      impossible graph, and the message is prefixed with the op's name and creation site.
    - `grad(op, *output_grads)` returns one gradient Tensor (or None) per input, built with
      graph ops so that the backward pass is a graph too. An output that receives no
      gradient is passed as None. `grad=None` declares the op non-differentiable.
    - `static_value(op)` (optional, for ops that compute shapes) returns what the op's
      1-D int output is known to hold while building, None for unknown entries; the shape
      rules of ops that take a shape tensor read it (see constant_value_as_shape).
    - `flops(input_shapes, output_shapes, **attrs)` (optional, for compute-bound ops)
      estimates the op's arithmetic; the executor's cost model adds it to the bytes the
      op moves, to decide what is worth another thread.
    - `specialize(op)` (optional) returns the kernel for one particular op, chosen once
      when a plan is compiled (e.g. from its static shapes), so that runs pay no test
      for cases the op can never meet; `forward` otherwise.
    - `reads` and `writes` declare the op's effects on variables: the positions of the
      inputs that are variable handles it reads and changes (a tuple, or a function of
      the op for ops with a variable number of inputs). A run that writes nothing takes
      no lock; the schedule orders accesses to one variable; the drawing shows updates.
      Everything asks `autograd.graph.effects(op)`, never a dtype or a type name.
      `replaces` lists the written inputs whose value the op sets whole, whatever it was
      (an assignment), as opposed to updating it (assign_add, an optimizer's step): a
      distributed run sends a parameter server the new value of the one and the change
      of the other, so that concurrent updates from other workers are not lost.
    - `blocking=True` declares a kernel that may wait for another thread (a dequeue on an
      empty queue): the executor runs it on the calling thread, never on a worker, so that
      Ctrl-C and the run's deadline reach it.
    - `module` is where the op was defined (set by define_op): a saved graph names it, so
      that a second program finds the same OpDef again (autograd.export.native).
    """

    __slots__ = ("type", "forward", "shape", "grad", "context", "default_name",
                 "static_value", "flops", "specialize", "reads", "writes", "replaces",
                 "blocking", "module")

    def __init__(self, type, forward, shape, grad=None, context=False, default_name=None,
                 static_value=None, flops=None, specialize=None, reads=(), writes=(),
                 blocking=False, module=None, replaces=()):
        self.type = type
        self.module = module
        self.forward = forward
        self.shape = shape
        self.grad = grad
        self.context = context
        self.default_name = default_name or type
        self.static_value = static_value
        self.flops = flops
        self.specialize = specialize
        self.reads = reads if callable(reads) else tuple(reads)
        self.writes = writes if callable(writes) else tuple(writes)
        self.replaces = tuple(replaces)
        self.blocking = bool(blocking)

    def __call__(self, *inputs, name=None, **attrs):
        """Build one op in the default graph (or the inputs' graph); return its output(s)."""
        return self.create(inputs, attrs, name).outputs_or_single()

    def create(self, inputs, attrs, name=None):
        """Build the op and return the Operation (useful for ops with zero outputs)."""
        graph = _graph_of(inputs)
        tensors = [graph.capture(convert_to_tensor(x)) for x in inputs]
        scoped = name or self.default_name
        with self.checking(tensors, name):
            specs = self.shape(*tensors, **attrs)
        if isinstance(specs, tuple):
            specs = [specs]
        specs = [(make_shape(s), dtypes.as_dtype(d)) for s, d in specs]
        return graph.create_op(self, tensors, attrs, scoped, specs)

    def error(self, exc, tensors=(), name=None):
        """`exc` (a ValueError or TypeError about building this op) prefixed with the op's
        type, the name it would get and its inputs' shapes: `Sum op 'Sum': axis 5 ...`."""
        graph = _graph_of(tensors)
        where = graph.unique_name(name or self.default_name, mark_as_used=False)
        shapes = ", ".join(f"{t.name} {_fmt(t)}" for t in tensors)
        detail = f" Inputs: {shapes}." if tensors else ""
        return type(exc)(f"{self.type} op {where!r}: {str(exc).rstrip('.')}.{detail}")

    @contextlib.contextmanager
    def checking(self, tensors, name=None):
        """Inside the block, a ValueError/TypeError is re-raised as `error()` says, so that
        checks a wrapper makes before building the op name the op too."""
        try:
            yield
        except (ValueError, TypeError) as exc:
            raise self.error(exc, tensors, name) from None

    def __repr__(self):
        return f"<OpDef {self.type}>"


def _fmt(tensor):
    return f"{fmt(tensor.shape)} {tensor.dtype.name}"


def define_op(type, *, forward, shape, grad=None, context=False, stateful=False,
              default_name=None, static_value=None, flops=None, specialize=None, reads=(),
              writes=(), blocking=False, replaces=()):
    """Define a new op type and return its OpDef (call it to build ops). See OpDef."""
    module = sys._getframe(1).f_globals.get("__name__")
    return OpDef(type, forward, shape, grad, context or stateful, default_name, static_value,
                 flops, specialize, reads, writes, blocking, module, replaces)


def _graph_of(inputs):
    """The graph an op on `inputs` goes into: theirs, or the default graph when that is a
    function body (cond/while_loop) that captures them."""
    default = get_default_graph()
    graph, first = None, None
    for value in inputs:
        element = getattr(value, "_graph_element", value)
        if isinstance(element, Tensor):
            home = default if default.captures_from(element.graph) else element.graph
            if graph is None:
                graph, first = home, element
            elif home is not graph:
                raise ValueError(_two_graphs(first, graph, element, home, default))
    return graph or get_default_graph()


def _two_graphs(first, first_graph, other, other_graph, default):
    """The error for inputs from two graphs: both named, the stale one (not the default
    graph) blamed, with the usual cause (a reset, or a notebook cell run again)."""
    def where(tensor, graph):
        return f"{tensor.name!r} ({'the default graph' if graph is default else 'another graph'})"
    stale = next((t for t, g in ((first, first_graph), (other, other_graph))
                  if g is not default), other)
    return (f"the inputs come from two graphs: {where(first, first_graph)} and "
            f"{where(other, other_graph)}. {stale.name!r} is left from a graph that is no "
            f"longer the default one (after tf.reset_default_graph(), or a notebook cell "
            f"run again): build it again in the current graph, or build the whole "
            f"computation inside one `with graph.as_default():` block.")


# -- conversion of Python values ------------------------------------------------------------
def _const_shape(value):
    """A constant's shape and dtype: text and bytes are both TF's string dtype."""
    return Shape(value.shape), (dtypes.string if value.dtype.kind in "USO" else value.dtype)


def _const_forward(value):
    return value


def _const_static_value(op):
    value = op.attrs["value"]
    return value.reshape(-1).tolist() if value.dtype.kind in "iu" else None


Const = define_op("Const", forward=_const_forward, shape=_const_shape,
                  static_value=_const_static_value)


_SCALAR_DTYPES = {float: dtypes.float32, bool: dtypes.bool}


def constant(value, dtype=None, shape=None, name="Const"):
    """A tensor holding a fixed value (numbers, nested lists or a numpy array)."""
    if shape is None and _is_simple_scalar(value, dtype):
        return _scalar_constant(value, dtype, name)
    array = np.asarray(value)
    if array.dtype.kind == "S":
        # bytes are kept as they are, in an object array (as TF fetches them): numpy's
        # fixed-width bytes would drop the trailing NULs of a binary record
        array = dtypes.string_array(np.asarray(value, dtype=object).ravel(), array.shape)
        array.flags.writeable = False
        return Const(value=array, name=name)
    if array.dtype.kind in "US" and (dtype is None or dtypes.as_dtype(dtype) == dtypes.string):
        # a string tensor, as tf.constant("a"); bytes (a file's contents) stay bytes
        text = np.array(array if array.dtype.kind == "S" else array.astype(str), copy=True)
        text.flags.writeable = False
        return Const(value=text, name=name)
    if dtype is not None:
        target = dtypes.as_dtype(dtype)
    elif isinstance(value, np.ndarray) or isinstance(value, np.generic):
        target = dtypes.as_dtype(array.dtype)
    else:
        target = dtypes.python_value_dtype(array)
    array = dtypes.convert_array(array, target)
    if shape is not None:
        shape = tuple(make_shape(shape))
        if array.size == 1:
            array = np.full(shape, array.reshape(()), dtype=target)
        else:
            array = array.reshape(shape)
    array = np.array(array, copy=True)
    array.flags.writeable = False
    return Const(value=array, name=name)


def _is_simple_scalar(value, dtype):
    """A Python float or bool, or an int going into a float tensor: no range checks needed."""
    kind = type(value)
    return kind in _SCALAR_DTYPES or (kind is int and dtype is not None
                                      and dtypes.as_dtype(dtype).kind == "f")


def _scalar_constant(value, dtype, name):
    """Fast path for a Python number: gradients build many of these."""
    target = _SCALAR_DTYPES[type(value)] if dtype is None else dtypes.as_dtype(dtype)
    if target.kind in "iub" and type(value) is float and not value.is_integer():
        raise TypeError(f"cannot convert the float value {value} to {target.name} without "
                        f"losing information; use autograd.cast on a tensor")
    array = np.array(value, dtype=target)
    array.flags.writeable = False
    return Const(value=array, name=name)


def convert_to_tensor(value, dtype=None, name="Const"):
    """Return `value` as a Tensor: tensors pass through, a Variable gives a fresh read of its
    value, Python numbers, lists and arrays become constants (of `dtype` when given)."""
    as_tensor = getattr(value, "_as_tensor", None)
    if as_tensor is not None:
        value = as_tensor()
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype != dtypes.as_dtype(dtype):
            raise TypeError(f"expected a {dtypes.as_dtype(dtype).name} tensor, got {value!r}")
        return value
    if isinstance(value, Operation):
        raise TypeError(f"{value!r} is an operation, not a tensor: it has no value to use "
                        f"as an input")
    if isinstance(value, Graph) or value is None:
        raise TypeError(f"cannot convert {value!r} to a tensor")
    if isinstance(value, (list, tuple)) and _holds_tensors(value):
        # TF packs a list of tensors (and numbers) into one tensor, along a new first axis
        items = [convert_to_tensor(v, dtype) if _holds_tensors(v) or is_tensor_like(v)
                 else v for v in value]
        like = next(i for i in items if isinstance(i, Tensor))
        return Pack(*[i if isinstance(i, Tensor) else constant(i, dtype=like.dtype)
                      for i in items], name="packed")
    return constant(value, dtype=dtype, name=name)


# -- packing a list of tensors into one (TF's Pack), as convert_to_tensor does --------------
def common_spec(tensors, what):
    """(shape, dtype) that all `tensors` share (their static shapes merged), or an error
    naming `what` (e.g. "add_n inputs") and the first two that differ."""
    first = tensors[0]
    shape = first.shape
    for tensor in tensors[1:]:
        if tensor.dtype != first.dtype:
            raise TypeError(f"{what} must share a dtype: {first.dtype.name} vs "
                            f"{tensor.dtype.name}")
        try:
            shape = merge(shape, tensor.shape)
        except ValueError:
            raise ValueError(f"{what} must have the same shape, got {fmt(first.shape)} "
                             f"and {fmt(tensor.shape)}") from None
    return shape, first.dtype


def _pack_shape(*values):
    shape, dtype = common_spec(values, "the tensors of a list packed into one tensor")
    return (None if shape is None else (len(values),) + tuple(shape)), dtype


def _pack_forward(*values):
    return np.stack(values)


def _pack_static_value(op):
    """A list of scalar dimensions, packed, is known entry by entry (for reshape)."""
    if any(t.shape is None or len(t.shape) != 0 for t in op.inputs):
        return None
    known = []
    for tensor in op.inputs:
        rule = tensor.op.op_def.static_value
        part = rule(tensor.op) if rule is not None and tensor.value_index == 0 else None
        known += part if part is not None else [None]
    return known


def _pack_grad(op, dy):
    """Each packed tensor gets its row of the gradient."""
    return [PackedItem(dy, index=i) for i in range(len(op.inputs))]


def _item_shape(packed, index):
    return (None if packed.shape is None else packed.shape[1:]), packed.dtype


def _item_forward(packed, index):
    return packed[index]


def _item_grad(op, dy):
    """Row `index` of the packed tensor gets dy; the other rows get zeros."""
    return [PackedItemGrad(op.inputs[0], dy, index=op.attrs["index"])]


def _item_grad_shape(packed, dy, index):
    return packed.shape, dy.dtype


def _item_grad_forward(packed, dy, index):
    out = np.zeros(np.shape(packed), dtype=np.result_type(dy))
    out[index] = dy
    return out


def _item_grad_grad(op, ddx):
    """Only the row that was scattered depends on dy."""
    return [None, PackedItem(ddx, index=op.attrs["index"])]


Pack = define_op("Pack", forward=_pack_forward, shape=_pack_shape, grad=_pack_grad,
                 static_value=_pack_static_value)
PackedItem = define_op("PackedItem", forward=_item_forward, shape=_item_shape, grad=_item_grad)
PackedItemGrad = define_op("PackedItemGrad", forward=_item_grad_forward,
                           shape=_item_grad_shape, grad=_item_grad_grad)


def _holds_tensors(value):
    """True for a (nested) list or tuple with a tensor (or a Variable) somewhere inside."""
    if not isinstance(value, (list, tuple)):
        return False
    return any(is_tensor_like(v) or _holds_tensors(v) for v in value)


def _cast_hint(a, b):
    """Which way to cast: integers (and bools) to the float, a narrow float to the wide."""
    def rank(t):
        return (t.dtype.kind == "f", t.dtype.itemsize)
    low, high = (a, b) if rank(a) < rank(b) else (b, a)
    return (f"convert the {low.dtype.name} one ({low.name}) with "
            f"autograd.cast(..., autograd.{high.dtype.name})")


def constant_value(tensor):
    """The numpy value of `tensor` when it is known while building (a Const), else None."""
    if tensor.op.op_def is Const:
        return tensor.op.attrs["value"]
    return None


def is_tensor_like(value):
    """True for Tensors and for objects (like Variables) that stand for one."""
    return isinstance(value, Tensor) or hasattr(value, "_as_tensor")


def convert_operands(values, op_name):
    """Convert the operands of an elementwise op to tensors of one dtype, TF1's way.

    A Python number or array adopts the dtype of the tensors beside it; two tensors of
    different dtypes are a TypeError naming both.
    """
    tensors = [v._as_tensor() if hasattr(v, "_as_tensor") else v for v in values]
    typed = [t for t in tensors if isinstance(t, Tensor)]
    if not typed:
        first = convert_to_tensor(tensors[0])
        return [first] + [convert_to_tensor(t, first.dtype) for t in tensors[1:]]
    dtype = typed[0].dtype
    for t in typed[1:]:
        if t.dtype != dtype:
            raise TypeError(f"{op_name}: inputs must have the same dtype, but {typed[0].name} is "
                            f"{dtype.name} and {t.name} is {t.dtype.name}; "
                            f"{_cast_hint(typed[0], t)}")
    converted = []
    for t in tensors:
        if isinstance(t, Tensor):
            converted.append(t)
        else:
            try:
                converted.append(convert_to_tensor(t, dtype))
            except TypeError as exc:
                raise TypeError(f"{op_name}: {exc} (the other operand is {dtype.name})") from None
    return converted
