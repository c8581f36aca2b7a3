"""The optimizers, with TF1's update rules and defaults. Each update is one fused op per
variable, taking the handles of the variable and its slots (see Optimizer); its kernel
gets a VariableAccess per handle and writes each new value into `access.buffer()`."""
import numpy as np

import autograd as ag
from autograd import define_op

from .optimizer import Optimizer, update_shape


def _scalar(value, like):
    return np.asarray(value, dtype=like.dtype)


def _variable_and_slots(op):
    """The positions of the handles an update op changes: every input before the
    learning rate and the gradient (the variable's, then its slots')."""
    return range(len(op.inputs) - 2)


def _define_update(type_name, forward):
    return define_op(type_name, forward=forward, shape=update_shape,
                     writes=_variable_and_slots)


# -- gradient descent ---------------------------------------------------------------------
def _gd_forward(var, lr, grad):
    """var -= lr * grad."""
    out = var.buffer()
    np.multiply(grad, lr, out=out)
    np.subtract(var.read(), out, out=out)
    var.write(out)


ResourceApplyGradientDescent = _define_update("ResourceApplyGradientDescent", _gd_forward)
# TF's form has the same inputs (var, alpha, delta); TF1's reference variables' form too
ag.export.register(ResourceApplyGradientDescent,
                   imports={"ResourceApplyGradientDescent": ag.export.same_inputs,
                            "ApplyGradientDescent": ag.export.same_inputs})


class GradientDescentOptimizer(Optimizer):
    """Plain gradient descent: var -= learning_rate * grad."""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(learning_rate, name)

    def _apply_dense(self, grad, var, lr):
        return ResourceApplyGradientDescent(var.handle, lr, grad)


# -- momentum -------------------------------------------------------------------------------
def _momentum_forward(var, accum, lr, grad, momentum, use_nesterov):
    """accum = momentum * accum + grad; var -= lr * accum (Nesterov: var -= lr * grad +
    lr * momentum * accum)."""
    m = _scalar(momentum, grad)
    a_out = accum.buffer()
    np.multiply(accum.read(), m, out=a_out)
    a_out += grad
    accum.write(a_out)
    out = var.buffer()
    if use_nesterov:
        np.multiply(a_out, m * lr, out=out)
        out += grad * lr
    else:
        np.multiply(a_out, lr, out=out)
    np.subtract(var.read(), out, out=out)
    var.write(out)


ResourceApplyMomentum = _define_update("ResourceApplyMomentum", _momentum_forward)


class MomentumOptimizer(Optimizer):
    """Gradient descent with momentum (heavy ball, or Nesterov's variant)."""

    slot_names = ("momentum",)

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        super().__init__(learning_rate, name)
        self._momentum = float(momentum)
        self._use_nesterov = bool(use_nesterov)

    def _apply_dense(self, grad, var, lr):
        return ResourceApplyMomentum(var.handle, self._slot(var, "momentum"), lr, grad,
                                     momentum=self._momentum, use_nesterov=self._use_nesterov)


# -- Adagrad --------------------------------------------------------------------------------
def _adagrad_forward(var, accum, lr, grad):
    """accum += grad^2; var -= lr * grad / sqrt(accum)."""
    a_out = accum.buffer()
    np.add(accum.read(), np.square(grad), out=a_out)
    accum.write(a_out)
    out = var.buffer()
    np.sqrt(a_out, out=out)
    np.divide(grad * lr, out, out=out)
    np.subtract(var.read(), out, out=out)
    var.write(out)


ResourceApplyAdagrad = _define_update("ResourceApplyAdagrad", _adagrad_forward)


class AdagradOptimizer(Optimizer):
    """Per-coordinate steps shrinking with the sum of squared gradients so far."""

    slot_names = ("accumulator",)

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        super().__init__(learning_rate, name)
        self._initial = float(initial_accumulator_value)

    def _slot_initial_value(self, slot, var):
        return ag.fill(list(var.shape), ag.constant(self._initial, var.dtype))

    def _apply_dense(self, grad, var, lr):
        return ResourceApplyAdagrad(var.handle, self._slot(var, "accumulator"), lr, grad)


# -- Adadelta -------------------------------------------------------------------------------
def _adadelta_forward(var, accum, accum_update, lr, grad, rho, epsilon):
    """accum = rho accum + (1-rho) g^2; update = sqrt(accum_update + eps) /
    sqrt(accum + eps) * g; var -= lr * update; accum_update = rho accum_update +
    (1-rho) update^2."""
    rho, eps = _scalar(rho, grad), _scalar(epsilon, grad)
    a_out = accum.buffer()
    np.multiply(accum.read(), rho, out=a_out)
    a_out += np.square(grad) * (1 - rho)
    accum.write(a_out)
    old_update = accum_update.read()
    update = np.sqrt(old_update + eps) / np.sqrt(a_out + eps) * grad
    out = var.buffer()
    np.subtract(var.read(), update * lr, out=out)
    var.write(out)
    u_out = accum_update.buffer()
    np.multiply(old_update, rho, out=u_out)
    u_out += np.square(update) * (1 - rho)
    accum_update.write(u_out)


ResourceApplyAdadelta = _define_update("ResourceApplyAdadelta", _adadelta_forward)


class AdadeltaOptimizer(Optimizer):
    """Adadelta (Zeiler 2012) with TF1's defaults (learning_rate 0.001, rho 0.95)."""

    slot_names = ("accum", "accum_update")

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False,
                 name="Adadelta"):
        super().__init__(learning_rate, name)
        self._rho, self._epsilon = float(rho), float(epsilon)

    def _apply_dense(self, grad, var, lr):
        return ResourceApplyAdadelta(var.handle, self._slot(var, "accum"),
                                     self._slot(var, "accum_update"), lr, grad, rho=self._rho,
                                     epsilon=self._epsilon)


