"""tf.keras.layers (Keras 2.2 as bundled in TF 1.13-1.15), built on our graph.

A layer is called on tensors: the first call builds its weights (Variables under the
layer's name scope: `dense/kernel`), every call adds its ops to the default graph and
records (layer, inputs) for the output, so that a functional Model can find its layers
and apply them again to new inputs. Layers are named as Keras names them: `dense`,
`dense_1`, ... per graph. Dropout and BatchNormalization read the learning phase
(backend.learning_phase()), which fit sets.
"""
import inspect
import math
import re
import weakref

import numpy as np

import autograd as ag

from .. import activations as _act
from .. import conv as _conv
from ..init import fans
from .. import conv_variants as _conv_variants
from .. import pool as _pool
from ..regularization import batch_normalization as _batch_normalization
from ..regularization import dropout as _dropout
from ..regularization import moving_moments as _moving_moments
from . import backend

_history = weakref.WeakKeyDictionary()   # output tensor -> (layer, input tensors)
# output tensor -> (layer, which call of it, which of its outputs): Keras's node indices
_nodes = weakref.WeakKeyDictionary()


# -- activations, initializers, regularizers by name ----------------------------------------
def _hard_sigmoid(x):
    return ag.clip_by_value(0.2 * x + 0.5, 0.0, 1.0)


ACTIVATIONS = {"relu": _act.relu, "sigmoid": ag.sigmoid, "tanh": ag.tanh,
               "softmax": _act.softmax, "linear": lambda x: x, None: lambda x: x,
               "elu": _act.elu, "selu": _act.selu, "softplus": _act.softplus,
               "softsign": _act.softsign, "hard_sigmoid": _hard_sigmoid,
               "exponential": ag.exp}


def get_activation(identifier):
    if callable(identifier):
        return identifier
    if identifier not in ACTIVATIONS:
        raise ValueError(f"Unknown activation function: {identifier}")
    return ACTIVATIONS[identifier]


def _scaling(scale, mode, distribution):
    def make(shape, dtype=ag.float32):
        fan_in, fan_out = fans(list(shape))
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
        if distribution == "uniform":
            limit = math.sqrt(3.0 * scale / n)
            return ag.random_uniform(shape, -limit, limit, dtype)
        return ag.truncated_normal(shape, 0.0, math.sqrt(scale / n) / 0.87962566103423978,
                                   dtype)
    return make


INITIALIZERS = {
    "glorot_uniform": _scaling(1.0, "fan_avg", "uniform"),
    "glorot_normal": _scaling(1.0, "fan_avg", "normal"),
    "he_uniform": _scaling(2.0, "fan_in", "uniform"),
    "he_normal": _scaling(2.0, "fan_in", "normal"),
    "lecun_uniform": _scaling(1.0, "fan_in", "uniform"),
    "lecun_normal": _scaling(1.0, "fan_in", "normal"),
    "zeros": lambda shape, dtype=ag.float32: ag.zeros(shape, dtype),
    "ones": lambda shape, dtype=ag.float32: ag.ones(shape, dtype),
    "uniform": lambda shape, dtype=ag.float32: ag.random_uniform(shape, -0.05, 0.05, dtype),
    "normal": lambda shape, dtype=ag.float32: ag.random_normal(shape, 0.0, 0.05, dtype),
    "truncated_normal": lambda shape, dtype=ag.float32: ag.truncated_normal(shape, 0.0, 0.05,
                                                                            dtype),
}
INITIALIZERS["random_uniform"] = INITIALIZERS["uniform"]
INITIALIZERS["random_normal"] = INITIALIZERS["normal"]
INITIALIZERS["zero"], INITIALIZERS["one"] = INITIALIZERS["zeros"], INITIALIZERS["ones"]


def initializer(identifier):
    if callable(identifier):
        return identifier
    if identifier not in INITIALIZERS:
        raise ValueError(f"Unknown initializer: {identifier}")
    return INITIALIZERS[identifier]


