# Training with an exponential moving average of the weights and evaluating with the
# averages, as TF1's CIFAR-10 tutorial does (ema.apply after each step, variables_to_restore).
import numpy as np
import autograd.tf1 as tf

rng = np.random.RandomState(5)
xs = rng.randn(100, 3).astype(np.float32)
ys = (xs @ np.array([[1.5], [-2.0], [0.5]], np.float32) + 0.3).astype(np.float32)
x = tf.placeholder(tf.float32, [None, 3])
y = tf.placeholder(tf.float32, [None, 1])
w = tf.Variable(np.zeros((3, 1), np.float32), name="weights")
b = tf.Variable(0.0, name="bias")
loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
step = tf.train.get_or_create_global_step()
opt = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
ema = tf.train.ExponentialMovingAverage(0.9, num_updates=step)
with tf.control_dependencies([opt]):
    train = ema.apply([w, b])
averaged_loss = tf.reduce_mean(tf.square(tf.matmul(x, ema.average(w)) + ema.average(b) - y))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(30):
        sess.run(train, {x: xs, y: ys})
    print(sorted(ema.variables_to_restore()))
    print("result", sess.run(loss, {x: xs, y: ys}), sess.run(averaged_loss, {x: xs, y: ys}))