# -- RMSProp --------------------------------------------------------------------------------
def _rmsprop_forward(var, ms, mom, *rest, decay, momentum, epsilon):
    """ms += (g^2 - ms)(1 - decay); [mg += (g - mg)(1 - decay)];
    mom = momentum mom + lr g / sqrt(ms [- mg^2] + eps); var -= mom."""
    *mg, lr, grad = rest
    decay, momentum, eps = (_scalar(v, grad) for v in (decay, momentum, epsilon))
    ms_out, ms_old = ms.buffer(), ms.read()
    np.add(ms_old, (np.square(grad) - ms_old) * (1 - decay), out=ms_out)
    ms.write(ms_out)
    denominator = ms_out + eps
    if mg:
        mg_out, mg_old = mg[0].buffer(), mg[0].read()
        np.add(mg_old, (grad - mg_old) * (1 - decay), out=mg_out)
        mg[0].write(mg_out)
        denominator -= np.square(mg_out)
    mom_out = mom.buffer()
    np.multiply(mom.read(), momentum, out=mom_out)
    mom_out += grad * lr / np.sqrt(denominator)
    mom.write(mom_out)
    out = var.buffer()
    np.subtract(var.read(), mom_out, out=out)
    var.write(out)


ResourceApplyRMSProp = _define_update("ResourceApplyRMSProp", _rmsprop_forward)


class RMSPropOptimizer(Optimizer):
    """RMSProp with TF1's rules: the mean square starts at ones, epsilon inside the sqrt."""

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10,
                 use_locking=False, centered=False, name="RMSProp"):
        super().__init__(learning_rate, name)
        self._decay, self._momentum, self._epsilon = float(decay), float(momentum), \
            float(epsilon)
        self.slot_names = ("rms", "momentum") + (("mg",) if centered else ())

    def _slot_initial_value(self, slot, var):
        if slot == "rms":
            return ag.ones(var.shape, var.dtype)
        return ag.zeros(var.shape, var.dtype)

    def _apply_dense(self, grad, var, lr):
        slots = [self._slot(var, name) for name in self.slot_names]
        return ResourceApplyRMSProp(var.handle, *slots, lr, grad, decay=self._decay,
                                    momentum=self._momentum, epsilon=self._epsilon)


# -- Adam -----------------------------------------------------------------------------------
def _adam_forward(var, m, v, beta1_power, beta2_power, lr, grad, beta1, beta2, epsilon):
    """alpha = lr sqrt(1 - beta2^t) / (1 - beta1^t); m += (g - m)(1 - beta1);
    v += (g^2 - v)(1 - beta2); var -= alpha m / (sqrt(v) + eps)."""
    b1, b2, eps = (_scalar(x, grad) for x in (beta1, beta2, epsilon))
    alpha = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
    # NOTE: every step writes into a recycled buffer (no temporaries): the update is
    # memory-bound, and allocations would cost as much as the arithmetic.
    m_out, m_old = m.buffer(), m.read()
    np.subtract(grad, m_old, out=m_out)
    m_out *= 1 - b1
    m_out += m_old
    m.write(m_out)
    v_out, v_old = v.buffer(), v.read()
    np.multiply(grad, grad, out=v_out)
    v_out -= v_old
    v_out *= 1 - b2
    v_out += v_old
    v.write(v_out)
    out = var.buffer()
    np.sqrt(v_out, out=out)
    out += eps
    np.divide(m_out, out, out=out)
    out *= alpha
    np.subtract(var.read(), out, out=out)
    var.write(out)


def _adam_shape(var, m, v, beta1_power, beta2_power, lr, grad, **attrs):
    return update_shape(var, m, v, lr, grad)


def _update_kernels():
    from . import update_kernels  # imports numba: only once a plan wants a compiled kernel
    return update_kernels


ResourceApplyAdam = define_op("ResourceApplyAdam", forward=_adam_forward, shape=_adam_shape,
                              writes=(0, 1, 2),  # var, m, v (beta powers come as values)
                              specialize=ag.compiled.specialized(
                                  _adam_forward, lambda: _update_kernels().adam))


class AdamOptimizer(Optimizer):
    """Adam (Kingma & Ba) with TF1's bias-corrected step size and defaults."""

    slot_names = ("m", "v")

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        super().__init__(learning_rate, name)
        self._beta1, self._beta2, self._epsilon = float(beta1), float(beta2), float(epsilon)
        self._powers = None

    def _create_non_slots(self, var):
        if self._powers is None:
            graph = var.graph
            with graph.as_default(), graph.control_dependencies(None), ag.name_scope(None):
                self._powers = (
                    ag.Variable(self._beta1, dtype=var.dtype, trainable=False,
                                name="beta1_power"),
                    ag.Variable(self._beta2, dtype=var.dtype, trainable=False,
                                name="beta2_power"))
                for power in self._powers:
                    graph.add_to_collection(ag.GraphKeys.OPTIMIZER_SLOTS, power)

    def _apply_dense(self, grad, var, lr):
        b1p, b2p = self._powers
        return ResourceApplyAdam(var.handle, self._slot(var, "m"), self._slot(var, "v"),
                                 ag.cast(b1p, var.dtype), ag.cast(b2p, var.dtype), lr, grad,
                                 beta1=self._beta1, beta2=self._beta2, epsilon=self._epsilon)

    def _finish(self, updates):
        """After every variable's update, advance beta1^t and beta2^t."""
        b1p, b2p = self._powers
        with ag.control_dependencies(updates):
            return ag.group(b1p.assign(b1p * self._beta1), b2p.assign(b2p * self._beta2),
                            name="update")
