"""tf.contrib: arg_scope, the layers' defaults and names, slim, distributions, losses,
metrics, and the errors for what is not provided."""
import math

import numpy as np
import pytest

import autograd.tf1 as tf

layers, slim = tf.contrib.layers, tf.contrib.slim


def test_arg_scope_defaults_nest_and_explicit_arguments_win():
    x = tf.ones([2, 3])
    with slim.arg_scope([layers.fully_connected], num_outputs=4, activation_fn=None,
                        weights_initializer=tf.constant_initializer(-1.0)):
        with slim.arg_scope([layers.fully_connected], activation_fn=tf.nn.sigmoid) as scope:
            inner = layers.fully_connected(x)
            explicit = layers.fully_connected(x, activation_fn=None)
        outer = layers.fully_connected(x)
    with slim.arg_scope(scope):
        again = layers.fully_connected(x)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run([inner, explicit, outer, again])
    assert values[0].shape == (2, 4) and np.allclose(values[0], 1 / (1 + math.exp(3)))
    assert np.allclose(values[1], -3.0) and np.allclose(values[2], -3.0)   # explicit, outer
    assert np.allclose(values[3], values[0])                               # re-entered
    with pytest.raises(ValueError, match="add_arg_scope"):
        with slim.arg_scope([tf.nn.relu], x=1):
            pass


def test_layer_defaults_and_variable_names():
    x = tf.ones([1, 8, 8, 3])
    conv = layers.conv2d(x, 4, 3)
    layers.conv2d(conv, 4, 3)
    layers.fully_connected(layers.flatten(conv), 5, normalizer_fn=layers.batch_norm)
    names = [v.op.name for v in tf.global_variables()]
    assert names[:4] == ["Conv/weights", "Conv/biases", "Conv_1/weights", "Conv_1/biases"]
    assert "fully_connected/weights" in names and "fully_connected/biases" not in names
    assert "fully_connected/BatchNorm/moving_mean" in names
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(conv).min() >= 0                              # ReLU by default


