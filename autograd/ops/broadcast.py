"""Broadcasting and its inverse: broadcast_to, sum_to_shape, and `unbroadcast`, the one
helper every binary gradient uses to sum a gradient back to its operand's shape.

Also the kernels' trick for the commonest broadcast of a training step, a short vector
along the last axis (a bias of 4 or 8 channels): numpy's inner loop would be that short,
so the image is viewed as rows of many channels' worth and the vector tiled to match.
"""
import functools
import math

import numpy as np

from ..registry import define_op
from ..shapes import broadcast
from .shaping import as_shape_tensor, shape, constant_value_as_shape


def binary_shape(x, y):
    """The shape rule of a binary elementwise op: one dtype, the broadcast shape."""
    if x.dtype != y.dtype:
        raise TypeError(f"inputs must have the same dtype, got {x.dtype.name} and {y.dtype.name}")
    return broadcast(x.shape, y.shape), x.dtype


# -- broadcasting and its inverse -----------------------------------------------------------
def _broadcast_to_shape(x, target):
    return constant_value_as_shape(target), x.dtype


def _broadcast_to_grad(op, dy):
    return [sum_to_shape(dy, shape(op.inputs[0])), None]


def _broadcast_to_forward(x, target):
    target = tuple(target.tolist())
    if np.shape(x) == target:
        return x
    if math.prod(target) <= 4096:  # small: a filled copy is cheaper than numpy's view helper
        out = np.empty(target, dtype=np.result_type(x))
        out[...] = x
        return out
    return np.broadcast_to(x, target)


BroadcastTo = define_op("BroadcastTo", forward=_broadcast_to_forward, shape=_broadcast_to_shape,
                        grad=_broadcast_to_grad)


def broadcast_to(input, shape, name=None):
    """`input` broadcast (numpy rules) to `shape`."""
    return BroadcastTo(input, as_shape_tensor(shape), name=name)


SHORT = 64           # a last axis shorter than this makes numpy's inner loop slow
WIDE = 512           # ... so rows are widened to about this many values


@functools.lru_cache(maxsize=256)
def widening(rows, width):
    """How many rows of `width` values to view as one: the largest count up to
    WIDE / width that divides `rows`."""
    for count in range(max(WIDE // width, 1), 0, -1):
        if rows % count == 0:
            return count
    return 1


def _summed_rows(x, width):
    """Sum over all but the last `width`-long axis, with widened rows (x C-contiguous)."""
    count = widening(x.size // width, width)
    partial = np.add.reduce(x.reshape(-1, count * width), axis=0)
    return np.add.reduce(partial.reshape(count, width), axis=0)


def _sum_to_shape_forward(x, target):
    target = tuple(target.tolist())
    if x.shape == target:
        return x
    lead = x.ndim - len(target)
    if lead == 1 and x.shape[1:] == target and x.size < 4096:   # a small batch's bias
        return np.add.reduce(x, axis=0)
    axes = tuple(range(lead)) + tuple(lead + i for i, d in enumerate(target)
                                      if d == 1 and x.shape[lead + i] != 1)
    last = x.shape[-1] if x.ndim else 0
    if axes == tuple(range(x.ndim - 1)) and 1 < last < SHORT and x.size >= 4096 and \
            x.flags.c_contiguous:   # (a small x: one plain reduce costs less)
        return _summed_rows(x, last).reshape(target)
    return np.add.reduce(x, axis=axes).reshape(target)


def along_last_axis(ufunc):
    """A `specialize` rule for an elementwise ufunc op: where its static shapes show a short
    vector along the last axis of a larger operand (a bias), a kernel that views the other
    operand as wide rows and tiles the vector (numpy's inner loop is slow on short rows);
    the bare ufunc for every other op, so that those pay nothing per run."""
    def widened(x, y):
        vector, other = (y, x) if y.ndim < x.ndim else (x, y)
        if other.size >= 4096 and other.flags.c_contiguous and vector.ndim == 1:
            width = vector.shape[0]
            count = widening(other.size // width, width)
            rows, tiled = other.reshape(-1, count * width), np.tile(vector, count)
            out = ufunc(rows, tiled) if vector is y else ufunc(tiled, rows)
            return out.reshape(other.shape)
        return ufunc(x, y)
    widened.__name__ = ufunc.__name__

    def specialize(op):
        a, b = (t.shape for t in op.inputs)
        if a is None or b is None or len(a) == len(b):
            return ufunc
        vector, other = (b, a) if len(b) < len(a) else (a, b)
        if len(vector) == 1 and vector[0] is not None and 1 < vector[0] < SHORT \
                and other[-1] == vector[0]:
            return widened
        return ufunc
    return specialize


def _sum_to_shape_grad(op, dy):
    return [broadcast_to(dy, shape(op.inputs[0])), None]


SumToShape = define_op("SumToShape", forward=_sum_to_shape_forward,
                       shape=_broadcast_to_shape, grad=_sum_to_shape_grad)


def sum_to_shape(x, target_shape):
    """Sum `x` over the axes that broadcasting to `x.shape` from `target_shape` created."""
    return SumToShape(x, target_shape)


def _keeps_shape(x_shape, grad_shape, other_shapes):
    """True when broadcasting cannot have enlarged x: its gradient needs no summing."""
    if x_shape is None or grad_shape is None or len(x_shape) != len(grad_shape):
        return False
    for i, (dx, dg) in enumerate(zip(x_shape, grad_shape)):
        if dx is not None and dx == dg:
            continue
        if dx is not None:
            return False
        from_right = len(x_shape) - i
        for other in other_shapes:
            if other is None:
                return False
            if from_right <= len(other) and other[len(other) - from_right] != 1:
                return False
    return True


def unbroadcast(grad, x, *others):
    """The gradient for operand `x` of a broadcasting op: `grad` summed back to x's shape.

    `others` are the other operands; knowing their static shapes lets us skip the sum
    when x alone decides the output shape (e.g. `(None, 200) + (200,)` for the first term).
    """
    if _keeps_shape(x.shape, grad.shape, [o.shape for o in others]):
        return grad
    return sum_to_shape(grad, shape(x))
