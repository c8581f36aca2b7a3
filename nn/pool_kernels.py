"""Max pooling and its gradient, compiled by numba (see autograd.compiled).

The numpy kernels take one whole-array pass per window offset (four for 2x2: a
comparison, a maximum and a winner update each); these take one pass over the input,
each window's channels in a contiguous inner loop, parallel over the batch (prange).
They keep the numpy kernels' meaning exactly: padding cells lose every comparison, the
first maximum wins ties, NaN loses to everything (as -inf) but comes back where it won,
and `winner` holds the row-major offset of the winning cell. This module imports numba:
nn.pool imports it only where autograd.compiled.available().
"""
import numpy as np
from numba import prange

from autograd import compiled

from .pool import _Windows

parallel = compiled.jit(parallel=True)


@parallel
def _max_pool(x, kh, kw, sh, sw, top, left, best, winner):
    n, h, w, channels = x.shape
    _, oh, ow, _ = best.shape
    for image in prange(n):
        keys = np.empty(channels, x.dtype)   # the running maxima, NaN read as -inf
        for i in range(oh):
            for j in range(ow):
                out, won = best[image, i, j], winner[image, i, j]
                for c in range(channels):
                    keys[c], out[c], won[c] = -np.inf, -np.inf, 0
                for a in range(kh):
                    y = i * sh + a - top
                    for b in range(kw):
                        u = j * sw + b - left
                        if y < 0 or y >= h or u < 0 or u >= w:
                            continue   # a padding cell: -inf, which wins nothing
                        cells, index = x[image, y, u], a * kw + b
                        for c in range(channels):
                            value = cells[c]
                            key = value if value == value else -np.inf
                            if index == 0 or key > keys[c]:
                                keys[c], out[c], won[c] = key, value, index


@parallel
def _max_pool_grad(dy, winner, kh, kw, sh, sw, top, left, dx):
    n, oh, ow, channels = dy.shape
    _, h, w, _ = dx.shape
    for image in prange(n):
        dx[image] = 0
        for i in range(oh):
            for j in range(ow):
                grads, won = dy[image, i, j], winner[image, i, j]
                for a in range(kh):
                    y = i * sh + a - top
                    for b in range(kw):
                        u = j * sw + b - left
                        if y < 0 or y >= h or u < 0 or u >= w:
                            continue   # a padding cell: the gradient sent there is dropped
                        target, index = dx[image, y, u], a * kw + b
                        for c in range(channels):
                            target[c] += grads[c] if won[c] == index else 0


# -- the ops' kernels: the numpy kernels' signatures, for nn.pool's `specialize` ---------
def max_pool(ctx, x, ksize, strides, padding):
    g = _Windows(x.shape, ksize, strides, padding)
    shape = (x.shape[0], g.oh, g.ow, x.shape[3])
    best, winner = np.empty(shape, x.dtype), np.empty(shape, np.uint8)
    compiled.call(_max_pool, ctx.threads, x, g.kh, g.kw, g.sh, g.sw, g.pads_h[0],
                  g.pads_w[0], best, winner)
    return best, winner


def max_pool_grad(ctx, input_sizes, dy, winner, ksize, strides, padding):
    shape = tuple(int(d) for d in input_sizes)
    g = _Windows(shape, ksize, strides, padding)
    dx = np.empty(shape, dy.dtype)
    compiled.call(_max_pool_grad, ctx.threads, dy, winner, g.kh, g.kw, g.sh, g.sw, g.pads_h[0],
                  g.pads_w[0], dx)
    return dx
