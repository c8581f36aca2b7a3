# A small convolutional autoencoder: conv2d down, conv2d_transpose back up (the learned
# upsampling of TF1 autoencoder and DCGAN tutorials), trained on MNIST digits.
import numpy as np
import autograd.tf1 as tf
from autograd.tf1.examples.tutorials.mnist import input_data

np.random.seed(0)
mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
rng = np.random.RandomState(6)
x = tf.placeholder(tf.float32, [None, 784])
images = tf.reshape(x, [-1, 28, 28, 1])
w1 = tf.Variable(rng.normal(0, 0.1, (4, 4, 1, 8)).astype(np.float32))
w2 = tf.Variable(rng.normal(0, 0.1, (4, 4, 8, 16)).astype(np.float32))
d2 = tf.Variable(rng.normal(0, 0.1, (4, 4, 8, 16)).astype(np.float32))
d1 = tf.Variable(rng.normal(0, 0.1, (4, 4, 1, 8)).astype(np.float32))
batch = tf.shape(x)[0]
h1 = tf.nn.relu(tf.nn.conv2d(images, w1, [1, 2, 2, 1], "SAME"))            # 14x14x8
h2 = tf.nn.relu(tf.nn.conv2d(h1, w2, [1, 2, 2, 1], "SAME"))                # 7x7x16
u2 = tf.nn.relu(tf.nn.conv2d_transpose(h2, d2, [batch, 14, 14, 8], [1, 2, 2, 1], "SAME"))
logits = tf.nn.conv2d_transpose(u2, d1, [batch, 28, 28, 1], [1, 2, 2, 1], "SAME")
loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=images, logits=logits))
train = tf.train.AdamOptimizer(0.01).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    first = sess.run(loss, {x: mnist.test.images[:200]})
    for _ in range(40):
        batch_x, _ = mnist.train.next_batch(64)
        sess.run(train, {x: batch_x})
    print("result", first, sess.run(loss, {x: mnist.test.images[:200]}))
