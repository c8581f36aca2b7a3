# Dtype strings, deprecated aliases and list packing, as tutorials wrote them.
import numpy as np
import autograd.tf1 as tf

x = tf.placeholder("float", [None, 3])
w = tf.Variable(np.array([[1.0], [2.0], [3.0]], np.float32))
y = tf.matmul(x, w)
doubled = tf.cast(y, "double") * 2
index = tf.arg_max(y, 0)
halves = tf.div(tf.constant([7, 9]), tf.constant(2))
ratio = tf.div(tf.constant(7.0), tf.constant(2.0))
packed = tf.stop_gradient([tf.reduce_sum(y), 1.0])
counts = tf.to_int32(tf.constant([1.7, 2.2]))
small = tf.cast(tf.constant([300, -5]), tf.int16)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {x: [[1, 0, 0], [0, 1, 1]]}
    print("dtypes:", x.dtype.name, doubled.dtype.name, small.dtype.name)
    print("result", *sess.run(doubled, feed).ravel(), sess.run(index, feed)[0],
          *sess.run(halves), sess.run(ratio), *sess.run(packed, feed), *sess.run(counts),
          *sess.run(small))
