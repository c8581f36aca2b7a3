"""The TF1 facade's behaviour where TF differs from numpy, and the surface tutorials use:
dtype spellings, list packing, deprecated aliases, flags, gfile, logging, variable
scopes, tf.layers and tf.losses."""
import subprocess
import sys
import warnings

import numpy as np
import pytest

import autograd.tf1 as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as graph:
        yield graph


@pytest.mark.parametrize("spelling, dtype", [
    ("float", tf.float32), ("double", tf.float64), ("half", tf.float16), (float, tf.float32),
    ("float32", tf.float32), (np.float32, tf.float32), ("int8", tf.int8),
    ("uint16", tf.uint16), ("int64", tf.int64), (bool, tf.bool), ("complex64", tf.complex64)])
def test_dtype_spellings_follow_tf(spelling, dtype):
    assert tf.placeholder(spelling, [2]).dtype == dtype
    assert tf.cast(tf.constant([1, 2]), spelling).dtype == dtype


def test_int_is_not_a_tf_dtype():
    with pytest.raises(TypeError, match="int32 or int64"):
        tf.placeholder("int")


def test_lists_of_tensors_convert_by_stacking():
    a = tf.constant(1.0)
    v = tf.Variable(2.0)
    packed = tf.stop_gradient([a, 3.0, v])
    nested = tf.convert_to_tensor([[a, 2.0], [3.0, a]])
    assert packed.shape == (3,) and nested.shape == (2, 2)
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(packed), [1.0, 3.0, 2.0])


def test_dropout_with_a_placeholder_keeps_the_static_shape():
    x = tf.placeholder(tf.float32, [None, 14, 14, 4])
    keep = tf.placeholder(tf.float32)
    dropped = tf.nn.dropout(x, keep)
    assert dropped.shape == (None, 14, 14, 4)
    assert tf.layers.conv2d(dropped, 8, 3).shape == (None, 12, 12, 8)


def test_losses_cast_to_float32_and_collect():
    labels = tf.constant([[1], [0], [2]])                 # int32, as users often pass
    predictions = tf.constant([[0.5], [0.0], [2.5]], tf.float64)
    loss = tf.losses.mean_squared_error(labels, predictions)
    assert loss.dtype == tf.float32
    assert tf.losses.get_total_loss().dtype == tf.float32
    with tf.Session() as sess:
        assert sess.run(loss) == pytest.approx((0.25 + 0 + 0.25) / 3)


def test_deprecated_aliases_warn_once_each():
    x = tf.placeholder(tf.float32, [None, 3])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("once", tf.TF1DeprecationWarning)
        for _ in range(3):
            tf.arg_max(x, 1)
            tf.to_int32(x)
        tf.div(tf.constant(7), tf.constant(2))
    messages = [str(w.message).split(" ")[0] for w in caught]
    assert sorted(messages) == ["arg_max", "div", "to_int32"]
    with tf.Session() as sess, warnings.catch_warnings():
        warnings.simplefilter("ignore", tf.TF1DeprecationWarning)
        assert sess.run(tf.div(tf.constant(7), tf.constant(2))) == 3   # Python 2 division


def test_variable_scopes_reuse_as_tf_does():
    with tf.variable_scope("discriminator"):
        w = tf.get_variable("w", [3, 2])
    with tf.variable_scope("discriminator", reuse=True):
        assert tf.get_variable("w") is w
    with tf.variable_scope("discriminator"):
        with pytest.raises(ValueError, match="already exists"):
            tf.get_variable("w", [3, 2])
    with tf.variable_scope("generator", reuse=tf.AUTO_REUSE):
        first = tf.get_variable("v", [1])
        assert tf.get_variable("v", [1]) is first
    with tf.variable_scope("generator", reuse=True):
        with pytest.raises(ValueError, match="does not exist"):
            tf.get_variable("missing", [1])
    assert w.name == "discriminator/w:0"


def test_layers_reuse_by_name_and_switch_on_training():
    x = tf.placeholder(tf.float32, [None, 4])
    training = tf.placeholder(tf.bool)
    first = tf.layers.dense(x, 3, name="shared")
    again = tf.layers.dense(x * 2.0, 3, name="shared", reuse=True)
    normed = tf.layers.batch_normalization(first, training=training)
    dropped = tf.layers.dropout(normed, rate=0.5, training=training)
    assert len(tf.trainable_variables("shared")) == 2
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(updates) == 2
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        feed = {x: np.ones((8, 4), np.float32)}
        a, b = sess.run([first, again], {**feed, training: False})
        np.testing.assert_allclose(b, 2 * a - sess.run(tf.trainable_variables("shared")[1]),
                                   rtol=1e-5)
        inference = sess.run(dropped, {**feed, training: False})
        np.testing.assert_allclose(inference, sess.run(normed, {**feed, training: False}))


