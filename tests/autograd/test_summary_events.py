"""FileWriter's TensorBoard event files, read back with TensorBoard's own reader."""
import numpy as np
import pytest

import autograd as ag
from autograd.summary import events

event_accumulator = pytest.importorskip(
    "tensorboard.backend.event_processing.event_accumulator",
    reason="tensorboard is not installed (extra 'tensorboard')")


def _load(folder):
    accumulator = event_accumulator.EventAccumulator(
        str(folder), size_guidance={kind: 0 for kind in (
            event_accumulator.SCALARS, event_accumulator.HISTOGRAMS,
            event_accumulator.IMAGES, event_accumulator.TENSORS)})
    return accumulator.Reload()


def _course_logs(folder):
    """Notebook 05 style: softmax regression, its loss, weights as 10 images, a note."""
    rng = np.random.default_rng(0)
    x = ag.placeholder(ag.float32, [None, 784], name="x")
    with ag.name_scope("model"):
        w = ag.Variable(rng.normal(0, 0.1, (784, 10)).astype(np.float32), name="weights")
        logits = ag.matmul(x, w, name="logits")
    loss = ag.reduce_mean(ag.square(logits), name="loss")
    train = ag.assign_sub(w, 0.01 * ag.gradients(loss, [w])[0])
    ag.summary.scalar("loss", loss)
    ag.summary.histogram("weights", w)
    ag.summary.image("weights", ag.reshape(ag.transpose(w), [-1, 28, 28, 1]), max_outputs=10)
    ag.summary.text("note", "softmax regression, lr 0.01")
    merged = ag.summary.merge_all()
    feed = {x: rng.random((16, 784), dtype=np.float32)}
    losses = []
    with ag.Session() as sess:
        sess.run(w.initializer)
        writer = ag.summary.FileWriter(folder, sess.graph)
        for step in range(3):
            summary, value, _ = sess.run([merged, loss, train], feed)
            writer.add_summary(summary, step)
            losses.append(value)
        metadata = ag.RunMetadata()
        sess.run(train, feed, run_metadata=metadata,
                 options=ag.RunOptions(trace_level=ag.RunOptions.FULL_TRACE))
        writer.add_run_metadata(metadata, "step3", 3)
        writer.close()
        weights = sess.run(w)
    return losses, weights, sess.graph


def test_tensorboard_reads_scalars_histograms_images_text_and_the_graph(tmp_path):
    losses, weights, graph = _course_logs(tmp_path)
    logs = _load(tmp_path)
    tags = logs.Tags()
    assert "loss" in tags["scalars"] and "weights" in tags["histograms"]
    assert sorted(tags["images"]) == sorted(f"weights/image/{i}" for i in range(10))
    assert "note" in tags["tensors"] and tags["graph"] and "step3" in tags["run_metadata"]
    scalars = logs.Scalars("loss")
    assert [s.step for s in scalars] == [0, 1, 2]
    np.testing.assert_allclose([s.value for s in scalars], losses, rtol=1e-6)
    histogram = logs.Histograms("weights")[-1].histogram_value
    assert histogram.num == 7840 and sum(histogram.bucket) == 7840
    assert len(histogram.bucket) == len(histogram.bucket_limit) == 30
    image = logs.Images("weights/image/3")[0]
    assert (image.width, image.height) == (28, 28)
    assert image.encoded_image_string.startswith(b"\x89PNG")
    text = logs.Tensors("note")[0].tensor_proto.string_val
    assert text == [b"softmax regression, lr 0.01"]
    names = {node.name for node in logs.Graph().node}
    assert {"x", "model/weights", "model/logits", "loss"} <= names
    node = next(n for n in logs.Graph().node if n.name == "model/logits")
    assert node.op == "MatMul" and list(node.input) == ["x", "model/ReadVariableOp"]
    traced = logs.RunMetadata("step3")
    assert any(s.node_name == "model/logits" for d in traced.step_stats.dev_stats
               for s in d.node_stats)


def test_images_are_scaled_as_tf1_does():
    assert events.decode_image  # the reader of what the op stores
    from autograd.summary.ops import to_uint8
    np.testing.assert_array_equal(to_uint8(np.array([[0.0, 0.5, 1.0]])), [[0, 128, 255]])
    np.testing.assert_array_equal(to_uint8(np.array([[-1.0, 0.0, 0.5]])), [[1, 128, 192]])
    with pytest.raises(ValueError, match="reshape first"):
        ag.summary.image("w", ag.zeros([784, 10]))


def test_without_tensorboard_the_writer_keeps_csv_and_png_and_says_what_to_install(
        tmp_path, monkeypatch):
    from autograd.summary import writer
    monkeypatch.setattr(events, "available", lambda: False)
    monkeypatch.setattr(writer, "_hinted", [])
    with pytest.warns(RuntimeWarning, match="pip install tensorboard"):
        _course_logs(tmp_path)
    files = {p.name for p in tmp_path.iterdir()}
    assert not any(name.startswith("events.out") for name in files)
    assert {"scalars.csv", "histograms.csv", "texts.csv", "run_metadata_step3.csv"} <= files
    assert len(list((tmp_path / "images").glob("weights_step2_*.png"))) == 10
