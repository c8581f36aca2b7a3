# A slim network, as the TF-Slim README writes one: arg_scope sets the layers' defaults,
# slim.repeat and slim.stack build the blocks, batch_norm's updates run with the train op
# (slim.learning.create_train_op), slim.losses collects the loss, and
# slim.metrics.streaming_accuracy evaluates; the model's variables come back by name.
# parity: none (no installable TensorFlow has tf.contrib.slim; checked: accuracy > 0.85)
import numpy as np
import autograd.tf1 as tf

slim = tf.contrib.slim
np.random.seed(1)
mnist = tf.contrib.learn.datasets.mnist.read_data_sets("MNIST_data", one_hot=True)
tf.set_random_seed(1)


def net(images, is_training):
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        normalizer_fn=slim.batch_norm,
                        normalizer_params={"is_training": is_training, "decay": 0.9},
                        weights_regularizer=slim.l2_regularizer(0.0005)):
        h = slim.repeat(images, 2, slim.conv2d, 8, [3, 3], scope="conv1")
        h = slim.max_pool2d(h, [2, 2], scope="pool1")
        h = slim.conv2d(h, 16, [3, 3], scope="conv2")
        h = slim.max_pool2d(h, [2, 2], scope="pool2")
        h = slim.flatten(h)
        h = slim.stack(h, slim.fully_connected, [64, 32], scope="fc")
        return slim.fully_connected(h, 10, activation_fn=None, normalizer_fn=None,
                                    scope="logits")


x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
with tf.variable_scope("model"):
    logits = net(tf.reshape(x, [-1, 28, 28, 1]), is_training=True)
with tf.variable_scope("model", reuse=True):
    eval_logits = net(tf.reshape(x, [-1, 28, 28, 1]), is_training=False)
slim.losses.softmax_cross_entropy(logits, y)
total_loss = slim.losses.get_total_loss()
train_op = slim.learning.create_train_op(total_loss, tf.train.AdamOptimizer(0.003))
accuracy, update = slim.metrics.streaming_accuracy(tf.argmax(eval_logits, 1),
                                                   tf.argmax(y, 1))
print("model variables:", len(slim.get_model_variables()),
      "to restore without logits:",
      len(slim.get_variables_to_restore(exclude=["model/logits"])))
with tf.Session() as sess:
    sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
    for step in range(250):
        batch_x, batch_y = mnist.train.next_batch(50)
        loss_value = sess.run(train_op, {x: batch_x, y: batch_y})
    for start in range(0, 1000, 250):
        sess.run(update, {x: mnist.test.images[start:start + 250],
                          y: mnist.test.labels[start:start + 250]})
    test_accuracy = sess.run(accuracy)
    moving_mean = sess.run(slim.get_variables_by_name("moving_mean")[0])
print("loss %.3f, streaming accuracy %.3f" % (loss_value, test_accuracy))
assert test_accuracy > 0.85 and np.abs(moving_mean).sum() > 0   # the updates ran
