# The course's name-scope homework, TF1 style.
import autograd.tf1 as tf
import numpy as np

np.random.seed(0)

graph = tf.Graph()
with graph.as_default():
    xs = np.random.normal(1, 2, 100)
    ys = np.asarray(np.random.randn(len(xs)) * xs)
    with tf.name_scope("Input_placeholder"):
        a = tf.placeholder(tf.float32, None, name="a")
    with tf.name_scope("Middle_section"):
        b = tf.reduce_prod(a, name="prod_b")
        c = tf.reduce_mean(a)
        d = tf.reduce_sum(a, name="sum_a")
        e = tf.add(b, c, name="add_d")
    with tf.name_scope("Final_node"):
        f = tf.multiply(e, d, name="final_multiply_node")

sess = tf.InteractiveSession(graph=graph)
result = sess.run(f, feed_dict={a: [xs, ys]})
print(result)
print("result", result)
graph_def = sess.graph.as_graph_def()
print("nodes:", len(graph_def.node))
file_writer = tf.summary.FileWriter('./', sess.graph)
file_writer.close()
sess.close()
