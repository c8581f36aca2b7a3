"""Item 8 of the op library: py_func, RegisterGradient and gradient_override_map, device
scopes and replica_device_setter, audio and hand-built summaries, the pre-1.0 names
tutorials still use, and a clear refusal of eager mode."""
import json
import warnings
import wave

import numpy as np
import pytest

import autograd.tf1 as tf
from autograd.tf1.helpers import TF1DeprecationWarning


@pytest.fixture
def graph():
    with tf.Graph().as_default() as g:
        yield g


def test_py_func_runs_python_on_the_inputs_values(graph):
    x = tf.placeholder(tf.float32, [None])
    doubled, count = tf.py_func(lambda a: (a * 2, np.int64(a.size)), [x], [tf.float32, tf.int64])
    with tf.Session() as sess:
        got = sess.run([doubled, count], {x: [1.0, 2.5]})
    assert got[0].tolist() == [2.0, 5.0] and got[1] == 2
    assert doubled.shape is None and doubled.op.type == "PyFunc"


def test_py_func_checks_the_declared_dtype_as_tf1_does(graph):
    y = tf.py_func(lambda: 1.5, [], tf.float32, name="returns_a_double")  # a Python float
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="(?s)float64, but Tout says float32"
                                                   ".*returns_a_double"):
        sess.run(y)


def test_an_error_inside_py_func_names_the_op(graph):
    def broken(a):
        raise KeyError("no such row")
    y = tf.numpy_function(broken, [tf.constant([1.0])], tf.float32, name="lookup")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="lookup.*KeyError.*no such row"):
        sess.run(y)


def test_a_registered_gradient_overrides_an_ops_own(graph):
    @tf.RegisterGradient("ClippedSquareGrad_test")
    def _clipped(op, dy):
        return [tf.clip_by_value(dy * 2.0 * op.inputs[0], -1.0, 1.0)]

    x = tf.constant([0.1, 3.0])
    with graph.gradient_override_map({"Square": "ClippedSquareGrad_test"}):
        y = tf.square(x)
    plain = tf.square(x)
    dy, dplain = tf.gradients(tf.reduce_sum(y), x)[0], tf.gradients(tf.reduce_sum(plain), x)[0]
    with tf.Session() as sess:
        assert np.allclose(sess.run(dy), [0.2, 1.0]) and np.allclose(sess.run(dplain), [0.2, 6.0])
    with pytest.raises(KeyError, match="Registering two gradient"):
        tf.RegisterGradient("ClippedSquareGrad_test")(_clipped)


def test_a_py_func_gets_a_gradient_through_the_override_map(graph):
    @tf.RegisterGradient("PyCubeGrad_test")
    def _cube_grad(op, dy):
        return [dy * 3.0 * tf.square(op.inputs[0])]

    x = tf.constant([2.0])
    with graph.gradient_override_map({"PyFunc": "PyCubeGrad_test"}):
        y = tf.py_func(lambda a: a ** 3, [x], tf.float32)
    with tf.Session() as sess:
        assert sess.run(tf.gradients(y, x)[0]).tolist() == [12.0]


def test_an_unregistered_override_is_a_lookup_error(graph):
    x = tf.constant([2.0])
    with graph.gradient_override_map({"Square": "NoSuchGrad_test"}):
        y = tf.square(x)
    with pytest.raises(LookupError, match="gradient registry has no entry for: NoSuchGrad"):
        tf.gradients(y, x)


def test_device_scopes_are_recorded_normalized_and_nested(graph):
    with tf.device("/job:worker/task:1"):
        a = tf.constant(1.0)
        with tf.device("/cpu:0"):
            b = a + 1.0
        with tf.device(None):
            c = a * 2.0
    assert a.op.device == "/job:worker/task:1"
    assert b.op.device == "/job:worker/task:1/device:CPU:0"
    assert c.op.device == ""
    with pytest.raises(ValueError, match="cannot parse device"):
        with tf.device("/gpu:zero:1"):
            pass


