# tf.data: from_tensor_slices, map, batch, repeat, one-shot and initializable iterators.
import numpy as np
import autograd.tf1 as tf

features = np.linspace(-1, 1, 40).reshape(20, 2).astype(np.float32)
targets = (features @ np.array([[2.0], [-1.0]], np.float32) + 0.5).astype(np.float32)
dataset = tf.data.Dataset.from_tensor_slices((features, targets))
dataset = dataset.map(lambda f, t: (f * 2.0, t)).batch(5).repeat(3)
iterator = dataset.make_one_shot_iterator()
batch_x, batch_y = iterator.get_next()
w = tf.Variable(tf.zeros([2, 1]))
b = tf.Variable(0.0)
loss = tf.reduce_mean(tf.square(tf.matmul(batch_x, w) + b - batch_y))
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
values = tf.placeholder(tf.float32, [None])
evens = tf.data.Dataset.from_tensor_slices(values).filter(lambda v: v > 0).batch(2)
even_iterator = evens.make_initializable_iterator()
next_even = even_iterator.get_next()
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    steps = 0
    while True:
        try:
            _, last = sess.run([train, loss])
            steps += 1
        except tf.errors.OutOfRangeError:
            break
    sess.run(even_iterator.initializer, {values: [-1.0, 2.0, 3.0, -4.0, 5.0]})
    first = sess.run(next_even)
    print("result", steps, last, *sess.run(w).ravel(), sess.run(b), *first)
