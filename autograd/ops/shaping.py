"""Shape ops: shape/size/rank, reshape, transpose, expand_dims, squeeze, identity,
stop_gradient, zeros_like and ones_like: ops that move or relabel elements, or make new
ones of a known shape, without arithmetic. Every other ops module builds on this one.
"""
import numpy as np

from .. import dtypes, errors, lowerings
from ..registry import constant, constant_value, convert_to_tensor, define_op, is_tensor_like
from ..shapes import Shape, as_axis, fmt, make_shape, normalize_axis


# -- shape, size, rank (folded into constants when the static shape is known) --------------
def _shape_shape(x, out_type):
    return ((None if x.shape is None else len(x.shape),), out_type)


def _shape_forward(x, out_type):
    return np.array(np.shape(x), dtype=out_type)


def _shape_static_value(op):
    """shape(x) is known as far as x's static shape is."""
    x_shape = op.inputs[0].shape
    return None if x_shape is None else list(x_shape)


def _shape_to_tensorflow(b, op):
    b.node("Shape", op, T=b.type(op.inputs[0].dtype), out_type=b.type(op.attrs["out_type"]))


def _shape_to_onnx(b, op):
    """ONNX's Shape gives int64: cast to the op's out_type."""
    int64 = b.node("Shape", b.inputs(op), [b.name(op.name + "/int64")], op.name + "/int64")
    b.node("Cast", [int64], b.outputs(op), op.name, to=b.elem_type(op.attrs["out_type"]))


ShapeOp = define_op("Shape", forward=_shape_forward, shape=_shape_shape,
                    static_value=_shape_static_value)
def _shape_from_tensorflow(op_def, node, inputs):
    return shape(inputs[0], name=node.name, out_type=node.attr("out_type", dtypes.int32))


lowerings.register(ShapeOp, tensorflow=_shape_to_tensorflow, onnx=_shape_to_onnx,
                   imports={"Shape": _shape_from_tensorflow})


def shape(input, name=None, out_type=dtypes.int32):
    """The dynamic shape of `input` as an int vector (a constant when fully known)."""
    x = convert_to_tensor(input)
    out_type = dtypes.as_dtype(out_type)
    if x.shape is not None and x.shape.is_fully_defined():
        return constant(np.array(x.shape, dtype=out_type), name=name or "Shape")
    return ShapeOp(x, out_type=out_type, name=name)


def _size_forward(x, out_type):
    return np.array(np.size(x), dtype=out_type)


def _scalar_shape(x, out_type):
    return (), out_type


SizeOp = define_op("Size", forward=_size_forward, shape=_scalar_shape)


def size(input, name=None, out_type=dtypes.int32):
    """Number of elements of `input` (a constant when the static shape is fully known)."""
    x = convert_to_tensor(input)
    if x.shape is not None and x.shape.is_fully_defined():
        return constant(np.array(x.shape.num_elements(), dtype=out_type), name=name or "Size")
    return SizeOp(x, out_type=dtypes.as_dtype(out_type), name=name)


def _rank_forward(x):
    return np.array(np.ndim(x), dtype=np.int32)


def _rank_shape(x):
    return (), dtypes.int32


RankOp = define_op("Rank", forward=_rank_forward, shape=_rank_shape)


def rank(input, name=None):
    """Number of dimensions of `input` (a constant when the rank is known)."""
    x = convert_to_tensor(input)
    if x.shape is not None:
        return constant(np.int32(len(x.shape)), name=name or "Rank")
    return RankOp(x, name=name)


def static_value(tensor):
    """What a 1-D int tensor is known to hold while building (None for unknown entries),
    from its op's `static_value`; None when nothing is known."""
    rule = tensor.op.op_def.static_value
    return None if rule is None else rule(tensor.op)


def constant_value_as_shape(shape_tensor):
    """The static shape an int vector tensor describes, as far as it is known while
    building: exact for a constant, x's static shape for `shape(x)` (or whatever an op's
    `static_value` says), else just the rank (TF's tensor_util.constant_value_as_shape)."""
    value = static_value(shape_tensor)
    if value is not None:
        return make_shape([None if d is None or d < 0 else int(d) for d in value])
    if shape_tensor.shape is not None and shape_tensor.shape[0] is not None:
        return Shape((None,) * shape_tensor.shape[0])
    return None


