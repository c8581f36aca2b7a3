# tf.layers with training= switches: conv, pooling, batch norm with UPDATE_OPS, dropout.
# parity: none (tf.layers initialize with TF's own random generator)
import numpy as np
import autograd.tf1 as tf
from autograd.tf1.examples.tutorials.mnist import input_data

np.random.seed(0)  # the tutorial helper shuffles with numpy's generator
mnist = input_data.read_data_sets("MNIST_data/", one_hot=True, reshape=False)
x = tf.placeholder(tf.float32, [None, 28, 28, 1])
y = tf.placeholder(tf.float32, [None, 10])
training = tf.placeholder_with_default(False, []) if hasattr(tf, "placeholder_with_default") \
    else tf.placeholder(tf.bool, [])
net = tf.layers.conv2d(x, 8, 5, padding="same", activation=tf.nn.relu)
net = tf.layers.max_pooling2d(net, 2, 2)
net = tf.layers.batch_normalization(net, training=training)
net = tf.layers.average_pooling2d(net, 2, 2)
net = tf.layers.flatten(net)
net = tf.layers.dropout(tf.layers.dense(net, 32, activation=tf.nn.relu), rate=0.3,
                        training=training)
logits = tf.layers.dense(net, 10)
loss = tf.losses.softmax_cross_entropy(y, logits)
update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
with tf.control_dependencies(update_ops):
    train = tf.train.AdamOptimizer(0.003).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1)), tf.float32))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(60):
        bx, by = mnist.train.next_batch(64)
        sess.run(train, {x: bx, y: by, training: True})
    print("update ops:", len(update_ops))
    print("accuracy:", sess.run(accuracy, {x: mnist.test.images[:1000],
                                           y: mnist.test.labels[:1000], training: False}))
