"""Tensors filled with one value: fill, zeros and ones (constants when the shape is known)."""
import numpy as np

from .. import dtypes, lowerings
from ..registry import constant, constant_value, convert_to_tensor, define_op, is_tensor_like
from ..shapes import fmt, make_shape
from .compare import cast
from .reduce import reduce_sum
from .shaping import as_shape_tensor, constant_value_as_shape


# -- fill, zeros, ones ----------------------------------------------------------------------
def _fill_shape(dims, value):
    if value.shape not in (None, ()):
        raise ValueError(f"fill value must be a scalar, got shape {fmt(value.shape)}")
    return constant_value_as_shape(dims), value.dtype


def _fill_forward(dims, value):
    return np.full(tuple(dims), value, dtype=value.dtype)


def _fill_grad(op, dy):
    return [None, reduce_sum(dy)]


Fill = define_op("Fill", forward=_fill_forward, shape=_fill_shape, grad=_fill_grad)
lowerings.register(Fill, imports={"Fill": lowerings.same_inputs})


def fill(dims, value, name=None):
    """A tensor of shape `dims` filled with the scalar `value`."""
    return Fill(as_shape_tensor(dims), value, name=name)


def zeros(shape, dtype=dtypes.float32, name=None):
    """A tensor of zeros (a constant when the shape is a list of ints)."""
    return _filled(shape, 0, dtype, name or "zeros")


def ones(shape, dtype=dtypes.float32, name=None):
    """A tensor of ones (a constant when the shape is a list of ints)."""
    return _filled(shape, 1, dtype, name or "ones")


def _filled(shape_like, value, dtype, name):
    dtype = dtypes.as_dtype(dtype)
    if hasattr(shape_like, "op") or hasattr(shape_like, "_graph_element") or (
            isinstance(shape_like, (list, tuple)) and any(is_tensor_like(d)
                                                          for d in shape_like)):
        return fill(shape_like, constant(value, dtype), name=name)  # known at run time
    dims = make_shape(shape_like)
    if None in dims:
        raise ValueError(f"{name}: shape {list(shape_like)} has an unknown (negative) "
                         f"dimension; a shape given as a list must be fully known (pass a "
                         f"tensor such as autograd.shape(x) for a shape known at run time)")
    return constant(np.full(tuple(dims), value, dtype=dtype), name=name)


# -- sequences ------------------------------------------------------------------------------
def _range_shape(start, limit, delta, dtype):
    known = [constant_value(t) for t in (start, limit, delta)]
    if any(k is None for k in known):
        return (None,), dtype
    return (len(np.arange(*[k.item() for k in known])),), dtype


def _range_forward(start, limit, delta, dtype):
    if delta == 0:
        raise ValueError("range's delta must not be zero")
    return np.arange(start, limit, delta).astype(dtype)


Range = define_op("Range", forward=_range_forward, shape=_range_shape)


def _range_from_tensorflow(op_def, node, inputs):
    return range(*inputs, dtype=node.attr("Tidx", None), name=node.name)


lowerings.register(Range, imports={"Range": _range_from_tensorflow})


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF1's name
    """start, start + delta, ... below limit (TF1's tf.range; range(n) counts from 0)."""
    if limit is None:
        start, limit = 0, start
    values = [convert_to_tensor(v) for v in (start, limit, delta)]
    if dtype is None:
        dtype = max((v.dtype for v in values), key=lambda d: (d.kind == "f", d.itemsize))
    dtype = dtypes.as_dtype(dtype)
    values = [v if v.dtype == dtype else cast(v, dtype) for v in values]
    return Range(*values, dtype=dtype, name=name)


def linspace(start, stop, num, name="LinSpace"):
    """`num` evenly spaced values from start to stop, both included."""
    start, stop = convert_to_tensor(start), convert_to_tensor(stop)
    steps = range(0, int(num), dtype=start.dtype)
    step = (stop - start) / float(max(int(num) - 1, 1))
    return start + steps * step
