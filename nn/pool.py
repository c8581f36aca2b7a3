"""Max and average pooling (NHWC), with TF's padding arithmetic.

Windows are strided views. The backward passes loop over the few offsets inside a window
(4 for 2x2): for one offset every window maps to a distinct input pixel, so each offset
is one strided, collision-free add; no np.add.at, no loop over pixels.
"""
import numpy as np

import autograd as ag
from autograd import define_op

from .conv import check_padding, conv_output_size, nhwc_window, pad_spatial, windows


def _geometry(shape, ksize, strides, padding):
    _, h, w, _ = shape
    oh, pads_h = conv_output_size(h, ksize[1], strides[1], padding)
    ow, pads_w = conv_output_size(w, ksize[2], strides[2], padding)
    return oh, ow, pads_h, pads_w


def _pool_shape(x, ksize, strides, padding):
    if x.shape is None:
        return (None,) * 4, x.dtype
    if len(x.shape) != 4:
        raise ValueError(f"pooling needs a 4-D NHWC input, got {ag.shapes.fmt(x.shape)}")
    dims = [None if x.shape[i] is None else
            conv_output_size(x.shape[i], ksize[i], strides[i], padding)[0] for i in (1, 2)]
    return (x.shape[0], dims[0], dims[1], x.shape[3]), x.dtype


def _window_view(x, ksize, strides, padding, fill):
    oh, ow, pads_h, pads_w = _geometry(x.shape, ksize, strides, padding)
    xp = pad_spatial(x, pads_h, pads_w, fill)
    return windows(xp, ksize[1], ksize[2], strides[1], strides[2], oh, ow), xp.shape


def _scatter_windows(per_offset, x_shape, ksize, strides, padding, dtype):
    """Sum window-shaped contributions back onto the input: per_offset(i, j) gives the
    (N, OH, OW, C) values for offset (i, j) of every window."""
    n, h, w, c = x_shape
    oh, ow, pads_h, pads_w = _geometry(x_shape, ksize, strides, padding)
    sh, sw = strides[1], strides[2]
    dxp = np.zeros((n, h + sum(pads_h), w + sum(pads_w), c), dtype=dtype)
    for i in range(ksize[1]):
        for j in range(ksize[2]):
            dxp[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw, :] += per_offset(i, j)
    return dxp[:, pads_h[0]:pads_h[0] + h, pads_w[0]:pads_w[0] + w, :]


# -- max pooling ----------------------------------------------------------------------------
def _max_pool_forward(x, ksize, strides, padding):
    view, _ = _window_view(x, ksize, strides, padding, -np.inf)
    return view.max(axis=(3, 4))


def _argmax_in_window(x, ksize, strides, padding):
    view, _ = _window_view(x, ksize, strides, padding, -np.inf)
    n, oh, ow, kh, kw, c = view.shape
    flat = view.transpose(0, 1, 2, 5, 3, 4).reshape(n, oh, ow, c, kh * kw)
    return flat.argmax(axis=-1)  # the first maximum wins ties, as in TF


def _max_pool_grad_forward(x, dy, ksize, strides, padding):
    winner = _argmax_in_window(x, ksize, strides, padding)
    zero = np.zeros((), dy.dtype)

    def per_offset(i, j):
        return np.where(winner == i * ksize[2] + j, dy, zero)
    return _scatter_windows(per_offset, x.shape, ksize, strides, padding, dy.dtype)


def _max_pool_grad_grad_forward(x, ddx, ksize, strides, padding):
    """The adjoint of MaxPoolGrad in dy: pick ddx at each window's winning position."""
    winner = _argmax_in_window(x, ksize, strides, padding)
    view, _ = _window_view(ddx, ksize, strides, padding, 0)
    n, oh, ow, kh, kw, c = view.shape
    flat = view.transpose(0, 1, 2, 5, 3, 4).reshape(n, oh, ow, c, kh * kw)
    return np.take_along_axis(flat, winner[..., None], axis=-1)[..., 0]


def _max_pool_grad(op, dy):
    """The gradient goes to the maximum of each window."""
    return [MaxPoolGrad(op.inputs[0], dy, **op.attrs)]


def _max_pool_grad_shape(x, dy, ksize, strides, padding):
    return x.shape, x.dtype


def _max_pool_grad_grad(op, ddx):
    x = op.inputs[0]
    return [None, MaxPoolGradGrad(x, ddx, **op.attrs)]


def _max_pool_grad_grad_shape(x, ddx, ksize, strides, padding):
    return _pool_shape(x, ksize, strides, padding)


def _max_pool_grad_grad_grad(op, d):
    return [None, MaxPoolGrad(op.inputs[0], d, **op.attrs)]


MaxPool = define_op("MaxPool", forward=_max_pool_forward, shape=_pool_shape,
                    grad=_max_pool_grad)
MaxPoolGrad = define_op("MaxPoolGrad", forward=_max_pool_grad_forward,
                        shape=_max_pool_grad_shape, grad=_max_pool_grad_grad)
MaxPoolGradGrad = define_op("MaxPoolGradGrad", forward=_max_pool_grad_grad_forward,
                            shape=_max_pool_grad_grad_shape, grad=_max_pool_grad_grad_grad)


# -- average pooling ------------------------------------------------------------------------
def _cell_counts(shape, ksize, strides, padding):
    """How many real (unpadded) cells each window covers: SAME averages only those."""
    ones = np.ones((1, shape[1], shape[2], 1))
    view, _ = _window_view(ones, ksize, strides, padding, 0)
    return view.sum(axis=(3, 4))


def _avg_pool_forward(x, ksize, strides, padding):
    view, _ = _window_view(x, ksize, strides, padding, 0)
    total = view.sum(axis=(3, 4))
    return (total / _cell_counts(x.shape, ksize, strides, padding)).astype(x.dtype)


def _avg_pool_grad_forward(input_sizes, dy, ksize, strides, padding):
    shape = tuple(int(d) for d in input_sizes)
    share = (dy / _cell_counts(shape, ksize, strides, padding)).astype(dy.dtype)
    return _scatter_windows(lambda i, j: share, shape, ksize, strides, padding, dy.dtype)


def _avg_pool_grad(op, dy):
    """Each cell of a window gets dy / (number of real cells in the window)."""
    return [AvgPoolGrad(ag.shape(op.inputs[0]), dy, **op.attrs)]


def _avg_pool_grad_shape(input_sizes, dy, ksize, strides, padding):
    return ag.constant_value_as_shape(input_sizes) or (None,) * 4, dy.dtype


def _avg_pool_grad_grad(op, ddx):
    return [None, AvgPool(ddx, **op.attrs)]


AvgPool = define_op("AvgPool", forward=_avg_pool_forward, shape=_pool_shape,
                    grad=_avg_pool_grad)
AvgPoolGrad = define_op("AvgPoolGrad", forward=_avg_pool_grad_forward,
                        shape=_avg_pool_grad_shape, grad=_avg_pool_grad_grad)


def _pool(op_def, value, ksize, strides, padding, name):
    value = ag.convert_to_tensor(value)
    with op_def.checking([value], name):
        attrs = dict(ksize=nhwc_window(ksize, "ksize"), strides=nhwc_window(strides, "strides"),
                     padding=check_padding(padding))
    return op_def(value, name=name, **attrs)


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None):
    """Maximum over each ksize window, moved by strides (TF1's tf.nn.max_pool)."""
    return _pool(MaxPool, value, ksize, strides, padding, name)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None):
    """Mean over each window; with SAME padding only the real cells are averaged."""
    return _pool(AvgPool, value, ksize, strides, padding, name)
