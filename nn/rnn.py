"""Recurrent nets as TF1 wrote them: cells (tf.nn.rnn_cell.*), static_rnn (unrolled in
the graph) and dynamic_rnn (a while_loop over time, so sequences of any length share one
graph). Cells create their variables on first use, outside any loop, under TF's names
(`rnn/lstm_cell/kernel`), with TF's weight layouts:

- BasicRNNCell: h' = activation([x, h] @ kernel + bias)
- BasicLSTMCell / LSTMCell: [i, j, f, o] = [x, h] @ kernel + bias;
  c' = c * sigmoid(f + forget_bias) + sigmoid(i) * activation(j); h' = activation(c') *
  sigmoid(o); the state is LSTMStateTuple(c, h)
- GRUCell: [r, u] = sigmoid([x, h] @ gates_kernel + gates_bias) (bias starts at 1);
  candidate = activation([x, r * h] @ candidate_kernel + candidate_bias);
  h' = u * h + (1 - u) * candidate
"""
import collections

import autograd as ag

from . import init as initializers
from .activations import sigmoid, tanh
from .regularization import dropout

LSTMStateTuple = collections.namedtuple("LSTMStateTuple", ("c", "h"))


class RNNCell:
    """Base class: `cell(inputs, state)` returns (output, new state)."""

    default_name = "rnn_cell"

    def __init__(self, num_units, activation=None, name=None, kernel_initializer=None,
                 bias_initializer=None):
        self.num_units = int(num_units)
        self.activation = activation or tanh
        self.name = name or self.default_name
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self._variables = None

    @property
    def state_size(self):
        return self.num_units

    @property
    def output_size(self):
        return self.num_units

    def zero_state(self, batch_size, dtype):
        """Zeros in the shape of the state, for a batch of `batch_size` (a number or a
        scalar tensor)."""
        return _zeros_like_structure(self.state_size, batch_size, dtype)

    @property
    def variables(self):
        return list(self._variables or [])

    trainable_variables = variables

    def build(self, input_depth, dtype=ag.float32):
        """Create the variables (once), in the current name scope + the cell's name."""
        if self._variables is None:
            with ag.name_scope(self.name):
                self._variables = self._make_variables(int(input_depth), dtype)
        return self._variables

    def _variable(self, name, shape, initializer, default, dtype):
        value = (initializer or default)(shape, dtype)
        return ag.Variable(value, name=name, dtype=dtype)

    def __call__(self, inputs, state, scope=None):
        inputs = ag.convert_to_tensor(inputs)
        if inputs.shape is None or inputs.shape[-1] is None:
            raise ValueError(f"{type(self).__name__} needs the last dimension of its "
                             f"inputs known, got {ag.shapes.fmt(inputs.shape)}")
        self.build(inputs.shape[-1], inputs.dtype)
        return self.call(inputs, state)


def _zeros_like_structure(size, batch_size, dtype):
    if isinstance(size, tuple):
        parts = [_zeros_like_structure(s, batch_size, dtype) for s in size]
        return type(size)(*parts) if hasattr(size, "_fields") else tuple(parts)
    return ag.zeros([batch_size, size], dtype)


def _linear(inputs, kernel, bias):
    return ag.matmul(ag.concat(inputs, 1), kernel) + bias


class BasicRNNCell(RNNCell):
    default_name = "basic_rnn_cell"

    def _make_variables(self, depth, dtype):
        self.kernel = self._variable("kernel", [depth + self.num_units, self.num_units],
                                     self.kernel_initializer, initializers.glorot_uniform(),
                                     dtype)
        self.bias = self._variable("bias", [self.num_units], self.bias_initializer,
                                   initializers.zeros(), dtype)
        return [self.kernel, self.bias]

    def call(self, inputs, state):
        output = self.activation(_linear([inputs, state], self.kernel, self.bias))
        return output, output


class BasicLSTMCell(RNNCell):
    default_name = "basic_lstm_cell"

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None,
                 name=None, initializer=None):
        super().__init__(num_units, activation, name, initializer)
        if not state_is_tuple:
            raise ValueError("only state_is_tuple=True is supported (TF's default)")
        self.forget_bias = float(forget_bias)

    @property
    def state_size(self):
        return LSTMStateTuple(self.num_units, self.num_units)

    def _make_variables(self, depth, dtype):
        self.kernel = self._variable("kernel", [depth + self.num_units, 4 * self.num_units],
                                     self.kernel_initializer, initializers.glorot_uniform(),
                                     dtype)
        self.bias = self._variable("bias", [4 * self.num_units], None, initializers.zeros(),
                                   dtype)
        return [self.kernel, self.bias]

    def call(self, inputs, state):
        c, h = state
        i, j, f, o = ag.split(_linear([inputs, h], self.kernel, self.bias), 4, axis=1)
        new_c = c * sigmoid(f + self.forget_bias) + sigmoid(i) * self.activation(j)
        new_h = self.activation(new_c) * sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)


