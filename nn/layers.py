"""Layers: callables that create their Variables (in their own name scope) on first call
and list them in `.variables`."""
import math

import autograd as ag

from . import init as initializers
from .conv import bias_add, conv2d
from .pool import avg_pool, max_pool
from .regularization import batch_normalization, dropout, moving_moments

UPDATE_OPS = ag.GraphKeys.UPDATE_OPS


class Layer:
    """Base: a unique name scope per layer, variables created once, on the first call."""

    default_name = "layer"

    def __init__(self, name=None):
        self.name = name
        self._variables = []
        self._scope = None

    def __call__(self, inputs):
        inputs = ag.convert_to_tensor(inputs)
        graph = inputs.graph
        with graph.as_default():
            if self._scope is None:
                with graph.name_scope(self.name or self.default_name) as scope:
                    self._scope = scope
                    self.build(inputs)
            with graph.name_scope(self._scope):
                return self.call(inputs)

    def build(self, inputs):
        """Create the layer's variables, given its first input."""

    def call(self, inputs):
        raise NotImplementedError

    def add_variable(self, name, shape, initializer, trainable=True):
        variable = ag.Variable(initializer(shape), name=name, trainable=trainable)
        self._variables.append(variable)
        return variable

    @property
    def variables(self):
        """The Variables this layer created (empty until its first call)."""
        return list(self._variables)

    @property
    def trainable_variables(self):
        return [v for v in self.variables if v.trainable]


def _activation(function, x):
    return x if function is None else function(x)


def _last_dim(inputs, layer):
    dim = None if inputs.shape is None else inputs.shape[-1]
    if dim is None:
        raise ValueError(f"{layer} needs the last dimension of its input to be known, got "
                         f"{ag.shapes.fmt(inputs.shape)}")
    return dim


class Dense(Layer):
    """activation(inputs @ kernel + bias)."""

    default_name = "dense"

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=None, name=None):
        super().__init__(name)
        self.units = int(units)
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer or initializers.glorot_uniform()
        self.bias_initializer = bias_initializer or initializers.zeros()

    def build(self, inputs):
        self.kernel = self.add_variable("kernel", [_last_dim(inputs, "Dense"), self.units],
                                        self.kernel_initializer)
        self.bias = self.add_variable("bias", [self.units], self.bias_initializer) \
            if self.use_bias else None

    def call(self, inputs):
        out = ag.matmul(inputs, self.kernel)
        if self.bias is not None:
            out = out + self.bias
        return _activation(self.activation, out)


class Conv2D(Layer):
    """activation(conv2d(inputs, kernel) + bias), NHWC."""

    default_name = "conv2d"

    def __init__(self, filters, kernel_size, strides=1, padding="SAME", activation=None,
                 use_bias=True, kernel_initializer=None, bias_initializer=None, name=None):
        super().__init__(name)
        self.filters = int(filters)
        self.kernel_size = _pair(kernel_size)
        self.strides = _pair(strides)
        self.padding = padding
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer or initializers.glorot_uniform()
        self.bias_initializer = bias_initializer or initializers.zeros()

    def build(self, inputs):
        shape = list(self.kernel_size) + [_last_dim(inputs, "Conv2D"), self.filters]
        self.kernel = self.add_variable("kernel", shape, self.kernel_initializer)
        self.bias = self.add_variable("bias", [self.filters], self.bias_initializer) \
            if self.use_bias else None

    def call(self, inputs):
        out = conv2d(inputs, self.kernel, [1, *self.strides, 1], self.padding)
        if self.bias is not None:
            out = bias_add(out, self.bias)
        return _activation(self.activation, out)


class MaxPool2D(Layer):
    """Max pooling over pool_size windows (strides default to pool_size)."""

    default_name = "max_pooling2d"

    def __init__(self, pool_size=2, strides=None, padding="VALID", name=None):
        super().__init__(name)
        self.pool_size = _pair(pool_size)
        self.strides = _pair(strides) if strides is not None else self.pool_size
        self.padding = padding

    def call(self, inputs):
        return max_pool(inputs, [1, *self.pool_size, 1], [1, *self.strides, 1], self.padding)


class AvgPool2D(MaxPool2D):
    """Average pooling over pool_size windows (strides default to pool_size)."""

    default_name = "average_pooling2d"

    def call(self, inputs):
        return avg_pool(inputs, [1, *self.pool_size, 1], [1, *self.strides, 1], self.padding)


class Flatten(Layer):
    """Reshape [batch, ...] to [batch, everything else]."""

    default_name = "flatten"

    def call(self, inputs):
        if inputs.shape is None or None in inputs.shape[1:]:
            raise ValueError(f"Flatten needs all but the batch dimension known, got "
                             f"{ag.shapes.fmt(inputs.shape)}")
        return ag.reshape(inputs, [-1, math.prod(inputs.shape[1:])])


class Dropout(Layer):
    """nn.dropout with `keep_prob` (a number or a tensor such as a placeholder)."""

    default_name = "dropout"

    def __init__(self, keep_prob, seed=None, name=None):
        super().__init__(name)
        self.keep_prob = keep_prob
        self.seed = seed

    def call(self, inputs):
        return dropout(inputs, keep_prob=self.keep_prob, seed=self.seed)


class BatchNormalization(Layer):
    """Normalise with the batch's statistics when `training` (bool or bool tensor), else
    with moving averages. The moving-average updates are added to the graph collection
    "update_ops", to run with the train op (as TF1's tf.layers)."""

    default_name = "batch_normalization"

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, training=True, center=True,
                 scale=True, name=None):
        super().__init__(name)
        self.axis = axis
        self.momentum = momentum
        self.epsilon = epsilon
        self.training = training
        self.center, self.scale = center, scale

    def build(self, inputs):
        size = [_last_dim(inputs, "BatchNormalization")] if self.axis in (-1, len(
            inputs.shape) - 1) else [inputs.shape[self.axis]]
        self.gamma = self.add_variable("gamma", size, initializers.ones()) \
            if self.scale else None
        self.beta = self.add_variable("beta", size, initializers.zeros()) \
            if self.center else None
        self.moving_mean = self.add_variable("moving_mean", size, initializers.zeros(),
                                             trainable=False)
        self.moving_variance = self.add_variable("moving_variance", size, initializers.ones(),
                                                 trainable=False)

    def call(self, inputs):
        axis = self.axis % len(inputs.shape)
        axes = [i for i in range(len(inputs.shape)) if i != axis]
        mean, variance, updates = moving_moments(inputs, axes, self.moving_mean,
                                                 self.moving_variance, self.momentum,
                                                 self.training)
        for update in updates:
            ag.add_to_collection(UPDATE_OPS, update)
        return batch_normalization(inputs, mean, variance, self.beta, self.gamma, self.epsilon)


class Sequential(Layer):
    """Layers applied one after another; `.variables` gathers theirs."""

    default_name = "sequential"

    def __init__(self, layers, name=None):
        super().__init__(name)
        self.layers = list(layers)

    def call(self, inputs):
        for layer in self.layers:
            inputs = layer(inputs)
        return inputs

    @property
    def variables(self):
        return [v for layer in self.layers for v in getattr(layer, "variables", [])]


def _pair(value):
    return (int(value), int(value)) if isinstance(value, int) else tuple(int(v) for v in value)


__all__ = ["Layer", "Dense", "Conv2D", "MaxPool2D", "AvgPool2D", "Flatten", "Dropout",
           "BatchNormalization", "Sequential", "UPDATE_OPS"]
