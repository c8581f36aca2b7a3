"""tf.estimator and tf.feature_column: the calls, their errors, and what lands in model_dir."""
import numpy as np
import pytest

import autograd as ag
import autograd.tf1 as tf
from nn import feature_columns as fc


def _features():
    return {"age": np.array([20.0, 40.0, 60.0], np.float32),
            "city": np.array([b"Paris", b"Oslo", b"Rome"], dtype=object),
            "n": np.array([0, 2, 5])}


def test_input_layer_orders_columns_by_name_and_handles_unknown_values():
    age = fc.numeric_column("age")
    city = fc.categorical_column_with_vocabulary_list("city", ["Paris", "Oslo"])
    n = fc.categorical_column_with_identity("n", 3)
    layer = fc.input_layer(_features(), [fc.indicator_column(n), fc.indicator_column(city),
                                         fc.bucketized_column(age, [30, 50]), age])
    with ag.Session() as sess:
        rows = sess.run(layer)
    # age | age_bucketized (3) | city_indicator (2) | n_indicator (3)
    assert rows.tolist() == [[20, 1, 0, 0, 1, 0, 1, 0, 0],
                             [40, 0, 1, 0, 0, 1, 0, 0, 1],
                             [60, 0, 0, 1, 0, 0, 0, 0, 0]]   # Rome and n=5: no id
    with pytest.raises(ValueError, match="indicator_column or embedding_column"):
        fc.input_layer(_features(), [city])


def test_embedding_mean_and_oov_buckets_and_crosses():
    city = fc.categorical_column_with_vocabulary_list("city", ["Paris", "Oslo"],
                                                      num_oov_buckets=2)
    table = np.arange(8, dtype=np.float32).reshape(4, 2)
    embedded = fc.embedding_column(city, 2, initializer=lambda shape, dtype: table)
    crossed = fc.crossed_column(["city", "n"], 7)
    layer = fc.input_layer(_features(), [embedded])
    ids = crossed.ids(_features())
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        rows = sess.run(layer)
        first, second = sess.run(ids), sess.run(ids)
    assert rows[0].tolist() == [0, 1] and rows[1].tolist() == [2, 3]
    assert rows[2].tolist() in ([4, 5], [6, 7])           # Rome: one of the two OOV ids
    assert first.tolist() == second.tolist() and all(0 <= i < 7 for i in first.ravel())


def test_linear_model_starts_at_zero_and_learns():
    features = {"x": np.array([[1.0], [2.0], [3.0]], np.float32)}
    target = np.array([[2.0], [4.0], [6.0]], np.float32)
    out = fc.linear_model(features, [fc.numeric_column("x")])
    loss = ag.reduce_mean(ag.square(out - target))
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        assert sess.run(out).tolist() == [[0.0]] * 3
        for _ in range(200):
            sess.run(step)
        assert sess.run(loss) < 1e-3


def _model_fn(features, labels, mode):
    w = tf.get_variable("w", [1, 1], initializer=tf.zeros_initializer())
    prediction = tf.matmul(features["x"], w)
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"y": prediction})
    loss = tf.reduce_mean(tf.square(prediction - labels))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train, eval_metric_ops={
        "mae": tf.metrics.mean_absolute_error(labels, prediction)})


def _input(epochs=None, shuffle=False):
    x = np.linspace(-1, 1, 20, dtype=np.float32).reshape(-1, 1)
    return tf.estimator.inputs.numpy_input_fn({"x": x}, 3 * x, batch_size=5,
                                              num_epochs=epochs, shuffle=shuffle)


def test_estimator_trains_resumes_evaluates_and_predicts(tmp_path):
    estimator = tf.estimator.Estimator(_model_fn, model_dir=str(tmp_path))
    with pytest.raises(ValueError, match="Could not find trained model"):
        estimator.evaluate(_input(1))
    estimator.train(_input(), steps=30)
    estimator.train(_input(), steps=20)
    assert ag.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-50")
    estimator.train(_input(), max_steps=40)        # already past: nothing happens
    assert estimator.get_variable_value("global_step") == 50
    results = estimator.evaluate(_input(1))
    assert results["global_step"] == 50 and results["mae"] < 0.05
    assert results["loss"] == pytest.approx(results["mae"] ** 2, rel=0.5)
    rows = list(estimator.predict(_input(1)))
    assert len(rows) == 20 and set(rows[0]) == {"y"} and rows[0]["y"].shape == (1,)
    assert (tmp_path / "eval").is_dir()
    estimator.train(_input(2))                      # until the input runs out: 8 steps
    assert estimator.get_variable_value("global_step") == 58


def test_estimator_refuses_bad_specs_and_arguments(tmp_path):
    estimator = tf.estimator.Estimator(_model_fn, model_dir=str(tmp_path))
    with pytest.raises(ValueError, match="both steps and max_steps"):
        estimator.train(_input(), steps=1, max_steps=2)
    with pytest.raises(ValueError, match="Missing"):
        tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.TRAIN, loss=tf.constant(1.0))
    with pytest.raises(ValueError, match="shuffle must be provided"):
        tf.estimator.inputs.numpy_input_fn({"x": np.zeros(3)})
    with pytest.raises(ValueError, match="same length"):
        tf.estimator.inputs.numpy_input_fn({"x": np.zeros(3)}, np.zeros(4), shuffle=False)


