# A small variational autoencoder on MNIST; the reparameterization noise is fed.
import numpy as np
import autograd.tf1 as tf
from autograd.tf1.examples.tutorials.mnist import input_data

np.random.seed(0)  # the tutorial helper shuffles with numpy's generator
mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
rng = np.random.RandomState(4)


def weights(shape):
    return tf.Variable(rng.normal(0, 0.05, shape).astype(np.float32))


x = tf.placeholder(tf.float32, [None, 784])
eps = tf.placeholder(tf.float32, [None, 2])
hidden = tf.nn.relu(tf.matmul(x, weights([784, 64])) + tf.Variable(tf.zeros([64])))
z_mean = tf.matmul(hidden, weights([64, 2]))
z_log_var = tf.matmul(hidden, weights([64, 2]))
z = z_mean + tf.exp(z_log_var / 2) * eps
decoded = tf.nn.sigmoid(tf.matmul(tf.nn.relu(tf.matmul(z, weights([2, 64]))),
                                  weights([64, 784])))
reconstruction = -tf.reduce_sum(x * tf.log(1e-10 + decoded) +
                                (1 - x) * tf.log(1e-10 + 1 - decoded), 1)
kl = -0.5 * tf.reduce_sum(1 + z_log_var - tf.square(z_mean) - tf.exp(z_log_var), 1)
loss = tf.reduce_mean(reconstruction + kl)
train = tf.train.AdamOptimizer(0.002).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(80):
        batch, _ = mnist.train.next_batch(64)
        _, value = sess.run([train, loss], {x: batch, eps: rng.normal(size=(64, 2))})
    print("result", value)