def test_flags_and_app_run(tmp_path):
    program = tmp_path / "flags_program.py"
    program.write_text(
        "import autograd.tf1 as tf\n"
        "tf.app.flags.DEFINE_integer('steps', 10, 'how many')\n"
        "tf.flags.DEFINE_string('name', 'run', 'a name')\n"
        "tf.app.flags.DEFINE_boolean('fast', False, 'go fast')\n"
        "FLAGS = tf.app.flags.FLAGS\n"
        "def main(argv):\n"
        "    print(FLAGS.steps, FLAGS.name, FLAGS.fast, argv[1:])\n"
        "    return 3\n"
        "if __name__ == '__main__':\n"
        "    tf.app.run()\n")
    done = subprocess.run([sys.executable, str(program), "--steps", "5", "--fast", "extra"],
                          capture_output=True, text=True)
    assert done.returncode == 3 and done.stdout.split() == ["5", "run", "True", "['extra']"]


def test_gfile_and_logging(tmp_path, capsys):
    folder = tmp_path / "a" / "b"
    tf.gfile.MakeDirs(str(folder))
    with tf.gfile.GFile(str(folder / "note.txt"), "w") as out:
        out.write("hello")
    assert tf.gfile.Exists(str(folder / "note.txt"))
    assert tf.gfile.Glob(str(folder / "*.txt")) == [str(folder / "note.txt")]
    assert tf.gfile.GFile(str(folder / "note.txt")).read() == "hello"
    tf.gfile.DeleteRecursively(str(tmp_path / "a"))
    assert not tf.gfile.IsDirectory(str(tmp_path / "a"))
    tf.logging.set_verbosity(tf.logging.INFO)
    tf.logging.info("step %d", 7)
    tf.logging.set_verbosity(tf.logging.WARN)
    tf.logging.info("hidden")
    assert capsys.readouterr().err.splitlines() == ["INFO:tensorflow:step 7"]


def test_fake_data_and_small_helpers():
    from autograd.tf1.examples.tutorials.mnist import input_data
    fake = input_data.read_data_sets("nowhere", fake_data=True, one_hot=True)
    images, labels = fake.train.next_batch(4, fake_data=True)
    assert images.shape == (4, 784) and labels.shape == (4, 10) and labels[0, 0] == 1
    ids = tf.constant([2, 0])
    table = tf.Variable(np.arange(12.0).reshape(4, 3))
    looked_up = tf.nn.embedding_lookup(table, ids)
    grad, = tf.gradients(tf.reduce_sum(looked_up), [table])
    with tf.Session() as sess:
        sess.run(table.initializer)
        np.testing.assert_array_equal(sess.run(looked_up), [[6, 7, 8], [0, 1, 2]])
        np.testing.assert_array_equal(sess.run(grad).sum(axis=1), [3, 0, 3, 0])
        assert sess.run(tf.count_nonzero(tf.constant([0, 3, 0, 1]))) == 2
        np.testing.assert_allclose(sess.run(tf.linspace(0.0, 1.0, 3)), [0, 0.5, 1])
        np.testing.assert_array_equal(sess.run(tf.range(2, 8, 2)), [2, 4, 6])


def test_unnamed_layers_restart_their_numbering_each_time_a_scope_is_entered():
    import autograd.tf1 as tf
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4])
        for reuse in (False, True):
            with tf.variable_scope("tower", reuse=reuse):
                tf.layers.conv2d(tf.reshape(x, [-1, 2, 2, 1]), 2, 1)
                tf.layers.dense(x, 3)
                tf.layers.dense(x, 3)
        assert sorted(v.name for v in tf.trainable_variables()) == [
            "tower/conv2d/bias:0", "tower/conv2d/kernel:0", "tower/dense/bias:0",
            "tower/dense/kernel:0", "tower/dense_1/bias:0", "tower/dense_1/kernel:0"]
        with pytest.raises(ValueError, match="'tower/dense' exists already"):
            with tf.variable_scope("tower"):
                tf.layers.dense(x, 3)
        with tf.variable_scope(None, default_name="block") as first:
            pass
        with tf.variable_scope(None, default_name="block") as second:
            pass
        assert (first.name, second.name) == ("block", "block_1")
