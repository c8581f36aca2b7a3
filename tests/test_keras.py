"""tf.keras on the graph: naming, shapes, compile/fit/evaluate/predict, callbacks, errors."""
import numpy as np
import pytest

import autograd as ag
from nn import keras


@pytest.fixture(autouse=True)
def fresh_graph():
    keras.backend.clear_session()
    ag.set_random_seed(0)
    np.random.seed(0)
    yield
    keras.backend.clear_session()


def _data(n=200, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(n, 4).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    return x, y


def test_layers_are_named_and_their_weights_scoped_as_keras_does():
    model = keras.Sequential([keras.layers.Dense(8, input_shape=(4,)), keras.layers.Dense(2)])
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]
    assert [w.op.name for w in model.weights] == ["dense/kernel", "dense/bias",
                                                  "dense_1/kernel", "dense_1/bias"]
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[0] == 'Model: "sequential"'
    assert any(line.startswith("dense (Dense)") and "(None, 8)" in line and "40" in line
               for line in lines)
    assert "Total params: 58" in lines


def test_fit_evaluate_predict_and_history():
    x, y = _data()
    model = keras.Sequential([keras.layers.Dense(16, activation="relu", input_shape=(4,)),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(lr=0.01), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, epochs=15, batch_size=20, validation_split=0.2, verbose=0)
    assert sorted(history.history) == ["acc", "loss", "val_acc", "val_loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy > 0.9 and model.predict(x[:5]).shape == (5, 2)
    assert np.allclose(model.predict(x[:5]).sum(axis=1), 1.0, atol=1e-5)
    assert np.isscalar(model.train_on_batch(x[:8], y[:8])[0])


def test_errors_say_what_to_fix():
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(4,))])
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(np.zeros((2, 4)), np.zeros(2), verbose=0)
    with pytest.raises(ValueError, match=r"'dense_1' expects input of shape \(None, 3\)"):
        keras.layers.Dense(2, input_shape=(3,))(ag.placeholder(ag.float32, [None, 5]))
    model.compile("sgd", "categorical_crossentropy")
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        model.fit(np.zeros((2, 4)), np.array([0, 1]), verbose=0)


def test_functional_model_with_two_inputs_and_a_subclassed_model():
    left, right = keras.Input(shape=(2,)), keras.Input(shape=(3,))
    merged = keras.layers.concatenate([left, right])
    out = keras.layers.Dense(1, kernel_initializer="ones")(merged)
    model = keras.Model(inputs=[left, right], outputs=out)
    assert model.predict([np.ones((1, 2)), np.ones((1, 3))]).tolist() == [[5.0]]

    class Twice(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1, kernel_initializer="ones", use_bias=False)

        def call(self, inputs):
            return 2 * self.dense(inputs)
    twice = Twice()
    assert twice.predict(np.ones((2, 3))).tolist() == [[6.0], [6.0]]
    assert len(twice.weights) == 1


def test_dropout_and_batch_norm_follow_the_learning_phase():
    x = np.random.RandomState(1).randn(64, 3).astype(np.float32) * 3 + 5
    model = keras.Sequential([keras.layers.BatchNormalization(momentum=0.5, input_shape=(3,)),
                              keras.layers.Dropout(0.5)])
    model.compile("sgd", "mse")
    before = model.predict(x)
    model.fit(x, x, epochs=3, batch_size=64, verbose=0, shuffle=False)
    moving_mean = model.layers[0].get_weights()[2]
    assert np.allclose(moving_mean, x.mean(0) * (1 - 0.5 ** 3), atol=1e-3)
    assert np.allclose(before, x / np.sqrt(1 + 1e-3), atol=1e-4)   # inference: no dropout


def test_callbacks_early_stopping_checkpoint_csv(tmp_path):
    x, y = _data()
    model = keras.Sequential([keras.layers.Dense(2, activation="softmax", input_shape=(4,))])
    model.compile(keras.optimizers.SGD(lr=0.0), "sparse_categorical_crossentropy")
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=1)
    log = tmp_path / "log.csv"
    best = str(tmp_path / "best")
    history = model.fit(x, y, epochs=10, verbose=0, callbacks=[
        stop, keras.callbacks.CSVLogger(str(log)),
        keras.callbacks.ModelCheckpoint(best, monitor="loss", save_best_only=True,
                                        save_weights_only=True)])
    assert len(history.epoch) == 2 and stop.stopped_epoch == 1     # lr 0: no improvement
    assert log.read_text().splitlines()[0] == "epoch,loss"
    assert (tmp_path / "best.npz").exists()
    weights = model.get_weights()
    model.set_weights([np.zeros_like(w) for w in weights])
    model.load_weights(best)
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), weights))


