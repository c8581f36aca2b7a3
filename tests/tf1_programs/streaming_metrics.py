# Evaluating batch by batch with tf.metrics: accuracy, AUC, precision and recall over local
# variables, reset with tf.local_variables_initializer().
import numpy as np
import autograd.tf1 as tf

rng = np.random.RandomState(4)
scores = rng.rand(120).astype(np.float32)
labels = (scores + rng.rand(120) * 0.6 > 0.8).astype(np.int64)
s = tf.placeholder(tf.float32, [None])
t = tf.placeholder(tf.int64, [None])
predicted = tf.cast(s > 0.5, tf.int64)
acc, acc_update = tf.metrics.accuracy(labels=t, predictions=predicted)
auc, auc_update = tf.metrics.auc(labels=t, predictions=s)
precision, precision_update = tf.metrics.precision(labels=t, predictions=predicted)
recall, recall_update = tf.metrics.recall(labels=t, predictions=predicted)
updates = tf.group(acc_update, auc_update, precision_update, recall_update)
with tf.Session() as sess:
    sess.run(tf.local_variables_initializer())
    for start in range(0, 120, 40):
        sess.run(updates, {s: scores[start:start + 40], t: labels[start:start + 40]})
    print("result", *sess.run([acc, auc, precision, recall]))
