"""Max and average pooling (NHWC), with TF's padding arithmetic.

Everything loops over the few offsets inside a window (4 for 2x2). For one offset (i, j),
the cells that every window holds there form one strided view of the (padded) input,
the same shape as the output, so each step is one whole-array numpy operation: no
transposes, no np.add.at, no loop over pixels.

Max pooling records, for each window, which offset held the maximum (the first one on
ties, as TF); the gradient then sends dy to those cells without recomputing anything.
"""
import numpy as np

import autograd as ag
from autograd import define_op

from .windows import (NCHW_TO_NHWC, NHWC_TO_NCHW, check_padding, conv_output_size,
                      nhwc_window, onnx_padding, pad_spatial)


class _Windows:
    """Pooling geometry for an input shape: output size, padding, and the offsets."""

    __slots__ = ("oh", "ow", "pads_h", "pads_w", "kh", "kw", "sh", "sw")

    def __init__(self, shape, ksize, strides, padding):
        _, h, w, _ = shape
        self.kh, self.kw, self.sh, self.sw = ksize[1], ksize[2], strides[1], strides[2]
        self.oh, self.pads_h = conv_output_size(h, self.kh, self.sh, padding)
        self.ow, self.pads_w = conv_output_size(w, self.kw, self.sw, padding)

    def offsets(self):
        return [(i, j) for i in range(self.kh) for j in range(self.kw)]

    def at(self, padded, i, j):
        """The cells every window holds at offset (i, j): a strided (N, OH, OW, C) view."""
        return padded[:, i:i + self.sh * (self.oh - 1) + 1:self.sh,
                      j:j + self.sw * (self.ow - 1) + 1:self.sw, :]

    def overlapping(self):
        return self.kh > self.sh or self.kw > self.sw

    def padded(self, x, fill):
        return pad_spatial(x, self.pads_h, self.pads_w, fill)

    def crop(self, padded, shape):
        _, h, w, _ = shape
        return padded[:, self.pads_h[0]:self.pads_h[0] + h, self.pads_w[0]:self.pads_w[0] + w]


def _pool_shape(x, ksize, strides, padding):
    if x.shape is None:
        return (None,) * 4, x.dtype
    if len(x.shape) != 4:
        raise ValueError(f"pooling needs a 4-D NHWC input, got {ag.shapes.fmt(x.shape)}")
    dims = [None if x.shape[i] is None else
            conv_output_size(x.shape[i], ksize[i], strides[i], padding)[0] for i in (1, 2)]
    return (x.shape[0], dims[0], dims[1], x.shape[3]), x.dtype


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


# -- max pooling ----------------------------------------------------------------------------
def _max_pool_forward(x, ksize, strides, padding):
    """The maximum of each window, and the offset where it was (uint8, row-major)."""
    if x.dtype.kind == "f" and np.isnan(x).any():
        # NOTE: TF's max ignores NaN (a comparison with NaN is false) unless a whole
        # window is NaN; as -inf they lose every comparison, and come back where they won
        best, winner = _max_pool_forward(np.where(np.isnan(x), -np.inf, x), ksize, strides,
                                         padding)
        g = _Windows(x.shape, ksize, strides, padding)
        for index, (i, j) in enumerate(g.offsets()):
            cells = g.at(g.padded(x, _lowest(x.dtype)), i, j)
            best = np.where((winner == index) & np.isnan(cells), np.nan, best)
        return best, winner
    g = _Windows(x.shape, ksize, strides, padding)
    padded = g.padded(x, _lowest(x.dtype))
    best = g.at(padded, 0, 0).copy()
    winner = np.zeros(best.shape, dtype=np.uint8)
    marks = np.empty(best.shape, dtype=np.uint8)
    for index, (i, j) in enumerate(g.offsets()[1:], start=1):
        cells = g.at(padded, i, j)
        better = np.greater(cells, best)   # strictly: the first maximum wins ties, as TF
        np.maximum(best, cells, out=best)
        # NOTE: offsets come in increasing order, so "winner = index where better" is
        # max(winner, better * index): two fast ufuncs (copyto with where= is 10x slower).
        np.multiply(better, index, out=marks, dtype=np.uint8)
        np.maximum(winner, marks, out=winner)
    return best, winner


def _max_pool_kernel(_ctx, x, ksize, strides, padding):
    """MaxPool's numpy kernel; the op takes a context for its compiled kernel's threads."""
    return _max_pool_forward(x, ksize, strides, padding)


def _max_pool_shape(x, ksize, strides, padding):
    shape, dtype = _pool_shape(x, ksize, strides, padding)
    return [(shape, dtype), (shape, ag.uint8)]