def test_utils():
    assert keras.utils.to_categorical([0, 2], 3).tolist() == [[1, 0, 0], [0, 0, 1]]
    padded = keras.utils.pad_sequences([[1, 2, 3], [4]], maxlen=2)
    assert padded.tolist() == [[2, 3], [0, 4]]
    (x_train, y_train), (x_test, _) = keras.datasets.mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert x_test.shape == (10000, 28, 28) and y_train.max() == 9


def test_keras_lstm_step_matches_its_formula():
    rng = np.random.RandomState(2)
    x = rng.randn(2, 1, 3).astype(np.float32)
    layer = keras.layers.LSTM(4, return_state=True)
    out, h, c = layer(ag.constant(x))
    kernel, recurrent, bias = keras.backend.batch_get_value(layer.weights)
    got = keras.backend.get_session().run([out, c])

    def hard_sigmoid(v):
        return np.clip(0.2 * v + 0.5, 0, 1)
    z = x[:, 0] @ kernel + bias            # the state starts at zero
    i, f, candidate, o = np.split(z, 4, axis=1)
    want_c = hard_sigmoid(i) * np.tanh(candidate)
    assert np.allclose(got[1], want_c, atol=1e-6)
    assert np.allclose(got[0], hard_sigmoid(o) * np.tanh(want_c), atol=1e-6)
    assert bias[4:8].tolist() == [1.0] * 4                        # unit_forget_bias
    assert np.allclose(recurrent @ recurrent.T, np.eye(4), atol=1e-5)   # orthogonal rows


def test_recurrent_and_convolution_layers_train_and_name_themselves():
    x = np.random.RandomState(0).randn(64, 6, 3).astype(np.float32)
    y = (x[:, :, 0].sum(1) > 0).astype(np.int64)
    model = keras.Sequential([
        keras.layers.Bidirectional(keras.layers.GRU(4, return_sequences=True)),
        keras.layers.Conv1D(4, 3, activation="relu"),
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(lr=0.02), "sparse_categorical_crossentropy",
                  metrics=["acc"])
    history = model.fit(x, y, epochs=25, verbose=0)
    assert history.history["acc"][-1] > 0.85
    assert [layer.name for layer in model.layers] == [
        "bidirectional", "conv1d", "global_average_pooling1d", "dense"]


def test_fit_and_evaluate_on_a_dataset():
    x, y = _data(120)
    dataset = ag.data.Dataset.from_tensor_slices((x, y)).batch(20)
    model = keras.Sequential([keras.layers.Dense(2, activation="softmax", input_shape=(4,))])
    model.compile(keras.optimizers.Adam(lr=0.05), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(dataset, epochs=5, verbose=0)
    assert len(history.history["loss"]) == 5 and history.history["acc"][-1] > 0.85
    loss, accuracy = model.evaluate(dataset, verbose=0)
    assert accuracy == pytest.approx(model.evaluate(x, y, verbose=0)[1], abs=1e-6)
    forever = ag.data.Dataset.from_tensor_slices((x, y)).batch(20).repeat()
    assert len(model.fit(forever, epochs=2, steps_per_epoch=3, verbose=0).epoch) == 2


def test_learning_rate_callbacks_change_the_rate_variable(tmp_path):
    x, y = _data(40)
    model = keras.Sequential([keras.layers.Dense(2, activation="softmax", input_shape=(4,))])
    model.compile(keras.optimizers.SGD(lr=0.1), "sparse_categorical_crossentropy")
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1))
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[schedule])
    assert history.history["lr"] == pytest.approx([0.1, 0.05, 0.1 / 3])
    plateau = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0,
                                                min_delta=10.0)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[plateau])
    # the first epoch sets the best; the second does not improve by 10: halved once
    assert keras.backend.get_value(model.optimizer.lr) == pytest.approx(0.1 / 3 / 2)
    board = keras.callbacks.TensorBoard(str(tmp_path), histogram_freq=1)
    model.fit(x, y, epochs=1, verbose=0, callbacks=[board])
    assert "loss" in (tmp_path / "scalars.csv").read_text()


