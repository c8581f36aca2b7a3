# Summaries (scalar, histogram, image, text), a traced run and add_run_metadata.
import numpy as np
import autograd.tf1 as tf

x = tf.placeholder(tf.float32, [None, 4], name="x")
W = tf.Variable(np.arange(12, dtype=np.float32).reshape(4, 3) / 10.0, name="W")
y = tf.matmul(x, W)
loss = tf.reduce_mean(tf.square(y - 1.0))
train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
tf.summary.scalar("loss", loss)
tf.summary.histogram("weights", W)
tf.summary.image("weights_image", tf.reshape(W, [1, 4, 3, 1]))
tf.summary.text("note", tf.convert_to_tensor("a tiny regression"))
merged = tf.summary.merge_all()
with tf.Session() as sess:
    writer = tf.summary.FileWriter("logs_trace", sess.graph)
    sess.run(tf.global_variables_initializer())
    feed = {x: np.ones((2, 4), np.float32)}
    for step in range(5):
        summary, _ = sess.run([merged, train], feed)
        writer.add_summary(summary, step)
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    metadata = tf.RunMetadata()
    sess.run(train, feed, options=options, run_metadata=metadata)
    writer.add_run_metadata(metadata, "step5", 5)
    writer.close()
    traced = [n.node_name for d in metadata.step_stats.dev_stats for n in d.node_stats]
    print("traced MatMul:", "MatMul" in traced)
    print("result", sess.run(loss, feed))
