"""2-D convolution (NHWC input, HWIO filter) with TF's SAME/VALID padding arithmetic.

Each kernel is im2col plus matrix products, a few images at a time so that the columns
stay in the cache and the memory stays bounded (see nn.windows):
- forward: columns(x) @ filter, chunk by chunk, into the output;
- filter gradient: the sum over chunks of columns(x)^T @ dy;
- input gradient, chosen by shape: with many input channels, dy @ filter^T gives each
  output pixel's contribution to its window (one wide matmul), added back window offset
  by window offset (col2im, in cache-sized chunks). With few channels those adds would be
  tiny and many, so a transposed convolution is used instead: for stride s the input
  pixels split into s*s phases, each a stride-1 correlation of dy with a sub-filter
  (every s-th tap, flipped); all phases share one im2col of dy and one matmul per chunk.
"""
import functools

import numpy as np

import autograd as ag
from autograd import define_op

from .windows import (NCHW_TO_NHWC, NHWC_TO_NCHW, Geometry, check_padding, chunk_images,
                      columns, conv_output_size, nhwc_window, onnx_padding, scratch, windows)


COL2IM_CHUNK_BYTES = 3 << 20  # col2im's adds revisit their chunk k*k times: keep it in L2/L3


def _parts(ctx, count, bytes_per_image, most=None):
    """The chunks of images whose scratch fits the session's workspace (and `most` bytes)."""
    return chunk_images(count, bytes_per_image, min(ctx.workspace_bytes,
                                                    most or ctx.workspace_bytes))


def _conv_forward(ctx, x, f, strides, padding):
    g = Geometry(x.shape, f.shape[:2], strides, padding)
    n, o = x.shape[0], f.shape[3]
    weights = f.reshape(-1, o)
    out = np.empty((n, g.oh, g.ow, o), dtype=x.dtype)
    flat, pixels = out.reshape(-1, o), g.oh * g.ow

    def chunk(part):
        cols = columns(x[part], g, scratch("columns", (part.stop - part.start) * pixels *
                                           weights.shape[0], x.dtype))
        np.matmul(cols, weights, out=flat[part.start * pixels:part.stop * pixels])
    for part in _parts(ctx, n, pixels * weights.shape[0] * x.itemsize):
        chunk(part)
    return out


def _backprop_filter_forward(ctx, x, filter_sizes, dy, strides, padding):
    """dW = columns(x)^T . dy, summed over chunks of images."""
    f_shape = tuple(int(d) for d in filter_sizes)
    g = Geometry(x.shape, f_shape[:2], strides, padding)
    o, pixels, width = dy.shape[3], g.oh * g.ow, f_shape[0] * f_shape[1] * f_shape[2]
    flat_dy = dy.reshape(-1, o)

    def chunk(part):
        cols = columns(x[part], g, scratch("columns", (part.stop - part.start) * pixels *
                                           width, x.dtype))
        return cols.T @ flat_dy[part.start * pixels:part.stop * pixels]
    parts = _parts(ctx, x.shape[0], pixels * width * x.itemsize)
    grad = chunk(parts[0])
    for part in parts[1:]:
        np.add(grad, chunk(part), out=grad)
    return grad.reshape(f_shape)


def _subpixel_taps(f, th, tw, sh, sw):
    """The filter for all stride phases at once: (th*tw*o, sh*sw*c), where phase (a, b)
    uses taps f[a::sh, b::sw] flipped (window position i meets tap th - 1 - i)."""
    o, c = f.shape[3], f.shape[2]
    taps = np.zeros((th, tw, o, sh, sw, c), dtype=f.dtype)
    for a in range(sh):
        for b in range(sw):
            sub = f[a::sh, b::sw]
            taps[th - sub.shape[0]:, tw - sub.shape[1]:, :, a, b, :] = \
                sub[::-1, ::-1].transpose(0, 1, 3, 2)
    return taps.reshape(th * tw * o, sh * sw * c)


COL2IM_CHANNELS = 16  # from this many input channels on, col2im beats the phase correlation


def _backprop_input_forward(ctx, input_sizes, f, dy, strides, padding):
    """dx for y = conv2d(x, f), by col2im or by stride phases (see the module docstring)."""
    n, h, w, c = (int(d) for d in input_sizes)
    g = Geometry((n, h, w, c), f.shape[:2], strides, padding)
    if c >= COL2IM_CHANNELS:
        return _col2im_input_grad(ctx, (n, h, w, c), g, f, dy)
    return _phase_input_grad(ctx, (n, h, w, c), g, f, dy)


def _col2im_input_grad(ctx, shape, g, f, dy):
    """dx: each output pixel's dy @ filter^T is its window's share, added back in place."""
    n, h, w, c = shape
    dx = np.empty(shape, dtype=dy.dtype)
    padded_shape = (h + sum(g.pads_h), w + sum(g.pads_w), c)

    def add_back(part, shares):
        dxp = scratch("padded dx", len(shares) * int(np.prod(padded_shape)), dy.dtype)
        dxp = dxp.reshape((len(shares),) + padded_shape)
        dxp.fill(0)
        for i in range(g.kh):
            for j in range(g.kw):
                target = dxp[:, i:i + g.sh * (g.oh - 1) + 1:g.sh,
                             j:j + g.sw * (g.ow - 1) + 1:g.sw]
                np.add(target, shares[:, :, :, i, j], out=target)
        dx[part] = dxp[:, g.pads_h[0]:g.pads_h[0] + h, g.pads_w[0]:g.pads_w[0] + w]
    window_shares(ctx, g, f, dy, c, add_back)
    return dx


