# The tutorial pattern for using a trained model in a second program: the first part trains
# and saves (Saver.save writes model.ckpt.meta beside the checkpoint); the second part starts
# from an empty graph, as a new program would, with import_meta_graph, restore and
# get_tensor_by_name, predicts, and carries on training through the "train_op" collection.
import numpy as np
import autograd.tf1 as tf

rng = np.random.RandomState(0)
xs = rng.rand(32, 3).astype(np.float32)
ys = (xs @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3).astype(np.float32)

x = tf.placeholder(tf.float32, [None, 3], name="x")
y = tf.placeholder(tf.float32, [None, 1], name="y")
W = tf.Variable(rng.normal(size=(3, 4)).astype(np.float32), name="W")
b = tf.Variable(np.zeros(4, np.float32), name="b")
h = tf.nn.tanh(tf.matmul(x, W) + b)
V = tf.Variable(rng.normal(size=(4, 1)).astype(np.float32), name="V")
prediction = tf.matmul(h, V, name="prediction")
loss = tf.reduce_mean(tf.square(prediction - y), name="loss")
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
tf.add_to_collection("train_op", train_op)
saver = tf.train.Saver()
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(50):
        sess.run(train_op, feed_dict={x: xs, y: ys})
    print("first program loss", sess.run(loss, feed_dict={x: xs, y: ys}))
    saver.save(sess, "./model.ckpt")

tf.reset_default_graph()   # a second program starts from nothing

with tf.Session() as sess:
    saver = tf.train.import_meta_graph("model.ckpt.meta")
    saver.restore(sess, tf.train.latest_checkpoint("./"))
    graph = tf.get_default_graph()
    x = graph.get_tensor_by_name("x:0")
    y = graph.get_tensor_by_name("y:0")
    prediction = graph.get_tensor_by_name("prediction:0")
    loss = graph.get_tensor_by_name("loss:0")
    print("restored loss", sess.run(loss, feed_dict={x: xs, y: ys}))
    print("prediction", sess.run(prediction, feed_dict={x: xs[:2]}).ravel())
    train_op = tf.get_collection("train_op")[0]
    for _ in range(50):
        sess.run(train_op, feed_dict={x: xs, y: ys})
    print("result", sess.run(loss, feed_dict={x: xs, y: ys}),
          *sess.run(prediction, feed_dict={x: xs[:3]}).ravel())
