# Sequence MNIST: each image read row by row by an LSTM (dynamic_rnn), TF1 style.
import numpy as np
import autograd.tf1 as tf
from autograd.tf1.examples.tutorials.mnist import input_data

np.random.seed(0)  # the tutorial helper shuffles with numpy's generator
mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
timesteps, num_input, num_hidden = 28, 28, 32
X = tf.placeholder("float", [None, timesteps, num_input])
Y = tf.placeholder("float", [None, 10])


def kernel_init(shape, dtype=None, partition_info=None):
    return (np.cos(np.arange(np.prod(shape))).reshape(shape) * 0.1).astype(np.float32)


cell = tf.nn.rnn_cell.LSTMCell(num_hidden, initializer=kernel_init)
outputs, state = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
W = tf.Variable(np.linspace(-0.2, 0.2, num_hidden * 10).reshape(num_hidden, 10)
                .astype(np.float32))
logits = tf.matmul(outputs[:, -1, :], W)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
train = tf.train.AdamOptimizer(0.01).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1)), tf.float32))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(60):
        batch_x, batch_y = mnist.train.next_batch(64)
        _, value = sess.run([train, loss], {X: batch_x.reshape(-1, 28, 28), Y: batch_y})
    print("result", value, sess.run(accuracy, {X: mnist.test.images[:500].reshape(-1, 28, 28),
                                               Y: mnist.test.labels[:500]}),
          sess.run(tf.reduce_sum(state.c), {X: mnist.test.images[:4].reshape(-1, 28, 28)}))