class LayerNormBasicLSTMCell(BasicLSTMCell):
    """tf.contrib.rnn's LSTM with layer normalization (Ba et al. 2016): each gate's input
    and the new cell state are normalised over the units, then scaled by a gain
    (norm_gain) and shifted (norm_shift), both learned per gate; recurrent dropout on the
    candidate values with dropout_keep_prob < 1."""

    default_name = "layer_norm_basic_lstm_cell"
    _PARTS = ("input", "transform", "forget", "output", "state")

    def __init__(self, num_units, forget_bias=1.0, input_size=None, activation=None,
                 layer_norm=True, norm_gain=1.0, norm_shift=0.0, dropout_keep_prob=1.0,
                 dropout_prob_seed=None, reuse=None):
        super().__init__(num_units, forget_bias, True, activation)
        self.layer_norm, self.norm_gain, self.norm_shift = layer_norm, norm_gain, norm_shift
        self.keep_prob, self.seed = dropout_keep_prob, dropout_prob_seed

    def _make_variables(self, depth, dtype):
        made = super()._make_variables(depth, dtype)
        self.norms = {}
        if self.layer_norm:
            for part in self._PARTS:
                with ag.name_scope(part):
                    gamma = self._variable("gamma", [self.num_units], None,
                                           initializers.constant(self.norm_gain), dtype)
                    beta = self._variable("beta", [self.num_units], None,
                                          initializers.constant(self.norm_shift), dtype)
                self.norms[part] = (gamma, beta)
                made += [gamma, beta]
        return made

    def _norm(self, x, part):
        if not self.layer_norm:
            return x
        gamma, beta = self.norms[part]
        mean = ag.reduce_mean(x, axis=1, keepdims=True)
        variance = ag.reduce_mean(ag.square(x - mean), axis=1, keepdims=True)
        return (x - mean) * ag.rsqrt(variance + 1e-5) * gamma + beta

    def call(self, inputs, state):
        c, h = state
        gates = ag.split(_linear([inputs, h], self.kernel, self.bias), 4, axis=1)
        i, j, f, o = [self._norm(g, part) for g, part in zip(gates, self._PARTS)]
        candidate = self.activation(j)
        if self.keep_prob < 1.0:
            candidate = dropout(candidate, self.keep_prob, seed=self.seed)
        new_c = self._norm(c * sigmoid(f + self.forget_bias) + sigmoid(i) * candidate, "state")
        new_h = self.activation(new_c) * sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)


class LSTMCell(BasicLSTMCell):
    """TF1's LSTMCell without peepholes, clipping or projection (which raise)."""

    default_name = "lstm_cell"

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_proj=None, proj_clip=None, forget_bias=1.0, state_is_tuple=True,
                 activation=None, name=None):
        if use_peepholes or cell_clip is not None or num_proj is not None:
            raise NotImplementedError("LSTMCell: peepholes, cell_clip and num_proj are not "
                                      "supported")
        super().__init__(num_units, forget_bias, state_is_tuple, activation, name,
                         initializer)


class GRUCell(RNNCell):
    default_name = "gru_cell"

    def _make_variables(self, depth, dtype):
        width = depth + self.num_units
        self.gates_kernel = self._variable("gates/kernel", [width, 2 * self.num_units],
                                           self.kernel_initializer,
                                           initializers.glorot_uniform(), dtype)
        self.gates_bias = self._variable("gates/bias", [2 * self.num_units],
                                         self.bias_initializer, initializers.constant(1.0),
                                         dtype)
        self.candidate_kernel = self._variable("candidate/kernel", [width, self.num_units],
                                               self.kernel_initializer,
                                               initializers.glorot_uniform(), dtype)
        self.candidate_bias = self._variable("candidate/bias", [self.num_units],
                                             self.bias_initializer, initializers.zeros(),
                                             dtype)
        return [self.gates_kernel, self.gates_bias, self.candidate_kernel,
                self.candidate_bias]

    def call(self, inputs, state):
        gates = sigmoid(_linear([inputs, state], self.gates_kernel, self.gates_bias))
        r, u = ag.split(gates, 2, axis=1)
        candidate = self.activation(_linear([inputs, r * state], self.candidate_kernel,
                                             self.candidate_bias))
        new_h = u * state + (1.0 - u) * candidate
        return new_h, new_h


