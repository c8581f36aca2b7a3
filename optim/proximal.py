"""The sparse-model optimizers of TF1: FTRL-Proximal, proximal gradient descent and
proximal Adagrad (L1 and L2 shrinkage applied in closed form after each step), and
Adagrad dual averaging. Each kernel's docstring is its update rule, as TF's docs give it.
"""
import numpy as np

import autograd as ag
from autograd import define_op

from .optimizer import Optimizer, update_shape
from .optimizers import _define_update, _scalar


def _shrink(prox, rate, l1, l2):
    """sign(prox) / (1 + rate l2) * max(|prox| - rate l1, 0): the proximal step of
    l1 |w| + l2 / 2 w^2."""
    return np.sign(prox) / (1 + rate * l2) * np.maximum(np.abs(prox) - rate * l1, 0)


# -- proximal gradient descent --------------------------------------------------------------
def _proximal_gd_forward(var, lr, grad, l1, l2):
    """prox = var - lr grad; var = sign(prox) / (1 + lr l2) max(|prox| - lr l1, 0)."""
    out = var.buffer()
    out[...] = _shrink(var.read() - lr * grad, lr, _scalar(l1, grad), _scalar(l2, grad))
    var.write(out)


ResourceApplyProximalGradientDescent = _define_update("ResourceApplyProximalGradientDescent",
                                                      _proximal_gd_forward)


class ProximalGradientDescentOptimizer(Optimizer):
    """Gradient descent followed by L1/L2 shrinkage (FOBOS)."""

    def __init__(self, learning_rate, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, use_locking=False,
                 name="ProximalGradientDescent"):
        super().__init__(learning_rate, name)
        self._l1, self._l2 = float(l1_regularization_strength), float(l2_regularization_strength)

    def _apply_dense(self, grad, var, lr):
        return ResourceApplyProximalGradientDescent(var.handle, lr, grad, l1=self._l1,
                                                    l2=self._l2)


# -- proximal Adagrad -----------------------------------------------------------------------
def _proximal_adagrad_forward(var, accum, lr, grad, l1, l2):
    """accum += grad^2; rate = lr / sqrt(accum); prox = var - rate grad;
    var = sign(prox) / (1 + rate l2) max(|prox| - rate l1, 0)."""
    a_out = accum.buffer()
    np.add(accum.read(), np.square(grad), out=a_out)
    accum.write(a_out)
    rate = lr / np.sqrt(a_out)
    out = var.buffer()
    out[...] = _shrink(var.read() - rate * grad, rate, _scalar(l1, grad), _scalar(l2, grad))
    var.write(out)


ResourceApplyProximalAdagrad = _define_update("ResourceApplyProximalAdagrad",
                                              _proximal_adagrad_forward)


class _AccumulatorStart:
    """Slots that start at `initial_accumulator_value` (Adagrad's habit) unless listed in
    `zero_slots`."""

    zero_slots = ()

    def _slot_initial_value(self, slot, var):
        if slot in self.zero_slots:
            return ag.zeros(list(var.shape), var.dtype)
        return ag.fill(list(var.shape), ag.constant(self._initial, var.dtype))


class ProximalAdagradOptimizer(_AccumulatorStart, Optimizer):
    """Adagrad's per-coordinate rate, followed by L1/L2 shrinkage."""

    slot_names = ("accumulator",)

    def __init__(self, learning_rate, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="ProximalAdagrad"):
        super().__init__(learning_rate, name)
        self._initial = float(initial_accumulator_value)
        self._l1, self._l2 = float(l1_regularization_strength), float(l2_regularization_strength)

    def _apply_dense(self, grad, var, lr):
        return ResourceApplyProximalAdagrad(var.handle, self._slot(var, "accumulator"), lr,
                                            grad, l1=self._l1, l2=self._l2)


