"""TF1 compatibility: `import autograd.tf1 as tf`, and TF1-era programs run unchanged.

One namespace with autograd's names plus tf.nn, tf.train, tf.summary, tf.errors,
tf.losses, tf.layers and the old helpers. Where TF1 printed a deprecation warning
(initialize_all_variables, ...), so does this facade.
"""
import warnings

import autograd as _ag
import nn
from autograd import *  # noqa: F401,F403 - the facade re-exports the whole public API
from autograd import errors, summary  # noqa: F401

from . import graph_util, layers, losses, train  # noqa: F401
from .compat import (constant_initializer, get_variable, glorot_uniform_initializer,  # noqa
                     random_normal_initializer, to_double, to_int32, to_int64,
                     truncated_normal_initializer, variable_scope, zeros_initializer)

nn = nn  # tf.nn is the nn package


class TF1DeprecationWarning(UserWarning):
    """Shown (once per place) where TF1 logged a deprecation warning."""


warnings.simplefilter("default", TF1DeprecationWarning)


def initialize_all_variables():
    """Deprecated in TF1 (after 2017-03-02); use global_variables_initializer()."""
    warnings.warn("initialize_all_variables (from tensorflow.python.ops.variables) is "
                  "deprecated and will be removed after 2017-03-02.\nInstructions for "
                  "updating:\nUse `tf.global_variables_initializer` instead.",
                  TF1DeprecationWarning, stacklevel=2)
    return _ag.global_variables_initializer()


def initialize_variables(var_list, name="init"):
    """Deprecated in TF1; use variables_initializer(var_list)."""
    warnings.warn("initialize_variables is deprecated and will be removed after 2017-03-02."
                  "\nInstructions for updating:\nUse `tf.variables_initializer` instead.",
                  TF1DeprecationWarning, stacklevel=2)
    return _ag.variables_initializer(var_list, name)


def all_variables():
    """Deprecated in TF1; use global_variables()."""
    warnings.warn("all_variables is deprecated and will be removed after 2017-03-02.\n"
                  "Instructions for updating:\nPlease use tf.global_variables instead.",
                  TF1DeprecationWarning, stacklevel=2)
    return _ag.global_variables()
