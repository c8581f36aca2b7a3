"""FTRL, the proximal optimizers, Adagrad-DA and the learning-rate decays against TF1.

The expected numbers were printed by tensorflow.compat.v1 (2.21) running the same
program; where TensorFlow is installed the program also runs there, live."""
import numpy as np
import pytest

import autograd.tf1 as ours

OPTIMIZERS = {
    "ftrl": (lambda tf, step: tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.1,
                                                     l2_regularization_strength=0.2),
             [-0.14444733, -0.44428876, -0.54682308]),
    "proximal gradient descent": (lambda tf, step: tf.train.ProximalGradientDescentOptimizer(
        0.3, 0.1, 0.2), [-0.07189415, -0.10544866, -0.38517338]),
    "proximal adagrad": (lambda tf, step: tf.train.ProximalAdagradOptimizer(0.3, 0.1, 0.05, 0.2),
                         [0.12137108, -0.98636925, -0.25896803]),
    "adagrad dual averaging": (lambda tf, step: tf.train.AdagradDAOptimizer(0.3, step, 0.1, 0.01,
                                                                            0.2),
                               [-0.25360763, 0.18239136, -0.44170749]),
}


def _train(tf, make):
    with tf.Graph().as_default():
        w = tf.Variable(np.array([1.0, -2.0, 0.5], np.float32))
        c = tf.constant(np.array([0.3, -0.1, 0.7], np.float32))
        loss = tf.reduce_sum(w * c) + 0.5 * tf.reduce_sum(w * w)
        step = tf.train.get_or_create_global_step()
        train = make(tf, step).minimize(loss, global_step=step)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(5):
                sess.run(train)
            return sess.run(w)


def _tensorflow():
    tf = pytest.importorskip("tensorflow.compat.v1",
                             reason="tensorflow is not installed (extra 'bench')")
    tf.disable_v2_behavior()
    return tf


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_the_sparse_optimizers_follow_tf1s_update_rules(name):
    make, expected = OPTIMIZERS[name]
    np.testing.assert_allclose(_train(ours, make), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_the_sparse_optimizers_match_tensorflow(name):
    make, _ = OPTIMIZERS[name]
    np.testing.assert_allclose(_train(ours, make), _train(_tensorflow(), make), rtol=1e-5,
                               atol=1e-6)


def _decays(tf):
    with tf.Graph().as_default():
        step = tf.placeholder(tf.int64, [])
        rates = [tf.train.piecewise_constant(step, [3, 7], [1.0, 0.5, 0.1]),
                 tf.train.polynomial_decay(0.1, step, 6, 0.01, power=2.0),
                 tf.train.polynomial_decay(0.1, step, 4, 0.01, cycle=True),
                 tf.train.natural_exp_decay(0.1, step, 4, 0.5, staircase=True),
                 tf.train.inverse_time_decay(0.1, step, 4, 0.5),
                 tf.train.cosine_decay(0.1, step, 6, alpha=0.1),
                 tf.train.exponential_decay(0.1, step, 4, 0.5)]
        with tf.Session() as sess:
            return np.array([sess.run(rates, {step: s}) for s in (0, 3, 5, 9)])


DECAYS_AT_0_3_5_9 = [
    [1.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
    [1.0, 0.0325, 0.0325, 0.1, 0.07272727, 0.055, 0.05946035],
    [0.5, 0.0125, 0.04375, 0.06065307, 0.06153846, 0.01602885, 0.04204482],
    [0.1, 0.01, 0.0325, 0.03678795, 0.04705882, 0.01, 0.02102241]]


def test_the_decays_follow_tf1s_formulas():
    np.testing.assert_allclose(_decays(ours), DECAYS_AT_0_3_5_9, rtol=1e-5)


def test_the_decays_match_tensorflow():
    np.testing.assert_allclose(_decays(ours), _decays(_tensorflow()), rtol=1e-5)


def test_piecewise_constant_needs_one_more_value_than_boundaries():
    with pytest.raises(ValueError, match="one more value than boundaries"):
        ours.train.piecewise_constant(ours.constant(1), [1, 2], [1.0, 2.0])