class L1L2:
    """A weight penalty: l1 * sum(|w|) + l2 * sum(w**2) (Keras's, no 1/2)."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, weights):
        penalty = 0.0
        if self.l1:
            penalty = penalty + self.l1 * ag.reduce_sum(ag.abs(weights))
        if self.l2:
            penalty = penalty + self.l2 * ag.reduce_sum(ag.square(weights))
        return penalty


class Constraint:
    """A projection applied to a weight after each training step (Keras's constraints)."""

    def __call__(self, weights):
        return weights


class MaxNorm(Constraint):
    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = float(max_value), axis

    def __call__(self, w):
        norms = ag.sqrt(ag.reduce_sum(ag.square(w), axis=self.axis, keepdims=True))
        wanted = ag.clip_by_value(norms, 0.0, self.max_value)
        return w * (wanted / (backend.epsilon() + norms))


class NonNeg(Constraint):
    def __call__(self, w):
        return w * ag.cast(ag.greater_equal(w, 0.0), w.dtype)


class UnitNorm(Constraint):
    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (backend.epsilon() + ag.sqrt(ag.reduce_sum(ag.square(w), axis=self.axis,
                                                               keepdims=True)))


class MinMaxNorm(Constraint):
    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        norms = ag.sqrt(ag.reduce_sum(ag.square(w), axis=self.axis, keepdims=True))
        wanted = self.rate * ag.clip_by_value(norms, self.min_value, self.max_value) + \
            (1 - self.rate) * norms
        return w * (wanted / (backend.epsilon() + norms))


CONSTRAINTS = {"max_norm": MaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm,
               "min_max_norm": MinMaxNorm}


def get_constraint(identifier):
    if identifier is None or isinstance(identifier, Constraint) or callable(identifier):
        return identifier
    if identifier not in CONSTRAINTS:
        raise ValueError(f"Unknown constraint: {identifier}")
    return CONSTRAINTS[identifier]()


def l1(value=0.01):
    return L1L2(l1=value)


def l2(value=0.01):
    return L1L2(l2=value)


def l1_l2(l1=0.01, l2=0.01):  # noqa: E741 - Keras's names
    return L1L2(l1, l2)


# -- the base --------------------------------------------------------------------------------
def _snake(name):
    """Keras's layer-name rule: LSTM -> lstm, SimpleRNN -> simple_rnn, Conv2D -> conv2d."""
    words = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", words).lower()


class Layer:
    """Keras's Layer: build(input_shape) once, call(inputs) each time it is applied.

    The arguments a layer was made with are kept (`get_config`), so that a model can be
    written as JSON and made again (models.model_from_json, models.load_model)."""

    def __new__(cls, *args, **kwargs):
        made = super().__new__(cls)
        try:
            bound = inspect.signature(cls.__init__).bind(made, *args, **kwargs)
        except TypeError:   # the constructor will say what is wrong
            bound = None
        made._given = {} if bound is None else {
            name: value for name, value in list(bound.arguments.items())[1:]
            if name not in ("kwargs", "args")}
        if bound is not None:
            made._given.update(bound.arguments.get("kwargs", {}))
        return made

    def __init__(self, trainable=True, name=None, dtype=None, input_shape=None,
                 batch_input_shape=None, input_dim=None, **kwargs):
        if name is None:
            prefix = _snake(type(self).__name__)
            number = backend.get_uid(prefix)
            name = prefix if number == 1 else f"{prefix}_{number - 1}"
        self.name, self.trainable, self.built = name, trainable, False
        self._weights, self.losses, self.updates = [], [], []
        self.constraints = {}   # weight -> Constraint, applied after each training step
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        self._batch_input_shape = tuple(batch_input_shape) if batch_input_shape else (
            (None,) + tuple(input_shape) if input_shape is not None else None)
        self._scope = None
        self._calls = []          # the inputs of each call, in order (Keras's nodes)
        self.input, self.output = None, None

    # -- applying --------------------------------------------------------------------------
    def __call__(self, inputs, **kwargs):
        flat = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        flat = [ag.convert_to_tensor(t) for t in flat]
        inputs = flat if isinstance(inputs, (list, tuple)) else flat[0]
        shapes = [t.shape for t in flat]
        self._check_inputs(shapes)
        if not self.built:
            with ag.name_scope(self.name) as scope:
                self._scope = scope
                self.build(shapes if isinstance(inputs, list) else shapes[0])
            self.built = True
        with ag.name_scope(self._scope):
            outputs = self.call(inputs, **kwargs)
            # a layer that passes its input through (linear activation, dropout 0) still
            # gives a tensor of its own, so that each tensor has one maker
            given = {id(t) for t in flat}
            if isinstance(outputs, (list, tuple)):
                outputs = type(outputs)(ag.identity(o) if id(o) in given else o
                                        for o in outputs)
            elif id(outputs) in given:
                outputs = ag.identity(outputs)
        made = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        for index, output in enumerate(made):
            _history[output] = (self, inputs)
            _nodes[output] = (self, len(self._calls), index)
        self._calls.append(inputs)
        self.input, self.output = inputs, outputs
        return outputs

    def _check_inputs(self, shapes):
        expected = self._batch_input_shape
        if expected is None or len(shapes) != 1 or shapes[0] is None:
            return
        given = tuple(shapes[0])
        if len(given) != len(expected) or any(e is not None and g is not None and e != g
                                               for e, g in zip(expected[1:], given[1:])):
            raise ValueError(f"Error when checking input: layer {self.name!r} expects input "
                             f"of shape {expected}, but got shape {given}")

    def build(self, input_shape):
        pass

    def call(self, inputs):
        return inputs

    def add_weight(self, name, shape, initializer="glorot_uniform", regularizer=None,
                   trainable=True, constraint=None, dtype=None):
        make = INITIALIZERS.get(initializer) if isinstance(initializer, str) else initializer
        if make is None:
            raise ValueError(f"Unknown initializer: {initializer}")
        variable = ag.Variable(make(list(shape), ag.float32), name=name,
                               trainable=trainable and self.trainable)
        self._weights.append(variable)
        if constraint is not None:
            self.constraints[variable] = get_constraint(constraint)
        if regularizer is not None:
            self.losses.append(regularizer(variable))
        return variable

    # -- weights ---------------------------------------------------------------------------
    @property
    def weights(self):
        return list(self._weights)

    @property
    def trainable_weights(self):
        return [w for w in self._weights if w.trainable] if self.trainable else []

    @property
    def non_trainable_weights(self):
        return [w for w in self._weights if w not in self.trainable_weights]

    variables, trainable_variables = weights, trainable_weights

    def get_weights(self):
        return backend.batch_get_value(self.weights)

    def set_weights(self, weights):
        if len(weights) != len(self.weights):
            raise ValueError(f"You called `set_weights(weights)` on layer {self.name!r} with "
                             f"a weight list of length {len(weights)}, but the layer was "
                             f"expecting {len(self.weights)} weights.")
        for variable, value in zip(self.weights, weights):
            if tuple(variable.shape) != np.shape(value):
                raise ValueError(f"Layer weight shape {tuple(variable.shape)} not compatible "
                                 f"with provided weight shape {np.shape(value)}")
        backend.batch_set_value(list(zip(self.weights, weights)))

    def count_params(self):
        return int(sum(np.prod(w.shape) for w in self.weights))

    @property
    def output_shape(self):
        if self.output is None:
            raise AttributeError(f"The layer {self.name!r} has never been called and thus "
                                 f"has no defined output shape.")
        outputs = self.output if isinstance(self.output, (list, tuple)) else [self.output]
        shapes = [tuple(o.shape) for o in outputs]
        return shapes if isinstance(self.output, (list, tuple)) else shapes[0]

    def get_config(self):
        """The arguments this layer was made with, in JSON's terms (activations and
        initializers by name, regularizers and wrapped layers as class_name/config)."""
        config = {key: serialize(value, f"{self.name}.{key}")
                  for key, value in self._given.items()
                  if key not in ("name", "input_shape", "input_dim", "batch_input_shape")}
        config.update(name=self.name, trainable=self.trainable)
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**{key: deserialize(value) for key, value in config.items()})


