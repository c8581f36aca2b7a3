# GRU, stacked LSTMs (MultiRNNCell) and static_rnn over a list of time steps.
import numpy as np
import autograd.tf1 as tf


def init(shape, dtype=None, partition_info=None):
    return (np.sin(np.arange(np.prod(shape)) * 0.7).reshape(shape) * 0.3).astype(np.float32)


data = np.sin(np.arange(2 * 6 * 3).reshape(2, 6, 3) * 0.3).astype(np.float32)
x = tf.placeholder(tf.float32, [None, 6, 3])
with tf.variable_scope("gru"):
    gru = tf.nn.rnn_cell.GRUCell(5, kernel_initializer=init)
    gru_out, gru_state = tf.nn.dynamic_rnn(gru, x, dtype=tf.float32,
                                           sequence_length=[6, 4])
with tf.variable_scope("stack"):
    stack = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(4, initializer=init),
                                         tf.nn.rnn_cell.LSTMCell(3, initializer=init)])
    steps = tf.unstack(x, axis=1)
    stack_out, stack_state = tf.nn.static_rnn(stack, steps, dtype=tf.float32)
loss = tf.reduce_sum(gru_out) + tf.reduce_sum(stack_out[-1]) + tf.reduce_sum(
    stack_state[0].c)
grads = tf.gradients(loss, [x])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    values = sess.run([gru_out, gru_state, stack_out[-1], stack_state[1].h, grads[0]],
                      {x: data})
    print("result", *np.concatenate([np.ravel(v) for v in values])[::7])