class MultiRNNCell(RNNCell):
    """Cells stacked: each one's output is the next one's input; the state is the tuple
    of their states."""

    def __init__(self, cells, state_is_tuple=True):
        self.cells = list(cells)
        self.name = "multi_rnn_cell"

    @property
    def state_size(self):
        return tuple(cell.state_size for cell in self.cells)

    @property
    def output_size(self):
        return self.cells[-1].output_size

    @property
    def variables(self):
        return [v for cell in self.cells for v in cell.variables]

    def build(self, input_depth, dtype=ag.float32):
        with ag.name_scope(self.name):
            for number, cell in enumerate(self.cells):
                with ag.name_scope(f"cell_{number}"):
                    cell.build(input_depth, dtype)
                input_depth = cell.output_size
        return self.variables

    def __call__(self, inputs, state, scope=None):
        inputs = ag.convert_to_tensor(inputs)
        self.build(inputs.shape[-1], inputs.dtype)
        return self.call(inputs, state)

    def call(self, inputs, state):
        states = []
        for cell, cell_state in zip(self.cells, state):
            inputs, new_state = cell(inputs, cell_state)
            states.append(new_state)
        return inputs, tuple(states)


class DropoutWrapper(RNNCell):
    """Dropout on a cell's inputs and outputs (keep probabilities may be tensors)."""

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, seed=None):
        self.cell = cell
        self.input_keep_prob, self.output_keep_prob = input_keep_prob, output_keep_prob
        self.seed = seed
        self.name = cell.name

    state_size = property(lambda self: self.cell.state_size)
    output_size = property(lambda self: self.cell.output_size)
    variables = property(lambda self: self.cell.variables)

    def build(self, input_depth, dtype=ag.float32):
        return self.cell.build(input_depth, dtype)

    def __call__(self, inputs, state, scope=None):
        if not (isinstance(self.input_keep_prob, float) and self.input_keep_prob == 1.0):
            inputs = dropout(inputs, self.input_keep_prob, seed=self.seed)
        output, new_state = self.cell(inputs, state)
        if not (isinstance(self.output_keep_prob, float) and self.output_keep_prob == 1.0):
            output = dropout(output, self.output_keep_prob, seed=self.seed)
        return output, new_state


def _initial_state(cell, batch_size, initial_state, dtype):
    if initial_state is not None:
        return initial_state
    if dtype is None:
        raise ValueError("give initial_state or dtype, as TF1 requires")
    return cell.zero_state(batch_size, dtype)


