# tf.cond, tf.while_loop and tf.map_fn, with gradients through them.
import numpy as np
import autograd.tf1 as tf

x = tf.placeholder(tf.float32, [3])
w = tf.Variable(np.array([0.5, -1.0, 2.0], np.float32))
branch = tf.cond(tf.reduce_sum(x) > 0, lambda: tf.reduce_sum(x * w), lambda: tf.reduce_sum(w))
i0 = tf.constant(0)
_, powered = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x + w), [i0, x])
squares = tf.map_fn(lambda row: tf.reduce_sum(row * row), tf.reshape(tf.tile(x, [2]), [2, 3]))
loss = branch + tf.reduce_sum(powered) + tf.reduce_sum(squares)
grad_x, grad_w = tf.gradients(loss, [x, w])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for value in ([1.0, 2.0, 0.5], [-1.0, -2.0, 0.5]):
        out = sess.run([branch, powered, squares, grad_x, grad_w], {x: value})
        print("result", *np.concatenate([np.ravel(o) for o in out]))
