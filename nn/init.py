"""Initializers: each returns a function (shape, dtype) -> Tensor used as a Variable's
initial value, e.g. `Variable(init.truncated_normal(stddev=0.1)([784, 10]))`."""
import math

import numpy as np

import autograd as ag


def zeros():
    """All zeros."""
    return lambda shape, dtype=ag.float32: ag.zeros(shape, dtype)


def ones():
    """All ones."""
    return lambda shape, dtype=ag.float32: ag.ones(shape, dtype)


def constant(value=0.0):
    """Every entry equal to `value`; or, given an array (TF1's constant_initializer), its
    values laid out in the variable's shape."""
    def initializer(shape, dtype=ag.float32, partition_info=None):
        if np.size(value) == 1:
            return ag.fill(list(shape), ag.reshape(ag.constant(value, dtype), []))
        return ag.constant(value, dtype, shape=list(shape))
    return initializer


def truncated_normal(mean=0.0, stddev=0.05, seed=None):
    """Normal values, redrawn beyond two standard deviations (the course's choice)."""
    return lambda shape, dtype=ag.float32: ag.truncated_normal(shape, mean, stddev, dtype, seed)


def random_normal(mean=0.0, stddev=0.05, seed=None):
    """Normal values."""
    return lambda shape, dtype=ag.float32: ag.random_normal(shape, mean, stddev, dtype, seed)


def fans(shape):
    """(fan_in, fan_out): for a conv filter HWIO, receptive field times channels."""
    shape = list(shape)
    if len(shape) < 2:
        size = shape[0] if shape else 1
        return size, size
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


def glorot_uniform(seed=None):
    """Uniform in +-sqrt(6 / (fan_in + fan_out)) (Glorot & Bengio), TF's default."""
    def initializer(shape, dtype=ag.float32):
        fan_in, fan_out = fans(shape)
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return ag.random_uniform(shape, -limit, limit, dtype, seed)
    return initializer


def he_normal(seed=None):
    """Truncated normal with stddev sqrt(2 / fan_in) (He et al.), for ReLU layers."""
    def initializer(shape, dtype=ag.float32):
        fan_in, _ = fans(shape)
        # NOTE: truncating at 2 stddev shrinks the spread; 0.8796 restores it (as Keras).
        return ag.truncated_normal(shape, 0.0, math.sqrt(2.0 / fan_in) / 0.87962566103423978,
                                   dtype, seed)
    return initializer


def variance_scaling(factor=2.0, mode="FAN_IN", uniform=False, seed=None):
    """tf.contrib.layers' variance scaling: variance factor / n, n the fan in, out or their
    average. Uniform in +-sqrt(3 factor / n), or a normal truncated at two stddevs with
    stddev sqrt(1.3 factor / n) (1.3 makes up for the truncation). factor=1, FAN_AVG,
    uniform is Glorot's (xavier_initializer)."""
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise ValueError(f"mode must be FAN_IN, FAN_OUT or FAN_AVG, got {mode!r}")

    def initializer(shape, dtype=ag.float32, partition_info=None):
        fan_in, fan_out = fans(shape)
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2}[mode]
        if uniform:
            limit = math.sqrt(3.0 * factor / n)
            return ag.random_uniform(shape, -limit, limit, dtype, seed)
        return ag.truncated_normal(shape, 0.0, math.sqrt(1.3 * factor / n), dtype, seed)
    return initializer
