"""cond, while_loop and map_fn: values, only the taken branch running, gradients checked
by finite differences (float64), captured variables, and the errors users meet."""
import numpy as np
import pytest

import autograd as ag
from autograd.testing import check_gradients


def run(fetches, feed=None):
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        return sess.run(fetches, feed)


def _counting_op(calls):
    def forward(x):
        calls.append(1)
        return x
    return ag.define_op("TestCount", forward=forward, shape=lambda x: (x.shape, x.dtype),
                        grad=lambda op, dy: [dy])


def test_cond_runs_only_the_branch_taken():
    calls = []
    Count = _counting_op(calls)
    x = ag.placeholder(ag.float32, [])
    y = ag.cond(x > 0, lambda: Count(x) * 2.0, lambda: -x)
    assert run(y, {x: -3.0}) == 3.0 and calls == []
    assert run(y, {x: 4.0}) == 8.0 and calls == [1]


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_cond_gradients_first_and_second_order(sign):
    """Each branch differentiated by finite differences, and the gradient of the gradient
    (an If over the branches' gradient bodies) too."""
    def function(a, b):
        return ag.cond(ag.reduce_sum(a) * sign > 0,
                       lambda: ag.sin(a) * b + ag.square(b),
                       lambda: ag.exp(a * 0.3) - a * b)
    rng = np.random.default_rng(0)
    check_gradients(function, [np.abs(rng.standard_normal((2, 3))) + 0.1,
                               rng.standard_normal((2, 3))])


def test_cond_returns_structures_and_checks_the_branches():
    x = ag.constant(2.0)
    pair = ag.cond(x > 1.0, lambda: (x, [x * 2.0]), lambda: (x - 1.0, [x]))
    assert isinstance(pair, tuple) and isinstance(pair[1], list)
    assert run([pair[0], pair[1][0]]) == [2.0, 4.0]
    with pytest.raises(TypeError, match="cast one of them"):
        ag.cond(x > 1.0, lambda: x, lambda: ag.constant(1))
    with pytest.raises(ValueError, match="structures differ"):
        ag.cond(x > 1.0, lambda: (x, x), lambda: x)


def test_gradients_reach_variables_used_inside_the_branches():
    w = ag.Variable(np.array([1.0, 2.0]), name="w")
    x = ag.placeholder(ag.float64, [2])
    y = ag.cond(ag.reduce_sum(x) > 0, lambda: ag.reduce_sum(w * x),
                lambda: ag.reduce_sum(w * w))
    grad, = ag.gradients(y, [w])
    np.testing.assert_allclose(run(grad, {x: [3.0, 4.0]}), [3.0, 4.0])
    np.testing.assert_allclose(run(grad, {x: [-3.0, 1.0]}), [2.0, 4.0])


def test_while_loop_values_and_structures():
    i, total = ag.while_loop(lambda i, t: i < 5, lambda i, t: (i + 1, t + ag.to_float(i)),
                             [ag.constant(0), ag.constant(0.0)])
    assert run([i, total]) == [5, 10.0]
    capped = ag.while_loop(lambda n: n < 100, lambda n: n * 2, [ag.constant(1)],
                           maximum_iterations=3)
    assert run(capped) == 8
    state = ag.while_loop(lambda s: s["n"] < 3,
                          lambda s: {"n": s["n"] + 1, "x": s["x"] * 2.0},
                          [{"n": ag.constant(0), "x": ag.constant([1.0, 3.0])}])
    np.testing.assert_allclose(run(state[0]["x"]), [8.0, 24.0])


def test_while_loop_gradients_match_finite_differences():
    """x -> x * w + sin(x), four times, with a captured tensor: the backward pass is a
    loop over the recorded iterations in reverse."""
    def function(x, w):
        _, out = ag.while_loop(lambda i, v: i < 4,
                               lambda i, v: (i + 1, v * w + ag.sin(v)),
                               [ag.constant(0), x])
        return out
    rng = np.random.default_rng(1)
    check_gradients(function, [rng.standard_normal((3,)), rng.standard_normal((3,)) * 0.5],
                    order=1)


def test_while_loop_gradient_with_no_iteration_is_the_identity():
    x = ag.placeholder(ag.float64, [2])
    out = ag.while_loop(lambda v: ag.reduce_sum(v) > 10.0, lambda v: v * 3.0, [x])
    grad, = ag.gradients(ag.reduce_sum(out * out), [x])
    np.testing.assert_allclose(run(grad, {x: [1.0, 2.0]}), [2.0, 4.0])


def test_while_loop_shape_changes_need_shape_invariants():
    x = ag.constant(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="shape_invariants"):
        ag.while_loop(lambda v: ag.shape(v)[0] < 4, lambda v: ag.concat([v, v], 0), [x])
    grown = ag.while_loop(lambda v: ag.shape(v)[0] < 4, lambda v: ag.concat([v, v], 0), [x],
                          shape_invariants=[ag.Shape([None, 2])])
    assert grown.shape == (None, 2) and run(grown).shape == (4, 2)


def test_map_fn_values_and_gradients():
    def function(rows, scale):
        return ag.map_fn(lambda r: ag.reduce_sum(ag.tanh(r * scale)) * r, rows)
    rng = np.random.default_rng(2)
    check_gradients(function, [rng.standard_normal((4, 3)), rng.standard_normal((3,))],
                    order=1)
    pairs = ag.map_fn(lambda p: p[0] * p[1], (ag.constant([1.0, 2.0]), ag.constant([3.0, 4.0])))
    np.testing.assert_allclose(run(pairs), [3.0, 8.0])


