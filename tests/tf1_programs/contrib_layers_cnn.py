# A CNN in tf.contrib.layers, as TF 1.0-1.4 tutorials wrote them: the MNIST loader from
# tf.contrib.learn, conv2d / max_pool2d / flatten / fully_connected (ReLU by default),
# dropout with is_training, l2 regularization and optimize_loss.
# parity: none (no installable TensorFlow has tf.contrib; checked here: accuracy > 0.9)
import numpy as np
import autograd.tf1 as tf

layers = tf.contrib.layers
np.random.seed(0)
mnist = tf.contrib.learn.datasets.mnist.read_data_sets("MNIST_data", one_hot=True)
tf.set_random_seed(0)

x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
is_training = tf.placeholder(tf.bool, [])
images = tf.reshape(x, [-1, 28, 28, 1])
net = layers.conv2d(images, 16, [5, 5], weights_regularizer=layers.l2_regularizer(1e-4))
net = layers.max_pool2d(net, [2, 2])
net = layers.conv2d(net, 32, [5, 5], weights_regularizer=layers.l2_regularizer(1e-4))
net = layers.max_pool2d(net, [2, 2])
net = layers.flatten(net)
net = layers.fully_connected(net, 128)
net = layers.dropout(net, keep_prob=0.8, is_training=is_training)
logits = layers.fully_connected(net, 10, activation_fn=None)
loss = tf.losses.softmax_cross_entropy(onehot_labels=y, logits=logits) + \
    tf.add_n(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))
train_op = layers.optimize_loss(loss, tf.train.get_or_create_global_step(),
                                learning_rate=0.001, optimizer="Adam")
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1)),
                                  tf.float32))

print("variables:", [v.op.name for v in tf.trainable_variables()][:4], "...")
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(300):
        batch_x, batch_y = mnist.train.next_batch(50)
        loss_value = sess.run(train_op, {x: batch_x, y: batch_y, is_training: True})
    test_accuracy = sess.run(accuracy, {x: mnist.test.images[:1000],
                                        y: mnist.test.labels[:1000], is_training: False})
print("loss %.3f, test accuracy %.3f" % (loss_value, test_accuracy))
assert test_accuracy > 0.9
