"""Direct convolution kernels, compiled by numba (see autograd.compiled): for few channels
they beat im2col, whose copies and narrow matrix products dominate there.

All three kernels share one layout per image, built so that every inner loop runs over a
long contiguous range (which the compiler vectorises):
- the padded input split into stride phases, one plane per channel and phase:
  planes[c, a % sh, b % sw, r, u] = padded[r*sh + a % sh, u*sw + b % sw, c];
- a flat output index m = i*width + j with the planes' row width (width >= ow, the extra
  columns are computed and dropped, or hold zeros on the way back).
Tap (a, b) of output pixel (i, j) is then plane (a % sh, b % sw) at flat position
m + (a // sh)*width + b // sw, the same offset for every pixel: a convolution is, per tap,
channel and filter, one `acc[o, :] += w * plane[offset:offset + L]`.

Each kernel runs over the batch in parallel (prange), images independent. This module
imports numba: nn.conv imports it only where autograd.compiled.available().
"""
import numpy as np
from numba import prange

from autograd import compiled

from .conv import window_shares
from .windows import Geometry

serial, parallel = compiled.jit(), compiled.jit(parallel=True)


@serial
def _plane_geometry(kh, kw, sh, sw, oh, ow):
    """(rows, width) of each phase plane: enough for every tap of every output pixel, plus
    one row so that the flat ranges of the dropped columns stay inside the plane."""
    return oh + (kh - 1) // sh + 1, ow + (kw - 1) // sw


@serial
def _fill_planes(image, planes, top, left, sh, sw):
    """planes[c, pa, pb, r, u] = image (padded by top/left zeros) at (r*sh + pa, u*sw + pb)."""
    h, w, channels = image.shape
    _, _, _, rows, width = planes.shape
    planes[:] = 0
    for pa in range(sh):
        for r in range(rows):
            y = r * sh + pa - top
            if y < 0 or y >= h:
                continue
            for pb in range(sw):
                for u in range(width):
                    x = u * sw + pb - left
                    if x < 0 or x >= w:
                        continue
                    for c in range(channels):
                        planes[c, pa, pb, r, u] = image[y, x, c]


