# Shape juggling that tutorials do: tf.shape, reshape -1, concat, stack/unstack, gather,
# one_hot, tile, pad, where, embedding_lookup, range and reductions with keep_dims.
import numpy as np
import autograd.tf1 as tf

x = tf.placeholder(tf.float32, [None, 3])
batch = tf.shape(x)[0]
flat = tf.reshape(x, [-1])
pairs = tf.reshape(tf.concat([x, x * 2], 1), [batch, 2, 3])
rows = tf.unstack(pairs, axis=1)
picked = tf.gather(flat, tf.range(0, tf.size(flat), 2))
hot = tf.one_hot(tf.cast(tf.argmax(x, 1), tf.int32), 3)
tiled = tf.tile(tf.expand_dims(x[:, 0], 1), [1, 2])
padded = tf.pad(x, [[0, 0], [1, 1]])
clipped = tf.where(x > 1.0, x, tf.zeros_like(x))
table = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3))
looked = tf.nn.embedding_lookup(table, [3, 1])
summed = tf.reduce_sum(x, reduction_indices=[1], keep_dims=True)
with tf.Session() as sess:
    values = sess.run([batch, picked, hot, tiled, padded, clipped, looked, summed,
                       rows[1], tf.stack(rows, 0)],
                      {x: [[0.5, 2.0, 1.5], [3.0, -1.0, 0.0]]})
    print("result", *np.concatenate([np.ravel(v).astype(np.float64) for v in values]))
