# The MNIST tutorial helper's fake data, for checking a program's plumbing.
import numpy as np
import autograd.tf1 as tf
from autograd.tf1.examples.tutorials.mnist import input_data

np.random.seed(0)  # the tutorial helper shuffles with numpy's generator
data = input_data.read_data_sets("unused_dir", fake_data=True, one_hot=True)
x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.zeros([784, 10]))
logits = tf.matmul(x, W)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        batch_x, batch_y = data.train.next_batch(10, fake_data=True)
        sess.run(train, {x: batch_x, y: batch_y})
    print("examples:", data.train.num_examples)
    print("result", sess.run(loss, {x: batch_x, y: batch_y}))
