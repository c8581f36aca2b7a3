"""tf.math's remaining names: trigonometric and hyperbolic ops, IEEE checks, safe
divisions, moments, segment minima and means, confusion_matrix, random draws, and
tf.errors' status codes; against TF1 where it is installed."""
import numpy as np
import pytest

import autograd as ag
import autograd.tf1 as ours
from autograd.testing import check_gradients

X = np.array([-0.7, -0.2, 0.1, 0.45, 0.8], np.float32)
BIG = np.array([1.2, 2.0, 3.5, 1.01, 7.0], np.float32)
Y = np.array([0.0, 2.0, -1.0, 0.0, 3.0], np.float32)
DATA = np.array([[1.0, 2.0], [5.0, -1.0], [3.0, 3.0], [0.5, 4.0]], np.float32)
IDS = np.array([0, 2, 0, 2])

CASES = {
    "tan": lambda tf: tf.math.tan(X), "asin": lambda tf: tf.math.asin(X),
    "acos": lambda tf: tf.math.acos(X), "atan": lambda tf: tf.math.atan(X),
    "sinh": lambda tf: tf.math.sinh(X), "cosh": lambda tf: tf.math.cosh(X),
    "asinh": lambda tf: tf.math.asinh(X), "acosh": lambda tf: tf.math.acosh(BIG),
    "atanh": lambda tf: tf.math.atanh(X), "expm1": lambda tf: tf.math.expm1(X),
    "atan2": lambda tf: tf.math.atan2(X, Y),
    "is_nan/inf/finite": lambda tf: [f(tf.constant([np.nan, np.inf, 1.0])) for f in (
        tf.math.is_nan, tf.math.is_inf, tf.math.is_finite)],
    "rint": lambda tf: tf.math.rint(tf.constant([0.5, 1.5, -2.5, 2.7])),
    "logical_xor": lambda tf: tf.math.logical_xor([True, True, False], [True, False, False]),
    "divide_no_nan": lambda tf: tf.math.divide_no_nan(X, Y),
    "xdivy and xlogy": lambda tf: [tf.math.xdivy(Y, BIG), tf.math.xlogy(Y, BIG)],
    "invert_permutation": lambda tf: tf.math.invert_permutation([3, 0, 2, 1]),
    "is_non_decreasing": lambda tf: [tf.math.is_non_decreasing([1, 1, 2]),
                                     tf.math.is_strictly_increasing([1, 1, 2])],
    "polyval": lambda tf: tf.math.polyval([2.0, -1.0, 3.0], tf.constant(X)),
    "reduce_variance and std": lambda tf: [tf.math.reduce_variance(DATA, axis=0),
                                           tf.math.reduce_std(DATA)],
    "reduce_euclidean_norm": lambda tf: tf.math.reduce_euclidean_norm(DATA, axis=1),
    "zero_fraction": lambda tf: tf.math.zero_fraction(Y),
    "segment_min": lambda tf: tf.math.segment_min(DATA, [0, 0, 2, 2]),
    "unsorted_segment_min/mean/sqrt_n": lambda tf: [
        tf.math.unsorted_segment_min(DATA, IDS, 3), tf.math.unsorted_segment_mean(DATA, IDS, 3),
        tf.math.unsorted_segment_sqrt_n(DATA, IDS, 3)],
    "confusion_matrix": lambda tf: tf.math.confusion_matrix([0, 1, 2, 2, 1], [0, 2, 2, 1, 1]),
    "confusion_matrix weighted": lambda tf: tf.math.confusion_matrix(
        [0, 1, 1], [1, 1, 0], num_classes=3, weights=[1.0, 2.0, 0.5], dtype=tf.float32),
    "log_sigmoid": lambda tf: tf.math.log_sigmoid(tf.constant([-50.0, 0.0, 50.0])),
}


