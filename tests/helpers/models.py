"""Models the tests (and the README's screenshot scripts) build the way the course does."""
import numpy as np

import autograd.tf1 as tf


def course_cnn(images=None, labels=None):
    """The course CNN with Adam, as notebook 07 builds it: (graph, session with the
    variables initialized, train op, loss, a feed of `images` and one-hot `labels`,
    8 random images by default)."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        x = tf.placeholder(tf.float32, [None, 28, 28, 1], name="x")
        y = tf.placeholder(tf.float32, [None, 10], name="y")
        h = x
        for i, (k, c, s) in enumerate([(5, 4, 1), (5, 8, 2), (4, 12, 2)]):
            with tf.name_scope(f"conv{i + 1}"):
                w = tf.Variable(tf.truncated_normal([k, k, int(h.shape[3]), c], stddev=0.1),
                                name="W")
                b = tf.Variable(tf.ones([c]) / 10, name="b")
                h = tf.nn.relu(tf.nn.conv2d(h, w, [1, s, s, 1], "SAME") + b)
        h = tf.reshape(h, [-1, 7 * 7 * 12])
        with tf.name_scope("dense"):
            w = tf.Variable(tf.truncated_normal([588, 200], stddev=0.1), name="W")
            h = tf.nn.relu(tf.matmul(h, w) + tf.Variable(tf.ones([200]) / 10, name="b"))
        with tf.name_scope("output"):
            w = tf.Variable(tf.truncated_normal([200, 10], stddev=0.1), name="W")
            logits = tf.matmul(h, w) + tf.Variable(tf.zeros([10]), name="b")
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y,
                                                                          logits=logits),
                              name="loss")
        train = tf.train.AdamOptimizer(0.003).minimize(loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
    if images is None:
        images = np.random.default_rng(0).random((8, 28, 28, 1), np.float32)
        labels = np.eye(10, dtype=np.float32)[np.arange(8)]
    return graph, sess, train, loss, {x: images.reshape(-1, 28, 28, 1), y: labels}
