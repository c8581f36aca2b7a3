"""relu(x + bias) compiled by numba (see autograd.compiled and autograd.fusions): one pass
that reads x once and writes the result once, where numpy's add and maximum stream the
activation through memory twice. Rows run in parallel (prange). NaN stays NaN, as numpy's
maximum keeps it. This module imports numba: nn.activations imports it only where
autograd.compiled.available().
"""
import numpy as np
from numba import prange

from autograd import compiled

parallel = compiled.jit(parallel=True, exact=True)   # numpy's bits: an add, a compare

ROWS_PER_TASK = 64   # rows of one parallel task: a few thousand values, not one short row


@parallel
def _bias_relu(x, bias, out):
    rows, channels = x.shape
    for task in prange((rows + ROWS_PER_TASK - 1) // ROWS_PER_TASK):
        for r in range(task * ROWS_PER_TASK, min(rows, (task + 1) * ROWS_PER_TASK)):
            source, target = x[r], out[r]
            for c in range(channels):
                value = source[c] + bias[c]
                target[c] = value if value > 0 or value != value else 0


def bias_relu(ctx, x, bias):
    """The fused Add -> Relu step's kernel for x (..., C) plus a bias (C,)."""
    rows = np.ascontiguousarray(x).reshape(-1, x.shape[-1])
    out = np.empty(rows.shape, x.dtype)
    compiled.call(_bias_relu, ctx.threads, rows, bias, out)
    return out.reshape(x.shape)
