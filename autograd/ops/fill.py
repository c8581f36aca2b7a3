"""Tensors filled with one value: fill, zeros and ones (constants when the shape is known)."""
import numpy as np

from .. import dtypes
from ..registry import constant, define_op
from ..shapes import fmt, make_shape
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
    if hasattr(shape_like, "op") or hasattr(shape_like, "_graph_element"):
        return fill(shape_like, constant(value, dtype), name=name)
    dims = make_shape(shape_like)
    if None in dims:
        raise ValueError(f"{name}: shape {list(shape_like)} has an unknown (negative) "
                         f"dimension; a shape given as a list must be fully known (pass a "
                         f"tensor such as autograd.shape(x) for a shape known at run time)")
    return constant(np.full(tuple(dims), value, dtype=dtype), name=name)
