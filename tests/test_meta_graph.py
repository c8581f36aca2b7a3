"""Meta graphs and checkpoints across programs: Saver.save writes `<prefix>.meta`, a
second program imports it, restores and carries on (inference and training); TensorFlow
reads our meta graphs, and its meta graphs and checkpoints come in here."""
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

from helpers.tensorflow import compat_v1

import autograd.tf1 as tf

pytest.importorskip("tensorboard", reason="tensorboard is not installed (extra 'tensorboard')")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FIRST_PROGRAM = """
import numpy as np, autograd.tf1 as tf
rng = np.random.RandomState(0)
xs = rng.rand(64, 4).astype(np.float32); ys = (xs.sum(1) > 2).astype(np.int64)
x = tf.placeholder(tf.float32, [None, 4], name="x")
y = tf.placeholder(tf.int64, [None], name="y")
h = tf.layers.dense(x, 8, activation=tf.nn.relu)
logits = tf.layers.dense(h, 2, name="logits")
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits),
                      name="loss")
step = tf.train.get_or_create_global_step()
train = tf.train.AdamOptimizer(0.05).minimize(loss, global_step=step)
tf.add_to_collection("train_op", train)
tf.add_to_collection("predictions", tf.argmax(logits, 1, name="predict"))
tf.summary.scalar("loss", loss)
saver = tf.train.Saver()
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(20):
        sess.run(train, {x: xs, y: ys})
    saver.save(sess, "model.ckpt", global_step=step)
    np.save("logits.npy", sess.run(logits, {x: xs}))
"""

SECOND_PROGRAM = """
import numpy as np, autograd.tf1 as tf
rng = np.random.RandomState(0)
xs = rng.rand(64, 4).astype(np.float32); ys = (xs.sum(1) > 2).astype(np.int64)
saver = tf.train.import_meta_graph("model.ckpt-20.meta")
graph = tf.get_default_graph()
x = graph.get_tensor_by_name("x:0")
logits = graph.get_tensor_by_name("logits/add:0")
train = tf.get_collection("train_op")[0]
loss = graph.get_tensor_by_name("loss:0")
with tf.Session() as sess:
    saver.restore(sess, tf.train.latest_checkpoint("."))
    same = np.abs(sess.run(logits, {x: xs}) - np.load("logits.npy")).max()
    before = sess.run(loss, {x: xs, "y:0": ys})
    for _ in range(20):
        sess.run(train, {x: xs, "y:0": ys})
    after = sess.run(loss, {x: xs, "y:0": ys})
    print("same", same)
    print("loss", before, after)
    print("step", sess.run(tf.train.get_global_step()))
    print("collections", len(tf.trainable_variables()), len(tf.global_variables()),
          tf.get_collection("predictions")[0].name, len(tf.get_collection("summaries")))
"""


def _run(code, folder):
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=folder,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": ROOT})
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_a_second_program_restores_the_graph_and_carries_on_training(tmp_path):
    _run(FIRST_PROGRAM, tmp_path)
    assert (tmp_path / "model.ckpt-20.meta").is_file()
    lines = dict(line.split(" ", 1) for line in _run(SECOND_PROGRAM, tmp_path).splitlines())
    assert float(lines["same"]) == 0.0
    before, after = map(float, lines["loss"].split())
    assert after < before
    assert lines["step"] == "40"
    assert lines["collections"] == "4 15 predict:0 1"


def _small_model(seed=0):
    tf.set_random_seed(seed)
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    h = tf.layers.dense(x, 8, activation=tf.nn.relu)
    return x, tf.layers.dense(h, 2, name="logits")


def test_an_import_scope_prefixes_the_names_and_the_checkpoint_still_restores(tmp_path):
    batch = np.ones((2, 4), np.float32)
    with tf.Graph().as_default():
        x, logits = _small_model()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            expected = sess.run(logits, {x: batch})
            tf.train.Saver().save(sess, str(tmp_path / "model.ckpt"))
    with tf.Graph().as_default() as graph:
        saver = tf.train.import_meta_graph(str(tmp_path / "model.ckpt.meta"),
                                           import_scope="restored")
        with tf.Session() as sess:
            saver.restore(sess, str(tmp_path / "model.ckpt"))
            got = sess.run(graph.get_tensor_by_name("restored/logits/add:0"),
                           {"restored/x:0": batch})
    np.testing.assert_array_equal(got, expected)