@parallel
def conv_forward(x, f, sh, sw, top, left, out):
    """out (N, OH, OW, O) = x (N, H, W, C) correlated with f (KH, KW, C, O)."""
    n_images, h, w, channels = x.shape
    kh, kw, _, filters = f.shape
    _, oh, ow, _ = out.shape
    rows, width = _plane_geometry(kh, kw, sh, sw, oh, ow)
    span = oh * width
    for n in prange(n_images):
        planes = np.empty((channels, sh, sw, rows, width), x.dtype)
        _fill_planes(x[n], planes, top, left, sh, sw)
        flat = planes.reshape(channels, sh, sw, rows * width)
        acc = np.zeros((filters, span), x.dtype)
        for a in range(kh):
            for b in range(kw):
                offset = (a // sh) * width + b // sw
                for c in range(channels):
                    source = flat[c, a % sh, b % sw, offset:offset + span]
                    for o in range(filters):
                        weight = f[a, b, c, o]
                        row = acc[o]
                        for m in range(span):
                            row[m] += weight * source[m]
        for i in range(oh):
            for j in range(ow):
                for o in range(filters):
                    out[n, i, j, o] = acc[o, i * width + j]


@serial
def _dy_planes(dy_image, width, dtype):
    """dy (OH, OW, O) as (O, OH*width), zero in the dropped columns."""
    oh, ow, filters = dy_image.shape
    planar = np.zeros((filters, oh * width), dtype)
    for i in range(oh):
        for j in range(ow):
            for o in range(filters):
                planar[o, i * width + j] = dy_image[i, j, o]
    return planar


@parallel
def conv_filter_grad(x, dy, kh, kw, sh, sw, top, left, partial):
    """partial[n] (KH, KW, C, O) = image n's share of dW; the caller sums over n."""
    n_images, h, w, channels = x.shape
    _, oh, ow, filters = dy.shape
    rows, width = _plane_geometry(kh, kw, sh, sw, oh, ow)
    span = oh * width
    for n in prange(n_images):
        planes = np.empty((channels, sh, sw, rows, width), x.dtype)
        _fill_planes(x[n], planes, top, left, sh, sw)
        flat = planes.reshape(channels, sh, sw, rows * width)
        planar = _dy_planes(dy[n], width, x.dtype)
        for a in range(kh):
            for b in range(kw):
                offset = (a // sh) * width + b // sw
                for c in range(channels):
                    source = flat[c, a % sh, b % sw, offset:offset + span]
                    for o in range(filters):
                        grad = planar[o]
                        total = source[0] * grad[0]
                        for m in range(1, span):
                            total += source[m] * grad[m]
                        partial[n, a, b, c, o] = total


@parallel
def conv_input_grad(dy, f, sh, sw, top, left, dx):
    """dx (N, H, W, C) for y = conv(x, f): each tap adds w * dy back where it read x."""
    n_images, h, w, channels = dx.shape
    kh, kw, _, filters = f.shape
    _, oh, ow, _ = dy.shape
    rows, width = _plane_geometry(kh, kw, sh, sw, oh, ow)
    span = oh * width
    for n in prange(n_images):
        planar = _dy_planes(dy[n], width, dx.dtype)
        planes = np.zeros((channels, sh, sw, rows * width), dx.dtype)
        for a in range(kh):
            for b in range(kw):
                offset = (a // sh) * width + b // sw
                for c in range(channels):
                    target = planes[c, a % sh, b % sw, offset:offset + span]
                    for o in range(filters):
                        weight = f[a, b, c, o]
                        grad = planar[o]
                        for m in range(span):
                            target[m] += weight * grad[m]
        for y in range(h):
            r, pa = divmod(y + top, sh)
            for x in range(w):
                u, pb = divmod(x + left, sw)
                inside = r < rows and u < width   # else no window reads it (VALID's rest)
                for c in range(channels):
                    dx[n, y, x, c] = planes[c, pa, pb, r * width + u] if inside else 0


@parallel
def _add_back(shares, sh, sw, top, left, dx):
    """dx (N, H, W, C) = the sum of each window's shares (N, OH, OW, KH, KW, C) over the
    cells it covers: col2im, one pass over the shares instead of one per window offset."""
    n, oh, ow, kh, kw, channels = shares.shape
    _, h, w, _ = dx.shape
    for image in prange(n):
        dx[image] = 0
        for i in range(oh):
            for j in range(ow):
                for a in range(kh):
                    y = i * sh + a - top
                    if y < 0 or y >= h:
                        continue
                    for b in range(kw):
                        u = j * sw + b - left
                        if u < 0 or u >= w:
                            continue
                        target, share = dx[image, y, u], shares[image, i, j, a, b]
                        for c in range(channels):
                            target[c] += share[c]


# -- the ops' kernels: the numpy kernels' signatures, for nn.conv's `specialize` ---------
def forward(ctx, x, f, strides, padding):
    g = Geometry(x.shape, f.shape[:2], strides, padding)
    out = np.empty((x.shape[0], g.oh, g.ow, f.shape[3]), dtype=x.dtype)
    compiled.call(conv_forward, ctx.threads, x, f, g.sh, g.sw, g.pads_h[0], g.pads_w[0],
                  out)
    return out


def backprop_filter(ctx, x, filter_sizes, dy, strides, padding):
    kh, kw, c, o = (int(d) for d in filter_sizes)
    g = Geometry(x.shape, (kh, kw), strides, padding)
    partial = np.empty((x.shape[0], kh, kw, c, o), dtype=x.dtype)
    compiled.call(conv_filter_grad, ctx.threads, x, dy, kh, kw, g.sh, g.sw, g.pads_h[0],
                  g.pads_w[0], partial)
    return partial.sum(axis=0)


def backprop_input(ctx, input_sizes, f, dy, strides, padding):
    shape = tuple(int(d) for d in input_sizes)
    g = Geometry(shape, f.shape[:2], strides, padding)
    dx = np.empty(shape, dtype=dy.dtype)
    compiled.call(conv_input_grad, ctx.threads, dy, f, g.sh, g.sw, g.pads_h[0],
                  g.pads_w[0], dx)
    return dx


def backprop_input_by_columns(ctx, input_sizes, f, dy, strides, padding):
    """dx as numpy's col2im kernel computes it (BLAS's dy @ filter^T), with the adds back
    compiled: half its time where many channels make the shares large."""
    shape = tuple(int(d) for d in input_sizes)
    g = Geometry(shape, f.shape[:2], strides, padding)
    dx = np.empty(shape, dtype=dy.dtype)

    def add_back(part, shares):
        compiled.call(_add_back, ctx.threads, shares, g.sh, g.sw, g.pads_h[0], g.pads_w[0],
                      dx[part])
    window_shares(ctx, g, f, dy, shape[3], add_back)
    return dx