def _run(tf, name):
    with tf.Graph().as_default():
        fetch = CASES[name](tf)
        with tf.Session() as sess:
            return sess.run(fetch)


@pytest.mark.parametrize("name", sorted(CASES))
def test_runs(name):
    _run(ours, name)


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(name):
    tf = pytest.importorskip("tensorflow.compat.v1",
                             reason="tensorflow is not installed (extra 'bench')")
    tf.disable_v2_behavior()
    got, expected = _run(ours, name), _run(tf, name)
    for a, b in zip(got if isinstance(got, list) else [got],
                    expected if isinstance(expected, list) else [expected]):
        np.testing.assert_allclose(np.asarray(a, np.float64), np.asarray(b, np.float64),
                                   rtol=1e-5, atol=1e-6)


def test_known_values():
    np.testing.assert_allclose(_run(ours, "atan2"), np.arctan2(X, Y), rtol=1e-6)
    assert _run(ours, "rint").tolist() == [0.0, 2.0, -2.0, 3.0]
    np.testing.assert_array_equal(_run(ours, "confusion_matrix"),
                                  [[1, 0, 0], [0, 1, 1], [0, 1, 1]])
    assert _run(ours, "divide_no_nan")[0] == 0.0


R = np.random.default_rng(1)
GRADIENTS = {name: (getattr(ag, name), [inputs]) for name, inputs in (
    ("tan", R.uniform(-1, 1, 4)), ("asin", R.uniform(-0.8, 0.8, 4)),
    ("acos", R.uniform(-0.8, 0.8, 4)), ("atan", R.uniform(-2, 2, 4)),
    ("sinh", R.uniform(-2, 2, 4)), ("cosh", R.uniform(-2, 2, 4)),
    ("asinh", R.uniform(-2, 2, 4)), ("acosh", R.uniform(1.5, 3, 4)),
    ("atanh", R.uniform(-0.8, 0.8, 4)), ("expm1", R.uniform(-2, 2, 4)))}
GRADIENTS["atan2"] = (ag.atan2, [R.uniform(-2, 2, 4), R.uniform(0.5, 2, 4)])
GRADIENTS["segment means"] = (lambda d: ag.unsorted_segment_mean(d, IDS, 3), [R.random((4, 2))])
GRADIENTS["segment minima"] = (lambda d: ag.unsorted_segment_min(d, [0, 1, 0, 2], 3),
                              [R.random((4, 2))])   # no empty segment: its value is huge
GRADIENTS["reduce_std"] = (lambda d: ag.reduce_std(d, axis=0), [R.random((4, 2))])


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradients_match_finite_differences(name):
    function, inputs = GRADIENTS[name]
    check_gradients(function, inputs, rtol=1e-4, atol=1e-6)


def test_random_draws_are_seeded_and_shaped():
    def draws():
        with ag.Graph().as_default() as graph:
            graph.seed = 3
            fetch = [ag.random_shuffle(ag.range(10)),
                     ag.categorical(ag.constant([[0.0, 0.0, 10.0], [10.0, 0.0, 0.0]]), 5),
                     ag.random_gamma([1000], 2.0, 4.0), ag.random_poisson(3.0, [1000])]
            with ag.Session() as sess:
                return sess.run(fetch)
    shuffled, classes, gamma, poisson = draws()
    assert sorted(shuffled.tolist()) == list(range(10))
    assert classes.tolist() == [[2] * 5, [0] * 5]
    assert abs(gamma.mean() - 0.5) < 0.05 and abs(poisson.mean() - 3.0) < 0.2
    np.testing.assert_array_equal(draws()[0], shuffled)


def test_error_classes_carry_tf_status_codes():
    assert ours.errors.OutOfRangeError.error_code == ours.errors.OUT_OF_RANGE == 11
    assert ours.errors.exception_type_from_error_code(12) is ours.errors.UnimplementedError
    assert issubclass(ours.errors.AlreadyExistsError, ours.errors.OpError)