def test_a_body_that_creates_a_variable_gets_a_clear_error():
    x = ag.constant(1.0)
    with pytest.raises(ValueError, match="create variables before it"):
        ag.cond(x > 0, lambda: ag.Variable(1.0) * x, lambda: x)


def test_assignments_inside_bodies_run_as_tf1_runs_them_and_commit_with_the_run():
    v = ag.Variable(0.0)
    w = ag.Variable(10.0)

    def body(i):
        with ag.control_dependencies([ag.assign_add(v, 1.0)]):
            return i + 1
    count = ag.while_loop(lambda i: i < 5, body, [0])
    chosen = ag.cond(count > 3, lambda: ag.assign_sub(w, 1.0), lambda: ag.assign_add(w, 1.0))
    feed = ag.placeholder(ag.float32, [])
    looped = ag.while_loop(lambda i: i < 3, lambda i: i + 0 * ag.assign_add(v, 1.0) + 1.0,
                           [0.0])
    with ag.control_dependencies([looped]):
        failing = ag.check_numerics(feed, "the feed")
    assert ag.effects(count.op)[1] == (v.handle,)
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        assert sess.run(count) == 5 and sess.run(v) == 5.0     # as tensorflow.compat.v1
        assert sess.run(chosen) == 9.0 and sess.run(v) == 10.0
        with pytest.raises(ag.errors.InvalidArgumentError, match="the feed"):
            sess.run(failing, {feed: np.nan})        # fails after the loop staged v += 3
        assert sess.run(v) == 10.0                   # the failed run published nothing
        sess.run(failing, {feed: 1.0})
        assert sess.run(v) == 13.0


def test_control_flow_ops_are_drawn_as_frames():
    x = ag.placeholder(ag.float32, [3], name="x")
    y = ag.while_loop(lambda v: ag.reduce_sum(v) < 10.0, lambda v: v * 2.0, [x])
    drawing = ag.draw(y)
    assert "while_loop: " in drawing.source and "ops inside" in drawing.source
    assert "control flow: a frame" in drawing.source


def test_a_forward_only_loop_runs_in_constant_memory_and_a_differentiated_one_records():
    import tracemalloc
    state = ag.placeholder(ag.float32, [1000])
    _, out = ag.while_loop(lambda i, s: i < 5000, lambda i, s: (i + 1, s * 0.5 + 1.0),
                           [0, state])
    zeros = np.zeros(1000, np.float32)
    with ag.Session() as sess:
        tracemalloc.start()
        try:
            sess.run(out, {state: zeros})
            forward_peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert forward_peak < 2e6        # 5,000 recorded iterations would be 20 MB
        grad, = ag.gradients(ag.reduce_sum(out), [state])
        np.testing.assert_allclose(sess.run(grad, {state: zeros}), np.full(1000, 0.5 ** 5000))


def test_back_prop_false_lets_no_gradient_through_the_loop_as_tf():
    x = ag.constant(3.0)
    _, v = ag.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x), [0, x],
                         back_prop=False)
    grad, = ag.gradients(v + x * x, [x])
    with ag.Session() as sess:
        assert sess.run(grad) == 6.0       # tensorflow.compat.v1 gives 6.0 too


def test_shape_invariants_given_as_plain_lists_and_a_vector_cond_is_refused_when_built():
    import autograd.tf1 as tf
    k, a = tf.while_loop(lambda k, a: k < 2, lambda k, a: (k + 1, tf.concat([a, a], 0)),
                         [0, tf.ones([3])], shape_invariants=[[], [None]])
    with tf.Session() as sess:
        assert sess.run(a).shape == (12,)
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
        tf.while_loop(lambda a: tf.constant([True, False]), lambda a: a + 1, [tf.constant(1)])


def test_a_second_order_gradient_through_a_loop_is_refused_as_in_tf1():
    x = ag.constant(2.0)
    _, y = ag.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x), [0, x])
    first, = ag.gradients(y, [x])
    with pytest.raises(TypeError, match="Second-order gradient for while loops not supported"):
        ag.gradients(first, [x])


def test_nested_loops_are_differentiable():
    x = ag.constant(2.0)

    def outer_body(i, acc):
        _, inner = ag.while_loop(lambda j, a: j < 2, lambda j, a: (j + 1, a * x), [0, acc])
        return i + 1, inner
    _, y = ag.while_loop(lambda i, a: i < 3, outer_body, [0, ag.constant(1.0)])
    grad, = ag.gradients(y, [x])
    with ag.Session() as sess:
        assert sess.run([y, grad]) == [64.0, 192.0]     # x**6 and 6 x**5


def test_ctrl_c_inside_a_loop_that_assigns_publishes_nothing_and_the_session_goes_on():
    v = ag.Variable(0.0)
    interrupt_at = [3]

    def maybe_interrupt(i):
        interrupt_at[0] -= 1
        if interrupt_at[0] == 0:
            raise KeyboardInterrupt      # as a Ctrl-C landing in the third iteration
        return i

    def body(i):
        with ag.control_dependencies([ag.assign_add(v, 1.0)]):
            j = ag.py_func(maybe_interrupt, [i], ag.int32)
            j.set_shape([])
            return j + 1
    count = ag.while_loop(lambda i: i < 5, body, [0])
    with ag.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(KeyboardInterrupt):
            sess.run(count)
        assert sess.run(v) == 0.0            # two staged assign_adds were dropped
        assert sess.run(count) == 5 and sess.run(v) == 5.0
