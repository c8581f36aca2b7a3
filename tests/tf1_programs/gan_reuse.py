# A tiny GAN: generator and discriminator in variable scopes, the discriminator reused.
import numpy as np
import autograd.tf1 as tf

rng = np.random.RandomState(3)
real_data = rng.normal(3.0, 0.5, (256, 1)).astype(np.float32)
noise_data = rng.uniform(-1, 1, (256, 1)).astype(np.float32)


def dense(x, size_in, size_out, name, seed):
    values = np.random.RandomState(seed).normal(0, 0.3, (size_in, size_out)).astype(np.float32)
    w = tf.get_variable(name + "_w", initializer=tf.constant_initializer(values),
                        shape=[size_in, size_out])
    b = tf.get_variable(name + "_b", [size_out], initializer=tf.zeros_initializer())
    return tf.matmul(x, w) + b


def generator(z):
    with tf.variable_scope("generator"):
        return dense(tf.nn.tanh(dense(z, 1, 8, "h", 1)), 8, 1, "out", 2)


def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        return dense(tf.nn.tanh(dense(x, 1, 8, "h", 3)), 8, 1, "out", 4)


z = tf.placeholder(tf.float32, [None, 1])
x = tf.placeholder(tf.float32, [None, 1])
fake = generator(z)
d_real = discriminator(x)
d_fake = discriminator(fake, reuse=True)
d_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
    logits=d_real, labels=tf.ones_like(d_real))) + tf.reduce_mean(
    tf.nn.sigmoid_cross_entropy_with_logits(logits=d_fake, labels=tf.zeros_like(d_fake)))
g_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
    logits=d_fake, labels=tf.ones_like(d_fake)))
d_vars = tf.trainable_variables("discriminator")
g_vars = tf.trainable_variables("generator")
d_train = tf.train.AdamOptimizer(0.01).minimize(d_loss, var_list=d_vars)
g_train = tf.train.AdamOptimizer(0.01).minimize(g_loss, var_list=g_vars)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(100):
        i = (step * 32) % 256
        feed = {x: real_data[i:i + 32], z: noise_data[i:i + 32]}
        sess.run(d_train, feed)
        sess.run(g_train, feed)
    print("variables:", len(d_vars), len(g_vars))
    print("result", *sess.run([d_loss, g_loss, tf.reduce_mean(fake)],
                              {x: real_data, z: noise_data}))