class InputLayer(Layer):
    def __init__(self, input_shape=None, batch_size=None, dtype=None, name=None,
                 batch_input_shape=None, **kwargs):
        super().__init__(name=name or f"input_{backend.get_uid('input')}")
        shape = tuple(batch_input_shape) if batch_input_shape else \
            (batch_size,) + tuple(input_shape)
        self._batch_input_shape = shape
        self.output = ag.placeholder(ag.dtypes.as_dtype(dtype or "float32"), list(shape),
                                     name=self.name)
        _history[self.output] = (self, None)
        _nodes[self.output] = (self, 0, 0)
        self.built = True

    def get_config(self):
        return {"batch_input_shape": list(self._batch_input_shape),
                "dtype": self.output.dtype.name, "sparse": False, "name": self.name}


def Input(shape=None, batch_size=None, name=None, dtype=None, batch_shape=None,  # noqa: N802
          tensor=None, **kwargs):
    """A placeholder [batch_size (None), *shape]: the start of a functional model."""
    if tensor is not None:
        return tensor
    if shape is None and batch_shape is None:
        raise ValueError("Please provide to Input either a `shape` or a `batch_shape` "
                         "argument.")
    return InputLayer(shape, batch_size, dtype, name, batch_shape).output


def serialize(value, where):
    """A constructor argument as JSON can hold it; ValueError for what it cannot."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [serialize(v, where) for v in value]
    if isinstance(value, dict):
        return {k: serialize(v, where) for k, v in value.items()}
    if isinstance(value, L1L2):
        return {"class_name": "L1L2", "config": {"l1": value.l1, "l2": value.l2}}
    if isinstance(value, Constraint):
        return {"class_name": type(value).__name__, "config": dict(vars(value))}
    if isinstance(value, Layer):
        return {"class_name": type(value).__name__, "config": value.get_config()}
    for table in (ACTIVATIONS, INITIALIZERS):
        for name, function in table.items():
            if name is not None and function is value:
                return name
    named = getattr(value, "__name__", None)
    if named in ACTIVATIONS:
        return named
    raise ValueError(f"{where}: {value!r} cannot be written as JSON (a Lambda's function "
                     f"or a custom object); models with it can save their weights only")


def deserialize(value):
    """The inverse of serialize: class_name/config dicts become objects again."""
    if isinstance(value, dict) and set(value) == {"class_name", "config"}:
        if value["class_name"] == "L1L2":
            return L1L2(**value["config"])
        made = {kind.__name__: kind for kind in CONSTRAINTS.values()}.get(value["class_name"])
        if made is not None:
            return made(**value["config"])
        return layer_class(value["class_name"]).from_config(value["config"])
    if isinstance(value, list):
        return tuple(deserialize(v) for v in value)
    return value


def layer_class(name):
    found = globals().get(name)
    if not (isinstance(found, type) and issubclass(found, Layer)):
        raise ValueError(f"Unknown layer: {name}")
    return found


def node_of(tensor):
    """(layer, node index, tensor index) of a tensor a Keras layer made, as Keras's
    functional configs name it."""
    return _nodes[tensor]


def history_of(tensor):
    """(layer, inputs) that made `tensor`, or None for a tensor made outside Keras."""
    return _history.get(tensor)


# -- core layers ------------------------------------------------------------------------------
class _Weighted(Layer):
    """What Dense and the convolutions share: an activation, and a kernel and optional
    bias each with its initializer, regularizer and constraint."""

    def __init__(self, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.activation, self.use_bias = get_activation(activation), use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint

    def _add_kernel(self, name, shape):
        return self.add_weight(name, shape, initializer(self.kernel_initializer),
                               self.kernel_regularizer, constraint=self.kernel_constraint)

    def _add_bias(self, size):
        self.bias = self.add_weight("bias", (size,), initializer(self.bias_initializer),
                                    self.bias_regularizer, constraint=self.bias_constraint) \
            if self.use_bias else None

    def _finish(self, out):
        return self.activation(out + self.bias if self.bias is not None else out)


class Dense(_Weighted):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = int(units)

    def build(self, input_shape):
        if input_shape is None or input_shape[-1] is None:
            raise ValueError(f"The last dimension of the inputs to `Dense` ({self.name}) "
                             f"should be defined. Found `None`.")
        self.kernel = self._add_kernel("kernel", (input_shape[-1], self.units))
        self._add_bias(self.units)

    def call(self, inputs):
        rank = len(inputs.shape)
        out = ag.tensordot(inputs, self.kernel, [[rank - 1], [0]]) if rank > 2 \
            else ag.matmul(inputs, self.kernel)
        return self._finish(out)


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = get_activation(activation)

    def call(self, inputs):
        return self.activation(inputs)


class Dropout(Layer):
    """Drops `rate` of the inputs while training (the learning phase), scaling the rest."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate, self.seed = float(rate), seed

    def call(self, inputs, training=None):
        if self.rate <= 0:
            return inputs
        phase = _phase(training)
        if isinstance(phase, bool):
            return _dropout(inputs, rate=self.rate, seed=self.seed) if phase else inputs
        keep = 1.0 - ag.cast(phase, ag.float32) * self.rate
        return _dropout(inputs, keep_prob=keep, seed=self.seed)


