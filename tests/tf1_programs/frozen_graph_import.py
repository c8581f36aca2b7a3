# A trained model frozen to a .pb file and loaded by another graph (tf.import_graph_def
# with input_map and return_elements), then served from a SavedModel (simple_save and
# saved_model.loader.load with the serving signature).
import numpy as np
import autograd.tf1 as tf

rng = np.random.RandomState(1)
images = rng.rand(6, 8, 8, 1).astype(np.float32)

x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="images")
kernel = tf.Variable(rng.normal(scale=0.3, size=(3, 3, 1, 4)).astype(np.float32))
conv = tf.nn.relu(tf.nn.conv2d(x, kernel, [1, 1, 1, 1], "SAME"))
pooled = tf.nn.max_pool(conv, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
flat = tf.reshape(pooled, [-1, 4 * 4 * 4])
dense = tf.Variable(rng.normal(scale=0.2, size=(64, 3)).astype(np.float32))
probabilities = tf.nn.softmax(tf.matmul(flat, dense), name="probabilities")

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    frozen = tf.graph_util.convert_variables_to_constants(
        sess, sess.graph.as_graph_def(), ["probabilities"])
    tf.train.write_graph(frozen, ".", "frozen.pb", as_text=False)
    tf.saved_model.simple_save(sess, "served", inputs={"images": x},
                               outputs={"probabilities": probabilities})

with tf.Graph().as_default():
    graph_def = tf.GraphDef()
    with tf.gfile.GFile("frozen.pb", "rb") as f:
        graph_def.ParseFromString(f.read())
    flat_images = tf.placeholder(tf.float32, [None, 64], name="flat_images")
    probs, = tf.import_graph_def(
        graph_def, input_map={"images:0": tf.reshape(flat_images, [-1, 8, 8, 1])},
        return_elements=["probabilities:0"], name="frozen")
    with tf.Session() as sess:
        from_frozen = sess.run(probs, feed_dict={flat_images: images.reshape(-1, 64)})
print("frozen", from_frozen.argmax(axis=1))

with tf.Graph().as_default():
    with tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING],
                                          "served")
        signature = meta.signature_def[
            tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY]
        served = sess.run(signature.outputs["probabilities"].name,
                          feed_dict={signature.inputs["images"].name: images})
print("result", *from_frozen[:2].ravel(), float(np.abs(served - from_frozen).max()))
