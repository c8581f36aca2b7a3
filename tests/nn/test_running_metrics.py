"""tf.metrics: (value, update_op) over local variables, batch by batch, against TF1."""
import numpy as np
import pytest

import autograd.tf1 as ours

RNG = np.random.default_rng(5)
LABELS = RNG.integers(0, 2, 40)
DATA = {"labels": LABELS,
        "scores": np.clip(LABELS * 0.3 + RNG.random(40) * 0.7, 0, 1).astype(np.float32),
        "classes": RNG.integers(0, 3, 40), "values": RNG.standard_normal(40).astype(np.float32),
        "weights": RNG.random(40).astype(np.float32)}
DATA["guesses"] = np.where(RNG.random(40) < 0.6, DATA["classes"], RNG.integers(0, 3, 40))

METRICS = {
    "accuracy": lambda tf, d: tf.metrics.accuracy(d["classes"], d["guesses"]),
    "weighted mean": lambda tf, d: tf.metrics.mean(d["values"], weights=d["weights"]),
    "precision": lambda tf, d: tf.metrics.precision(d["labels"], d["scores"] > 0.5),
    "recall": lambda tf, d: tf.metrics.recall(d["labels"], d["scores"] > 0.5),
    "mean_squared_error": lambda tf, d: tf.metrics.mean_squared_error(d["values"],
                                                                      d["scores"]),
    "mean_absolute_error": lambda tf, d: tf.metrics.mean_absolute_error(d["values"],
                                                                        d["scores"]),
    "auc ROC": lambda tf, d: tf.metrics.auc(d["labels"], d["scores"]),
    "auc PR": lambda tf, d: tf.metrics.auc(d["labels"], d["scores"], curve="PR",
                                           num_thresholds=50),
    "mean_iou": lambda tf, d: tf.metrics.mean_iou(d["classes"], d["guesses"], 3),
}


def _tensors(tf, rows=None):
    """The data as constants, or (rows: an int tensor) the rows a batch feeds."""
    return {key: tf.constant(array) if rows is None else tf.gather(tf.constant(array), rows)
            for key, array in DATA.items()}


def _whole(tf, name):
    """The metric over all 40 rows, in one update."""
    with tf.Graph().as_default():
        value, update = METRICS[name](tf, _tensors(tf))
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            sess.run(update)
            return sess.run(value)


@pytest.mark.parametrize("name", sorted(METRICS))
def test_a_metric_over_batches_equals_the_metric_over_all_rows(name):
    with ours.Graph().as_default():
        rows = ours.placeholder(ours.int32, [None])
        value, update = METRICS[name](ours, _tensors(ours, rows))
        with ours.Session() as sess:
            sess.run(ours.local_variables_initializer())
            for start in range(0, 40, 10):
                sess.run(update, {rows: np.arange(start, start + 10)})
            streamed = sess.run(value)
            assert sess.run(value) == streamed   # reading adds nothing
            sess.run(ours.local_variables_initializer())
            assert sess.run(value) == 0.0         # a reset starts over
    np.testing.assert_allclose(streamed, _whole(ours, name), rtol=1e-5)


@pytest.mark.parametrize("name", sorted(METRICS))
def test_metrics_match_tensorflow(name):
    tf = pytest.importorskip("tensorflow.compat.v1",
                             reason="tensorflow is not installed (extra 'bench')")
    tf.disable_v2_behavior()
    np.testing.assert_allclose(_whole(ours, name), _whole(tf, name), rtol=1e-4, atol=1e-6)


def test_known_values():
    d = DATA
    assert _whole(ours, "accuracy") == pytest.approx(np.mean(d["classes"] == d["guesses"]))
    np.testing.assert_allclose(_whole(ours, "weighted mean"),
                               np.sum(d["values"] * d["weights"]) / np.sum(d["weights"]),
                               rtol=1e-5)
    predicted = d["scores"] > 0.5
    true_positives = np.sum(predicted & (d["labels"] == 1))
    assert _whole(ours, "precision") == pytest.approx(true_positives / predicted.sum())


def test_metric_variables_are_local_named_as_tf_and_not_trainable():
    with ours.Graph().as_default():
        ours.metrics.accuracy(ours.constant([1, 2]), ours.constant([1, 1]))
        names = sorted(v.op.name for v in ours.local_variables())
        assert names == ["accuracy/count", "accuracy/total"]
        assert not ours.global_variables() and not ours.trainable_variables()
        assert len(ours.get_collection(ours.GraphKeys.METRIC_VARIABLES)) == 2
