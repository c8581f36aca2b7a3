# MNIST written to a TFRecord file of tf.train.Example protos, as the TF1 "convert_to_records"
# example does, then read back twice: through a TFRecordReader + parse_single_example +
# tf.train.batch (queues), and through tf.data.TFRecordDataset, which trains a softmax
# regression in file order.
import numpy as np
import autograd.tf1 as tf
from autograd.tf1.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("MNIST_data/", one_hot=False)
images = (mnist.train.images[:1000] * 255).astype(np.uint8)
labels = mnist.train.labels[:1000].astype(np.int64)


def _int64_feature(value):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))


def _bytes_feature(value):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value]))


with tf.python_io.TFRecordWriter("train.tfrecords") as writer:
    for image, label in zip(images, labels):
        example = tf.train.Example(features=tf.train.Features(feature={
            "image_raw": _bytes_feature(image.tobytes()),
            "label": _int64_feature(int(label))}))
        writer.write(example.SerializeToString())

features_spec = {"image_raw": tf.FixedLenFeature([], tf.string),
                 "label": tf.FixedLenFeature([], tf.int64)}


def decode(serialized):
    features = tf.parse_single_example(serialized, features=features_spec)
    image = tf.decode_raw(features["image_raw"], tf.uint8)
    image.set_shape([784])
    image = tf.cast(image, tf.float32) * (1.0 / 255)
    return image, tf.cast(features["label"], tf.int32)


# 1. queues: one epoch through a reader
filename_queue = tf.train.string_input_producer(["train.tfrecords"], num_epochs=1)
_, serialized = tf.TFRecordReader().read(filename_queue)
image, label = decode(serialized)
image_batch, label_batch = tf.train.batch([image, label], batch_size=100,
                                          allow_smaller_final_batch=True)
with tf.Session() as sess:
    sess.run(tf.local_variables_initializer())
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)
    count, label_sum = 0, 0
    try:
        while True:
            batch = sess.run(label_batch)
            count, label_sum = count + len(batch), label_sum + int(batch.sum())
    except tf.errors.OutOfRangeError:
        pass
    finally:
        coord.request_stop()
        coord.join(threads)
print("queue pipeline read", count, "examples")

# 2. tf.data: three epochs in file order, training a softmax regression
dataset = tf.data.TFRecordDataset(["train.tfrecords"]).map(decode).batch(50).repeat(3)
x, y = dataset.make_one_shot_iterator().get_next()
W = tf.Variable(tf.zeros([784, 10]))
b = tf.Variable(tf.zeros([10]))
logits = tf.matmul(x, W) + b
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1, output_type=tf.int32), y),
                                  tf.float32))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    steps = 0
    try:
        while True:
            _, loss_value = sess.run([train_op, loss])
            steps += 1
    except tf.errors.OutOfRangeError:
        pass
    test_x = mnist.test.images[:500]
    test_accuracy = sess.run(accuracy, {x: test_x, y: mnist.test.labels[:500].astype(np.int32)})
print("steps:", steps, "loss: %.4f" % loss_value, "test accuracy:", test_accuracy)
print("result", count, label_sum, steps, loss_value, test_accuracy)
