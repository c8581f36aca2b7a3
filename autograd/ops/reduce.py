"""Reductions over axes: sum, mean, prod, max, min, logsumexp, argmax/argmin, add_n.

A reduction's gradient first restores the reduced axes as size-1 dimensions ("kept
dims"), then broadcasts back to the input's shape.
"""
import numpy as np

from .. import dtypes, errors, lowerings
from ..graph import get_default_graph
from ..registry import common_spec, constant, convert_to_tensor, define_op
from ..shapes import as_axis, fmt, normalize_axis
from .broadcast import broadcast_to
from .compare import cast, equal, not_equal
from .joining import stack
from .math import exp, floordiv, sqrt, square
from .scan import cumprod
from .shaping import reshape, shape, size, static_value, transpose, zeros_like


def _normalize_axes(x, axis):
    """Axis argument -> sorted tuple of non-negative ints, or None for all axes. A
    non-integer axis is a TypeError, an axis beyond the rank a ValueError."""
    if axis is None:
        return None
    axes = [as_axis(a) for a in (axis if isinstance(axis, (list, tuple)) else [axis])]
    if x.shape is None:
        return tuple(axes)
    return tuple(sorted({normalize_axis(a, len(x.shape)) for a in axes}))


def _reduce_shape(x, axis, keepdims):
    if x.shape is None:
        return ((), x.dtype) if axis is None and not keepdims else (None, x.dtype)
    rank = len(x.shape)
    axes = range(rank) if axis is None else axis
    if keepdims:
        return [1 if i in axes else d for i, d in enumerate(x.shape)], x.dtype
    return [d for i, d in enumerate(x.shape) if i not in axes], x.dtype


def _reduced_shape_forward(input_shape, axis):
    kept = np.array(input_shape, dtype=np.int32)
    kept[list(range(kept.size)) if axis is None else list(axis)] = 1
    return kept


def _reduced_shape_shape(input_shape, axis):
    return input_shape.shape, input_shape.dtype


def _reduced_shape_static_value(op):
    """The input shape's known entries, with the reduced axes as 1."""
    dims = static_value(op.inputs[0])
    if dims is None:
        return None
    axis = op.attrs["axis"]
    return [1 if axis is None or i in axis else d for i, d in enumerate(dims)]


ReducedShape = define_op("ReducedShape", forward=_reduced_shape_forward,
                         shape=_reduced_shape_shape, static_value=_reduced_shape_static_value)


def _kept_dims(dy, op):
    """`dy` reshaped so the reduced axes are back as size-1 dimensions."""
    x = op.inputs[0]
    axis, keepdims = op.attrs["axis"], op.attrs["keepdims"]
    if keepdims or axis is None:
        return dy  # already kept, or a scalar, which broadcasts anyway
    if x.shape is not None:
        kept = _reduce_shape(x, axis, True)[0]
        if kept.count(None) <= 1:  # one unknown dimension can be left to reshape (-1)
            return reshape(dy, [-1 if d is None else d for d in kept])
    return reshape(dy, ReducedShape(shape(x), axis=axis))


def _sum_grad(op, dy):
    """Every input element contributed once: the gradient is dy broadcast back."""
    return [broadcast_to(_kept_dims(dy, op), shape(op.inputs[0]))]


def _count(op):
    """How many input elements went into each output element, as a tensor of x's dtype."""
    x, y = op.inputs[0], op.outputs[0]
    axis = op.attrs["axis"]
    if x.shape is not None:
        reduced = [x.shape[a] for a in (range(len(x.shape)) if axis is None else axis)]
        if None not in reduced:
            return constant(float(np.prod(reduced)), dtype=x.dtype)
    return ReductionCount(x, y)


def _reduction_count_shape(x, y):
    return (), x.dtype


def _reduction_count_forward(x, y):
    return np.asarray(x.size / max(y.size, 1), dtype=x.dtype)


ReductionCount = define_op("ReductionCount", forward=_reduction_count_forward,
                           shape=_reduction_count_shape)


def _mean_grad(op, dy):
    """mean = sum / n, so the gradient is dy / n broadcast back."""
    return [broadcast_to(_kept_dims(dy / _count(op), op), shape(op.inputs[0]))]