def _max_pool_grad_forward(_ctx, input_sizes, dy, winner, ksize, strides, padding):
    """dy goes to the cell that won each window; nothing else gets a gradient."""
    shape = tuple(int(d) for d in input_sizes)
    g = _Windows(shape, ksize, strides, padding)
    n, h, w, c = shape
    dxp = np.zeros((n, h + sum(g.pads_h), w + sum(g.pads_w), c), dtype=dy.dtype)
    for index, (i, j) in enumerate(g.offsets()):
        target = g.at(dxp, i, j)
        if g.overlapping():  # a cell can win several windows
            np.add(target, dy * (winner == index), out=target)
        else:  # each cell is at exactly one offset of one window: a plain write
            np.multiply(dy, winner == index, out=target)
    return g.crop(dxp, shape)


def _max_pool_grad_grad_forward(ddx, winner, ksize, strides, padding):
    """The adjoint of MaxPoolGrad in dy: each window picks ddx at its winning cell."""
    g = _Windows(ddx.shape, ksize, strides, padding)
    padded = g.padded(ddx, 0)
    out = np.zeros(winner.shape, dtype=ddx.dtype)
    for index, (i, j) in enumerate(g.offsets()):
        np.add(out, g.at(padded, i, j) * (winner == index), out=out)
    return out


def _max_pool_grad(op, dy, dwinner):
    """The gradient goes to the maximum of each window (the winners are not
    differentiable: they only tell where the maximum was)."""
    return [MaxPoolGrad(ag.shape(op.inputs[0]), dy, op.outputs[1], **op.attrs)]


def _max_pool_grad_shape(input_sizes, dy, winner, ksize, strides, padding):
    return ag.constant_value_as_shape(input_sizes) or (None,) * 4, dy.dtype


def _max_pool_grad_grad(op, ddx):
    return [None, MaxPoolGradGrad(ddx, op.inputs[2], **op.attrs), None]


def _max_pool_grad_grad_shape(ddx, winner, ksize, strides, padding):
    return winner.shape, ddx.dtype


def _max_pool_grad_grad_grad(op, d):
    ddx, winner = op.inputs
    return [MaxPoolGrad(ag.shape(ddx), d, winner, **op.attrs), None]


def _pool_to_tensorflow(tf_type):
    def to_tensorflow(b, op):
        b.node(tf_type, op, T=b.type(op.inputs[0].dtype), ksize=list(op.attrs["ksize"]),
               strides=list(op.attrs["strides"]), padding=op.attrs["padding"],
               data_format="NHWC")
    to_tensorflow.__name__ = f"{tf_type}_to_tensorflow"
    return to_tensorflow


def _pool_to_onnx(onnx_type, **extra):
    """ONNX pools NCHW images: transposed in and out."""
    def to_onnx(b, op):
        name = op.name
        x = b.node("Transpose", b.inputs(op), [b.name(name + "/nchw")], name + "/nchw",
                   perm=NHWC_TO_NCHW)
        y = b.node(onnx_type, [x], [b.name(name + "/pool")], name + "/pool",
                   kernel_shape=list(op.attrs["ksize"][1:3]),
                   strides=list(op.attrs["strides"][1:3]),
                   **onnx_padding(op.attrs["padding"]), **extra)
        b.node("Transpose", [y], b.outputs(op)[:1], name, perm=NCHW_TO_NHWC)
    to_onnx.__name__ = f"{onnx_type}_to_onnx"
    return to_onnx


def _pool_kernels():
    from . import pool_kernels  # imports numba: only once a plan wants a compiled kernel
    return pool_kernels


MaxPool = define_op("MaxPool", forward=_max_pool_kernel, shape=_max_pool_shape,
                    grad=_max_pool_grad, context=True, specialize=ag.compiled.specialized(
                        _max_pool_kernel, lambda: _pool_kernels().max_pool))
def _pool_from_tensorflow(op_def, node, inputs):
    if node.data_format() != "NHWC":
        raise ValueError(f"data_format {node.data_format()!r}: only NHWC is supported")
    return _pool(op_def, inputs[0], node.attr("ksize"), node.attr("strides"),
                 node.attr("padding"), node.name)


def _max_pool_from_tensorflow(op_def, node, inputs):
    return _pool_from_tensorflow(op_def, node, inputs)[0]


ag.export.register(MaxPool, tensorflow=_pool_to_tensorflow("MaxPool"),
                   onnx=_pool_to_onnx("MaxPool"), imports={"MaxPool": _max_pool_from_tensorflow})