def _phase(training):
    if training is not None:
        return training
    fixed = backend.fixed_learning_phase()
    return fixed if fixed is not None else backend.learning_phase()


class Flatten(Layer):
    def call(self, inputs):
        rest = list(inputs.shape)[1:]
        if None not in rest:
            return ag.reshape(inputs, [-1, int(np.prod(rest))])
        return ag.reshape(inputs, ag.stack([ag.shape(inputs)[0], -1]))


class Reshape(Layer):
    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)

    def call(self, inputs):
        return ag.reshape(inputs, [-1] + list(self.target_shape))


class Lambda(Layer):
    def __init__(self, function, output_shape=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        self.function, self.arguments = function, dict(arguments or {})

    def call(self, inputs):
        return self.function(inputs, **self.arguments)


class LeakyReLU(Layer):
    def __init__(self, alpha=0.3, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs):
        return _act.leaky_relu(inputs, self.alpha)


class ELU(Layer):
    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs):
        return ag.where(ag.greater(inputs, 0.0), inputs, self.alpha * (ag.exp(inputs) - 1.0))


# -- convolution and pooling ------------------------------------------------------------------
def _pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


class Conv2D(_Weighted):
    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format=None, dilation_rate=(1, 1), **kwargs):
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last"):
            raise ValueError("only data_format='channels_last' (NHWC) is supported")
        self.filters, self.kernel_size = int(filters), _pair(kernel_size)
        self.strides, self.padding = _pair(strides), padding.upper()

    def build(self, input_shape):
        self.kernel = self._add_kernel("kernel", self.kernel_size + (input_shape[-1],
                                                                      self.filters))
        self._add_bias(self.filters)

    def call(self, inputs):
        return self._finish(_conv.conv2d(inputs, self.kernel, [1, *self.strides, 1],
                                         self.padding))