def _prod_grad(op, dy):
    """d prod / d x_i = the product of all the other entries: the exclusive running
    products from the left times those from the right. No division, so zeros are fine:
    [0, 2, 3] gets [6, 0, 0], as in TF."""
    x = op.inputs[0]
    if x.shape is None and op.attrs["axis"] is None:   # every axis: as one flat vector
        flat = reshape(x, [-1])
        others = cumprod(flat, 0, exclusive=True) * cumprod(flat, 0, exclusive=True,
                                                              reverse=True)
        return [broadcast_to(dy, shape(x)) * reshape(others, shape(x))]
    if x.shape is None:  # NOTE: given axes of an unknown rank: prod / x, NaN at a zero
        return [broadcast_to(_kept_dims(dy * op.outputs[0], op), shape(x)) / x]
    rank = len(x.shape)
    reduced = list(range(rank)) if op.attrs["axis"] is None else list(op.attrs["axis"])
    perm = reduced + [i for i in range(rank) if i not in reduced]
    moved = transpose(x, perm) if perm != list(range(rank)) else x
    count = _reduced_count(x, op.outputs[0], reduced)
    rows = reshape(moved, stack([count, -1]) if not isinstance(count, int) else [count, -1])
    others = cumprod(rows, 0, exclusive=True) * cumprod(rows, 0, exclusive=True, reverse=True)
    others = reshape(others, shape(moved))
    if moved is not x:
        others = transpose(others, [int(i) for i in np.argsort(perm)])
    return [broadcast_to(_kept_dims(dy, op), shape(x)) * others]


def _reduced_count(x, y, reduced):
    """How many entries each output multiplies: an int when known, else an int tensor."""
    dims = [x.shape[i] for i in reduced]
    if None not in dims:
        return int(np.prod(dims))
    return floordiv(size(x), size(y))


def _extreme_grad(op, dy):
    """The gradient goes to the entries equal to the max (min), shared equally on ties."""
    x, y = op.inputs[0], op.outputs[0]
    hits = cast(equal(x, _kept_dims(y, op)), x.dtype)
    count = reduce_sum(hits, axis=op.attrs["axis"], keepdims=True)
    return [hits / count * _kept_dims(dy, op)]


def _logsumexp_grad(op, dy):
    """d logsumexp(x) = softmax(x) = exp(x - logsumexp(x)) (reuses the output)."""
    x, y = op.inputs[0], op.outputs[0]
    return [_kept_dims(dy, op) * exp(x - _kept_dims(y, op))]


# NOTE: kernels call the ufuncs' .reduce directly: np.sum/np.max & co. add several
# microseconds of Python per call, which dominates on the small arrays of a training step.
def _sum_forward(x, axis, keepdims):
    return np.add.reduce(x, axis=axis, dtype=x.dtype, keepdims=keepdims)


def _mean_forward(x, axis, keepdims):
    total = np.add.reduce(x, axis=axis, dtype=x.dtype, keepdims=keepdims)
    count = x.size // max(total.size, 1) if x.size else 0
    if x.dtype.kind == "f":
        return total / count if count else total * np.nan
    # NOTE: integer means truncate toward zero, as TF (C's division): -7 / 2 -> -3
    quotient = np.abs(total) // max(count, 1)
    return np.where(total < 0, -quotient, quotient).astype(x.dtype)


def _prod_forward(x, axis, keepdims):
    return np.multiply.reduce(x, axis=axis, dtype=x.dtype, keepdims=keepdims)


def _max_forward(x, axis, keepdims):
    """An empty reduction gives the lowest value (-inf for floats), as TF."""
    return np.maximum.reduce(x, axis=axis, keepdims=keepdims, initial=_extreme(x.dtype, -1))


def _min_forward(x, axis, keepdims):
    """An empty reduction gives the highest value (+inf for floats), as TF."""
    return np.minimum.reduce(x, axis=axis, keepdims=keepdims, initial=_extreme(x.dtype, 1))


def _extreme(dtype, sign):
    """The lowest (sign -1) or highest (sign 1) value of a dtype: the identity of max/min."""
    if dtype.kind == "f":
        return sign * np.inf
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return info.max if sign > 0 else info.min
    return sign > 0


