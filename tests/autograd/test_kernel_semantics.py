"""Kernels behave as TF1's where numpy alone would differ, checked against TensorFlow.

Each case is written once, as a function of a `tf` module: it runs on our facade and,
where TensorFlow is installed (the bench extra), on tensorflow.compat.v1, and the two
outcomes must agree (the same values, or an error of the same kind).
"""
import numpy as np
import pytest

import autograd.tf1 as ours


def _sparse_label(tf, label):
    labels, logits = tf.placeholder(tf.int32, [None]), tf.placeholder(tf.float32, [None, 10])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return loss, {labels: [label], logits: np.zeros((1, 10), np.float32)}


def _prod_grad(tf, values, axis):
    x = tf.placeholder(tf.float32, np.shape(values))
    return tf.gradients(tf.reduce_prod(x, axis=axis), x)[0], {x: values}


def _gather(tf, index):
    params, indices = tf.placeholder(tf.float32, [None]), tf.placeholder(tf.int32, [None])
    return tf.gather(params, indices), {params: [1.0, 2.0, 3.0, 4.0, 5.0], indices: [index]}


def _divide(tf, dtype, op):
    x, y = tf.placeholder(dtype, [None]), tf.placeholder(dtype, [None])
    return (x // y if op == "//" else x % y), {x: [4, 7], y: [0, 2]}


def _int_mean(tf, values):
    x = tf.placeholder(tf.int32, [None])
    return tf.reduce_mean(x), {x: values}


def _reshape(tf):
    x = tf.placeholder(tf.float32, [None])
    return tf.reshape(x, [-2, 3]), {x: np.zeros(6, np.float32)}


def _one_hot(tf):
    return tf.one_hot(tf.constant([1]), -1), {}


def _add_n(tf):
    a, b = tf.placeholder(tf.float32, None), tf.placeholder(tf.float32, None)
    return tf.add_n([a, b]), {a: np.zeros((2, 3), np.float32), b: np.zeros(3, np.float32)}


def _float_axis(tf):
    return tf.reduce_sum(tf.zeros([2, 3]), axis=1.5), {}


def _empty_extreme(tf, op, dtype):
    x = tf.placeholder(dtype, [None, 3])
    reduce = tf.reduce_max if op == "max" else tf.reduce_min
    return reduce(x, axis=0), {x: np.zeros((0, 3), dtype.as_numpy_dtype
                                            if hasattr(dtype, "as_numpy_dtype") else dtype)}


CASES = {
    "sparse label 10": (_sparse_label, 10),
    "sparse label -1": (_sparse_label, -1),
    "sparse label 9 is fine": (_sparse_label, 9),
    "prod grad at a zero": (_prod_grad, [0.0, 2.0, 3.0], None),
    "prod grad along an axis": (_prod_grad, [[0.0, 2.0], [3.0, 0.0]], 1),
    "prod grad without zeros": (_prod_grad, [[1.5, 2.0], [3.0, -0.5]], 0),
    "gather past the end": (_gather, 5),
    "gather a negative index": (_gather, -1),
    "gather in range": (_gather, 4),
    "int // 0": (_divide, "int32", "//"),
    "int % 0": (_divide, "int32", "%"),
    "int64 // 0": (_divide, "int64", "//"),
    "float // 0 is inf": (_divide, "float32", "//"),
    "int mean truncates toward zero": (_int_mean, [-3, -4]),
    "int mean of positives": (_int_mean, [3, 4, 4]),
    "reshape -2": (_reshape,),
    "one_hot depth -1": (_one_hot,),
    "add_n of mismatched shapes": (_add_n,),
    "a float axis": (_float_axis,),
    "max of an empty batch": (_empty_extreme, "max", "float32"),
    "min of an empty batch": (_empty_extreme, "min", "float32"),
    "int max of an empty batch": (_empty_extreme, "max", "int32"),
}


def outcome(tf, name):
    """('value', array) or ('error', kind) for the case run on module `tf`."""
    build, *args = CASES[name]
    args = [getattr(tf, a) if isinstance(a, str) and a in ("int32", "int64", "float32")
            else a for a in args]
    graph = tf.Graph()
    try:
        with graph.as_default():
            fetch, feed = build(tf, *args)
            with tf.Session() as sess:
                return "value", np.asarray(sess.run(fetch, feed))
    except tf.errors.InvalidArgumentError:
        return "error", "InvalidArgumentError"
    except (ValueError, TypeError) as exc:
        return "error", type(exc).__name__


EXPECTED = {
    "sparse label 10": ("error", "InvalidArgumentError"),
    "sparse label -1": ("error", "InvalidArgumentError"),
    "prod grad at a zero": ("value", [6.0, 0.0, 0.0]),
    "prod grad along an axis": ("value", [[2.0, 0.0], [0.0, 3.0]]),
    "prod grad without zeros": ("value", [[3.0, -0.5], [1.5, 2.0]]),
    "gather past the end": ("error", "InvalidArgumentError"),
    "gather a negative index": ("error", "InvalidArgumentError"),
    "gather in range": ("value", [5.0]),
    "int // 0": ("error", "InvalidArgumentError"),
    "int % 0": ("error", "InvalidArgumentError"),
    "int64 // 0": ("error", "InvalidArgumentError"),
    "float // 0 is inf": ("value", [np.inf, 3.0]),
    "int mean truncates toward zero": ("value", -3),
    "int mean of positives": ("value", 3),
    "reshape -2": ("error", "ValueError"),
    "one_hot depth -1": ("error", "ValueError"),
    "add_n of mismatched shapes": ("error", "InvalidArgumentError"),
    "a float axis": ("error", "TypeError"),
    "max of an empty batch": ("value", [-np.inf] * 3),
    "min of an empty batch": ("value", [np.inf] * 3),
    "int max of an empty batch": ("value", [np.iinfo(np.int32).min] * 3),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_kernel_semantics_are_tf1s(name):
    kind, value = outcome(ours, name)
    if name in EXPECTED:
        expected_kind, expected = EXPECTED[name]
        assert kind == expected_kind, (kind, value)
        if kind == "value":
            np.testing.assert_allclose(value, expected)
        else:
            assert value == expected
    else:
        assert kind == "value"


@pytest.fixture(scope="module")
def real_tf():
    tf = pytest.importorskip("tensorflow.compat.v1", reason="tensorflow is not installed "
                             "(extra 'bench')")
    tf.disable_eager_execution()
    return tf


@pytest.mark.parametrize("name", sorted(CASES))
def test_kernel_semantics_match_tensorflow(real_tf, name):
    kind, value = outcome(ours, name)
    tf_kind, tf_value = outcome(real_tf, name)
    assert kind == tf_kind, (kind, value, tf_kind, tf_value)
    if kind == "value":
        np.testing.assert_allclose(value, tf_value, rtol=1e-6)
    else:
        assert value == tf_value


def test_sparse_label_error_says_which_label_and_range():
    fetch, feed = _sparse_label(ours, 12)
    with ours.Session() as sess, pytest.raises(ours.errors.InvalidArgumentError,
                                               match=r"label value of 12.*\[0, 10\)"):
        sess.run(fetch, feed)


def test_gather_error_says_which_index():
    fetch, feed = _gather(ours, 7)
    with ours.Session() as sess, pytest.raises(ours.errors.InvalidArgumentError,
                                               match=r"indices\[0\] = 7 is not in \[0, 5\)"):
        sess.run(fetch, feed)
