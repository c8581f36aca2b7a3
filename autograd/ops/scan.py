"""Running sums and products along an axis: cumsum and cumprod (TF1's, with `exclusive`
and `reverse`)."""
import numpy as np

from ..registry import convert_to_tensor, define_op
from ..shapes import as_axis, normalize_axis
from .compare import equal, where
from .math import divide
from .shaping import ones_like, zeros_like


def _scan_shape(x, axis, exclusive, reverse):
    if x.shape is not None:
        normalize_axis(axis, len(x.shape))
    return x.shape, x.dtype


def _scan(ufunc, identity, x, axis, exclusive, reverse):
    """ufunc.accumulate along `axis`; exclusive: shifted by one, starting at `identity`."""
    moved = np.moveaxis(np.asarray(x), axis, 0)
    if reverse:
        moved = moved[::-1]
    running = ufunc.accumulate(moved, axis=0, dtype=moved.dtype)
    if exclusive:
        shifted = np.empty_like(running)
        if len(shifted):
            shifted[0] = identity
            shifted[1:] = running[:-1]
        running = shifted
    if reverse:
        running = running[::-1]
    return np.ascontiguousarray(np.moveaxis(running, 0, axis))


def _cumsum_forward(x, axis, exclusive, reverse):
    return _scan(np.add, 0, x, axis, exclusive, reverse)


def _cumprod_forward(x, axis, exclusive, reverse):
    return _scan(np.multiply, 1, x, axis, exclusive, reverse)


def _cumsum_grad(op, dy):
    """Each x_i feeds every later running sum: the gradient is the running sum of dy the
    other way round."""
    attrs = op.attrs
    return [Cumsum(dy, axis=attrs["axis"], exclusive=attrs["exclusive"],
                   reverse=not attrs["reverse"])]


def _cumprod_grad(op, dy):
    """d y_i / d x_k = y_i / x_k for each running product y_i that holds x_k (TF's rule),
    taken as 0 where x_k is 0 (TF's div_no_nan): finite, as TF's, though not the true
    derivative there; reduce_prod's own gradient needs no division (see reduce.py)."""
    x, y = op.inputs[0], op.outputs[0]
    attrs = op.attrs
    summed = Cumsum(y * dy, axis=attrs["axis"], exclusive=attrs["exclusive"],
                    reverse=not attrs["reverse"])
    zero = equal(x, zeros_like(x))
    return [where(zero, zeros_like(x), divide(summed, where(zero, ones_like(x), x)))]


Cumsum = define_op("Cumsum", forward=_cumsum_forward, shape=_scan_shape, grad=_cumsum_grad)
Cumprod = define_op("Cumprod", forward=_cumprod_forward, shape=_scan_shape,
                    grad=_cumprod_grad)


def _scan_op(op_def, x, axis, exclusive, reverse, name):
    x = convert_to_tensor(x)
    with op_def.checking([x], name):
        axis = as_axis(axis)
        if x.shape is not None:
            axis = normalize_axis(axis, len(x.shape))
    return op_def(x, axis=axis, exclusive=bool(exclusive), reverse=bool(reverse), name=name)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sums along `axis`: [a, b, c] -> [a, a+b, a+b+c] (exclusive: [0, a, a+b];
    reverse: from the end)."""
    return _scan_op(Cumsum, x, axis, exclusive, reverse, name)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running products along `axis`: [a, b, c] -> [a, ab, abc] (exclusive: [1, a, ab];
    reverse: from the end)."""
    return _scan_op(Cumprod, x, axis, exclusive, reverse, name)
