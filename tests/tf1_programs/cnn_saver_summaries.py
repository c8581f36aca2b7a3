# A small CNN with decay, global step, dropout, summaries and a Saver, TF1 style.
# parity: none (truncated_normal initial values and dropout masks come from each
# framework's own random generator)
import os

import autograd.tf1 as tf
from autograd.tf1.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("MNIST_data/", one_hot=True, reshape=False)
X = tf.placeholder(tf.float32, [None, 28, 28, 1])
Y_ = tf.placeholder(tf.float32, [None, 10])
pkeep = tf.placeholder(tf.float32)
W1 = tf.Variable(tf.truncated_normal([5, 5, 1, 4], stddev=0.1))
B1 = tf.Variable(tf.ones([4]) / 10)
W2 = tf.Variable(tf.truncated_normal([14 * 14 * 4, 10], stddev=0.1))
B2 = tf.Variable(tf.ones([10]) / 10)
Y1 = tf.nn.relu(tf.nn.conv2d(X, W1, strides=[1, 1, 1, 1], padding="SAME") + B1)
Y1 = tf.nn.max_pool(Y1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
Y1 = tf.nn.dropout(tf.reshape(Y1, shape=[-1, 14 * 14 * 4]), pkeep)
Ylogits = tf.matmul(Y1, W2) + B2
cross_entropy = tf.reduce_mean(
    tf.nn.softmax_cross_entropy_with_logits(logits=Ylogits, labels=Y_)) * 100
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(Ylogits, 1), tf.argmax(Y_, 1)), tf.float32))
global_step = tf.train.get_or_create_global_step()
lr = 0.0001 + tf.train.exponential_decay(0.003, global_step, 2000, 1 / 2.718281828)
train_step = tf.train.AdamOptimizer(lr).minimize(cross_entropy, global_step=global_step)
tf.summary.scalar("loss", cross_entropy)
merged = tf.summary.merge_all()
saver = tf.train.Saver()

with tf.Session() as sess:
    writer = tf.summary.FileWriter("logs", sess.graph)
    sess.run(tf.global_variables_initializer())
    for i in range(60):
        batch_X, batch_Y = mnist.train.next_batch(100)
        summary, _ = sess.run([merged, train_step], {X: batch_X, Y_: batch_Y, pkeep: 0.75})
        writer.add_summary(summary, i)
    writer.close()
    path = saver.save(sess, os.path.join("checkpoints", "model"), global_step=global_step)
    test = {X: mnist.test.images[:2000], Y_: mnist.test.labels[:2000], pkeep: 1.0}
    before = sess.run(accuracy, test)

with tf.Session() as sess:
    saver.restore(sess, path)
    print("steps:", sess.run(global_step), "restored accuracy equal:",
          sess.run(accuracy, test) == before, "accuracy:", before)
    try:
        sess.run(cross_entropy, {X: batch_X})
    except tf.errors.InvalidArgumentError as error:
        print("caught:", type(error).__name__)
