"""Optimizer updates compiled by numba (see autograd.compiled): one pass over the arrays.

numpy spells Adam's update as a dozen whole-array steps, each streaming two arrays in and
one out; on a large layer the update is bound by memory, so doing every step for one
element before moving to the next reads each array once. The arithmetic is the numpy
kernel's, in its order and dtypes, without fast math: the same bits, so that whichever
kernel an op's trial keeps, training takes the same path. This module imports numba:
optim.optimizers imports it only where autograd.compiled.available().
"""
import numpy as np

from autograd import compiled

exact = compiled.jit(exact=True)


@exact
def _adam(var, m, v, grad, alpha, keep1, keep2, eps, var_out, m_out, v_out):
    for k in range(var.size):
        g, m_old, v_old = grad[k], m[k], v[k]
        m_new = (g - m_old) * keep1 + m_old
        v_new = (g * g - v_old) * keep2 + v_old
        m_out[k], v_out[k] = m_new, v_new
        var_out[k] = var[k] - m_new / (np.sqrt(v_new) + eps) * alpha


def adam(var, m, v, beta1_power, beta2_power, lr, grad, beta1, beta2, epsilon):
    """ResourceApplyAdam's kernel, the numpy one's signature (optim.optimizers)."""
    dtype = grad.dtype.type   # every scalar in the arrays' dtype: no float64 promotion
    alpha = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
    outs = [access.buffer() for access in (var, m, v)]
    compiled.run(_adam, *(np.ravel(a) for a in (var.read(), m.read(), v.read(), grad)),
                 dtype(alpha), 1 - dtype(beta1), 1 - dtype(beta2), dtype(epsilon),
                 *(out.reshape(-1) for out in outs))
    for access, out in zip((var, m, v), outs):
        access.write(out)
