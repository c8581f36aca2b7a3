# A raw convolutional net with tf.nn ops (conv2d, max_pool, dropout placeholder).
import numpy as np
import autograd.tf1 as tf
from autograd.tf1.examples.tutorials.mnist import input_data

np.random.seed(0)  # the tutorial helper shuffles with numpy's generator
mnist = input_data.read_data_sets("MNIST_data", one_hot=True)
rng = np.random.RandomState(2)


def weight(shape):
    return tf.Variable(rng.normal(0, 0.1, shape).astype(np.float32))


def conv2d(x, W):
    return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='SAME')


def max_pool_2x2(x):
    return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')


x = tf.placeholder(tf.float32, shape=[None, 784])
y_ = tf.placeholder(tf.float32, shape=[None, 10])
keep_prob = tf.placeholder(tf.float32)
x_image = tf.reshape(x, [-1, 28, 28, 1])
h_conv1 = tf.nn.relu(conv2d(x_image, weight([5, 5, 1, 8])) + tf.constant(0.1, shape=[8]))
h_pool1 = max_pool_2x2(h_conv1)
h_conv2 = tf.nn.relu(conv2d(h_pool1, weight([5, 5, 8, 16])) + tf.constant(0.1, shape=[16]))
h_pool2 = max_pool_2x2(h_conv2)
h_flat = tf.reshape(h_pool2, [-1, 7 * 7 * 16])
h_fc1 = tf.nn.relu(tf.matmul(h_flat, weight([7 * 7 * 16, 64])) + 0.1)
h_fc1_drop = tf.nn.dropout(h_fc1, keep_prob)
y_conv = tf.matmul(h_fc1_drop, weight([64, 10]))
cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y_conv))
train_step = tf.train.AdamOptimizer(1e-3).minimize(cross_entropy)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(y_conv, 1), tf.argmax(y_, 1)), tf.float32))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(40):
        batch = mnist.train.next_batch(50)
        train_step.run(feed_dict={x: batch[0], y_: batch[1], keep_prob: 1.0})
    print("result", accuracy.eval(feed_dict={x: mnist.test.images[:500],
                                             y_: mnist.test.labels[:500], keep_prob: 1.0}))
