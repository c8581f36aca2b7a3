# A two-hidden-layer MLP on MNIST with raw variables (aymericdamien's multilayer_perceptron).
import numpy as np
import autograd.tf1 as tf
from autograd.tf1.examples.tutorials.mnist import input_data

np.random.seed(0)  # the tutorial helper shuffles with numpy's generator
mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
rng = np.random.RandomState(1)
n_hidden_1, n_hidden_2, n_input, n_classes = 64, 32, 784, 10
X = tf.placeholder("float", [None, n_input])
Y = tf.placeholder("float", [None, n_classes])
weights = {
    'h1': tf.Variable(rng.normal(0, 0.05, [n_input, n_hidden_1]).astype("float32")),
    'h2': tf.Variable(rng.normal(0, 0.05, [n_hidden_1, n_hidden_2]).astype("float32")),
    'out': tf.Variable(rng.normal(0, 0.05, [n_hidden_2, n_classes]).astype("float32"))}
biases = {'b1': tf.Variable(tf.zeros([n_hidden_1])), 'b2': tf.Variable(tf.zeros([n_hidden_2])),
          'out': tf.Variable(tf.zeros([n_classes]))}


def multilayer_perceptron(x):
    layer_1 = tf.nn.relu(tf.add(tf.matmul(x, weights['h1']), biases['b1']))
    layer_2 = tf.nn.relu(tf.add(tf.matmul(layer_1, weights['h2']), biases['b2']))
    return tf.matmul(layer_2, weights['out']) + biases['out']


logits = multilayer_perceptron(X)
loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y))
train_op = tf.train.AdamOptimizer(learning_rate=0.001).minimize(loss_op)
correct_pred = tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1))
accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
init = tf.global_variables_initializer()
with tf.Session() as sess:
    sess.run(init)
    for step in range(1, 201):
        batch_x, batch_y = mnist.train.next_batch(64)
        _, loss = sess.run([train_op, loss_op], feed_dict={X: batch_x, Y: batch_y})
    print("result", loss, sess.run(accuracy, feed_dict={X: mnist.test.images[:2000],
                                                        Y: mnist.test.labels[:2000]}))