def _logsumexp_forward(x, axis, keepdims):
    peak = np.maximum.reduce(x, axis=axis, keepdims=True)
    if not np.isfinite(peak).all():
        peak = np.where(np.isfinite(peak), peak, 0).astype(x.dtype)
    out = np.log(np.add.reduce(np.exp(x - peak), axis=axis, keepdims=True)) + peak
    return out if keepdims else np.squeeze(out, axis=axis)


def _float_reduce_shape(x, axis, keepdims):
    if not dtypes.is_floating(x.dtype):
        raise TypeError(f"needs a floating-point tensor, got {x.dtype.name}")
    return _reduce_shape(x, axis, keepdims)


def _reduction_lowerings(tensorflow, onnx):
    """A reduction's lowerings: TF takes the axes as an int32 input (all of them when the
    op's axis is None); ONNX's ReduceSum takes them as an input (opset 13 on), the other
    reductions as an attribute (up to opset 17)."""
    def to_tensorflow(b, op):
        axis = op.attrs.get("axis")
        axis = range(len(op.inputs[0].shape)) if axis is None else axis
        indices = b.const(op.name + "/reduction_indices", np.array(list(axis), np.int32))
        b.node(tensorflow, op, indices, T=b.type(op.inputs[0].dtype), Tidx=b.type(np.int32),
               keep_dims=bool(op.attrs.get("keepdims", False)))

    def to_onnx(b, op):
        axis, inputs = op.attrs.get("axis"), b.inputs(op)[:1]
        keep = {"keepdims": int(bool(op.attrs.get("keepdims", False)))}
        if axis and onnx == "ReduceSum":
            inputs.append(b.constant(b.name(op.name + "/axes"), np.array(list(axis), np.int64)))
        elif axis is not None and onnx != "ReduceSum":
            keep["axes"] = list(axis)
        b.node(onnx, inputs, b.outputs(op), op.name, **keep)
    to_tensorflow.__name__, to_onnx.__name__ = f"{tensorflow}_to_tensorflow", f"{onnx}_to_onnx"
    return {"tensorflow": to_tensorflow, "onnx": to_onnx,
            "imports": {tensorflow: _reduction_from_tensorflow}}


def _reduction_from_tensorflow(op_def, node, inputs):
    """TF's reductions take the axes as a constant input."""
    axes = [int(a) for a in node.constant(1).reshape(-1)]
    return _reduce(op_def, inputs[0], axes, node.attr("keep_dims", False), node.name, None,
                   None)


Sum = define_op("Sum", forward=_sum_forward, shape=_reduce_shape, grad=_sum_grad)
lowerings.register(Sum, **_reduction_lowerings("Sum", "ReduceSum"))
Mean = define_op("Mean", forward=_mean_forward, shape=_reduce_shape, grad=_mean_grad)
lowerings.register(Mean, **_reduction_lowerings("Mean", "ReduceMean"))
Prod = define_op("Prod", forward=_prod_forward, shape=_reduce_shape, grad=_prod_grad)
lowerings.register(Prod, **_reduction_lowerings("Prod", "ReduceProd"))
Max = define_op("Max", forward=_max_forward, shape=_reduce_shape, grad=_extreme_grad)
lowerings.register(Max, **_reduction_lowerings("Max", "ReduceMax"))
Min = define_op("Min", forward=_min_forward, shape=_reduce_shape, grad=_extreme_grad)
lowerings.register(Min, **_reduction_lowerings("Min", "ReduceMin"))
LogSumExp = define_op("ReduceLogSumExp", forward=_logsumexp_forward,
                      shape=_float_reduce_shape, grad=_logsumexp_grad)


def _reduce(op_def, input_tensor, axis, keepdims, name, reduction_indices, keep_dims):
    x = convert_to_tensor(input_tensor)
    if axis is None:
        axis = reduction_indices
    if keep_dims is not None:
        keepdims = keep_dims
    with op_def.checking([x], name):
        axes = _normalize_axes(x, axis)
    return op_def(x, axis=axes, keepdims=bool(keepdims), name=name)