def _masked(mask, new, old):
    """Per batch row: `new` where the sequence still runs, `old` after its end."""
    flat_new, flat_old = ag.nest.flatten(new), ag.nest.flatten(old)
    return ag.nest.pack_sequence_as(new, [ag.where(mask, n, o)
                                          for n, o in zip(flat_new, flat_old)])


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None,
               scope=None):
    """Run `cell` over the list `inputs` (one [batch, depth] tensor per time step),
    unrolled in the graph. Returns (outputs list, final state); past a row's
    `sequence_length` its outputs are zeros and its state stays."""
    inputs = [ag.convert_to_tensor(x) for x in inputs]
    with ag.name_scope(scope or "rnn"):
        cell.build(inputs[0].shape[-1], inputs[0].dtype)
        state = _initial_state(cell, ag.shape(inputs[0])[0], initial_state, dtype)
        outputs = []
        for t, x in enumerate(inputs):
            output, new_state = cell(x, state)
            if sequence_length is not None:
                running = ag.expand_dims(t < ag.convert_to_tensor(sequence_length), 1)
                output = ag.where(running, output, ag.zeros_like(output))
                new_state = _masked(running, new_state, state)
            outputs.append(output)
            state = new_state
        return outputs, state


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None,
                parallel_iterations=None, swap_memory=False, time_major=False, scope=None):
    """Run `cell` over `inputs` ([batch, time, depth], or [time, batch, depth] when
    time_major) in a while_loop. Returns (outputs in the same layout, final state)."""
    inputs = ag.convert_to_tensor(inputs)
    if inputs.shape is None or len(inputs.shape) != 3 or inputs.shape[2] is None:
        raise ValueError(f"dynamic_rnn needs [batch, time, depth] inputs with a known depth, "
                         f"got {ag.shapes.fmt(inputs.shape)}")
    with ag.name_scope(scope or "rnn"):
        cell.build(inputs.shape[2], inputs.dtype)
        steps = inputs if time_major else ag.transpose(inputs, [1, 0, 2])
        batch = ag.shape(steps)[1]
        state = _initial_state(cell, batch, initial_state, dtype)
        lengths = None if sequence_length is None else ag.convert_to_tensor(sequence_length)
        units = cell.output_size
        collected = ag.zeros([0, batch, units], inputs.dtype)

        def body(t, state, collected):
            output, new_state = cell(ag.gather(steps, t), state)
            if lengths is not None:
                running = ag.expand_dims(t < lengths, 1)
                output = ag.where(running, output, ag.zeros_like(output))
                new_state = _masked(running, new_state, state)
            collected = ag.concat([collected, ag.expand_dims(output, 0)], 0)
            return t + 1, new_state, collected

        invariants = (None, ag.nest.pack_sequence_as(state, [
            ag.Shape([None, s.shape[1] if s.shape is not None else None])
            for s in ag.nest.flatten(state)]), ag.Shape([None, None, units]))
        _, state, collected = ag.while_loop(
            lambda t, state, collected: t < ag.shape(steps)[0], body,
            (ag.constant(0), state, collected), shape_invariants=invariants)
        time = inputs.shape[0 if time_major else 1]
        if time is not None:  # keep the static time dimension, as TF does
            collected = ag.reshape(collected, [time, batch, units])
        outputs = collected if time_major else ag.transpose(collected, [1, 0, 2])
        return outputs, state


def _reversed_in_time(tensor, lengths, time_axis):
    """Each sequence reversed within its length (all of the time axis when no lengths)."""
    if lengths is None:
        return ag.reverse(tensor, [time_axis])
    return ag.reverse_sequence(tensor, lengths, seq_axis=time_axis, batch_axis=1 - time_axis)


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None,
                              initial_state_fw=None, initial_state_bw=None, dtype=None,
                              parallel_iterations=None, swap_memory=False, time_major=False,
                              scope=None):
    """((outputs_fw, outputs_bw), (state_fw, state_bw)): one dynamic_rnn reading forward
    and one reading each sequence backwards within its length; the backward outputs
    are put back in time order (concatenate them along the last axis for one layer)."""
    inputs = ag.convert_to_tensor(inputs)
    time_axis = 0 if time_major else 1
    lengths = None if sequence_length is None else ag.convert_to_tensor(sequence_length)
    with ag.name_scope(scope or "bidirectional_rnn"):
        outputs_fw, state_fw = dynamic_rnn(cell_fw, inputs, lengths, initial_state_fw, dtype,
                                           time_major=time_major, scope="fw")
        backwards = _reversed_in_time(inputs, lengths, time_axis)
        reversed_bw, state_bw = dynamic_rnn(cell_bw, backwards, lengths, initial_state_bw,
                                            dtype, time_major=time_major, scope="bw")
        outputs_bw = _reversed_in_time(reversed_bw, lengths, time_axis)
    return (outputs_fw, outputs_bw), (state_fw, state_bw)


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None,
                             initial_state_bw=None, dtype=None, sequence_length=None,
                             scope=None):
    """(outputs, state_fw, state_bw) over the list `inputs`: each output is the forward
    and backward outputs of that time step, concatenated."""
    inputs = [ag.convert_to_tensor(x) for x in inputs]
    with ag.name_scope(scope or "bidirectional_rnn"):
        outputs_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype,
                                          sequence_length, scope="fw")
        if sequence_length is None:
            backwards = inputs[::-1]
        else:
            stacked = _reversed_in_time(ag.stack(inputs), ag.convert_to_tensor(
                sequence_length), 0)
            backwards = ag.unstack(stacked, len(inputs))
        outputs_bw, state_bw = static_rnn(cell_bw, backwards, initial_state_bw, dtype,
                                          sequence_length, scope="bw")
        if sequence_length is None:
            outputs_bw = outputs_bw[::-1]
        else:
            outputs_bw = ag.unstack(_reversed_in_time(ag.stack(outputs_bw), ag.convert_to_tensor(
                sequence_length), 0), len(inputs))
        outputs = [ag.concat([f, b], 1) for f, b in zip(outputs_fw, outputs_bw)]
    return outputs, state_fw, state_bw
