# tf.layers, tf.losses, get_variable and a regression, TF1 style.
# parity: none (tf.layers and get_variable initialize with each framework's generator)
import autograd.tf1 as tf
import numpy as np

np.random.seed(1)
x_data = np.random.rand(200, 3).astype(np.float32)
y_data = x_data @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3
x = tf.placeholder(tf.float32, [None, 3])
y = tf.placeholder(tf.float32, [None, 1])
with tf.variable_scope("model"):
    hidden = tf.layers.dense(x, 16, activation=tf.nn.tanh)
    out = tf.layers.dense(hidden, 1)
    scale = tf.get_variable("scale", [1], initializer=tf.constant_initializer(1.0))
with tf.variable_scope("model", reuse=True):
    assert tf.get_variable("scale", [1]) is scale
loss = tf.losses.mean_squared_error(y, out * scale)
train = tf.train.AdamOptimizer(0.05).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(300):
        _, value = sess.run([train, loss], {x: x_data, y: y_data})
print("final mse:", value)
