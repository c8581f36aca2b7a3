"""Learning-rate schedules: float32 tensors computed from the global step each run, with
TF1's formulas (each function's docstring states its own)."""
import math

import autograd as ag


def _decay_inputs(learning_rate, global_step, decay_steps):
    lr = ag.convert_to_tensor(learning_rate, ag.float32)
    return lr, ag.cast(global_step, lr.dtype), ag.cast(ag.convert_to_tensor(decay_steps),
                                                        lr.dtype)


def _ratio(step, steps, staircase):
    """step / decay_steps, floored with staircase (decay in whole steps)."""
    return ag.floor(step / steps) if staircase else step / steps


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """learning_rate * decay_rate ** (global_step / decay_steps); staircase=True decays
    in steps (the exponent floored)."""
    with ag.name_scope(name or "ExponentialDecay"):
        lr, step, steps = _decay_inputs(learning_rate, global_step, decay_steps)
        return lr * ag.pow(ag.convert_to_tensor(decay_rate, lr.dtype),
                           _ratio(step, steps, staircase))


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """learning_rate * exp(-decay_rate * global_step / decay_steps) (floored with
    staircase)."""
    with ag.name_scope(name or "NaturalExpDecay"):
        lr, step, steps = _decay_inputs(learning_rate, global_step, decay_steps)
        return lr * ag.exp(-ag.convert_to_tensor(decay_rate, lr.dtype) *
                           _ratio(step, steps, staircase))


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                       name=None):
    """learning_rate / (1 + decay_rate * global_step / decay_steps) (floored with
    staircase)."""
    with ag.name_scope(name or "InverseTimeDecay"):
        lr, step, steps = _decay_inputs(learning_rate, global_step, decay_steps)
        return lr / (1.0 + ag.convert_to_tensor(decay_rate, lr.dtype) *
                     _ratio(step, steps, staircase))


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001,
                     power=1.0, cycle=False, name=None):
    """(learning_rate - end) * (1 - step / decay_steps) ** power + end, with step capped
    at decay_steps; with cycle=True, decay_steps grows to the next multiple past step."""
    with ag.name_scope(name or "PolynomialDecay"):
        lr, step, steps = _decay_inputs(learning_rate, global_step, decay_steps)
        end = ag.convert_to_tensor(end_learning_rate, lr.dtype)
        if cycle:
            multiplier = ag.where(ag.equal(step, 0.0), ag.ones_like(step),
                                  ag.ceil(step / steps))
            steps = steps * multiplier
        else:
            step = ag.minimum(step, steps)
        fraction = 1.0 - step / steps
        return (lr - end) * ag.pow(fraction, ag.convert_to_tensor(power, lr.dtype)) + end


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * step / decay_steps)) + alpha),
    with step capped at decay_steps."""
    with ag.name_scope(name or "CosineDecay"):
        lr, step, steps = _decay_inputs(learning_rate, global_step, decay_steps)
        step = ag.minimum(step, steps)
        cosine = 0.5 * (1.0 + ag.cos(math.pi * step / steps))
        return lr * ((1.0 - alpha) * cosine + alpha)


def piecewise_constant(x, boundaries, values, name=None):
    """values[0] while x <= boundaries[0], values[i] while boundaries[i-1] < x <=
    boundaries[i], values[-1] after the last boundary."""
    if len(values) != len(boundaries) + 1:
        raise ValueError(f"piecewise_constant needs one more value than boundaries, got "
                         f"{len(values)} values and {len(boundaries)} boundaries")
    with ag.name_scope(name or "PiecewiseConstant"):
        x = ag.convert_to_tensor(x)
        values = [ag.convert_to_tensor(v) for v in values]
        result = values[-1]
        for boundary, value in zip(reversed(boundaries), reversed(values[:-1])):
            result = ag.where(ag.less_equal(x, ag.cast(ag.convert_to_tensor(boundary),
                                                       x.dtype)), value, result)
        return result