class Conv1D(Conv2D):
    """A 1-D convolution over [batch, steps, channels] (a Conv2D of height 1)."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", **kwargs):
        size = kernel_size if isinstance(kernel_size, int) else kernel_size[0]
        step = strides if isinstance(strides, int) else strides[0]
        super().__init__(filters, (1, size), (1, step), padding, **kwargs)

    def call(self, inputs):
        return ag.squeeze(super().call(ag.expand_dims(inputs, 1)), [1])


class Conv2DTranspose(Conv2D):
    """The transpose of Conv2D: kernel [h, w, filters, in], output upsampled by strides."""

    def build(self, input_shape):
        self.kernel = self._add_kernel("kernel", self.kernel_size + (self.filters,
                                                                      input_shape[-1]))
        self._add_bias(self.filters)

    def call(self, inputs):
        (kh, kw), (sh, sw) = self.kernel_size, self.strides
        known = list(inputs.shape)[1:3]
        dims = ag.shape(inputs)
        size = [known[0] if known[0] is not None else dims[1],
                known[1] if known[1] is not None else dims[2]]   # static where known
        if self.padding == "SAME":
            height, width = size[0] * sh, size[1] * sw
        else:
            height, width = (size[0] - 1) * sh + kh, (size[1] - 1) * sw + kw
        out = _conv_variants.conv2d_transpose(
            inputs, self.kernel, ag.stack([dims[0], height, width, self.filters]),
            [1, sh, sw, 1], self.padding)
        return self._finish(out)


class DepthwiseConv2D(Conv2D):
    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
                 depthwise_initializer="glorot_uniform", **kwargs):
        super().__init__(1, kernel_size, strides, padding,
                         kernel_initializer=depthwise_initializer, **kwargs)
        self.depth_multiplier = int(depth_multiplier)

    def build(self, input_shape):
        self.kernel = self._add_kernel("depthwise_kernel", self.kernel_size + (
            input_shape[-1], self.depth_multiplier))
        self._add_bias(input_shape[-1] * self.depth_multiplier)

    def call(self, inputs):
        out = _conv_variants.depthwise_conv2d(inputs, self.kernel, [1, *self.strides, 1],
                                              self.padding)
        return self._finish(out)


class SeparableConv2D(Conv2D):
    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 depth_multiplier=1, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", **kwargs):
        super().__init__(filters, kernel_size, strides, padding, **kwargs)
        self.depth_multiplier = int(depth_multiplier)
        self.initializers = (depthwise_initializer, pointwise_initializer)

    def build(self, input_shape):
        channels = input_shape[-1]
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", self.kernel_size + (channels, self.depth_multiplier),
            initializer(self.initializers[0]))
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel", (1, 1, channels * self.depth_multiplier, self.filters),
            initializer(self.initializers[1]))
        self._add_bias(self.filters)

    def call(self, inputs):
        out = _conv_variants.separable_conv2d(inputs, self.depthwise_kernel,
                                              self.pointwise_kernel, [1, *self.strides, 1],
                                              self.padding)
        return self._finish(out)


class ZeroPadding2D(Layer):
    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        rows, cols = _pair(padding) if not isinstance(padding, (list, tuple)) or \
            isinstance(padding[0], int) else padding
        self.padding = [_pair(rows), _pair(cols)]

    def call(self, inputs):
        return ag.pad(inputs, [[0, 0], list(self.padding[0]), list(self.padding[1]), [0, 0]])


class UpSampling2D(Layer):
    """Each row and column repeated `size` times (nearest neighbour)."""

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        if interpolation != "nearest":
            raise ValueError("only interpolation='nearest' is supported")
        self.size = _pair(size)

    def call(self, inputs):
        rows, cols = self.size
        height, width, channels = list(inputs.shape)[1:]
        tiled = ag.tile(ag.reshape(inputs, [-1, height, 1, width, 1, channels]),
                        [1, 1, rows, 1, cols, 1])
        return ag.reshape(tiled, [-1, height * rows, width * cols, channels])


class PReLU(Layer):
    def __init__(self, alpha_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = alpha_initializer

    def build(self, input_shape):
        self.alpha = self.add_weight("alpha", tuple(input_shape[1:]),
                                     initializer(self.alpha_initializer))

    def call(self, inputs):
        return ag.maximum(inputs, 0.0) + self.alpha * ag.minimum(inputs, 0.0)


class _Pooling2D(Layer):
    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.pool_size = _pair(pool_size)
        self.strides = _pair(strides) if strides is not None else self.pool_size
        self.padding = padding.upper()

    def call(self, inputs):
        return self._pool(inputs, [1, *self.pool_size, 1], [1, *self.strides, 1],
                          self.padding)


class MaxPooling2D(_Pooling2D):
    _pool = staticmethod(_pool.max_pool)


class AveragePooling2D(_Pooling2D):
    _pool = staticmethod(_pool.avg_pool)


class GlobalAveragePooling2D(Layer):
    def call(self, inputs):
        return ag.reduce_mean(inputs, axis=[1, 2])


class GlobalMaxPooling2D(Layer):
    def call(self, inputs):
        return ag.reduce_max(inputs, axis=[1, 2])


class GlobalAveragePooling1D(Layer):
    def call(self, inputs):
        return ag.reduce_mean(inputs, axis=1)


class GlobalMaxPooling1D(Layer):
    def call(self, inputs):
        return ag.reduce_max(inputs, axis=1)


class _Pooling1D(_Pooling2D):
    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__((1, pool_size), (1, strides if strides is not None else pool_size),
                         padding, **kwargs)

    def call(self, inputs):
        return ag.squeeze(super().call(ag.expand_dims(inputs, 1)), [1])


class MaxPooling1D(_Pooling1D):
    _pool = staticmethod(_pool.max_pool)


class AveragePooling1D(_Pooling1D):
    _pool = staticmethod(_pool.avg_pool)


MaxPool2D, AvgPool2D = MaxPooling2D, AveragePooling2D
MaxPool1D, AvgPool1D = MaxPooling1D, AveragePooling1D


class BatchNormalization(Layer):
    """Batch statistics while training (the learning phase), moving averages otherwise;
    the moving averages are updated by fit (layer.updates)."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 **kwargs):
        super().__init__(**kwargs)
        self.axis, self.momentum, self.epsilon = axis, float(momentum), float(epsilon)
        self.center, self.scale = center, scale
        self._initializers = (beta_initializer, gamma_initializer, moving_mean_initializer,
                              moving_variance_initializer)

    def build(self, input_shape):
        channels = (input_shape[self.axis],)
        beta, gamma, mean, variance = (initializer(i) for i in self._initializers)
        self.gamma = self.add_weight("gamma", channels, gamma) if self.scale else None
        self.beta = self.add_weight("beta", channels, beta) if self.center else None
        self.moving_mean = self.add_weight("moving_mean", channels, mean, trainable=False)
        self.moving_variance = self.add_weight("moving_variance", channels, variance,
                                               trainable=False)

    def call(self, inputs, training=None):
        rank = len(inputs.shape)
        axes = [a for a in range(rank) if a != self.axis % rank]
        mean, variance, self.updates = _moving_moments(
            inputs, axes, self.moving_mean, self.moving_variance, self.momentum,
            _phase(training))
        return _batch_normalization(inputs, mean, variance, self.beta, self.gamma,
                                    self.epsilon)


