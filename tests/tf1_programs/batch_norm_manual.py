# Batch normalization by hand: tf.nn.moments, moving averages with tf.assign, and
# tf.nn.batch_normalization, switched with tf.cond on a training placeholder.
import numpy as np
import autograd.tf1 as tf

data = np.cos(np.arange(64 * 5).reshape(64, 5) * 0.1).astype(np.float32) * 3 + 1
x = tf.placeholder(tf.float32, [None, 5])
is_training = tf.placeholder(tf.bool, [])
scale = tf.Variable(tf.ones([5]))
offset = tf.Variable(tf.zeros([5]))
moving_mean = tf.Variable(tf.zeros([5]), trainable=False)
moving_var = tf.Variable(tf.ones([5]), trainable=False)
batch_mean, batch_var = tf.nn.moments(x, [0])
update_mean = tf.assign(moving_mean, moving_mean * 0.9 + batch_mean * 0.1)
update_var = tf.assign(moving_var, moving_var * 0.9 + batch_var * 0.1)
mean, var = tf.cond(is_training, lambda: (batch_mean, batch_var),
                    lambda: (moving_mean, moving_var))
normalized = tf.nn.batch_normalization(x, mean, var, offset, scale, 1e-3)
loss = tf.reduce_mean(tf.square(normalized - 0.5))
with tf.control_dependencies([update_mean, update_var]):
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(20):
        sess.run(train, {x: data[i % 4 * 16:(i % 4 + 1) * 16], is_training: True})
    print("result", sess.run(loss, {x: data, is_training: False}), *sess.run(moving_mean))
