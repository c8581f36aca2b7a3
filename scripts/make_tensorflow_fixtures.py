"""Write the models that tests/test_import_graph_def.py and notebook 09 import, with real
TensorFlow (tensorflow-cpu and tf_keras, the 'bench' extra): frozen GraphDefs of a small
CNN trained on MNIST, an LSTM unrolled with static_rnn and one built with dynamic_rnn
(TF1's low-level loops), each with an input batch and TensorFlow's outputs for it.

    TF_USE_LEGACY_KERAS=1 .venv/bin/python scripts/make_tensorflow_fixtures.py
"""
import os

import numpy as np

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")   # compat.v1's rnn cells need tf_keras
import tensorflow.compat.v1 as tf  # noqa: E402

import nn  # noqa: E402  (MNIST, as the course's models read it)

HERE = os.path.dirname(__file__)
OUT = os.path.join(HERE, "..", "tests", "data", "tensorflow")
NOTEBOOK_MODEL = os.path.join(HERE, "..", "notebooks", "data", "tf_frozen_mnist_cnn.pb")


def _variable(name, shape):
    return tf.get_variable(name, shape, initializer=tf.glorot_uniform_initializer())


def cnn():
    """Convolutions, both poolings, a fused batch norm at inference, Relu6, Elu, a
    reshape by a computed shape, dense layers and a softmax."""
    x = tf.placeholder(tf.float32, [None, 28, 28, 1], name="x")
    with tf.variable_scope("conv1"):
        h = tf.nn.conv2d(x, _variable("w", [3, 3, 1, 8]), [1, 1, 1, 1], "SAME")
        h = tf.nn.relu(tf.nn.bias_add(h, _variable("b", [8])))
    h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    with tf.variable_scope("conv2"):
        h = tf.nn.conv2d(h, _variable("w", [3, 3, 8, 8]), [1, 2, 2, 1], "VALID")
        h = tf.nn.relu6(h + _variable("b", [8]))
    h = tf.nn.avg_pool(h, [1, 2, 2, 1], [1, 1, 1, 1], "SAME")
    with tf.variable_scope("bn"):
        h, _, _ = tf.nn.fused_batch_norm(h, _variable("g", [8]) + 1, _variable("o", [8]),
                                         mean=_variable("m", [8]),
                                         variance=tf.abs(_variable("v", [8])) + 1,
                                         is_training=False)
    h = tf.reshape(h, [tf.shape(h)[0], -1])
    with tf.variable_scope("fc"):
        h = tf.nn.elu(tf.matmul(h, _variable("w", [288, 16])) + _variable("b", [16]))
    with tf.variable_scope("logits"):
        logits = tf.nn.bias_add(tf.matmul(h, _variable("w", [16, 10])), _variable("b", [10]))
    tf.nn.softmax(logits, name="probs")
    labels = tf.placeholder(tf.int64, [None])
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    mnist = nn.datasets.read_data_sets(one_hot=False)

    def train(sess):   # 400 Adam steps of 64 images: about 95% on the test set
        step = tf.train.AdamOptimizer(3e-3).minimize(loss)
        sess.run(tf.global_variables_initializer())
        for _ in range(400):
            images, digits = mnist.train.next_batch(64)
            sess.run(step, {x: images.reshape(-1, 28, 28, 1), labels: digits})
    return x, ["probs"], mnist.test.images[:4].reshape(-1, 28, 28, 1), train


def lstm(dynamic):
    x = tf.placeholder(tf.float32, [None, 5, 3], name="x")
    cell = tf.nn.rnn_cell.LSTMCell(7, initializer=tf.glorot_uniform_initializer())
    if dynamic:
        outputs, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        last = outputs[:, -1]
    else:
        outputs, _ = tf.nn.static_rnn(cell, tf.unstack(x, axis=1), dtype=tf.float32)
        last = outputs[-1]
    tf.identity(tf.matmul(last, _variable("w", [7, 2])), name="y")
    return x, ["y"], np.random.RandomState(1).rand(4, 5, 3), None


def keras_cnn():
    """A tf.keras Sequential model (tf_keras, as TF 1.15's tf.keras) frozen the way its
    users did: learning phase 0, convert_variables_to_constants, remove_training_nodes."""
    import tf_keras as keras
    keras.backend.set_learning_phase(0)
    model = keras.Sequential([
        keras.layers.Conv2D(6, 3, activation="relu", input_shape=(12, 12, 1)),
        keras.layers.BatchNormalization(),
        keras.layers.MaxPooling2D(),
        keras.layers.Dropout(0.5),
        keras.layers.Flatten(),
        keras.layers.Dense(16, activation="tanh"),
        keras.layers.Dense(3, activation="softmax", name="probs")])
    sess = tf.keras.backend.get_session()
    frozen = tf.graph_util.convert_variables_to_constants(
        sess, sess.graph.as_graph_def(), [model.outputs[0].op.name])
    frozen = tf.graph_util.remove_training_nodes(frozen)
    batch = np.random.RandomState(2).rand(4, 12, 12, 1).astype(np.float32)
    expected = sess.run(model.outputs[0], {model.inputs[0]: batch})
    with open(os.path.join(OUT, "keras_cnn.pb"), "wb") as out:
        out.write(frozen.SerializeToString())
    np.savez(os.path.join(OUT, "keras_cnn.npz"), x=batch, expected=expected)
    print("keras_cnn", model.inputs[0].name, model.outputs[0].name,
          sorted({node.op for node in frozen.node}))


def write(name, build):
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        x, outputs, batch, train = build()
        batch = batch.astype(np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            if train is not None:
                train(sess)
            frozen = tf.graph_util.convert_variables_to_constants(
                sess, graph.as_graph_def(), outputs)
            expected = sess.run(outputs[0] + ":0", {x: batch})
    with open(os.path.join(OUT, f"{name}.pb"), "wb") as out:
        out.write(frozen.SerializeToString())
    np.savez(os.path.join(OUT, f"{name}.npz"), x=batch, expected=expected)
    print(name, sorted({node.op for node in frozen.node}))
    return frozen


if __name__ == "__main__":
    tf.disable_v2_behavior()
    os.makedirs(OUT, exist_ok=True)
    frozen_cnn = write("cnn", cnn)
    os.makedirs(os.path.dirname(NOTEBOOK_MODEL), exist_ok=True)
    with open(NOTEBOOK_MODEL, "wb") as out:
        out.write(frozen_cnn.SerializeToString())
    write("lstm_static", lambda: lstm(dynamic=False))
    write("lstm_dynamic", lambda: lstm(dynamic=True))
    with tf.Graph().as_default():
        keras_cnn()
