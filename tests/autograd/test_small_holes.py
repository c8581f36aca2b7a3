"""Issue 26's small holes: each behaves as TF1 does, or fails clearly where TF would
accept nonsense."""
import numpy as np
import pytest

import autograd.tf1 as tf


@pytest.fixture(autouse=True)
def graph():
    with tf.Graph().as_default() as g:
        yield g


@pytest.mark.parametrize("dtype, value", [("int64", np.array([2.0 ** 63])),
                                          ("int32", np.array([2.0 ** 31], np.float32)),
                                          ("int32", np.array([-2.0 ** 31 - 256], np.float32))])
def test_a_float_feed_past_an_integer_range_is_refused_not_wrapped(dtype, value):
    p = tf.placeholder(getattr(tf, dtype), [1])
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="out of range"):
        sess.run(p, {p: value})


def test_the_largest_float_that_fits_still_feeds():
    p = tf.placeholder(tf.int32, [1])
    with tf.Session() as sess:
        assert sess.run(p, {p: np.array([2.0 ** 31 - 128], np.float32)}).tolist() == [
            2 ** 31 - 128]


def test_a_fed_shape_holding_minus_two_is_refused():
    shape = tf.placeholder_with_default(np.array([-2, 3], np.int32), [2])
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match=r"cannot reshape to \[-2, 3\]"):
        sess.run(tf.reshape(tf.zeros([6]), shape))


def test_placeholder_with_default_is_its_default_unless_fed():
    flag = tf.placeholder_with_default(False, [])
    y = tf.cast(flag, tf.float32) * 2.0
    with tf.Session() as sess:
        assert sess.run(y) == 0.0 and sess.run(y, {flag: True}) == 2.0
    with pytest.raises(ValueError, match="does not fit"):
        tf.placeholder_with_default([1.0, 2.0], [3])


def test_a_scalar_shape_tensor_is_a_one_element_shape():
    with tf.Session() as sess:
        assert sess.run(tf.ones(tf.constant(3))).tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("build, message", [
    (lambda ds: ds.batch(0), "batch_size > 0"), (lambda ds: ds.batch(-1), "batch_size > 0"),
    (lambda ds: ds.shuffle(0), "buffer_size > 0"), (lambda ds: ds.skip(-2), "count >= -1"),
    (lambda ds: ds.filter(lambda x: tf.stack([x > 1, x > 2])), "scalar bool")])
def test_datasets_refuse_impossible_arguments_when_built(build, message):
    with pytest.raises(ValueError, match=message):
        build(tf.data.Dataset.range(5))


def test_skip_minus_one_skips_everything_and_scalars_do_not_slice():
    next_element = tf.data.Dataset.range(5).skip(-1).make_one_shot_iterator().get_next()
    with tf.Session() as sess, pytest.raises(tf.errors.OutOfRangeError):
        sess.run(next_element)
    with pytest.raises(ValueError, match="is a scalar"):
        tf.data.Dataset.from_tensor_slices(tf.constant(3.0))


def test_nan_never_wins_argmax_or_max_pool_as_in_tf():
    x = tf.constant([1.0, np.nan, 3.0])
    pooled = tf.nn.max_pool(tf.constant(np.array([1.0, np.nan, 3.0, 0.0], np.float32)
                                        .reshape(1, 2, 2, 1)), [1, 2, 2, 1], [1, 2, 2, 1],
                            "VALID")
    with tf.Session() as sess:
        assert sess.run(tf.argmax(x, 0)) == 2 and sess.run(tf.argmin(x, 0)) == 0
        assert sess.run(pooled).ravel().tolist() == [3.0]