def test_hdf5_weights_round_trip_and_real_keras_reads_them(tmp_path):
    pytest.importorskip("h5py", reason="h5py is not installed (extra 'keras')")
    model = keras.Sequential([keras.layers.Dense(3, input_shape=(2,)), keras.layers.Dense(1)])
    path = str(tmp_path / "w.h5")
    model.save_weights(path)
    weights = model.get_weights()
    model.set_weights([np.zeros_like(w) for w in weights])
    model.load_weights(path)
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))
    tf_keras = pytest.importorskip("tf_keras", reason="tf_keras is not installed (extra 'bench')")
    theirs = tf_keras.Sequential([tf_keras.layers.Dense(3, input_shape=(2,)),
                                  tf_keras.layers.Dense(1)])
    theirs.load_weights(path)
    assert all(np.allclose(a, b) for a, b in zip(weights, theirs.get_weights()))
    theirs.set_weights([w + 1 for w in theirs.get_weights()])
    theirs.save_weights(str(tmp_path / "theirs.h5"))
    model.load_weights(str(tmp_path / "theirs.h5"))
    assert all(np.allclose(a, b + 1) for a, b in zip(model.get_weights(), weights))


def test_whole_model_files_and_json(tmp_path):
    pytest.importorskip("h5py", reason="h5py is not installed (extra 'keras')")
    x, y = _data(32)
    model = keras.Sequential([
        keras.layers.Dense(8, activation="relu", input_shape=(4,),
                           kernel_regularizer=keras.regularizers.l2(0.01)),
        keras.layers.Dropout(0.1), keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(lr=0.01), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, y, epochs=2, verbose=0)
    path = str(tmp_path / "model.h5")
    model.save(path)
    expected = model.predict(x)
    architecture = model.to_json()
    keras.backend.clear_session()
    loaded = keras.models.load_model(path)
    assert np.allclose(loaded.predict(x), expected, atol=1e-6)
    assert keras.backend.get_value(loaded.optimizer.lr) == pytest.approx(0.01)
    assert len(loaded.evaluate(x, y, verbose=0)) == 2                 # compiled again
    rebuilt = keras.models.model_from_json(architecture)
    assert [type(layer).__name__ for layer in rebuilt.layers] == ["Dense", "Dropout", "Dense"]
    assert rebuilt.layers[0].kernel_regularizer.l2 == pytest.approx(0.01)
    with pytest.raises(ValueError, match="cannot be written as JSON"):
        keras.Sequential([keras.layers.Lambda(lambda t: t * 2, input_shape=(2,))]).to_json()
    tf_keras = pytest.importorskip("tf_keras", reason="tf_keras is not installed (extra 'bench')")
    theirs = tf_keras.models.load_model(path)
    assert np.allclose(theirs.predict(x, verbose=0), expected, atol=1e-5)


def test_constraints_project_the_weights_after_each_step():
    x, y = _data(40)
    model = keras.Sequential([keras.layers.Dense(
        3, input_shape=(4,), kernel_constraint=keras.constraints.max_norm(0.5),
        bias_constraint="non_neg"), keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.SGD(lr=1.0), "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=3, verbose=0)
    kernel, bias = model.layers[0].get_weights()
    assert np.sqrt((kernel ** 2).sum(axis=0)).max() <= 0.5 + 1e-5 and bias.min() >= 0
    config = model.layers[0].get_config()
    assert config["kernel_constraint"] == {"class_name": "MaxNorm",
                                           "config": {"max_value": 0.5, "axis": 0}}


def test_functional_models_round_trip_through_json_and_files(tmp_path):
    pytest.importorskip("h5py", reason="h5py is not installed (extra 'keras')")
    left, right = keras.Input(shape=(2,), name="left"), keras.Input(shape=(3,), name="right")
    shared = keras.layers.Dense(4, activation="relu")
    joined = keras.layers.concatenate([shared(keras.layers.Dense(4)(left)),
                                       keras.layers.Dense(4)(right)])
    out = keras.layers.Dense(1)(joined)
    model = keras.Model([left, right], out)
    data = [np.ones((3, 2), np.float32), np.ones((3, 3), np.float32)]
    expected = model.predict(data)
    architecture = model.to_json()
    path = str(tmp_path / "functional.h5")
    model.save(path)
    keras.backend.clear_session()
    rebuilt = keras.models.model_from_json(architecture)
    assert [type(layer).__name__ for layer in rebuilt.layers] == \
        [type(layer).__name__ for layer in model.layers]
    loaded = keras.models.load_model(path)
    assert np.allclose(loaded.predict(data), expected, atol=1e-6)
    tf_keras = pytest.importorskip("tf_keras", reason="tf_keras is not installed (extra 'bench')")
    theirs = tf_keras.models.load_model(path)
    assert np.allclose(theirs.predict(data, verbose=0), expected, atol=1e-5)
