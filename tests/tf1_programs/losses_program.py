# tf.losses with weights, label smoothing and get_total_loss.
import numpy as np
import autograd.tf1 as tf

labels = np.array([[1.0], [0.0], [3.0], [2.0]], np.float64)
predictions = tf.placeholder(tf.float32, [None, 1])
onehot = tf.one_hot([0, 2, 1, 1], 3)
logits = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3) / 4.0)
mse = tf.losses.mean_squared_error(labels, predictions, weights=[[1.0], [0.0], [2.0], [1.0]])
absolute = tf.losses.absolute_difference(labels, predictions)
huber = tf.losses.huber_loss(labels, predictions, delta=0.5)
softmax = tf.losses.softmax_cross_entropy(onehot, logits, label_smoothing=0.1)
sparse = tf.losses.sparse_softmax_cross_entropy([0, 2, 1, 1], logits)
sigmoid = tf.losses.sigmoid_cross_entropy(onehot, logits, label_smoothing=0.2)
total = tf.losses.get_total_loss()
with tf.Session() as sess:
    feed = {predictions: [[0.5], [0.5], [2.0], [2.5]]}
    print("dtypes:", mse.dtype.name, total.dtype.name)
    print("result", *sess.run([mse, absolute, huber, softmax, sparse, sigmoid, total], feed))
