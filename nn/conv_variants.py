"""The other convolutions TF1 programs use, composed from conv2d and its input gradient:
conv1d, conv2d_transpose, atrous_conv2d (dilated), depthwise_conv2d and
separable_conv2d. Being compositions of differentiable ops, each has its gradient (and
second derivative) for free.
"""
import numpy as np

import autograd as ag

from .conv import Conv2DBackpropInput, conv2d
from .windows import check_padding, nhwc_window


def conv1d(value=None, filters=None, stride=1, padding="SAME", use_cudnn_on_gpu=None,
           data_format="NWC", name=None, input=None, dilations=None):
    """Convolve [batch, width, in] with [width, in, out] filters: conv2d on a height of
    one, as TF1 computes it."""
    value = input if value is None else value
    if data_format != "NWC":
        raise ValueError("only data_format='NWC' is supported")
    with ag.name_scope(name or "conv1d"):
        images = ag.expand_dims(ag.convert_to_tensor(value), 1)
        kernels = ag.expand_dims(ag.convert_to_tensor(filters), 0)
        stride = stride if isinstance(stride, int) else int(list(stride)[-2])
        rate = 1 if dilations is None else (dilations if isinstance(dilations, int)
                                            else int(list(dilations)[-2]))
        if rate > 1:
            kernels = _dilated(kernels, rate)
        return ag.squeeze(conv2d(images, kernels, [1, 1, stride, 1], padding), [1])


def conv2d_transpose(value, filter=None, output_shape=None, strides=None, padding="SAME",
                     data_format="NHWC", name=None, filters=None):
    """The transpose of conv2d (the gradient of conv2d with respect to its input): from
    [batch, h, w, out] to `output_shape` [batch, H, W, in], with an [kh, kw, in, out]
    filter. A learned upsampling, as in autoencoders and GAN generators."""
    filter = filters if filter is None else filter
    if data_format != "NHWC":
        raise ValueError("only data_format='NHWC' is supported")
    value = ag.convert_to_tensor(value)
    f = ag.convert_to_tensor(filter, value.dtype)
    with Conv2DBackpropInput.checking([value, f], name):
        strides, padding = nhwc_window(strides, "strides"), check_padding(padding)
        if f.shape is not None and value.shape is not None and f.shape[3] is not None \
                and value.shape[3] is not None and f.shape[3] != value.shape[3]:
            raise ValueError(f"the filter's out channels ({f.shape[3]}) must match the "
                             f"value's channels ({value.shape[3]})")
    sizes = ag.convert_to_tensor(output_shape, ag.int32) if not isinstance(
        output_shape, (list, tuple)) else ag.convert_to_tensor(
        [ag.cast(d, ag.int32) if hasattr(d, "op") else int(d) for d in output_shape])
    return Conv2DBackpropInput(sizes, f, value, strides=strides, padding=padding,
                               name=name or "conv2d_transpose")


def _dilated(filters, rate):
    """`filters` [kh, kw, in, out] with rate - 1 zeros between taps along height and
    width: [kh + (kh-1)(rate-1), kw + (kw-1)(rate-1), in, out] (composed of pad and
    reshape, so it has a gradient)."""
    for axis in (0, 1):
        size = filters.shape[axis]
        moved = ag.expand_dims(filters, axis + 1)                  # a new axis after taps
        pads = [[0, 0]] * 5
        pads[axis + 1] = [0, rate - 1]
        spaced = ag.pad(moved, pads)                                # taps, then zeros
        dims = [d for d in filters.shape]
        dims[axis] = size * rate
        flat = ag.reshape(spaced, dims)
        begin, keep = [0, 0, 0, 0], [-1, -1, -1, -1]
        keep[axis] = size + (size - 1) * (rate - 1)
        filters = ag.slice(flat, begin, keep)
    return filters


def atrous_conv2d(value, filters, rate, padding, name=None):
    """Dilated convolution: the filter's taps `rate` pixels apart, stride 1 (TF1's
    atrous_conv2d); the same as conv2d with zeros inserted into the filter."""
    if int(rate) < 1:
        raise ValueError(f"rate must be >= 1, got {rate}")
    with ag.name_scope(name or "atrous_conv2d"):
        filters = ag.convert_to_tensor(filters)
        if filters.shape is None or None in filters.shape:
            raise ValueError("atrous_conv2d needs a filter of known shape")
        kernels = _dilated(filters, int(rate)) if int(rate) > 1 else filters
        return conv2d(value, kernels, [1, 1, 1, 1], padding)


def _block_diagonal(filters):
    """A depthwise filter [kh, kw, in, mult] as a full conv2d filter [kh, kw, in,
    in * mult] that is zero between different channels."""
    kh, kw, channels, mult = filters.shape
    eye = ag.constant(np.eye(channels, dtype=filters.dtype))
    full = ag.expand_dims(filters, 3) * ag.reshape(eye, [1, 1, channels, channels, 1])
    return ag.reshape(full, [kh, kw, channels, channels * mult])


def depthwise_conv2d(input, filter, strides, padding, rate=None, name=None,
                     data_format="NHWC", dilations=None):
    """Each input channel convolved with its own `channel_multiplier` filters: [kh, kw,
    in, mult] filters give in * mult output channels (channel c's outputs first)."""
    if data_format != "NHWC":
        raise ValueError("only data_format='NHWC' is supported")
    with ag.name_scope(name or "depthwise"):
        filters = ag.convert_to_tensor(filter)
        if filters.shape is None or None in filters.shape:
            raise ValueError("depthwise_conv2d needs a filter of known shape")
        rate = rate or dilations
        rate = 1 if rate is None else int(list(rate)[0] if not isinstance(rate, int) else rate)
        full = _block_diagonal(filters)
        if rate > 1:
            full = _dilated(full, rate)
        return conv2d(input, full, strides, padding)


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding, rate=None,
                     name=None, data_format="NHWC", dilations=None):
    """A depthwise convolution followed by a 1x1 convolution mixing the channels."""
    with ag.name_scope(name or "separable_conv2d"):
        depthwise = depthwise_conv2d(input, depthwise_filter, strides, padding, rate,
                                     data_format=data_format, dilations=dilations)
        return conv2d(depthwise, pointwise_filter, [1, 1, 1, 1], "VALID")
