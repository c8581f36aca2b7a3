"""Sliding windows over NHWC images, shared by convolution and pooling: TF's SAME/VALID
arithmetic, strided window views, and im2col in chunks of a bounded size.

im2col copies every window into a row of a matrix (one row per output pixel), so that a
convolution becomes one matrix product. Copying all windows at once multiplies the image
by the window size (25x for 5x5) and sends it through main memory; copying a few images
at a time into one reused buffer keeps the copy in the cache and the memory bounded:
`chunk_images` sizes the chunks from a byte budget (the session's `workspace_bytes`).
"""
import threading

import numpy as np
from numpy.lib.stride_tricks import as_strided

_scratch = threading.local()

# ONNX's images are NCHW: conv and pool lowerings transpose ours in and out
NHWC_TO_NCHW, NCHW_TO_NHWC = [0, 3, 1, 2], [0, 2, 3, 1]


def onnx_padding(padding):
    """ONNX's auto_pad for TF's padding: SAME puts the odd pixel at the end (SAME_UPPER)."""
    return {"auto_pad": "SAME_UPPER" if padding == "SAME" else "VALID"}




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


class Geometry:
    """One convolution's window arithmetic: kernel, strides, output size and padding."""

    __slots__ = ("kh", "kw", "sh", "sw", "oh", "ow", "pads_h", "pads_w")

    def __init__(self, x_shape, kernel, strides, padding):
        _, h, w, _ = x_shape
        self.kh, self.kw = kernel
        self.sh, self.sw = strides[1], strides[2]
        self.oh, self.pads_h = conv_output_size(h, self.kh, self.sh, padding)
        self.ow, self.pads_w = conv_output_size(w, self.kw, self.sw, padding)


def scratch(name, size, dtype):
    """A flat array of at least `size` elements for this thread, kept between calls (so
    chunked kernels allocate nothing once warm; each thread has its own)."""
    buffers = _scratch.__dict__
    dtype = np.dtype(dtype)
    found = buffers.get((name, dtype))
    if found is None or found.size < size:
        found = buffers[(name, dtype)] = np.empty(size, dtype)
    return found[:size]


def chunk_images(count, bytes_per_image, budget):
    """Slices of at most budget / bytes_per_image images (at least one) covering count."""
    step = max(1, int(budget // max(bytes_per_image, 1)))
    return [slice(start, min(start + step, count)) for start in range(0, count, step)]


def columns(x, geometry, buffer=None):
    """The im2col matrix (N*OH*OW, KH*KW*C) of x (N, H, W, C): one row per output pixel,
    written into `buffer` (a flat array at least that large) when one is given."""
    g = geometry
    xp = pad_spatial(x, g.pads_h, g.pads_w)
    n, c = x.shape[0], x.shape[3]
    rows, width = n * g.oh * g.ow, g.kh * g.kw * c
    if g.kw * c >= g.ow:
        view = windows(xp, g.kh, g.kw, g.sh, g.sw, g.oh, g.ow)
        if buffer is None:
            return view.reshape(rows, width)
        out = buffer[:rows * width].reshape(n, g.oh, g.ow, g.kh, g.kw, c)
        np.copyto(out, view)
        return out.reshape(rows, width)
    # NOTE: with few channels (a first layer has one) a window row is only kw*c values,
    # and copying such short runs is slow; gathering offset by offset copies whole image
    # rows instead. The transposed result is what matmul wants anyway.
    s = xp.strides
    by_offset = as_strided(xp, (g.kh, g.kw, c, n, g.oh, g.ow),
                           (s[1], s[2], s[3], s[0], s[1] * g.sh, s[2] * g.sw), writeable=False)
    if buffer is None:
        return by_offset.reshape(width, rows).T
    out = buffer[:rows * width].reshape(g.kh, g.kw, c, n, g.oh, g.ow)
    np.copyto(out, by_offset)
    return out.reshape(width, rows).T