def test_premade_linear_classifier_separates_two_groups(tmp_path):
    rng = np.random.RandomState(0)
    x = np.concatenate([rng.randn(50, 2) - 2, rng.randn(50, 2) + 2]).astype(np.float32)
    y = np.array([0] * 50 + [1] * 50)
    columns = [tf.feature_column.numeric_column("a"), tf.feature_column.numeric_column("b")]
    classifier = tf.estimator.LinearClassifier(columns, model_dir=str(tmp_path))
    data = {"a": x[:, 0], "b": x[:, 1]}
    classifier.train(tf.estimator.inputs.numpy_input_fn(data, y, batch_size=20,
                                                        num_epochs=None, shuffle=True),
                     steps=100)
    results = classifier.evaluate(tf.estimator.inputs.numpy_input_fn(
        data, y, batch_size=100, num_epochs=1, shuffle=False))
    assert results["accuracy"] > 0.95 and results["auc"] > 0.95
    assert {"precision", "recall", "average_loss", "label/mean"} <= set(results)
    first = next(classifier.predict(tf.estimator.inputs.numpy_input_fn(
        data, num_epochs=1, shuffle=False)))
    assert first["class_ids"].tolist() == [0] and first["classes"].tolist() == [b"0"]
    assert first["probabilities"].shape == (2,)


def test_combined_dnn_regressor_and_baseline_estimators(tmp_path):
    rng = np.random.RandomState(1)
    a = rng.randn(120).astype(np.float32)
    city = rng.choice([b"x", b"y"], 120)
    y = ((a > 0) ^ (city == b"y")).astype(np.int64)
    data = {"a": a, "city": city}
    numeric = tf.feature_column.numeric_column("a")
    cities = tf.feature_column.categorical_column_with_vocabulary_list("city", ["x", "y"])
    crossed = tf.feature_column.crossed_column([tf.feature_column.bucketized_column(
        numeric, [0.0]), "city"], 4)

    def fit(shuffle=True, epochs=None):
        return tf.estimator.inputs.numpy_input_fn(data, y, batch_size=30, num_epochs=epochs,
                                                  shuffle=shuffle)
    combined = tf.estimator.DNNLinearCombinedClassifier(
        model_dir=str(tmp_path / "combined"), linear_feature_columns=[crossed],
        dnn_feature_columns=[numeric, tf.feature_column.indicator_column(cities)],
        dnn_hidden_units=[8], config=tf.estimator.RunConfig(tf_random_seed=0))
    combined.train(fit(), steps=150)
    assert combined.evaluate(fit(False, 1))["accuracy"] > 0.9
    names = combined.get_variable_names()
    assert any(n.startswith("dnn/hiddenlayer_0") for n in names)
    assert any(n.startswith("linear/linear_model") for n in names)
    baseline = tf.estimator.BaselineClassifier(model_dir=str(tmp_path / "baseline"))
    baseline.train(fit(), steps=50)
    probabilities = next(baseline.predict(fit(False, 1)))["probabilities"]
    assert probabilities[1] == pytest.approx(y.mean(), abs=0.1)
    regressor = tf.estimator.DNNRegressor([8], [numeric], model_dir=str(tmp_path / "dnn"),
                                          config=tf.estimator.RunConfig(tf_random_seed=0))
    target = tf.estimator.inputs.numpy_input_fn({"a": a}, 2 * a, batch_size=30,
                                                num_epochs=None, shuffle=True)
    regressor.train(target, steps=300)
    check = tf.estimator.inputs.numpy_input_fn({"a": a}, 2 * a, batch_size=120, num_epochs=1,
                                               shuffle=False)
    assert regressor.evaluate(check)["average_loss"] < 0.1


def test_export_savedmodel_writes_what_the_loader_serves(tmp_path):
    pytest.importorskip("tensorboard", reason="tensorboard is not installed (extra 'tensorboard')")
    estimator = tf.estimator.Estimator(_model_fn, model_dir=str(tmp_path / "model"))
    receiver_fn = tf.estimator.export.build_raw_serving_input_receiver_fn(
        {"x": tf.placeholder(tf.float32, [None, 1])})
    with pytest.raises(ValueError, match="Couldn't find trained model"):
        estimator.export_savedmodel(str(tmp_path / "export"), receiver_fn)
    estimator.train(_input(), steps=30)
    path = estimator.export_savedmodel(str(tmp_path / "export"), receiver_fn)
    assert isinstance(path, bytes) and path.decode().startswith(str(tmp_path / "export"))
    batch = np.array([[0.5], [-1.0]], np.float32)
    expected = [p["y"] for p in estimator.predict(
        tf.estimator.inputs.numpy_input_fn({"x": batch}, shuffle=False))]
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.SERVING], path.decode())
        signature = meta.signature_def["serving_default"]
        got = sess.run(signature.outputs["y"].name, {signature.inputs["x"].name: batch})
    np.testing.assert_allclose(got, np.stack(expected), rtol=1e-6)
