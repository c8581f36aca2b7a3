"""tf.initializers: TF1's initializer names, as callables (shape, dtype) -> value."""
from nn import init as _init

from .helpers import (constant_initializer as constant, glorot_uniform_initializer  # noqa: F401
                      as glorot_uniform, random_normal_initializer as random_normal,
                      truncated_normal_initializer as truncated_normal,
                      zeros_initializer as zeros)

he_normal = _init.he_normal


def ones(dtype=None):
    """Ones."""
    return _init.ones()
