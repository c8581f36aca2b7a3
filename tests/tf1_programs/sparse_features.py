# A linear classifier on sparse bag-of-words features fed through tf.sparse_placeholder,
# the way TF1's wide-model tutorials fed one-hot/multi-hot columns.
import numpy as np
import autograd.tf1 as tf

rng = np.random.RandomState(3)
vocabulary, n = 50, 200
rows, cols, labels = [], [], []
for i in range(n):
    words = sorted(set(rng.randint(0, vocabulary, 5)))
    rows += [i] * len(words)
    cols += words
    labels.append(float(sum(w < 20 for w in words) >= 3))
indices = np.array(list(zip(rows, cols)), np.int64)
values = np.ones(len(rows), np.float32)
features = tf.sparse_placeholder(tf.float32)
y = tf.placeholder(tf.float32, [None])
w = tf.Variable(np.zeros((vocabulary, 1), np.float32))
b = tf.Variable(0.0)
logits = tf.reshape(tf.sparse_tensor_dense_matmul(features, w), [-1]) + b
loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.cast(logits > 0, tf.float32), y), tf.float32))
feed = {features: tf.SparseTensorValue(indices, values, [n, vocabulary]), y: labels}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(100):
        sess.run(train, feed)
    print("result", sess.run(loss, feed), sess.run(accuracy, feed))
