# A CSV file through a TextLineReader, decode_csv and tf.train.batch (the TF1 "Reading
# data" guide), feeding a logistic regression; one reader thread and no shuffling, so
# the batches come in file order and the training is the same everywhere.
import numpy as np
import autograd.tf1 as tf

rng = np.random.RandomState(1)
with open("points.csv", "w") as f:
    f.write("x1,x2,label\n")
    for _ in range(60):
        x1, x2 = rng.randn(2)
        f.write("%.4f,%.4f,%d\n" % (x1, x2, int(x1 + 2 * x2 > 0)))

filename_queue = tf.train.string_input_producer(["points.csv"], num_epochs=20, shuffle=False)
reader = tf.TextLineReader(skip_header_lines=1)
key, value = reader.read(filename_queue)
x1, x2, label = tf.decode_csv(value, record_defaults=[[0.0], [0.0], [0]])
features = tf.stack([x1, x2])
batch_x, batch_y = tf.train.batch([features, label], batch_size=20, capacity=60)

W = tf.Variable(tf.zeros([2, 1]))
b = tf.Variable(tf.zeros([1]))
logits = tf.reshape(tf.matmul(batch_x, W) + b, [-1])
loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
    labels=tf.cast(batch_y, tf.float32), logits=logits))
train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

sess = tf.Session()
sess.run(tf.global_variables_initializer())
sess.run(tf.local_variables_initializer())   # num_epochs counts in a local variable
coord = tf.train.Coordinator()
threads = tf.train.start_queue_runners(sess=sess, coord=coord)
step = 0
try:
    while not coord.should_stop():
        _, loss_value = sess.run([train_op, loss])
        step += 1
except tf.errors.OutOfRangeError:
    print("done after %d steps, loss %.4f" % (step, loss_value))
finally:
    coord.request_stop()
coord.join(threads)
print("result", step, loss_value, *sess.run(W).ravel())
sess.close()
