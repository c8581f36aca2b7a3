"""tf.keras recurrent layers (TF 1.15's v1 layers): SimpleRNN, LSTM, GRU, Bidirectional,
TimeDistributed.

Keras's weight layout and defaults, so that weights move between Keras and here:
kernel [input, k*units], recurrent_kernel [units, k*units] (orthogonal), bias [k*units];
LSTM's gates in the order i, f, c, o with the forget bias starting at 1
(unit_forget_bias), GRU's z, r, h (reset_after=False); recurrent_activation
'hard_sigmoid'. The time loop is the engine's dynamic_rnn (a while_loop), with a cell
that computes Keras's step.
"""
import numpy as np

import autograd as ag

from .. import rnn as _rnn
from .layers import INITIALIZERS, Layer, get_activation, initializer


def _orthogonal(shape, dtype=ag.float32, gain=1.0):
    rows, cols = int(np.prod(shape[:-1])), shape[-1]
    matrix = np.random.default_rng().normal(size=(max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(matrix)
    q *= np.sign(np.diag(r))
    q = q if rows >= cols else q.T
    return ag.constant((gain * q[:rows, :cols]).reshape(shape).astype(np.float32))


INITIALIZERS["orthogonal"] = _orthogonal


class _Cell(_rnn.RNNCell):
    """A step of a Keras recurrent layer, over the layer's own weights."""

    def __init__(self, layer):
        super().__init__(layer.units, name=layer.name)
        self.layer = layer

    @property
    def state_size(self):
        return _rnn.LSTMStateTuple(self.num_units, self.num_units) \
            if isinstance(self.layer, LSTM) else self.num_units

    def _make_variables(self, depth, dtype):
        return self.layer.weights

    def call(self, inputs, state):
        return self.layer._step(inputs, state)


class _Recurrent(Layer):
    _gates = 1

    def __init__(self, units, activation="tanh", recurrent_activation="hard_sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 return_sequences=False, return_state=False, go_backwards=False,
                 dropout=0.0, recurrent_dropout=0.0, unit_forget_bias=True, **kwargs):
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = get_activation(activation)
        self.recurrent_activation = get_activation(recurrent_activation)
        self.use_bias, self.unit_forget_bias = use_bias, unit_forget_bias
        self.initializers = (kernel_initializer, recurrent_initializer, bias_initializer)
        self.regularizers = (kernel_regularizer, recurrent_regularizer, bias_regularizer)
        self.return_sequences, self.return_state = return_sequences, return_state
        self.go_backwards = go_backwards

    def build(self, input_shape):
        width = self._gates * self.units
        kernel, recurrent, bias = (initializer(i) for i in self.initializers)
        self.kernel = self.add_weight("kernel", (input_shape[-1], width), kernel,
                                      self.regularizers[0])
        self.recurrent_kernel = self.add_weight("recurrent_kernel", (self.units, width),
                                                recurrent, self.regularizers[1])
        if self.use_bias:
            if isinstance(self, LSTM) and self.unit_forget_bias:
                def bias(shape, dtype=ag.float32, units=self.units):
                    return ag.concat([ag.zeros([units]), ag.ones([units]),
                                      ag.zeros([2 * units])], 0)
            self.bias = self.add_weight("bias", (width,), bias, self.regularizers[2])
        else:
            self.bias = None

    def _linear(self, inputs, state):
        out = ag.matmul(inputs, self.kernel)
        return out + self.bias if self.bias is not None else out

    def call(self, inputs, initial_state=None):
        if self.go_backwards:
            inputs = ag.reverse(inputs, [1])
        outputs, state = _rnn.dynamic_rnn(_Cell(self), inputs, initial_state=initial_state,
                                          dtype=inputs.dtype, scope="rnn")
        last = outputs[:, -1]
        result = outputs if self.return_sequences else last
        if not self.return_state:
            return result
        states = [state.h, state.c] if isinstance(state, _rnn.LSTMStateTuple) else [state]
        return [result] + states


class SimpleRNN(_Recurrent):
    def __init__(self, units, activation="tanh", **kwargs):
        kwargs.pop("unit_forget_bias", None)
        super().__init__(units, activation=activation, **kwargs)

    def _step(self, inputs, state):
        h = self.activation(self._linear(inputs, state) +
                            ag.matmul(state, self.recurrent_kernel))
        return h, h


class LSTM(_Recurrent):
    _gates = 4

    def _step(self, inputs, state):
        c, h = state
        z = self._linear(inputs, state) + ag.matmul(h, self.recurrent_kernel)
        i, f, candidate, o = ag.split(z, 4, axis=1)
        i, f, o = (self.recurrent_activation(g) for g in (i, f, o))
        new_c = f * c + i * self.activation(candidate)
        new_h = o * self.activation(new_c)
        return new_h, _rnn.LSTMStateTuple(new_c, new_h)


class GRU(_Recurrent):
    _gates = 3

    def _step(self, inputs, state):
        x_z, x_r, x_h = ag.split(self._linear(inputs, state), 3, axis=1)
        u_z, u_r, u_h = ag.split(self.recurrent_kernel, 3, axis=1)
        z = self.recurrent_activation(x_z + ag.matmul(state, u_z))
        r = self.recurrent_activation(x_r + ag.matmul(state, u_r))
        candidate = self.activation(x_h + ag.matmul(r * state, u_h))
        h = z * state + (1.0 - z) * candidate
        return h, h


class Bidirectional(Layer):
    """A recurrent layer run forwards and (a copy) backwards; outputs merged by
    `merge_mode` ('concat', 'sum', 'mul', 'ave')."""

    def __init__(self, layer, merge_mode="concat", **kwargs):
        super().__init__(**kwargs)
        config = dict(vars(layer))
        self.forward_layer = layer
        self.backward_layer = type(layer).__new__(type(layer))
        self.backward_layer.__dict__.update(config)
        self.backward_layer.__dict__.update(
            name="backward_" + layer.name.replace("forward_", "", 1),
            go_backwards=not layer.go_backwards, built=False, _weights=[], losses=[],
            _scope=None)
        if not layer.name.startswith("forward_"):   # (again, when made from a config)
            self.forward_layer.name = "forward_" + layer.name
        self.merge_mode = merge_mode

    def call(self, inputs):
        forward = self.forward_layer(inputs)
        backward = self.backward_layer(inputs)
        if self.forward_layer.return_sequences:
            backward = ag.reverse(backward, [1])
        self._weights = self.forward_layer.weights + self.backward_layer.weights
        merge = {"concat": lambda a, b: ag.concat([a, b], -1), "sum": lambda a, b: a + b,
                 "mul": lambda a, b: a * b, "ave": lambda a, b: (a + b) / 2}[self.merge_mode]
        return merge(forward, backward)


class TimeDistributed(Layer):
    """`layer` applied to every time step of [batch, time, ...] inputs."""

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        self.layer = layer

    def call(self, inputs):
        time = inputs.shape[1]
        rest = list(inputs.shape)[2:]
        flat = ag.reshape(inputs, [-1] + rest)
        out = self.layer(flat)
        self._weights = self.layer.weights
        return ag.reshape(out, ag.concat([ag.stack([ag.shape(inputs)[0], time if time
                                                    is not None else -1]),
                                          ag.shape(out)[1:]], 0))
