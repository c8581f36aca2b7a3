"""tf.layers: TF 1.x's functional layers over nn.layers.

Each call makes a new layer in the current variable scope, named `name` or, unnamed,
`dense`, `dense_1`, ... (numbered afresh each time the scope is entered, as TF1 does),
unless a layer of that name exists and the call reuses (`reuse=True`, tf.AUTO_REUSE or
a reusing variable scope): then that layer, with its variables, is applied again. So a
model function called twice, the second time inside `variable_scope(scope,
reuse=True)`, shares its layers, as GAN tutorials and train/test towers rely on.
`training=` switches dropout and batch norm, as a Python bool or a bool tensor (e.g. a
placeholder).
"""
import weakref

import autograd as ag
from nn import layers as _layers

from .helpers import AUTO_REUSE, get_variable_scope

_made = weakref.WeakKeyDictionary()  # graph -> {scoped layer name: layer}


def _layer(name, reuse, kind, make):
    """The layer `name` (unnamed: the scope's next `kind`, `kind_1`, ...) of the current
    variable scope when the call reuses and it exists, else a new one, `make(name)`."""
    scope = get_variable_scope()
    reuse = reuse if reuse is not None else scope.reuse
    known = _made.setdefault(ag.get_default_graph(), {})
    leaf = name if name is not None else scope.unique_name(kind)
    key = f"{scope.name}/{leaf}" if scope.name else leaf
    if key in known:
        if reuse in (True, AUTO_REUSE):
            return known[key]
        raise ValueError(f"a layer named {key!r} exists already (TF1: Variable "
                         f"{key}/kernel already exists, disallowed); pass reuse=True (or "
                         f"enter its variable scope with reuse=True) to apply it again, or "
                         f"give a new name")
    if reuse is True:
        raise ValueError(f"reuse=True but no layer named {key!r} exists yet")
    layer = known[key] = make(leaf)
    return layer


def _regularize(layer, kernel_regularizer):
    if kernel_regularizer is not None and getattr(layer, "kernel", None) is not None:
        penalty = kernel_regularizer(layer.kernel)
        if penalty is not None:
            ag.add_to_collection(ag.GraphKeys.REGULARIZATION_LOSSES, penalty)


def _apply(layer, inputs, kernel_regularizer):
    """Call the layer; on its first call, add its kernel's penalty to the regularization
    losses."""
    fresh = not layer.variables
    out = layer(inputs)
    if fresh:
        _regularize(layer, kernel_regularizer)
    return out


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=None, kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    layer = _layer(name, reuse, "dense", lambda leaf: _layers.Dense(
        units, activation, use_bias, kernel_initializer, bias_initializer, name=leaf))
    return _apply(layer, inputs, kernel_regularizer)


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1), activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=None, kernel_regularizer=None,
           bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
           bias_constraint=None, trainable=True, name=None, reuse=None):
    if data_format != "channels_last":
        raise ValueError("only data_format='channels_last' (NHWC) is supported")
    if dilation_rate not in (1, (1, 1), [1, 1]):
        raise ValueError("dilated convolutions are not supported")
    layer = _layer(name, reuse, "conv2d", lambda leaf: _layers.Conv2D(
        filters, kernel_size, strides, padding.upper(), activation, use_bias,
        kernel_initializer, bias_initializer, name=leaf))
    return _apply(layer, inputs, kernel_regularizer)


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    return _layers.MaxPool2D(pool_size, strides, padding.upper(), name=name)(inputs)


def average_pooling2d(inputs, pool_size, strides, padding="valid",
                      data_format="channels_last", name=None):
    return _layers.AvgPool2D(pool_size, strides, padding.upper(), name=name)(inputs)


def flatten(inputs, name=None, data_format="channels_last"):
    return _layers.Flatten(name=name)(inputs)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """Drops with probability `rate` when `training` is True (a bool or a bool tensor);
    the identity otherwise."""
    if isinstance(training, bool):
        if not training:
            return ag.identity(inputs, name=name or "dropout")
        keep = 1.0 - rate
    else:
        keep = 1.0 - ag.to_float(training) * rate
    return _layers.Dropout(keep, seed=seed, name=name)(inputs)


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True,
                        scale=True, beta_initializer=None, gamma_initializer=None,
                        moving_mean_initializer=None, moving_variance_initializer=None,
                        beta_regularizer=None, gamma_regularizer=None, training=False,
                        trainable=True, name=None, reuse=None, renorm=False, fused=None):
    """Batch statistics when `training`, moving averages otherwise; the moving-average
    updates go to tf.GraphKeys.UPDATE_OPS, to run with the train op."""
    layer = _layer(name, reuse, "batch_normalization", lambda leaf: _layers.BatchNormalization(
        axis, momentum, epsilon, training, center, scale, name=leaf))
    return layer(inputs)


Dense, Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dropout, BatchNormalization = (
    _layers.Dense, _layers.Conv2D, _layers.MaxPool2D, _layers.AvgPool2D, _layers.Flatten,
    _layers.Dropout, _layers.BatchNormalization)
