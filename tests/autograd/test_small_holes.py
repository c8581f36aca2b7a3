"""Issue 26's small holes: each behaves as TF1 does, or fails clearly where TF would
accept nonsense."""
import os

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


def test_reduce_prod_gradients_at_zero_are_tfs_for_unknown_rank_and_second_order():
    unknown = tf.placeholder(tf.float32)
    known = tf.placeholder(tf.float32, [3])
    first = tf.gradients(tf.reduce_prod(unknown), unknown)[0]
    grad = tf.gradients(tf.reduce_prod(known), known)[0]
    second = tf.gradients(tf.reduce_sum(grad), known)[0]
    values = [0.0, 2.0, 3.0]
    with tf.Session() as sess:
        got = sess.run([first, grad, second], {unknown: values, known: values})
    # tensorflow.compat.v1 2.21 gives these (its cumprod gradient divides without NaN)
    np.testing.assert_array_equal(got[0], [6.0, 0.0, 0.0])
    np.testing.assert_array_equal(got[1], [6.0, 0.0, 0.0])
    np.testing.assert_array_equal(got[2], [0.0, 3.0, 2.0])


def _reciprocal_or_fail(value):
    if value == 0:
        raise ValueError("zero")
    return np.float32(1.0 / value)


def test_a_failing_map_element_raises_for_itself_and_the_next_ones_still_come():
    data = np.array([1.0, 0.0, 2.0, 4.0], np.float32)
    dataset = tf.data.Dataset.from_tensor_slices(data).map(
        lambda v: tf.py_func(_reciprocal_or_fail, [v], tf.float32))
    element = dataset.make_one_shot_iterator().get_next()
    batches = dataset.batch(2).make_one_shot_iterator().get_next()
    got = []
    with tf.Session() as sess:
        for _ in range(4):
            try:
                got.append(float(sess.run(element)))
            except tf.errors.InvalidArgumentError:
                got.append("error")
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(element)
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(batches)                         # the batch holding the failure
        np.testing.assert_array_equal(sess.run(batches), [0.5, 0.25])
    assert got == [1.0, "error", 0.5, 0.25]           # as tensorflow.compat.v1 gives


def test_restoring_from_a_pipe_or_a_folder_says_what_it_is(tmp_path):
    v = tf.Variable(1.0, name="v")
    (tmp_path / "folder").mkdir()
    os.symlink(tmp_path / "folder", tmp_path / "link")
    os.mkfifo(tmp_path / "pipe")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="is a folder.*latest_checkpoint"):
            tf.train.Saver([v]).restore(sess, str(tmp_path / "link"))
        with pytest.raises(tf.errors.InvalidArgumentError, match="not a regular file"):
            tf.train.Saver([v]).restore(sess, str(tmp_path / "pipe"))


def test_a_save_that_cannot_write_names_the_file_asked_for(tmp_path, monkeypatch):
    import builtins
    v = tf.Variable(1.0, name="v")
    real_open = builtins.open

    def refusing(path, mode="r", *args, **kwargs):
        if "w" in mode:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, mode, *args, **kwargs)
    with tf.Session() as sess:
        sess.run(v.initializer)
        monkeypatch.setattr(builtins, "open", refusing)
        with pytest.raises(PermissionError) as caught:
            tf.train.Saver([v]).save(sess, str(tmp_path / "model"), write_meta_graph=False)
    assert str(tmp_path / "model.npz") in str(caught.value)
    assert ".tmp" not in str(caught.value)


@pytest.mark.parametrize("wanted, value, hint", [
    ([None, 784], np.zeros((5, 28, 28, 1)), r"feed value.reshape\(-1, 784\)"),
    ([None, 28, 28, 1], np.zeros((5, 784)), r"feed value.reshape\(-1, 28, 28, 1\)"),
    ([None, 10], np.array([1, 2, 3]), r"class ids.*np.eye\(10\)\[labels\]"),
    ([None, 784], np.zeros(784), r"without its batch axis: feed value\[None\]"),
])
def test_classic_feed_shape_mistakes_say_how_to_fix_them(wanted, value, hint):
    x = tf.placeholder(tf.float32, wanted)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match=hint):
        sess.run(x, {x: value})


def test_an_uninitialized_variable_is_reported_once_in_tf1_words():
    v = tf.Variable(1.0)
    with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError) as caught:
        sess.run(v * 2.0)
    assert "tf.global_variables_initializer()" in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_inputs_of_two_graphs_name_both_and_blame_the_stale_one():
    stale = tf.constant(1.0, name="stale")
    with tf.Graph().as_default():
        fresh = tf.constant(2.0, name="fresh")
        with pytest.raises(ValueError) as caught:
            fresh + stale
    message = str(caught.value)
    assert "'fresh:0' (the default graph)" in message and "'stale:0' (another graph)" in message
    assert "'stale:0' is left from a graph" in message and "reset_default_graph" in message