def as_shape_tensor(shape_like):
    """A shape given as a list of ints, a Shape or an int tensor, as an int32 tensor."""
    if hasattr(shape_like, "_graph_element") or hasattr(shape_like, "op") or (
            isinstance(shape_like, (list, tuple)) and any(is_tensor_like(d)
                                                          for d in shape_like)):
        tensor = convert_to_tensor(shape_like)  # a list with tensors packs into one
        if tensor.shape is not None and len(tensor.shape) == 0:   # n means [n], as in TF
            tensor = reshape(tensor, [1])
        return tensor
    return constant(np.array(list(shape_like), dtype=np.int32).reshape(-1), name="shape")


# -- reshape --------------------------------------------------------------------------------
def _reshape_shape(x, new_shape):
    given = constant_value(new_shape)
    if given is not None and given.size and given.min() < -1:
        raise ValueError(f"shape {list(given)} has an invalid dimension {given.min()}: only "
                         f"-1 may stand for the size to infer")
    target = constant_value_as_shape(new_shape)
    if target is None or x.shape is None:
        return target, x.dtype
    total = x.shape.num_elements()
    if given is not None and total is not None:
        known = int(np.prod([d for d in given if d >= 0]))
        if list(given).count(-1) > 1:
            raise ValueError(f"shape {list(given)} has more than one -1")
        if -1 in list(given):
            if known == 0 or total % known:
                raise ValueError(f"cannot reshape {total} elements into shape {list(given)}")
            target = Shape(total // known if d is None else d for d in target)
        elif known != total:
            raise ValueError(f"cannot reshape a tensor of {total} elements {fmt(x.shape)} "
                             f"into shape {list(given)} ({known} elements)")
    return target, x.dtype


def _reshape_grad(op, dy):
    return [reshape(dy, shape(op.inputs[0])), None]


def _reshape_forward(x, new_shape):
    dims = new_shape.tolist()  # a list: much faster than an int array
    if min(dims, default=0) < -1 or dims.count(-1) > 1:   # numpy would take -2 as -1
        raise errors.InvalidArgumentError(f"cannot reshape to {dims}: sizes must be >= 0, "
                                          f"with at most one -1")
    return np.reshape(x, dims)


def _reshape_to_tensorflow(b, op):
    b.node("Reshape", op, T=b.type(op.inputs[0].dtype), Tshape=b.type(op.inputs[1].dtype))


def _reshape_to_onnx(b, op):
    """ONNX's Reshape takes an int64 shape."""
    name = op.name
    new_shape = b.node("Cast", b.inputs(op)[1:], [b.name(name + "/shape")], name + "/shape",
                       to=b.elem_type(np.int64))
    b.node("Reshape", [b.inputs(op)[0], new_shape], b.outputs(op), name, allowzero=1)


Reshape = define_op("Reshape", forward=_reshape_forward, shape=_reshape_shape,
                    grad=_reshape_grad)
lowerings.register(Reshape, tensorflow=_reshape_to_tensorflow, onnx=_reshape_to_onnx,
                   imports={"Reshape": lowerings.same_inputs})


def reshape(tensor, shape, name=None):
    """`tensor` with the same elements in a new shape (one dimension may be -1)."""
    return Reshape(tensor, as_shape_tensor(shape), name=name)


# -- transpose, expand_dims, squeeze --------------------------------------------------------
def _transpose_shape(x, perm):
    if x.shape is None:
        return None, x.dtype
    if sorted(perm) != list(range(len(x.shape))):
        raise ValueError(f"perm {list(perm)} is not a permutation of the {len(x.shape)} axes "
                         f"of a tensor of shape {fmt(x.shape)}")
    return [x.shape[p] for p in perm], x.dtype


def _transpose_grad(op, dy):
    return [transpose(dy, tuple(int(i) for i in np.argsort(op.attrs["perm"])))]


def _transpose_forward(x, perm):
    return np.transpose(x, perm)


def _transpose_to_tensorflow(b, op):
    """TF takes the permutation as an input."""
    perm = b.const(op.name + "/perm", np.array(op.attrs["perm"], np.int32))
    b.node("Transpose", op, perm, T=b.type(op.inputs[0].dtype), Tperm=b.type(np.int32))


def _transpose_to_onnx(b, op):
    b.node("Transpose", b.inputs(op), b.outputs(op), op.name, perm=list(op.attrs["perm"]))


Transpose = define_op("Transpose", forward=_transpose_forward, shape=_transpose_shape,
                      grad=_transpose_grad)
def _transpose_from_tensorflow(op_def, node, inputs):
    return transpose(inputs[0], node.constant(1).tolist(), name=node.name)


lowerings.register(Transpose, tensorflow=_transpose_to_tensorflow, onnx=_transpose_to_onnx,
                   imports={"Transpose": _transpose_from_tensorflow})


def transpose(a, perm=None, name=None):
    """Permute the axes of `a` (reverse them when perm is None)."""
    a = convert_to_tensor(a)
    if perm is None:
        if a.shape is None:
            raise ValueError(f"transpose of {a.name} with unknown rank needs an explicit perm")
        perm = tuple(reversed(range(len(a.shape))))
    return Transpose(a, perm=tuple(int(p) for p in perm), name=name)


def _expand_dims_shape(x, axis):
    if x.shape is None:
        return None, x.dtype
    axis = normalize_axis(axis, len(x.shape) + 1)
    return x.shape[:axis] + (1,) + x.shape[axis:], x.dtype


def _reshape_back_grad(op, dy):
    return [reshape(dy, shape(op.inputs[0]))]


def _expand_dims_forward(x, axis):
    shape = np.shape(x)
    axis = axis % (len(shape) + 1)
    return np.reshape(x, shape[:axis] + (1,) + shape[axis:])


def _expand_dims_static_value(op):
    """A scalar made a 1-vector (as when a list of dimensions is packed) keeps its value."""
    x = op.inputs[0]
    return static_value(x) if x.shape is not None and len(x.shape) == 0 else None


def _expand_dims_to_tensorflow(b, op):
    dim = b.const(op.name + "/dim", np.int32(lowerings.scalar_axis(op.attrs["axis"])))
    b.node("ExpandDims", op, dim, T=b.type(op.inputs[0].dtype), Tdim=b.type(np.int32))


def _expand_dims_to_onnx(b, op):
    axes = b.constant(b.name(op.name + "/axes"), np.array([op.attrs["axis"]], np.int64))
    b.node("Unsqueeze", [b.inputs(op)[0], axes], b.outputs(op), op.name)


ExpandDims = define_op("ExpandDims", forward=_expand_dims_forward, shape=_expand_dims_shape,
                       static_value=_expand_dims_static_value,
                       grad=_reshape_back_grad)
def _expand_dims_from_tensorflow(op_def, node, inputs):
    return expand_dims(inputs[0], int(node.constant(1).reshape(-1)[0]), name=node.name)


lowerings.register(ExpandDims, tensorflow=_expand_dims_to_tensorflow,
                   onnx=_expand_dims_to_onnx, imports={"ExpandDims": _expand_dims_from_tensorflow})


def expand_dims(input, axis, name=None):
    """Insert a dimension of size 1 at `axis`."""
    input = convert_to_tensor(input)
    with ExpandDims.checking([input], name):
        axis = as_axis(axis)
    return ExpandDims(input, axis=axis, name=name)


def _squeeze_shape(x, axis):
    if x.shape is None:
        return None, x.dtype
    if axis is None:
        if None in x.shape:
            return None, x.dtype
        return [d for d in x.shape if d != 1], x.dtype
    axes = {normalize_axis(a, len(x.shape)) for a in axis}
    for a in axes:
        if x.shape[a] not in (1, None):
            raise ValueError(f"cannot squeeze axis {a} of size {x.shape[a]} (shape {fmt(x.shape)})")
    return [d for i, d in enumerate(x.shape) if i not in axes], x.dtype


def _squeeze_to_tensorflow(b, op):
    b.node("Squeeze", op, T=b.type(op.inputs[0].dtype),
           squeeze_dims=list(op.attrs.get("axis") or ()))


def _squeeze_to_onnx(b, op):
    """ONNX takes the axes as an input, none meaning every axis of size 1."""
    inputs = b.inputs(op)[:1]
    if op.attrs.get("axis"):
        inputs.append(b.constant(b.name(op.name + "/axes"),
                                 np.array(op.attrs["axis"], np.int64)))
    b.node("Squeeze", inputs, b.outputs(op), op.name)


Squeeze = define_op("Squeeze", forward=np.squeeze, shape=_squeeze_shape, grad=_reshape_back_grad)
def _squeeze_from_tensorflow(op_def, node, inputs):
    return squeeze(inputs[0], node.attr("squeeze_dims", None) or None, name=node.name)


lowerings.register(Squeeze, tensorflow=_squeeze_to_tensorflow, onnx=_squeeze_to_onnx,
                   imports={"Squeeze": _squeeze_from_tensorflow})


def squeeze(input, axis=None, name=None):
    """Remove dimensions of size 1 (all of them, or those listed in `axis`)."""
    if isinstance(axis, int):
        axis = [axis]
    return Squeeze(input, axis=None if axis is None else tuple(axis), name=name)


# -- identity, stop_gradient ----------------------------------------------------------------
def _same_shape(x):
    return x.shape, x.dtype


def _identity_forward(x):
    return x


def _identity_grad(op, dy):
    return [dy]


Identity = define_op("Identity", forward=_identity_forward, shape=_same_shape,
                     grad=_identity_grad)
lowerings.register(Identity, **lowerings.elementwise("Identity", "Identity",
                                                     also=("Snapshot",)))
StopGradient = define_op("StopGradient", forward=_identity_forward, shape=_same_shape)
lowerings.register(StopGradient, **lowerings.elementwise("StopGradient"))


def identity(input, name=None):
    """The same value under a new name."""
    return Identity(input, name=name)


def stop_gradient(input, name=None):
    """The same value, but gradients() treats it as a constant: no gradient flows through."""
    return StopGradient(input, name=name)


# -- zeros_like, ones_like ---------------------------------------------------------------
def _like_shape(x, dtype):
    return x.shape, dtype


def _zeros_like_forward(x, dtype):
    return np.zeros(np.shape(x), dtype=dtype)


def _ones_like_forward(x, dtype):
    return np.ones(np.shape(x), dtype=dtype)


ZerosLike = define_op("ZerosLike", forward=_zeros_like_forward, shape=_like_shape)
OnesLike = define_op("OnesLike", forward=_ones_like_forward, shape=_like_shape)


def _like_to_tensorflow(tf_type):
    def to_tensorflow(b, op):
        b.node(tf_type, op, T=b.type(op.attrs["dtype"]))
    return to_tensorflow


def _like_from_tensorflow(op_def, node, inputs):
    return op_def(inputs[0], dtype=inputs[0].dtype, name=node.name)


lowerings.register(ZerosLike, tensorflow=_like_to_tensorflow("ZerosLike"),
                   imports={"ZerosLike": _like_from_tensorflow})
lowerings.register(OnesLike, tensorflow=_like_to_tensorflow("OnesLike"),
                   imports={"OnesLike": _like_from_tensorflow})


def zeros_like(tensor, dtype=None, name=None):
    """Zeros with the shape (and dtype, unless given) of `tensor`."""
    tensor = convert_to_tensor(tensor)
    dtype = tensor.dtype if dtype is None else dtypes.as_dtype(dtype)
    return ZerosLike(tensor, dtype=dtype, name=name)


def ones_like(tensor, dtype=None, name=None):
    """Ones with the shape (and dtype, unless given) of `tensor`."""
    tensor = convert_to_tensor(tensor)
    dtype = tensor.dtype if dtype is None else dtypes.as_dtype(dtype)
    return OnesLike(tensor, dtype=dtype, name=name)