# -- FTRL-Proximal --------------------------------------------------------------------------
def _ftrl_forward(var, accum, linear, lr, grad, l1, l2, lr_power):
    """new = accum + g^2; linear += g - (new^-p - accum^-p) / lr * var;
    quadratic = new^-p / lr + 2 l2; var = (sign(linear) l1 - linear) / quadratic where
    |linear| > l1, else 0; accum = new (p = lr_power, -0.5 by default)."""
    g, old = grad, accum.read()
    new = old + np.square(g)
    power = _scalar(-lr_power, g)
    l_out = linear.buffer()
    np.add(linear.read(), g - (new ** power - old ** power) / lr * var.read(), out=l_out)
    linear.write(l_out)
    quadratic = new ** power / lr + 2 * _scalar(l2, g)
    l1 = _scalar(l1, g)
    out = var.buffer()
    out[...] = np.where(np.abs(l_out) > l1, (np.sign(l_out) * l1 - l_out) / quadratic, 0)
    var.write(out)
    a_out = accum.buffer()
    a_out[...] = new
    accum.write(a_out)


ResourceApplyFtrl = _define_update("ResourceApplyFtrl", _ftrl_forward)


class FtrlOptimizer(_AccumulatorStart, Optimizer):
    """FTRL-Proximal (McMahan et al. 2013), the optimizer of TF1's linear models."""

    slot_names = ("accum", "linear")
    zero_slots = ("linear",)

    def __init__(self, learning_rate, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, use_locking=False, name="Ftrl",
                 accum_name=None, linear_name=None, l2_shrinkage_regularization_strength=0.0):
        super().__init__(learning_rate, name)
        if learning_rate_power > 0:
            raise ValueError(f"learning_rate_power must be <= 0, got {learning_rate_power}")
        if initial_accumulator_value <= 0:
            raise ValueError(f"initial_accumulator_value must be positive, got "
                             f"{initial_accumulator_value}")
        if l2_shrinkage_regularization_strength:
            raise ValueError("l2_shrinkage_regularization_strength is not supported")
        self._initial, self._power = float(initial_accumulator_value), float(learning_rate_power)
        self._l1, self._l2 = float(l1_regularization_strength), float(l2_regularization_strength)

    def _apply_dense(self, grad, var, lr):
        return ResourceApplyFtrl(var.handle, self._slot(var, "accum"), self._slot(var, "linear"),
                                 lr, grad, l1=self._l1, l2=self._l2, lr_power=self._power)


# -- Adagrad dual averaging -----------------------------------------------------------------
def _adagrad_da_forward(var, grad_sum, square_sum, step, lr, grad, l1, l2):
    """grad_sum += g; square_sum += g^2; t = grad_sum, shrunk by l1 * step when l1 > 0;
    var = -lr t / (l2 step lr + sqrt(square_sum))."""
    s_out, q_out = grad_sum.buffer(), square_sum.buffer()
    np.add(grad_sum.read(), grad, out=s_out)
    np.add(square_sum.read(), np.square(grad), out=q_out)
    grad_sum.write(s_out)
    square_sum.write(q_out)
    step = _scalar(step, grad)
    total = s_out
    if l1 > 0:
        total = np.sign(s_out) * np.maximum(np.abs(s_out) - _scalar(l1, grad) * step, 0)
    out = var.buffer()
    out[...] = -lr * total / (_scalar(l2, grad) * step * lr + np.sqrt(q_out))
    var.write(out)


def _adagrad_da_shape(var, grad_sum, square_sum, step, lr, grad, l1, l2):
    return update_shape(var, grad_sum, square_sum, lr, grad)


ResourceApplyAdagradDA = define_op("ResourceApplyAdagradDA", forward=_adagrad_da_forward,
                                   shape=_adagrad_da_shape, writes=(0, 1, 2))


class AdagradDAOptimizer(_AccumulatorStart, Optimizer):
    """Adagrad dual averaging (Duchi et al. 2011), for sparse linear models; needs the
    global step that minimize() increments."""

    slot_names = ("gradient_accumulator", "gradient_squared_accumulator")
    zero_slots = ("gradient_accumulator",)

    def __init__(self, learning_rate, global_step,
                 initial_gradient_squared_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="AdagradDA"):
        super().__init__(learning_rate, name)
        self._global_step = global_step
        self._initial = float(initial_gradient_squared_accumulator_value)
        self._l1, self._l2 = float(l1_regularization_strength), float(l2_regularization_strength)

    def _apply_dense(self, grad, var, lr):
        step = ag.cast(ag.convert_to_tensor(self._global_step), var.dtype) + 1.0
        return ResourceApplyAdagradDA(var.handle, self._slot(var, "gradient_accumulator"),
                                      self._slot(var, "gradient_squared_accumulator"), step,
                                      lr, grad, l1=self._l1, l2=self._l2)