MaxPoolGrad = define_op("MaxPoolGrad", forward=_max_pool_grad_forward,
                        shape=_max_pool_grad_shape, grad=_max_pool_grad_grad, context=True,
                        specialize=ag.compiled.specialized(
                            _max_pool_grad_forward, lambda: _pool_kernels().max_pool_grad))
MaxPoolGradGrad = define_op("MaxPoolGradGrad", forward=_max_pool_grad_grad_forward,
                            shape=_max_pool_grad_grad_shape, grad=_max_pool_grad_grad_grad)


# -- average pooling ------------------------------------------------------------------------
def _cell_counts(shape, g):
    """How many real (unpadded) cells each window covers: SAME averages only those."""
    ones = g.padded(np.ones((1, shape[1], shape[2], 1)), 0)
    return sum(g.at(ones, i, j) for i, j in g.offsets())


def _avg_pool_forward(x, ksize, strides, padding):
    g = _Windows(x.shape, ksize, strides, padding)
    padded = g.padded(x, 0)
    total = sum(g.at(padded, i, j) for i, j in g.offsets())
    return (total / _cell_counts(x.shape, g)).astype(x.dtype)


def _avg_pool_grad_forward(input_sizes, dy, ksize, strides, padding):
    shape = tuple(int(d) for d in input_sizes)
    g = _Windows(shape, ksize, strides, padding)
    share = (dy / _cell_counts(shape, g)).astype(dy.dtype)
    n, h, w, c = shape
    dxp = np.zeros((n, h + sum(g.pads_h), w + sum(g.pads_w), c), dtype=dy.dtype)
    for i, j in g.offsets():
        target = g.at(dxp, i, j)
        np.add(target, share, out=target)
    return g.crop(dxp, shape)


def _avg_pool_grad(op, dy):
    """Each cell of a window gets dy / (number of real cells in the window)."""
    return [AvgPoolGrad(ag.shape(op.inputs[0]), dy, **op.attrs)]


def _avg_pool_grad_shape(input_sizes, dy, ksize, strides, padding):
    return ag.constant_value_as_shape(input_sizes) or (None,) * 4, dy.dtype


def _avg_pool_grad_grad(op, ddx):
    return [None, AvgPool(ddx, **op.attrs)]


AvgPool = define_op("AvgPool", forward=_avg_pool_forward, shape=_pool_shape,
                    grad=_avg_pool_grad)
ag.export.register(AvgPool, tensorflow=_pool_to_tensorflow("AvgPool"),
                   onnx=_pool_to_onnx("AveragePool", count_include_pad=0),
                   imports={"AvgPool": _pool_from_tensorflow})
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
    pooled, _ = _pool(MaxPool, value, ksize, strides, padding, name)
    return pooled


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None):
    """Mean over each window; with SAME padding only the real cells are averaged."""
    return _pool(AvgPool, value, ksize, strides, padding, name)


# -- max pooling that also says where each maximum was --------------------------------------
def _argmax_shape(x, winner, ksize, strides, padding, output_type):
    return winner.shape, output_type


def _argmax_forward(x, winner, ksize, strides, padding, output_type):
    """The flat index ((y * width) + x) * channels + c of each window's maximum in its
    image (TF1's include_batch_in_index=False), from the winners' window offsets."""
    g = _Windows(x.shape, ksize, strides, padding)
    _, height, width, channels = x.shape
    rows = np.arange(g.oh)[None, :, None, None] * g.sh - g.pads_h[0]
    cols = np.arange(g.ow)[None, None, :, None] * g.sw - g.pads_w[0]
    y = rows + winner // g.kw
    x_at = cols + winner % g.kw
    c = np.arange(channels)[None, None, None, :]
    return ((y * width + x_at) * channels + c).astype(output_type)


PoolArgmax = define_op("MaxPoolArgmax", forward=_argmax_forward, shape=_argmax_shape)


def max_pool_with_argmax(input, ksize, strides, padding, data_format="NHWC",  # noqa: A002
                         Targmax=None, name=None, output_dtype=None,  # noqa: N803
                         include_batch_in_index=False):
    """(max_pool(input), argmax): with, for each output, the flat index of its maximum
    within its image, ((y * width) + x) * channels + c (the gradient flows through the
    pooled values)."""
    if include_batch_in_index:
        raise ValueError("include_batch_in_index=True is not supported")
    dtype = ag.dtypes.as_dtype(Targmax or output_dtype or ag.int64)
    with ag.name_scope(name or "MaxPoolWithArgmax"):
        value = ag.convert_to_tensor(input)
        pooled, winner = _pool(MaxPool, value, ksize, strides, padding, "MaxPool")
        attrs = winner.op.attrs
        return pooled, PoolArgmax(value, winner, output_type=dtype, **attrs)