def test_a_gpu_scope_is_accepted_with_one_note(graph):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with tf.device("/gpu:3"):
            y = tf.constant(1.0) * 2.0
        with tf.device("/device:GPU:3"):
            pass
    assert y.op.device == "/device:GPU:3"
    assert sum("runs every op on the CPU" in str(w.message) for w in caught) <= 1
    with tf.Session() as sess:
        assert sess.run(y) == 2.0


def test_replica_device_setter_puts_variables_on_the_ps_tasks_in_turn(graph):
    setter = tf.train.replica_device_setter(ps_tasks=2, worker_device="/job:worker/task:0")
    with tf.device(setter):
        w1 = tf.Variable(1.0, name="w1")
        w2 = tf.Variable(2.0, name="w2")
        w3 = tf.Variable(3.0, name="w3")
        y = w1 * w2
    assert [v.handle.op.device for v in (w1, w2, w3)] == [
        "/job:ps/task:0", "/job:ps/task:1", "/job:ps/task:0"]
    assert y.op.device == "/job:worker/task:0"
    assert tf.train.replica_device_setter(cluster={"ps": ["a:1", "b:2"], "worker": ["c:3"]}) \
        is not None
    assert tf.train.replica_device_setter() is None


def test_the_drawing_colours_nodes_by_device(graph):
    with tf.device("/job:ps/task:0"):
        w = tf.Variable(1.0, name="w")
    with tf.device("/job:worker/task:0"):
        tf.multiply(w, 2.0, name="y")
    source = tf.draw(graph, color_by="device").source
    assert "built for /job:ps/task:0" in source and "built for /job:worker/task:0" in source
    with pytest.raises(ValueError, match="color_by"):
        tf.draw(graph, color_by="dtype")


def test_audio_and_hand_built_summaries_are_written(graph, tmp_path):
    clip = np.sin(np.linspace(0, 40, 800))[None, :].astype(np.float32)
    audio = tf.summary.audio("tone", tf.constant(clip), 8000)
    with tf.Session() as sess:
        written = sess.run(audio)
    writer = tf.summary.FileWriter(str(tmp_path))
    writer.add_summary(written, 1)
    manual = tf.Summary(value=[tf.Summary.Value(tag="accuracy", simple_value=0.75)])
    manual.value.add(tag="loss", simple_value=0.5)
    writer.add_summary(manual, 2)
    writer.add_summary(manual.SerializeToString(), 3)
    writer.close()
    with wave.open(str(tmp_path / "audio" / "tone_step1_0.wav")) as sound:
        assert (sound.getframerate(), sound.getnframes(), sound.getnchannels()) == (8000, 800, 1)
    rows = (tmp_path / "scalars.csv").read_text().splitlines()
    assert "2,accuracy,0.75" in rows and "3,loss,0.5" in rows
    assert json.loads(str(manual)) == {"scalars": {"accuracy": 0.75, "loss": 0.5}}


def test_pre_1_0_names_still_work_with_a_warning(graph, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        x = tf.constant([1.0, 2.0])
        y = tf.sub(tf.mul(x, 3.0), tf.neg(x))
        packed = tf.pack([x, y])
        first, _ = tf.unpack(packed)
        tf.scalar_summary("total", tf.reduce_sum(y))
        tf.histogram_summary("y", y)
        merged = tf.merge_all_summaries()
        writer = tf.train.SummaryWriter(str(tmp_path))
    assert all(issubclass(w.category, TF1DeprecationWarning) for w in caught)
    assert any("tf.mul was removed in TensorFlow 1.0; use tf.multiply" in str(w.message)
               for w in caught)
    with tf.Session() as sess:
        assert sess.run(y).tolist() == [4.0, 8.0] and sess.run(first).tolist() == [1.0, 2.0]
        writer.add_summary(sess.run(merged), 0)
    writer.close()
    assert "0,total,12.0" in (tmp_path / "scalars.csv").read_text()


def test_eager_mode_is_refused_with_what_to_write_instead():
    with pytest.raises(RuntimeError, match="no eager mode.*tf.gradients"):
        tf.enable_eager_execution()
    with pytest.raises(RuntimeError, match="GradientTape"):
        tf.GradientTape()
    assert tf.executing_eagerly() is False