def test_export_meta_graph_as_text_reads_back_and_damage_is_a_data_loss_error(tmp_path):
    with tf.Graph().as_default():
        _small_model()
        tf.train.export_meta_graph(str(tmp_path / "model.meta.txt"), as_text=True)
    assert b"node {" in (tmp_path / "model.meta.txt").read_bytes()
    with tf.Graph().as_default():
        assert tf.train.import_meta_graph(str(tmp_path / "model.meta.txt")) is not None
        assert len(tf.trainable_variables()) == 4
    (tmp_path / "bad.meta").write_bytes(b"\x0a\xff\xff\xff garbage")
    with pytest.raises(tf.errors.DataLossError, match="not a MetaGraphDef"):
        tf.train.import_meta_graph(str(tmp_path / "bad.meta"))
    with pytest.raises(tf.errors.NotFoundError, match="does not exist"):
        tf.train.import_meta_graph(str(tmp_path / "missing.meta"))


def test_a_graph_with_a_py_func_keeps_its_checkpoint_and_logs_once_of_the_meta_graph(
        tmp_path, caplog):
    with tf.Graph().as_default():
        v = tf.Variable(1.0, name="v")
        tf.py_func(lambda a: a * 2, [v.value()], tf.float32)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = saver.save(sess, str(tmp_path / "model.ckpt"))
            saver.save(sess, str(tmp_path / "model.ckpt"), global_step=1)
    assert os.path.isfile(path) and not (tmp_path / "model.ckpt.meta").exists()
    logged = [r.getMessage() for r in caplog.records if "no meta graph" in r.getMessage()]
    assert len(logged) == 1 and "PyFunc" in logged[0]


def test_tensorflow_imports_our_meta_graph_and_runs_it(tmp_path):
    real = compat_v1()
    with tf.Graph().as_default():
        _small_model()
        tf.train.export_meta_graph(str(tmp_path / "model.meta"))
    with real.Graph().as_default():
        saver = real.train.import_meta_graph(str(tmp_path / "model.meta"))
        assert saver is not None and len(real.trainable_variables()) == 4
        with real.Session() as sess:
            sess.run(real.global_variables_initializer())
            out = sess.run("logits/add:0", {"x:0": np.ones((3, 4), np.float32)})
    assert out.shape == (3, 2)


TF_PROGRAM = """
import numpy as np, tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
xs = np.random.RandomState(0).rand(16, 4).astype(np.float32)
x = tf.placeholder(tf.float32, [None, 4], name="x")
W = tf.Variable(tf.truncated_normal([4, 3], stddev=0.5), name="W")
b = tf.Variable(tf.zeros([3]), name="b")
logits = tf.add(tf.matmul(x, W), b, name="logits")
loss = tf.reduce_mean(tf.square(logits), name="loss")
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train, {x: xs})
    tf.train.Saver().save(sess, "tf/model.ckpt")
    np.save("tf/logits.npy", sess.run(logits, {x: xs}))
"""


@pytest.fixture(scope="module")
def tensorflow_checkpoint(tmp_path_factory):
    compat_v1()
    folder = tmp_path_factory.mktemp("tf_written")
    os.makedirs(folder / "tf")
    _run(TF_PROGRAM, folder)
    return folder / "tf"


def test_a_meta_graph_and_checkpoint_written_by_tensorflow_restore_here(tensorflow_checkpoint):
    batch = np.random.RandomState(0).rand(16, 4).astype(np.float32)
    with tf.Graph().as_default():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            saver = tf.train.import_meta_graph(str(tensorflow_checkpoint / "model.ckpt.meta"))
        with tf.Session() as sess:
            saver.restore(sess, tf.train.latest_checkpoint(str(tensorflow_checkpoint)))
            got = sess.run("logits:0", {"x:0": batch})
        assert sorted(v.op.name for v in tf.trainable_variables()) == ["W", "b"]
    np.testing.assert_allclose(got, np.load(tensorflow_checkpoint / "logits.npy"), rtol=1e-6)
    assert any("left out" in str(w.message) for w in caught)   # its gradients' Tile


def test_tensorflow_checkpoints_read_convert_and_initialize(tensorflow_checkpoint, tmp_path):
    from autograd.tools import convert_checkpoint
    prefix = str(tensorflow_checkpoint / "model.ckpt")
    assert dict(tf.train.list_variables(prefix)) == {"W": [4, 3], "b": [3]}
    weights = tf.train.load_variable(prefix, "W")
    assert convert_checkpoint.main([prefix, str(tmp_path / "model.npz")]) == 0
    np.testing.assert_array_equal(tf.train.load_variable(str(tmp_path / "model.npz"), "W"),
                                  weights)
    with tf.Graph().as_default():
        with tf.variable_scope("net"):
            w = tf.get_variable("W", [4, 3])
        tf.train.init_from_checkpoint(prefix, {"/": "net/"})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(w), weights)


def test_without_tensorflow_a_tensorflow_checkpoint_says_how_to_read_it(tmp_path,
                                                                       monkeypatch):
    (tmp_path / "model.ckpt.index").write_bytes(b"")
    monkeypatch.setitem(sys.modules, "tensorflow", None)
    with pytest.raises(ImportError, match="convert_checkpoint"):
        tf.train.list_variables(str(tmp_path / "model.ckpt"))
