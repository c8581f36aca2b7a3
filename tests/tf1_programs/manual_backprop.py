# Backpropagation written by hand with tf ops and tf.assign (a classic tutorial).
# parity: none (TF1 runs the four tf.assign ops in no fixed order against the reads of
# w_2 that d_w_1 needs, so TF's own result changes from run to run: 834, 858 and 820
# correct in three runs; this engine reads every variable before the step writes, which
# is TF's 858 outcome)
import numpy as np
import autograd.tf1 as tf
from autograd.tf1.examples.tutorials.mnist import input_data

np.random.seed(0)  # the tutorial helper shuffles with numpy's generator
mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
rng = np.random.RandomState(0)
a_0 = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
w_1 = tf.Variable(rng.normal(0, 0.1, (784, 30)).astype(np.float32))
b_1 = tf.Variable(np.zeros((1, 30), np.float32))
w_2 = tf.Variable(rng.normal(0, 0.1, (30, 10)).astype(np.float32))
b_2 = tf.Variable(np.zeros((1, 10), np.float32))


def sigma(x):
    return tf.div(tf.constant(1.0), tf.add(tf.constant(1.0), tf.exp(tf.negative(x))))


def sigmaprime(x):
    return tf.multiply(sigma(x), tf.subtract(tf.constant(1.0), sigma(x)))


z_1 = tf.add(tf.matmul(a_0, w_1), b_1)
a_1 = sigma(z_1)
z_2 = tf.add(tf.matmul(a_1, w_2), b_2)
a_2 = sigma(z_2)
diff = tf.subtract(a_2, y)
d_z_2 = tf.multiply(diff, sigmaprime(z_2))
d_b_2 = d_z_2
d_w_2 = tf.matmul(tf.transpose(a_1), d_z_2)
d_a_1 = tf.matmul(d_z_2, tf.transpose(w_2))
d_z_1 = tf.multiply(d_a_1, sigmaprime(z_1))
d_b_1 = d_z_1
d_w_1 = tf.matmul(tf.transpose(a_0), d_z_1)
eta = tf.constant(0.5)
step = [tf.assign(w_1, tf.subtract(w_1, tf.multiply(eta, d_w_1))),
        tf.assign(b_1, tf.subtract(b_1, tf.multiply(eta, tf.reduce_mean(d_b_1, axis=[0])))),
        tf.assign(w_2, tf.subtract(w_2, tf.multiply(eta, d_w_2))),
        tf.assign(b_2, tf.subtract(b_2, tf.multiply(eta, tf.reduce_mean(d_b_2, axis=[0]))))]
acct_mat = tf.equal(tf.argmax(a_2, 1), tf.argmax(y, 1))
acct_res = tf.reduce_sum(tf.cast(acct_mat, tf.float32))
sess = tf.InteractiveSession()
sess.run(tf.global_variables_initializer())
for i in range(300):
    batch_xs, batch_ys = mnist.train.next_batch(10)
    sess.run(step, feed_dict={a_0: batch_xs, y: batch_ys})
print("result", sess.run(acct_res, feed_dict={a_0: mnist.test.images[:1000],
                                              y: mnist.test.labels[:1000]}),
      sess.run(tf.reduce_sum(w_2)))
sess.close()
