"""RNN cells, static_rnn and dynamic_rnn: the loop and the unrolled graph agree, masking
by sequence_length, and gradients checked by finite differences."""
import numpy as np
import pytest

import autograd as ag
import nn

CELLS = {"rnn": lambda name: nn.rnn_cell.BasicRNNCell(4, name=name),
         "lstm": lambda name: nn.rnn_cell.LSTMCell(4, name=name),
         "gru": lambda name: nn.rnn_cell.GRUCell(4, name=name),
         "stacked": lambda name: nn.rnn_cell.MultiRNNCell(
             [nn.rnn_cell.BasicLSTMCell(3, name=name + "a"),
              nn.rnn_cell.GRUCell(4, name=name + "b")])}


@pytest.mark.parametrize("kind", CELLS)
def test_dynamic_rnn_equals_the_unrolled_static_rnn(kind):
    rng = np.random.default_rng(0)
    x = ag.placeholder(ag.float64, [None, 5, 3])
    loop_cell, unrolled_cell = CELLS[kind]("loop"), CELLS[kind]("unrolled")
    outputs, state = nn.dynamic_rnn(loop_cell, x, dtype=ag.float64)
    steps, final = nn.static_rnn(unrolled_cell, ag.unstack(x, axis=1), dtype=ag.float64)
    assert outputs.shape == (None, 5, 4)
    loss_loop = ag.reduce_sum(ag.sin(outputs)) + sum(ag.reduce_sum(s) for s in
                                                      ag.nest.flatten(state))
    loss_unrolled = ag.reduce_sum(ag.sin(ag.stack(steps, 1))) + sum(
        ag.reduce_sum(s) for s in ag.nest.flatten(final))
    grads = ag.gradients(loss_loop, loop_cell.variables + [x])
    grads_unrolled = ag.gradients(loss_unrolled, unrolled_cell.variables + [x])
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        sess.run([u.assign(v) for u, v in zip(unrolled_cell.variables, loop_cell.variables)])
        feed = {x: rng.standard_normal((2, 5, 3))}
        got = sess.run([outputs, grads], feed)
        expected = sess.run([ag.stack(steps, 1), grads_unrolled], feed)
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-12)
    for a, b in zip(got[1], expected[1]):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_sequence_length_masks_outputs_and_keeps_the_last_state():
    rng = np.random.default_rng(1)
    x = ag.placeholder(ag.float64, [2, 4, 3])
    cell = nn.rnn_cell.GRUCell(3, name="masked")
    outputs, state = nn.dynamic_rnn(cell, x, sequence_length=[2, 4], dtype=ag.float64)
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        out, last = sess.run([outputs, state], {x: rng.standard_normal((2, 4, 3))})
    assert np.all(out[0, 2:] == 0) and np.all(out[1] != 0)
    np.testing.assert_allclose(last[0], out[0, 1])
    np.testing.assert_allclose(last[1], out[1, 3])


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_rnn_gradients_match_finite_differences(kind):
    """d(loss)/d(inputs, initial state, weights) through the while_loop, against central
    differences along random directions (float64)."""
    rng = np.random.default_rng(2)
    x = ag.placeholder(ag.float64, [2, 3, 2])
    h0 = ag.placeholder(ag.float64, [2, 4])
    cell = CELLS[kind](f"checked_{kind}")
    initial = nn.rnn_cell.LSTMStateTuple(h0 * 0.5, h0) if kind == "lstm" else h0
    outputs, _ = nn.dynamic_rnn(cell, x, initial_state=initial)
    weights = rng.standard_normal((2, 3, 4))
    loss = ag.reduce_sum(outputs * weights)
    grads = ag.gradients(loss, [x, h0, cell.variables[0]])
    point = {x: rng.standard_normal((2, 3, 2)), h0: rng.standard_normal((2, 4))}
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        kernel = cell.variables[0]
        kernel_value = sess.run(kernel)
        got = sess.run(grads, point)
        directions = [rng.standard_normal(point[x].shape), rng.standard_normal((2, 4)),
                      rng.standard_normal(kernel_value.shape)]
        predicted = sum(np.sum(g * d) for g, d in zip(got, directions))

        def loss_at(step):
            feed = {x: point[x] + step * directions[0], h0: point[h0] + step * directions[1]}
            sess.run(kernel.assign(kernel_value + step * directions[2]))
            return sess.run(loss, feed)
        eps = 1e-6
        numeric = (loss_at(eps) - loss_at(-eps)) / (2 * eps)
    np.testing.assert_allclose(predicted, numeric, rtol=1e-6)


def test_cells_create_their_variables_once_under_tf_names():
    cell = nn.rnn_cell.BasicLSTMCell(5)
    x = ag.placeholder(ag.float32, [None, 7, 3])
    nn.dynamic_rnn(cell, x, dtype=ag.float32)
    assert [v.op.name for v in cell.variables] == ["rnn/basic_lstm_cell/kernel",
                                                   "rnn/basic_lstm_cell/bias"]
    assert cell.variables[0].shape == (8, 20)
    with pytest.raises(ValueError, match="initial_state or dtype"):
        nn.dynamic_rnn(nn.rnn_cell.GRUCell(2), x)
