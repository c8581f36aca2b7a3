"""Updates to parts of variables (scatter_*, count_up_to), assign(validate_shape=False)
and ExponentialMovingAverage: TF1's values, errors and transactions."""
import numpy as np
import pytest

import autograd.tf1 as ours


def _tensorflow():
    tf = pytest.importorskip("tensorflow.compat.v1",
                             reason="tensorflow is not installed (extra 'bench')")
    tf.disable_v2_behavior()
    return tf


def _scatter_program(tf):
    with tf.Graph().as_default():
        v = tf.Variable(np.arange(12, dtype=np.float32).reshape(4, 3))
        ops = [tf.scatter_update(v, [3, 0], [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]),
               tf.scatter_add(v, [1, 1], np.ones((2, 3), np.float32)),
               tf.scatter_sub(v, [2], [[0.5, 0.5, 0.5]]),
               tf.scatter_nd_update(v, [[0, 1], [3, 2]], [-7.0, -8.0]),
               tf.scatter_nd_add(v, [[2, 2], [2, 2]], [10.0, 5.0])]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            outputs = [sess.run(op) for op in ops]
            return outputs, sess.run(v)


def test_scatter_updates_change_rows_and_entries():
    outputs, final = _scatter_program(ours)
    expected = np.arange(12, dtype=np.float32).reshape(4, 3)
    expected[[3, 0]] = [[1, 1, 1], [2, 2, 2]]
    expected[1] += 2
    expected[2] -= 0.5
    expected[0, 1], expected[3, 2] = -7, -8
    expected[2, 2] += 15
    np.testing.assert_array_equal(final, expected)
    np.testing.assert_array_equal(outputs[-1], expected)  # each outputs the new value


def test_scatter_updates_match_tensorflow():
    ours_out, ours_final = _scatter_program(ours)
    theirs_out, theirs_final = _scatter_program(_tensorflow())
    np.testing.assert_array_equal(ours_final, theirs_final)
    for a, b in zip(ours_out, theirs_out):
        np.testing.assert_array_equal(a, b)


def test_a_scatter_outside_the_variable_fails_and_changes_nothing():
    with ours.Graph().as_default():
        v = ours.Variable(np.zeros((3, 2), np.float32))
        both = ours.group(v.assign_add(np.ones((3, 2), np.float32)),
                          ours.scatter_update(v, [5], [[1.0, 2.0]]))
        with ours.Session() as sess:
            sess.run(v.initializer)
            with pytest.raises(ours.errors.InvalidArgumentError, match="index 5 is outside"):
                sess.run(both)
            assert sess.run(v).sum() == 0.0   # the run's other write was dropped too
        with pytest.raises(ValueError, match="do not fit"):
            ours.scatter_update(v, [0], [[1.0, 2.0, 3.0]])


def test_count_up_to_counts_then_stops():
    with ours.Graph().as_default():
        n = ours.Variable(0, dtype=ours.int32)
        step = ours.count_up_to(n, 2)
        with ours.Session() as sess:
            sess.run(n.initializer)
            assert [sess.run(step), sess.run(step)] == [0, 1]
            with pytest.raises(ours.errors.OutOfRangeError, match="Reached limit of 2"):
                sess.run(step)
            assert sess.run(n) == 2


def test_assign_without_shape_validation():
    with ours.Graph().as_default():
        free = ours.Variable([1.0, 2.0], validate_shape=False)
        grow = ours.assign(free, [1.0, 2.0, 3.0], validate_shape=False)
        with ours.Session() as sess:
            sess.run(free.initializer)
            assert sess.run(grow).tolist() == [1.0, 2.0, 3.0]
            assert sess.run(free).tolist() == [1.0, 2.0, 3.0]
        fixed = ours.Variable([1.0, 2.0])
        with pytest.raises(ValueError, match="create it with Variable"):
            ours.assign(fixed, [1.0, 2.0, 3.0], validate_shape=False)


def _ema_program(tf):
    with tf.Graph().as_default():
        w = tf.Variable([1.0, -1.0], name="w")
        b = tf.Variable(0.5, name="b")
        step = tf.Variable(0, dtype=tf.int64, trainable=False, name="step")
        ema = tf.train.ExponentialMovingAverage(0.9, num_updates=step)
        with tf.control_dependencies([w.assign_add([1.0, 2.0]), step.assign_add(1)]):
            train = ema.apply([w, b])
        names = sorted(ema.variables_to_restore())
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
            return (sess.run([ema.average(w), ema.average(b)]), names,
                    ema.average_name(w), ema.average(w).op.name)


def test_moving_averages_follow_tf1():
    (averages, names, average_name, shadow_name) = _ema_program(ours)
    # decay = min(0.9, (1 + n) / (10 + n)) with n = 1, 2, 3 (the step is bumped first)
    shadow, value = np.array([1.0, -1.0]), np.array([1.0, -1.0])
    for n in (1, 2, 3):
        value = value + [1.0, 2.0]
        decay = min(0.9, (1 + n) / (10 + n))
        shadow = shadow - (1 - decay) * (shadow - value)
    np.testing.assert_allclose(averages[0], shadow, rtol=1e-6)
    assert averages[1] == pytest.approx(0.5)
    assert names == ["b/ExponentialMovingAverage", "step", "w/ExponentialMovingAverage"]
    assert average_name == shadow_name == "w/ExponentialMovingAverage"


def test_moving_averages_match_tensorflow():
    ours_result, theirs_result = _ema_program(ours), _ema_program(_tensorflow())
    np.testing.assert_allclose(ours_result[0][0], theirs_result[0][0], rtol=1e-6)
    assert ours_result[1:] == theirs_result[1:]