def _logical_reduce_shape(x, axis, keepdims):
    if x.dtype != dtypes.bool:
        raise TypeError(f"needs a bool tensor, got {x.dtype.name}")
    return _reduce_shape(x, axis, keepdims)


def _any_forward(x, axis, keepdims):
    return np.any(x, axis=axis, keepdims=keepdims)


def _all_forward(x, axis, keepdims):
    return np.all(x, axis=axis, keepdims=keepdims)


Any = define_op("Any", forward=_any_forward, shape=_logical_reduce_shape)
lowerings.register(Any, imports={"Any": _reduction_from_tensorflow})
All = define_op("All", forward=_all_forward, shape=_logical_reduce_shape)
lowerings.register(All, imports={"All": _reduction_from_tensorflow})


def reduce_any(input_tensor, axis=None, keepdims=False, name=None, reduction_indices=None,
               keep_dims=None):
    """Logical OR over `axis` (all axes when None) of a bool tensor; an empty one: False."""
    return _reduce(Any, input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_all(input_tensor, axis=None, keepdims=False, name=None, reduction_indices=None,
               keep_dims=None):
    """Logical AND over `axis` (all axes when None) of a bool tensor; an empty one: True."""
    return _reduce(All, input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None,
               reduction_indices=None, keep_dims=None):
    """Sum over `axis` (an int, a list, or None for all axes)."""
    return _reduce(Sum, input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None,
                reduction_indices=None, keep_dims=None):
    """Mean over `axis`."""
    return _reduce(Mean, input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_prod(input_tensor, axis=None, keepdims=False, name=None,
                reduction_indices=None, keep_dims=None):
    """Product over `axis`."""
    return _reduce(Prod, input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_max(input_tensor, axis=None, keepdims=False, name=None,
               reduction_indices=None, keep_dims=None):
    """Maximum over `axis`."""
    return _reduce(Max, input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_min(input_tensor, axis=None, keepdims=False, name=None,
               reduction_indices=None, keep_dims=None):
    """Minimum over `axis`."""
    return _reduce(Min, input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None,
                     reduction_indices=None, keep_dims=None):
    """log(sum(exp(x))) over `axis`, computed without overflow."""
    return _reduce(LogSumExp, input_tensor, axis, keepdims, name, reduction_indices,
                   keep_dims)


# -- argmax / argmin ------------------------------------------------------------------------
def _arg_shape(x, axis, output_type):
    if x.shape is None:
        return None, output_type
    axis = normalize_axis(axis, len(x.shape))
    return x.shape[:axis] + x.shape[axis + 1:], output_type


def _without_nan(x, fill):
    """NaN never wins an arg-extreme in TF (its comparisons with NaN are false), where
    numpy would pick it: NaN is replaced by `fill` (checked first, so runs without NaN
    pay one test)."""
    if x.dtype.kind == "f" and np.isnan(x).any():
        return np.where(np.isnan(x), fill, x)
    return x


def _argmax_forward(x, axis, output_type):
    return np.argmax(_without_nan(x, -np.inf), axis=axis).astype(output_type)


def _argmin_forward(x, axis, output_type):
    return np.argmin(_without_nan(x, np.inf), axis=axis).astype(output_type)


def _arg_lowerings(name):
    """TF takes the axis as an input; ONNX's ArgMax/ArgMin give int64, cast after."""
    def to_tensorflow(b, op):
        dimension = b.const(op.name + "/dimension", np.int32(op.attrs["axis"]))
        b.node(name, op, dimension, T=b.type(op.inputs[0].dtype), Tidx=b.type(np.int32),
               output_type=b.type(op.attrs["output_type"]))

    def to_onnx(b, op):
        index = b.node(name, b.inputs(op), [b.name(op.name + "/int64")], op.name + "/int64",
                       axis=int(op.attrs["axis"]), keepdims=0)
        b.node("Cast", [index], b.outputs(op), op.name,
               to=b.elem_type(op.attrs["output_type"]))
    def from_tensorflow(op_def, node, inputs):
        return op_def(inputs[0], axis=int(node.constant(1).reshape(-1)[0]),
                      output_type=node.attr("output_type", dtypes.int64), name=node.name)
    to_tensorflow.__name__, to_onnx.__name__ = f"{name}_to_tensorflow", f"{name}_to_onnx"
    return {"tensorflow": to_tensorflow, "onnx": to_onnx, "imports": {name: from_tensorflow}}


ArgMax = define_op("ArgMax", forward=_argmax_forward, shape=_arg_shape)
lowerings.register(ArgMax, **_arg_lowerings("ArgMax"))
ArgMin = define_op("ArgMin", forward=_argmin_forward, shape=_arg_shape)
lowerings.register(ArgMin, **_arg_lowerings("ArgMin"))


def argmax(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
    """Index of the largest entry along `axis` (axis 0 when None, as TF1). No gradient."""
    axis = dimension if axis is None else axis
    return ArgMax(input, axis=0 if axis is None else as_axis(axis),
                  output_type=dtypes.as_dtype(output_type), name=name)


def argmin(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
    """Index of the smallest entry along `axis` (axis 0 when None, as TF1). No gradient."""
    axis = dimension if axis is None else axis
    return ArgMin(input, axis=0 if axis is None else as_axis(axis),
                  output_type=dtypes.as_dtype(output_type), name=name)


# -- add_n ----------------------------------------------------------------------------------
def _add_n_shape(*inputs):
    return common_spec(inputs, "add_n inputs")


def _add_n_forward(*inputs):
    first = np.shape(inputs[0])
    for x in inputs[1:]:
        if np.shape(x) != first:  # unknown static shapes: numpy would broadcast silently
            raise errors.InvalidArgumentError(
                f"add_n inputs must all have the same shape, got {fmt(first)} and "
                f"{fmt(np.shape(x))}")
    total = np.add(inputs[0], inputs[1]) if len(inputs) > 1 else inputs[0]
    for x in inputs[2:]:
        if isinstance(total, np.ndarray):
            np.add(total, x, out=total)
        else:
            total = total + x
    return total


def _add_n_grad(op, dy):
    return [dy] * len(op.inputs)


AddN = define_op("AddN", forward=_add_n_forward, shape=_add_n_shape, grad=_add_n_grad)


def _add_n_to_tensorflow(b, op):
    b.node("AddN", op, T=b.type(op.inputs[0].dtype), N=len(op.inputs))


lowerings.register(AddN, tensorflow=_add_n_to_tensorflow,
                   imports={"AddN": lowerings.same_inputs})


def add_n(inputs, name=None):
    """Sum a list of tensors of one shape (no broadcasting)."""
    if not inputs:
        raise ValueError("add_n needs at least one tensor")
    return AddN(*inputs, name=name)


# -- moments and norms, composed ------------------------------------------------------------
def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """The mean squared deviation from the mean over `axis` (all when None)."""
    with get_default_graph().name_scope(name or "reduce_variance"):
        x = convert_to_tensor(input_tensor)
        mean = reduce_mean(x, axis=axis, keepdims=True)
        return reduce_mean(square(x - mean), axis=axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """The standard deviation over `axis`: sqrt(reduce_variance)."""
    with get_default_graph().name_scope(name or "reduce_std"):
        return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """sqrt(sum of squares) over `axis`."""
    with get_default_graph().name_scope(name or "reduce_euclidean_norm"):
        return sqrt(reduce_sum(square(convert_to_tensor(input_tensor)), axis=axis,
                               keepdims=keepdims))


def count_nonzero(input_tensor, axis=None, keepdims=False, dtype=dtypes.int64, name=None,
                  reduction_indices=None, keep_dims=None):
    """How many entries are not zero (along `axis`)."""
    axis = reduction_indices if axis is None else axis
    keepdims = keep_dims if keep_dims is not None else keepdims
    x = convert_to_tensor(input_tensor)
    nonzero = cast(not_equal(x, zeros_like(x)), dtypes.as_dtype(dtype))
    return reduce_sum(nonzero, axis, keepdims, name=name)


def zero_fraction(value, name=None):
    """The fraction of entries that are zero (a float32 scalar), as TF1 summaries use for
    the sparsity of activations."""
    with get_default_graph().name_scope(name or "zero_fraction"):
        value = convert_to_tensor(value)
        return reduce_mean(cast(equal(value, zeros_like(value)), dtypes.float32))
