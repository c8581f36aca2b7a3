# A bidirectional LSTM over MNIST rows (aymericdamien's bidirectional_rnn.py, with
# tf.nn.bidirectional_dynamic_rnn), trained briefly.
# parity: none (the LSTM cells initialize with each framework's own random generator)
import numpy as np
import autograd.tf1 as tf
from autograd.tf1.examples.tutorials.mnist import input_data

np.random.seed(0)
mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
tf.set_random_seed(3)
X = tf.placeholder("float", [None, 28, 28])
Y = tf.placeholder("float", [None, 10])
lstm_fw_cell = tf.nn.rnn_cell.BasicLSTMCell(32, forget_bias=1.0)
lstm_bw_cell = tf.nn.rnn_cell.BasicLSTMCell(32, forget_bias=1.0)
(out_fw, out_bw), _ = tf.nn.bidirectional_dynamic_rnn(lstm_fw_cell, lstm_bw_cell, X,
                                                      dtype=tf.float32)
last = tf.concat([out_fw[:, -1], out_bw[:, 0]], 1)
w = tf.Variable(tf.random_normal([64, 10], stddev=0.1))
b = tf.Variable(tf.zeros([10]))
logits = tf.matmul(last, w) + b
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=logits))
train = tf.train.AdamOptimizer(0.01).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1)), tf.float32))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(60):
        bx, by = mnist.train.next_batch(64)
        sess.run(train, {X: bx.reshape(-1, 28, 28), Y: by})
    acc = sess.run(accuracy, {X: mnist.test.images[:500].reshape(-1, 28, 28),
                              Y: mnist.test.labels[:500]})
    print("accuracy after 60 steps:", acc)
    assert acc > 0.5
