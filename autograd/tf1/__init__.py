"""TF1 compatibility: `import autograd.tf1 as tf`, and TF1-era programs run unchanged.

One namespace with autograd's names plus tf.nn, tf.train, tf.summary, tf.errors,
tf.losses, tf.layers and the old helpers. Where TF1 printed a deprecation warning
(initialize_all_variables, ...), so does this facade.
"""
import sys
import warnings

import autograd as _ag
import nn
import optim
from autograd import *  # noqa: F401,F403 - the facade re-exports the whole public API
from autograd import errors, summary  # noqa: F401

from . import (app, compat, contrib, estimator, feature_column, flags, gfile,  # noqa: F401
               graph_util, hook, image, initializers, io, keras, layers, linalg, logging, losses,
               math, metrics, python_io, queue, random, sparse, train)
from .legacy import (EAGER, GradientTape, audio_summary, disable_eager_execution,  # noqa: F401
                     enable_eager_execution, enable_v2_behavior, executing_eagerly,
                     histogram_summary, image_summary, merge_all_summaries, merge_summary,
                     mul, neg, pack, scalar_summary, sub, unpack)
from .helpers import (AUTO_REUSE, Print, TF1DeprecationWarning, VariableScope,  # noqa: F401
                     arg_max, arg_min, constant_initializer, div, get_variable, get_variable_scope,
                     glorot_uniform_initializer, random_normal_initializer, to_double,
                     to_int32, to_int64, truncated_normal_initializer, variable_scope,
                     zeros_initializer)

import autograd.tf1.saved_model as saved_model  # noqa: E402,F401 (over autograd's module)

nn = nn  # tf.nn is the nn package
__version__ = VERSION = "1.15.0"    # the TF1 release whose tf.compat.v1 this facade follows
GIT_VERSION = "v1.15.0"
__engine_version__ = "0.1.0"       # graphgrad-tf1, the engine underneath


warnings.simplefilter("once", TF1DeprecationWarning)  # once per deprecated function, as TF


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


GraphKeys = _ag.GraphKeys
TFRecordReader = _ag.TFRecordReader
string_to_number = _ag.string_to_number
extract_image_patches = image.extract_image_patches
Summary = summary.Summary


clip_by_global_norm = optim.clip_by_global_norm
clip_by_norm = optim.clip_by_norm



def initialize_local_variables():
    """Deprecated in TF1; use local_variables_initializer()."""
    warnings.warn("initialize_local_variables is deprecated and will be removed after "
                  "2017-03-02.\nInstructions for updating:\nUse "
                  "`tf.local_variables_initializer` instead.", TF1DeprecationWarning,
                  stacklevel=2)
    return _ag.local_variables_initializer()


def all_variables():
    """Deprecated in TF1; use global_variables()."""
    warnings.warn("all_variables is deprecated and will be removed after 2017-03-02.\n"
                  "Instructions for updating:\nPlease use tf.global_variables instead.",
                  TF1DeprecationWarning, stacklevel=2)
    return _ag.global_variables()


compat.v1 = sys.modules[__name__]   # tf.compat.v1 is this facade too


import_graph_def = _ag.export.import_graph_def


def TensorShape(dims):  # noqa: N802 - TF1's name
    """A static shape (our Shape: a tuple of ints and None); None: unknown rank."""
    return _ag.shapes.make_shape(dims)


# TF's proto classes, from the tensorboard package when a program first asks for one
_PROTO_CLASSES = {"GraphDef": "graph", "NodeDef": "node_def", "MetaGraphDef": "meta_graph",
                  "AttrValue": "attr_value", "TensorProto": "tensor"}


def __getattr__(name):
    """TF's proto classes (tf.GraphDef, ...) on first use; for a TF1 name the facade
    lacks, say so (instead of Python's bare AttributeError)."""
    if name in _PROTO_CLASSES:
        return getattr(getattr(_ag.export.tf_protos.protos(), _PROTO_CLASSES[name]), name)
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"module 'tensorflow' (autograd.tf1, this engine's TF1 facade) has "
                         f"no attribute {name!r}: it is not built yet; the README's 'Running "
                         f"TF1 programs' table lists what is covered")


def load_ipython_extension(ipython):
    """%load_ext autograd.tf1: `import tensorflow` gives this facade in this kernel."""
    hook.install()


def unload_ipython_extension(ipython):
    """%unload_ext autograd.tf1: `import tensorflow` is Python's again."""
    hook.uninstall()