def test_batch_norm_updates_in_place_without_a_collection():
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(6, 2))
    out = layers.batch_norm(x, decay=0.5, updates_collections=None, is_training=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        normalised = sess.run(out)
        moving = sess.run(slim.get_variables_by_name("moving_mean")[0])
    assert np.allclose(normalised.mean(axis=0), 0, atol=1e-5)
    assert np.allclose(moving, 0.5 * np.array([5.0, 6.0]))


def test_regularizers_and_apply_regularization():
    w = tf.constant([[1.0, -2.0]])
    with tf.Session() as sess:
        assert sess.run(layers.l1_regularizer(0.5)(w)) == pytest.approx(1.5)
        assert sess.run(layers.l2_regularizer(0.5)(w)) == pytest.approx(1.25)
        assert sess.run(layers.apply_regularization(layers.l2_regularizer(1.0), [w])) == \
            pytest.approx(2.5)
    with pytest.raises(ValueError, match="less than 0"):
        layers.l2_regularizer(-1.0)


def test_distributions_match_their_formulas():
    d = tf.contrib.distributions
    normal, other = d.Normal(1.0, 2.0), d.Normal(0.0, 1.0)
    bernoulli = d.Bernoulli(probs=0.25)
    categorical = d.Categorical(logits=[0.0, math.log(3.0)])
    samples = normal.sample([2000], seed=1)
    with tf.Session() as sess:
        values = sess.run([normal.log_prob(0.0), normal.entropy(), d.kl_divergence(
            normal, other), bernoulli.log_prob(1), bernoulli.entropy(),
            categorical.log_prob(1), categorical.entropy(), samples])
    assert values[0] == pytest.approx(-0.5 * 0.25 - math.log(2) - 0.5 * math.log(2 * math.pi))
    assert values[1] == pytest.approx(0.5 * math.log(2 * math.pi * math.e * 4))
    assert values[2] == pytest.approx(math.log(0.5) + 5 / 2 - 0.5, rel=1e-5)
    assert values[3] == pytest.approx(math.log(0.25))
    assert values[4] == pytest.approx(-(0.25 * math.log(0.25) + 0.75 * math.log(0.75)))
    assert values[5] == pytest.approx(math.log(0.75))
    assert values[6] == pytest.approx(-(0.25 * math.log(0.25) + 0.75 * math.log(0.75)))
    assert values[7].shape == (2000,) and abs(values[7].mean() - 1.0) < 0.2


def test_sequence_loss_is_the_weighted_mean_cross_entropy():
    logits = np.log(np.array([[[0.5, 0.5], [0.9, 0.1]]], np.float32))
    targets = np.array([[0, 1]])
    with tf.Session() as sess:
        both = sess.run(tf.contrib.seq2seq.sequence_loss(logits, targets, [[1.0, 1.0]]))
        first = sess.run(tf.contrib.seq2seq.sequence_loss(logits, targets, [[1.0, 0.0]]))
    assert both == pytest.approx((math.log(2) + math.log(10)) / 2, rel=1e-5)
    assert first == pytest.approx(math.log(2), rel=1e-5)


def test_streaming_metrics_take_predictions_first():
    accuracy, update = tf.contrib.metrics.streaming_accuracy([1, 1, 0], [1, 0, 0])
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        sess.run(update)
        assert sess.run(accuracy) == pytest.approx(2 / 3)


def test_vocabulary_processor_pads_and_maps_unknown_words_to_zero():
    processor = tf.contrib.learn.preprocessing.VocabularyProcessor(4)
    ids = list(processor.fit_transform(["a b c", "c b"]))
    assert [list(i) for i in ids] == [[1, 2, 3, 0], [3, 2, 0, 0]]
    assert list(next(processor.transform(["a z"]))) == [1, 0, 0, 0]


def test_names_not_provided_point_to_their_replacement():
    with pytest.raises(AttributeError, match="tf.feature_column.numeric_column"):
        _ = tf.contrib.layers.real_valued_column
    with pytest.raises(AttributeError, match="tf.contrib.keras is not provided.*tf.keras"):
        _ = tf.contrib.keras
    with pytest.raises(AttributeError, match="only the parts tutorials used"):
        _ = tf.contrib.something_else


def test_layer_norm_lstm_cell_matches_its_formula():
    rng = np.random.RandomState(0)
    x, c, h = rng.randn(2, 3), rng.randn(2, 4), rng.randn(2, 4)
    cell = tf.contrib.rnn.LayerNormBasicLSTMCell(4)
    out, (new_c, _) = cell(tf.constant(x, tf.float64), tf.contrib.rnn.LSTMStateTuple(
        tf.constant(c, tf.float64), tf.constant(h, tf.float64)))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kernel, bias = sess.run([cell.kernel, cell.bias])
        got_h, got_c = sess.run([out, new_c])

    def norm(v):
        return (v - v.mean(1, keepdims=True)) / np.sqrt(v.var(1, keepdims=True) + 1e-5)

    def sigmoid(v):
        return 1 / (1 + np.exp(-v))
    i, j, f, o = map(norm, np.split(np.concatenate([x, h], 1) @ kernel + bias, 4, axis=1))
    want_c = norm(c * sigmoid(f + 1.0) + sigmoid(i) * np.tanh(j))
    assert np.allclose(got_c, want_c, atol=1e-6)
    assert np.allclose(got_h, np.tanh(want_c) * sigmoid(o), atol=1e-6)


def test_slim_learning_trains_and_saves(tmp_path):
    x = tf.constant(np.linspace(-1, 1, 16, dtype=np.float32).reshape(-1, 1))
    prediction = slim.fully_connected(x, 1, activation_fn=None, scope="line")
    loss = slim.losses.mean_squared_error(prediction, 2 * x)
    train_op = slim.learning.create_train_op(slim.losses.get_total_loss(),
                                             tf.train.GradientDescentOptimizer(0.5))
    final = slim.learning.train(train_op, str(tmp_path), number_of_steps=60,
                                save_summaries_secs=0, save_interval_secs=0)
    assert final < 1e-3 and loss is not None
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-60")