class Embedding(Layer):
    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, activity_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, input_length=None, **kwargs):
        if input_length is not None and "input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length,)
        super().__init__(**kwargs)
        if mask_zero:
            raise NotImplementedError("Embedding(mask_zero=True): masking is not built here; "
                                      "pad with a value of its own and let the model learn "
                                      "it, or use pooling over the padded steps")
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        self.embeddings_initializer = embeddings_initializer
        self.embeddings_regularizer = embeddings_regularizer

    def build(self, input_shape):
        self.embeddings = self.add_weight("embeddings", (self.input_dim, self.output_dim),
                                          initializer(self.embeddings_initializer),
                                          self.embeddings_regularizer)

    def call(self, inputs):
        return ag.gather(self.embeddings, ag.cast(inputs, ag.int32))


# -- merging ----------------------------------------------------------------------------------
class _Merge(Layer):
    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise ValueError(f"A merge layer ({self.name}) should be called on a list of at "
                             f"least 2 inputs.")
        return self._merge(list(inputs))


class Add(_Merge):
    def _merge(self, inputs):
        return ag.add_n(inputs)


class Multiply(_Merge):
    def _merge(self, inputs):
        out = inputs[0]
        for other in inputs[1:]:
            out = out * other
        return out


class Concatenate(_Merge):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _merge(self, inputs):
        return ag.concat(inputs, self.axis)


def add(inputs, **kwargs):
    return Add(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    return Multiply(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    return Concatenate(axis=axis, **kwargs)(inputs)


# the recurrent layers live in their own module, built on the definitions above
from .recurrent import GRU, LSTM, Bidirectional, SimpleRNN, TimeDistributed  # noqa: E402,F401
