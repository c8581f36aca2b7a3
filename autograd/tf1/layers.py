"""tf.layers: TF 1.x's functional layers over nn.layers.

Each call makes a new layer (its variables in a fresh scope `dense`, `dense_1`, ...),
unless `name=` names a layer made before and `reuse=True` (or tf.AUTO_REUSE, or a
reusing variable scope): then that layer, with its variables, is applied again, as GAN
tutorials do for the discriminator. `training=` switches dropout and batch norm, as a
Python bool or a bool tensor (e.g. a placeholder).
"""
import weakref

import autograd as ag
from nn import layers as _layers

from .compat import AUTO_REUSE, get_variable_scope

_made = weakref.WeakKeyDictionary()  # graph -> {scoped layer name: layer}


def _layer(name, reuse, make):
    """The layer called `name` in the current variable scope when reusing, else a new one
    made by `make()` (registered under its name when it has one)."""
    scope = get_variable_scope()
    reuse = reuse if reuse is not None else scope.reuse
    known = _made.setdefault(ag.get_default_graph(), {})
    key = f"{scope.name}/{name}" if scope.name else name
    if name is not None and key in known:
        if reuse in (True, AUTO_REUSE):
            return known[key]
        raise ValueError(f"a layer named {key!r} exists already; pass reuse=True to apply "
                         f"it again, or another name for a new one")
    if reuse is True and name is not None:
        raise ValueError(f"reuse=True but no layer named {key!r} exists yet")
    layer = make()
    if name is not None:
        known[key] = layer
    return layer


def _register(layer):
    """After its first call, an unnamed layer is known by the name TF would give it
    (`dense`, `dense_1`, ...: its name scope), for a later reuse=True by that name."""
    if layer.name is None and layer._scope is not None:
        scope = get_variable_scope()
        base = layer._scope.rstrip("/").rsplit("/", 1)[-1]
        key = f"{scope.name}/{base}" if scope.name else base
        _made.setdefault(ag.get_default_graph(), {}).setdefault(key, layer)


def _regularize(layer, kernel_regularizer):
    if kernel_regularizer is not None and getattr(layer, "kernel", None) is not None:
        penalty = kernel_regularizer(layer.kernel)
        if penalty is not None:
            ag.add_to_collection(ag.GraphKeys.REGULARIZATION_LOSSES, penalty)


def _apply(layer, inputs, kernel_regularizer):
    """Call the layer; on its first call, add its kernel's penalty to the regularization
    losses and register it under its TF name."""
    fresh = not layer.variables
    out = layer(inputs)
    if fresh:
        _regularize(layer, kernel_regularizer)
        _register(layer)
    return out


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=None, kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    layer = _layer(name, reuse, lambda: _layers.Dense(
        units, activation, use_bias, kernel_initializer, bias_initializer, name=name))
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
    layer = _layer(name, reuse, lambda: _layers.Conv2D(
        filters, kernel_size, strides, padding.upper(), activation, use_bias,
        kernel_initializer, bias_initializer, name=name))
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
    layer = _layer(name, reuse, lambda: _layers.BatchNormalization(
        axis, momentum, epsilon, training, center, scale, name=name))
    return layer(inputs)


Dense, Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dropout, BatchNormalization = (
    _layers.Dense, _layers.Conv2D, _layers.MaxPool2D, _layers.AvgPool2D, _layers.Flatten,
    _layers.Dropout, _layers.BatchNormalization)
