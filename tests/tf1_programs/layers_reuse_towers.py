# A train tower and a test tower sharing their tf.layers through variable_scope(reuse=True),
# as the TF1 examples' convolutional_network.py builds them: the test tower must see the
# trained weights (TF1 reuses ConvNet/dense, ConvNet/dense_1; it makes no copies).
import numpy as np
import autograd.tf1 as tf

rng = np.random.RandomState(3)
images = rng.rand(64, 12).astype(np.float32)
labels = np.eye(3, dtype=np.float32)[rng.randint(0, 3, 64)]
w1, w2 = rng.randn(12, 16).astype(np.float32) * 0.3, rng.randn(16, 3).astype(np.float32) * 0.3


def conv_net(x, reuse, is_training):
    with tf.variable_scope("ConvNet", reuse=reuse):
        h = tf.layers.dense(x, 16, activation=tf.nn.relu,
                            kernel_initializer=tf.constant_initializer(w1))
        h = tf.layers.dropout(h, rate=0.5, training=is_training)
        return tf.layers.dense(h, 3, kernel_initializer=tf.constant_initializer(w2))


x = tf.placeholder(tf.float32, [None, 12])
y = tf.placeholder(tf.float32, [None, 3])
logits_train = conv_net(x, reuse=False, is_training=False)
logits_test = conv_net(x, reuse=True, is_training=False)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits_train))
train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
test_loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y,
                                                                      logits=logits_test))
names = sorted(v.name for v in tf.trainable_variables())
print(names)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    before = sess.run(test_loss, {x: images, y: labels})
    for _ in range(20):
        sess.run(train, {x: images, y: labels})
    after = sess.run(test_loss, {x: images, y: labels})
    print("result", len(names), before, after)