def window_shares(ctx, g, f, dy, c, add_back):
    """For cache-sized chunks of images: the shares dy @ filter^T that each output pixel
    sends back to its window, as (images, OH, OW, KH, KW, C), handed with the chunk's
    slice to `add_back` (numpy's adds above, or a compiled loop: nn.conv_kernels)."""
    o = dy.shape[3]
    spread = np.ascontiguousarray(f.reshape(-1, o).T)            # (o, kh * kw * c)
    for part in _parts(ctx, dy.shape[0], g.oh * g.ow * spread.shape[1] * dy.itemsize,
                       COL2IM_CHUNK_BYTES):
        k = part.stop - part.start
        shares = scratch("columns", k * g.oh * g.ow * spread.shape[1], dy.dtype)
        shares = np.matmul(dy[part].reshape(-1, o), spread,
                           out=shares.reshape(-1, spread.shape[1]))
        add_back(part, shares.reshape(k, g.oh, g.ow, g.kh, g.kw, c))


def _phase_input_grad(ctx, shape, g, f, dy):
    """dx for y = conv2d(x, f): every stride phase at once, as one correlation.

    Input pixel (s*u + a, s*v + b) receives sum_k,l dy[u - k, v - l] . f[a + s*k, b + s*l]:
    a stride-1 correlation of dy with the sub-filter f[a::s, b::s]. Zero-padding every
    sub-filter to the same number of taps lets one im2col of dy and one matmul (with the
    s*s sub-filters side by side) compute all phases; a reshape interleaves them.
    """
    n, h, w, c = shape
    sh, sw, o = g.sh, g.sw, dy.shape[3]
    th, tw = -(-g.kh // sh), -(-g.kw // sw)                                # taps per phase
    rows, cols = -(-(h + sum(g.pads_h)) // sh), -(-(w + sum(g.pads_w)) // sw)  # pixels/phase
    hh, ww = min(g.oh, rows), min(g.ow, cols)
    taps = _subpixel_taps(f, th, tw, sh, sw)
    dx = np.empty((n, h, w, c), dtype=dy.dtype)
    padded_shape = (rows + th - 1, cols + tw - 1, o)

    def chunk(part):
        k = part.stop - part.start
        padded = scratch("padded dy", k * int(np.prod(padded_shape)), dy.dtype)
        padded = padded.reshape((k,) + padded_shape)
        padded.fill(0)
        padded[:, th - 1:th - 1 + hh, tw - 1:tw - 1 + ww, :] = dy[part, :hh, :ww, :]
        view = windows(padded, th, tw, 1, 1, rows, cols)
        window_rows = scratch("columns", view.size, dy.dtype).reshape(view.shape)
        np.copyto(window_rows, view)
        phases = window_rows.reshape(k * rows * cols, -1) @ taps
        if sh == sw == 1:
            dxp = phases.reshape(k, rows, cols, c)
        else:
            dxp = phases.reshape(k, rows, cols, sh, sw, c).transpose(0, 1, 3, 2, 4, 5)
            dxp = dxp.reshape(k, rows * sh, cols * sw, c)
        dx[part] = dxp[:, g.pads_h[0]:g.pads_h[0] + h, g.pads_w[0]:g.pads_w[0] + w, :]
    for part in _parts(ctx, n, rows * cols * taps.shape[0] * dy.itemsize):
        chunk(part)
    return dx


def _conv_shape(x, f, strides, padding):
    if x.dtype != f.dtype:
        raise TypeError(f"input ({x.dtype.name}) and filter ({f.dtype.name}) dtypes differ")
    if x.shape is None or f.shape is None:
        return (None, None, None, None if f.shape is None else f.shape[3]), x.dtype
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
    return (x.shape[0], dims[0], dims[1], f.shape[3]), x.dtype


def _conv_grad(op, dy):
    """Both gradients are convolutions again: of dy with the filter (for x), and of x
    with dy (for the filter)."""
    x, f = op.inputs
    attrs = op.attrs
    return [Conv2DBackpropInput(ag.shape(x), f, dy, **attrs),
            Conv2DBackpropFilter(x, ag.shape(f), dy, **attrs)]


def _backprop_input_shape(input_sizes, f, dy, strides, padding):
    return ag.constant_value_as_shape(input_sizes) or (None,) * 4, dy.dtype


def _backprop_input_grad(op, ddx):
    """Linear in (filter, dy): d/d dy = conv2d(ddx, f), d/d f = filter grad of (ddx, dy)."""
    input_sizes, f, dy = op.inputs
    return [None, Conv2DBackpropFilter(ddx, ag.shape(f), dy, **op.attrs),
            Conv2D(ddx, f, **op.attrs)]


def _backprop_filter_shape(x, filter_sizes, dy, strides, padding):
    return ag.constant_value_as_shape(filter_sizes) or (None,) * 4, dy.dtype


def _backprop_filter_grad(op, ddf):
    """Linear in (x, dy): d/dx = input grad of (ddf, dy), d/d dy = conv2d(x, ddf)."""
    x, filter_sizes, dy = op.inputs
    return [Conv2DBackpropInput(ag.shape(x), ddf, dy, **op.attrs), None,
            Conv2D(x, ddf, **op.attrs)]


def _flops(pixels, filters):
    """2 x (pixels of y, or dy: batch x height x width) x (filter elements)."""
    return 2.0 * float(np.prod(pixels[:3])) * float(np.prod(filters))


def _conv_flops(inputs, outputs, strides, padding):
    return _flops(outputs[0], inputs[1])            # y from x and f


def _backprop_input_flops(inputs, outputs, strides, padding):
    return _flops(inputs[2], inputs[1])             # dx from f and dy


def _backprop_filter_flops(inputs, outputs, strides, padding):
    return _flops(inputs[2], outputs[0])            # df from x and dy


def _define(name, forward, shape, grad, flops, compiled):
    """A convolution op; with numba, its kernel is the fastest (measured on the op's first
    runs) of the numpy one and those of nn.conv_kernels named in `compiled`."""
    return define_op(name, forward=forward, shape=shape, grad=grad, context=True,
                     flops=flops, specialize=ag.compiled.specialized(forward, *[
                         functools.partial(_conv_kernel, kernel) for kernel in compiled]))


def _conv_kernel(name):
    from . import conv_kernels  # imports numba: only once a plan wants a compiled kernel
    return getattr(conv_kernels, name)


def _conv_to_tensorflow(b, op):
    b.node("Conv2D", op, T=b.type(op.inputs[0].dtype), strides=list(op.attrs["strides"]),
           padding=op.attrs["padding"], data_format="NHWC", dilations=[1, 1, 1, 1],
           use_cudnn_on_gpu=True)


def _conv_to_onnx(b, op):
    """ONNX convolves NCHW images with OIHW filters: the image is transposed in and out,
    a frozen filter once, at export (a fed one by a Transpose node)."""
    name, (image, filters) = op.name, b.inputs(op)
    frozen = b.frozen_value(op.inputs[1])
    if frozen is not None:
        weights = b.constant(b.name(name + "/filter_oihw"), np.transpose(frozen, [3, 2, 0, 1]))
    else:
        weights = b.node("Transpose", [filters], [b.name(name + "/filter_oihw")],
                         name + "/filter_oihw", perm=[3, 2, 0, 1])
    x = b.node("Transpose", [image], [b.name(name + "/nchw")], name + "/nchw",
               perm=NHWC_TO_NCHW)
    height, width = op.inputs[1].shape[:2]
    y = b.node("Conv", [x, weights], [b.name(name + "/conv")], name + "/conv",
               kernel_shape=[int(height), int(width)], strides=list(op.attrs["strides"][1:3]),
               **onnx_padding(op.attrs["padding"]))
    b.node("Transpose", [y], b.outputs(op)[:1], name, perm=NCHW_TO_NHWC)


Conv2D = _define("Conv2D", _conv_forward, _conv_shape, _conv_grad, _conv_flops,
                 ["forward"])
def _conv_from_tensorflow(op_def, node, inputs):
    """TF's Conv2D in NHWC without dilation (what TF1 programs build on a CPU)."""
    if node.data_format() != "NHWC":
        raise ValueError(f"data_format {node.data_format()!r}: only NHWC is supported")
    if any(d != 1 for d in node.attr("dilations", [1, 1, 1, 1])):
        raise ValueError(f"dilations {node.attr('dilations')}: only 1 is supported")
    padding = node.attr("padding")
    if padding == "EXPLICIT":
        raise ValueError("explicit paddings are not supported; use SAME or VALID")
    return conv2d(*inputs, strides=node.attr("strides"), padding=padding, name=node.name)


ag.export.register(Conv2D, tensorflow=_conv_to_tensorflow, onnx=_conv_to_onnx,
                   imports={"Conv2D": _conv_from_tensorflow})
Conv2DBackpropInput = _define("Conv2DBackpropInput", _backprop_input_forward,
                              _backprop_input_shape, _backprop_input_grad,
                              _backprop_input_flops,
                              ["backprop_input", "backprop_input_by_columns"])
Conv2DBackpropFilter = _define("Conv2DBackpropFilter", _backprop_filter_forward,
                               _backprop_filter_shape, _backprop_filter_grad,
                               _backprop_filter_flops, ["backprop_filter"])


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
    return Conv2D(x, f, strides=strides, padding=padding, name=name)


def xw_plus_b(x, weights, biases, name=None):
    """matmul(x, weights) + biases (TF1's dense layer in one call)."""
    with ag.name_scope(name or "xw_plus_b"):
        return bias_add(ag.matmul(x, weights), biases, name="xw_plus_b")


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
