"""Trained models leave the engine: frozen TensorFlow GraphDefs that real TensorFlow runs,
and ONNX models that ONNX Runtime runs, to the same outputs (1e-5 relative)."""
import numpy as np
import pytest

import autograd as ag
import autograd.tf1 as tf
import nn
from autograd import export
from benchmarks import course, frameworks
from benchmarks.specs import ALL

COURSE_MODELS = ["softmax", "mlp", "cnn", "big_cnn", "nielsen", "tutorial_cnn"]
RTOL = 1e-5


def _relative_error(got, expected):
    return float(np.max(np.abs(got - expected)) / np.max(np.abs(expected)))


@pytest.fixture(scope="module")
def mnist():
    return nn.datasets.read_data_sets(one_hot=True)


def _trained(model, mnist):
    """A course model after three training steps, and a test batch."""
    spec = ALL[model]
    train_step, predict = frameworks.build_ours(spec)
    for step, (images, labels) in enumerate(course._batches(mnist, spec, 3)):
        train_step(images, labels, step)
    images = mnist.test.images[:50]
    return predict, images.reshape(-1, 28, 28, 1) if spec.image else images


def _run_onnx(model, feeds):
    ort = pytest.importorskip("onnxruntime", reason="onnxruntime is not installed "
                                                    "(extra 'export')")
    session = ort.InferenceSession(model.SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


def _run_tensorflow(path, fetches, feeds):
    real = pytest.importorskip("tensorflow", reason="tensorflow is not installed (extra "
                                                    "'bench')").compat.v1
    real.disable_eager_execution()
    with open(path, "rb") as handle:
        graph_def = real.GraphDef.FromString(handle.read())
    with real.Graph().as_default():
        real.import_graph_def(graph_def, name="")
        with real.Session() as sess:
            return sess.run(fetches, feeds)


@pytest.mark.parametrize("model", COURSE_MODELS)
def test_course_models_round_trip_through_onnx(model, mnist):
    pytest.importorskip("onnx", reason="onnx is not installed (extra 'export')")
    predict, images = _trained(model, mnist)
    x, keep = predict.inputs
    expected = predict.session.run(predict.logits, {x: images, keep: 1.0})
    onnx_model = export.to_onnx(predict.session, [predict.logits], feed_dict={keep: 1.0})
    assert [i.name for i in onnx_model.graph.input] == [x.name]   # keep folded away
    got, = _run_onnx(onnx_model, {x.name: images})
    assert _relative_error(got, expected) < RTOL


@pytest.mark.parametrize("model", COURSE_MODELS)
def test_course_models_round_trip_through_tensorflow(model, mnist, tmp_path):
    pytest.importorskip("tensorboard", reason="tensorboard is not installed (extra 'tensorboard')")
    predict, images = _trained(model, mnist)
    x, keep = predict.inputs
    sess = predict.session
    expected = sess.run(predict.logits, {x: images, keep: 1.0})
    frozen = tf.graph_util.convert_variables_to_constants(
        sess, sess.graph.as_graph_def(), [predict.logits.op.name])
    binary = tf.train.write_graph(frozen, str(tmp_path), "model.pb", as_text=False)
    text = tf.train.write_graph(frozen, str(tmp_path), "model.pbtxt", as_text=True)
    from google.protobuf import text_format
    from tensorboard.compat.proto import graph_pb2
    assert text_format.Parse(open(text).read(), graph_pb2.GraphDef()) == frozen
    assert not any(n.op in ("VarHandleOp", "ReadVariableOp") for n in frozen.node)
    feeds = {x.name: images}
    if any(n.name == keep.op.name for n in frozen.node):
        feeds[keep.name] = 1.0
    got = _run_tensorflow(binary, predict.logits.name, feeds)
    assert _relative_error(got, expected) < RTOL


def _many_ops_model():
    """Every op the exporters map, in one small network: conv VALID/SAME with strides,
    max and average pools, batch norm at inference, dropout folded, and the rest."""
    rng = np.random.default_rng(1)
    graph = ag.Graph()
    with graph.as_default():
        x = ag.placeholder(ag.float32, [None, 9, 9, 3], name="images")
        keep = ag.placeholder(ag.float32, [], name="keep")
        f1 = ag.Variable(rng.normal(0, 0.3, (3, 3, 3, 4)).astype(np.float32), name="f1")
        h = nn.conv2d(x, f1, [1, 2, 2, 1], "VALID")                        # 4x4x4
        h = nn.max_pool(nn.relu(h), [1, 2, 2, 1], [1, 1, 1, 1], "SAME")
        h = nn.avg_pool(h, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")              # 2x2x4
        mean = ag.Variable(rng.normal(size=4).astype(np.float32), name="moving_mean")
        variance = ag.Variable(rng.uniform(0.5, 2, 4).astype(np.float32), name="moving_var")
        h = nn.batch_normalization(h, mean, variance, ag.zeros([4]), ag.ones([4]), 1e-3)
        flat = ag.reshape(nn.dropout(ag.tanh(h), keep), [-1, 16])
        w = ag.Variable(rng.normal(0, 0.3, (16, 5)).astype(np.float32), name="w")
        logits = ag.matmul(flat, w) + ag.reduce_mean(flat, 1, keepdims=True)
        both = ag.concat([nn.sigmoid(logits), ag.squeeze(ag.expand_dims(logits, 1), [1])], 1)
        scores = nn.softmax(ag.transpose(ag.transpose(both)) - ag.reduce_max(both))
        best = ag.argmax(scores, 1, name="best")
        sess = ag.Session(graph=graph)
        sess.run(ag.global_variables_initializer())
    images = rng.normal(size=(6, 9, 9, 3)).astype(np.float32)
    return sess, x, keep, scores, best, images


def test_every_mapped_op_agrees_in_onnx_and_tensorflow(tmp_path):
    pytest.importorskip("onnx", reason="onnx is not installed (extra 'export')")
    sess, x, keep, scores, best, images = _many_ops_model()
    expected, expected_best = sess.run([scores, best], {x: images, keep: 1.0})
    onnx_model = export.to_onnx(sess, [scores, best], tmp_path / "model.onnx",
                                feed_dict={keep: 1.0})
    assert (tmp_path / "model.onnx").stat().st_size > 0
    got, got_best = _run_onnx(onnx_model, {x.name: images})
    assert _relative_error(got, expected) < RTOL and np.array_equal(got_best, expected_best)
    path = export.write_graph(export.to_graph_def(sess, [scores, best],
                                                  feed_dict={keep: 1.0}),
                              str(tmp_path), "model.pb", as_text=False)
    got, got_best = _run_tensorflow(path, [scores.name, best.name], {x.name: images})
    assert _relative_error(got, expected) < RTOL and np.array_equal(got_best, expected_best)


def test_an_op_without_a_mapping_is_named_with_its_creation_site():
    graph = ag.Graph()
    with graph.as_default():
        x = ag.placeholder(ag.float32, [None, 3], name="x")
        running = ag.cumsum(x, axis=1, name="running_total")
        with ag.Session() as sess:
            with pytest.raises(NotImplementedError, match="Cumsum op 'running_total' "
                                                          r"\(created at .*test_export.py"):
                export.to_graph_def(sess, [running])
            pytest.importorskip("onnx", reason="onnx is not installed (extra 'export')")
            with pytest.raises(NotImplementedError, match="to ONNX: no mapping for op type "
                                                          "'Cumsum'"):
                export.to_onnx(sess, [running])


def test_freezing_needs_initialized_variables_and_values_not_handles():
    graph = ag.Graph()
    with graph.as_default():
        v = ag.Variable(1.0, name="v")
        y = v * 2.0
        with ag.Session() as sess:
            with pytest.raises(ag.errors.FailedPreconditionError, match="not initialized"):
                export.freeze(sess, [y])
            sess.run(v.initializer)
            frozen = export.freeze(sess, ["mul"])
            assert [op.type for op, kind in frozen.steps if kind == "node"] == ["Mul"]
