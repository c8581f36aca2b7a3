"""2-D convolution (NHWC input, HWIO filter) with TF's SAME/VALID padding arithmetic.

Forward: im2col through stride tricks (a view, then one copy) and one BLAS matmul. The
filter gradient is one more matmul against the same columns (kept from the forward op).
The input gradient is a transposed convolution, computed without scattering: for stride
s the input pixels split into s*s phases, each a stride-1 correlation of the output
gradient with a sub-filter (every s-th tap, flipped); all phases share one im2col and
one matmul.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

import autograd as ag
from autograd import define_op


def conv_output_size(size, kernel, stride, padding):
    """Output length and (pad before, pad after) along one axis, TF's arithmetic: SAME
    gives ceil(size / stride) with the odd extra cell of padding after."""
    if padding == "SAME":
        out = -(-size // stride)
        total = max((out - 1) * stride + kernel - size, 0)
        return out, (total // 2, total - total // 2)
    if size < kernel:
        raise ValueError(f"VALID padding needs input size {size} >= kernel size {kernel}")
    return (size - kernel) // stride + 1, (0, 0)


def check_padding(padding):
    padding = str(padding).upper()
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
    return padding


def windows(x, kh, kw, sh, sw, oh, ow):
    """View of x (N, H, W, C) as (N, OH, OW, KH, KW, C) sliding windows; no copy."""
    n, _, _, c = x.shape
    s = x.strides
    return as_strided(x, (n, oh, ow, kh, kw, c),
                      (s[0], s[1] * sh, s[2] * sw, s[1], s[2], s[3]), writeable=False)


def pad_spatial(x, pads_h, pads_w, value=0):
    if pads_h == (0, 0) and pads_w == (0, 0):
        return x
    return np.pad(x, ((0, 0), pads_h, pads_w, (0, 0)), constant_values=value)


def _geometry(x_shape, f_shape, strides, padding):
    _, h, w, _ = x_shape
    kh, kw = f_shape[0], f_shape[1]
    oh, pads_h = conv_output_size(h, kh, strides[1], padding)
    ow, pads_w = conv_output_size(w, kw, strides[2], padding)
    return kh, kw, oh, ow, pads_h, pads_w


def _columns(x, geometry, strides):
    """The im2col matrix (N*OH*OW, KH*KW*C): one row per output pixel."""
    kh, kw, oh, ow, pads_h, pads_w = geometry
    xp = pad_spatial(x, pads_h, pads_w)
    n, c = x.shape[0], x.shape[3]
    if kw * c >= ow:
        cols = windows(xp, kh, kw, strides[1], strides[2], oh, ow)
        return cols.reshape(n * oh * ow, kh * kw * c)
    # NOTE: with few channels (the first layer has one) a window row is only kw*c values,
    # and copying such short runs is slow; gathering offset by offset copies whole image
    # rows instead. The transposed result is what matmul wants anyway.
    s = xp.strides
    by_offset = as_strided(xp, (kh, kw, c, n, oh, ow),
                           (s[1], s[2], s[3], s[0], s[1] * strides[1], s[2] * strides[2]),
                           writeable=False)
    return by_offset.reshape(kh * kw * c, n * oh * ow).T


def _conv_forward(x, f, strides, padding):
    """Outputs the convolution and the im2col columns, which the filter gradient reuses."""
    geometry = _geometry(x.shape, f.shape, strides, padding)
    cols = _columns(x, geometry, strides)
    out = cols @ f.reshape(-1, f.shape[3])
    return out.reshape(x.shape[0], geometry[2], geometry[3], f.shape[3]), cols


def _backprop_input_forward(input_sizes, f, dy, strides, padding):
    """dx for y = conv2d(x, f): every stride phase at once, as one correlation.

    Input pixel (s*u + a, s*v + b) receives sum_k,l dy[u - k, v - l] . f[a + s*k, b + s*l]:
    a stride-1 correlation of dy with the sub-filter f[a::s, b::s]. Zero-padding every
    sub-filter to the same number of taps lets one im2col of dy and one matmul (with the
    s*s sub-filters side by side) compute all phases; a reshape interleaves them.
    """
    n, h, w, c = (int(d) for d in input_sizes)
    kh, kw, oh, ow, pads_h, pads_w = _geometry((n, h, w, c), f.shape, strides, padding)
    sh, sw = strides[1], strides[2]
    th, tw = -(-kh // sh), -(-kw // sw)                              # taps per phase
    rows, cols = -(-(h + sum(pads_h)) // sh), -(-(w + sum(pads_w)) // sw)  # pixels per phase
    o = dy.shape[3]
    padded = np.zeros((n, rows + th - 1, cols + tw - 1, o), dtype=dy.dtype)
    hh, ww = min(oh, rows), min(ow, cols)
    padded[:, th - 1:th - 1 + hh, tw - 1:tw - 1 + ww, :] = dy[:, :hh, :ww, :]
    taps = np.zeros((th, tw, o, sh, sw, c), dtype=f.dtype)
    for a in range(sh):
        for b in range(sw):
            sub = f[a::sh, b::sw]  # window position i meets tap th - 1 - i: flip
            taps[th - sub.shape[0]:, tw - sub.shape[1]:, :, a, b, :] = \
                sub[::-1, ::-1].transpose(0, 1, 3, 2)
    view = windows(padded, th, tw, 1, 1, rows, cols)
    out = view.reshape(n * rows * cols, -1) @ taps.reshape(th * tw * o, sh * sw * c)
    dxp = np.empty((n, rows, sh, cols, sw, c), dtype=dy.dtype)
    dxp[...] = out.reshape(n, rows, cols, sh, sw, c).transpose(0, 1, 3, 2, 4, 5)
    dxp = dxp.reshape(n, rows * sh, cols * sw, c)
    return dxp[:, pads_h[0]:pads_h[0] + h, pads_w[0]:pads_w[0] + w, :]


def _backprop_filter_forward(x, filter_sizes, dy, *columns, strides, padding):
    """dW = columns^T . dy; the columns come from the forward op when it ran this step."""
    f_shape = tuple(int(d) for d in filter_sizes)
    cols = columns[0] if columns else \
        _columns(x, _geometry(x.shape, f_shape, strides, padding), strides)
    grad = cols.T @ dy.reshape(-1, dy.shape[3])
    return grad.reshape(f_shape)


def _conv_shape(x, f, strides, padding):
    if x.dtype != f.dtype:
        raise TypeError(f"input ({x.dtype.name}) and filter ({f.dtype.name}) dtypes differ")
    if x.shape is None or f.shape is None:
        out = (None, None, None, None if f.shape is None else f.shape[3])
        return [(out, x.dtype), ((None, None), x.dtype)]
    if len(x.shape) != 4 or len(f.shape) != 4:
        raise ValueError(f"conv2d needs a 4-D NHWC input and a 4-D HWIO filter, got "
                         f"{ag.shapes.fmt(x.shape)} and {ag.shapes.fmt(f.shape)}")
    if x.shape[3] is not None and f.shape[2] is not None and x.shape[3] != f.shape[2]:
        raise ValueError(f"input has {x.shape[3]} channels but the filter expects "
                         f"{f.shape[2]} (filter shape {ag.shapes.fmt(f.shape)} is HWIO)")
    dims = []
    for size, k, s in ((x.shape[1], f.shape[0], strides[1]), (x.shape[2], f.shape[1],
                                                              strides[2])):
        dims.append(None if size is None or k is None else
                    conv_output_size(size, k, s, padding)[0])
    rows = None if None in (x.shape[0], dims[0], dims[1]) else x.shape[0] * dims[0] * dims[1]
    taps = None if None in f.shape[:3] else f.shape[0] * f.shape[1] * f.shape[2]
    return [((x.shape[0], dims[0], dims[1], f.shape[3]), x.dtype), ((rows, taps), x.dtype)]


def _conv_grad(op, dy, dcolumns):
    """The columns output is only a cache for the filter gradient: no gradient enters it."""
    x, f = op.inputs
    attrs = op.attrs
    return [Conv2DBackpropInput(ag.shape(x), f, dy, **attrs),
            Conv2DBackpropFilter(x, ag.shape(f), dy, op.outputs[1], **attrs)]


def _backprop_input_shape(input_sizes, f, dy, strides, padding):
    return ag.constant_value_as_shape(input_sizes) or (None,) * 4, dy.dtype


def _backprop_input_grad(op, ddx):
    """Linear in (filter, dy): d/d dy = conv2d(ddx, f), d/d f = filter grad of (ddx, dy)."""
    input_sizes, f, dy = op.inputs
    return [None, Conv2DBackpropFilter(ddx, ag.shape(f), dy, **op.attrs),
            Conv2D(ddx, f, **op.attrs)[0]]


def _backprop_filter_shape(x, filter_sizes, dy, *columns, strides, padding):
    return ag.constant_value_as_shape(filter_sizes) or (None,) * 4, dy.dtype


def _backprop_filter_grad(op, ddf):
    """Linear in (x, dy): d/dx = input grad of (ddf, dy), d/d dy = conv2d(x, ddf). The
    optional columns input is a function of x already covered by the x term."""
    x, filter_sizes, dy = op.inputs[:3]
    extra = [None] * (len(op.inputs) - 3)
    return [Conv2DBackpropInput(ag.shape(x), ddf, dy, **op.attrs), None,
            Conv2D(x, ddf, **op.attrs)[0]] + extra


Conv2D = define_op("Conv2D", forward=_conv_forward, shape=_conv_shape, grad=_conv_grad)
Conv2DBackpropInput = define_op("Conv2DBackpropInput", forward=_backprop_input_forward,
                                shape=_backprop_input_shape, grad=_backprop_input_grad)
Conv2DBackpropFilter = define_op("Conv2DBackpropFilter", forward=_backprop_filter_forward,
                                 shape=_backprop_filter_shape, grad=_backprop_filter_grad)


def nhwc_window(values, what):
    """A window or stride argument as the NHWC 4-tuple (1, h, w, 1); an int or an (h, w)
    pair is accepted too. Every entry must be a positive integer."""
    values = [values] * 2 if isinstance(values, int) else list(values)
    if len(values) == 2:
        values = [1] + values + [1]
    if len(values) != 4 or values[0] != 1 or values[3] != 1:
        raise ValueError(f"{what} must be [1, h, w, 1] for NHWC, got {values}")
    if any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1
           for v in values):
        raise ValueError(f"{what} must be positive integers, got {values}")
    return tuple(int(v) for v in values)


def conv2d(input, filter=None, strides=(1, 1, 1, 1), padding="SAME", name=None,
           use_cudnn_on_gpu=True, data_format="NHWC", filters=None):
    """Cross-correlate an NHWC `input` with an HWIO `filter` (TF1's tf.nn.conv2d)."""
    if data_format != "NHWC":
        raise ValueError("only data_format='NHWC' is supported")
    filter = filters if filter is None else filter
    x = ag.convert_to_tensor(input)
    f = ag.convert_to_tensor(filter, x.dtype)
    with Conv2D.checking([x, f], name):
        strides, padding = nhwc_window(strides, "strides"), check_padding(padding)
    out, _ = Conv2D(x, f, strides=strides, padding=padding, name=name)
    return out


def bias_add(value, bias, name=None):
    """value + bias, with bias a vector added along the last (channel) axis."""
    value = ag.convert_to_tensor(value)
    bias = ag.convert_to_tensor(bias, value.dtype)
    if bias.shape is not None and len(bias.shape) != 1:
        raise ValueError(f"bias must be a vector, got shape {ag.shapes.fmt(bias.shape)}")
    if value.shape is not None and bias.shape is not None and value.shape[-1] is not None \
            and bias.shape[0] is not None and value.shape[-1] != bias.shape[0]:
        raise ValueError(f"bias of size {bias.shape[0]} does not match the last dimension of "
                         f"{ag.shapes.fmt(value.shape)}")
    return ag.add(value, bias, name=name or "BiasAdd")
