# CIFAR-10's binary format read the way the TF1 CIFAR-10 tutorial reads it: a filename
# queue, a FixedLengthRecordReader, decode_raw, shuffle_batch with two threads, a
# Coordinator and queue runners; then a small CNN trains for one epoch.
# The files are made here (random images), in CIFAR-10's layout: per record one label
# byte, then 3072 image bytes (3 colour planes of 32x32).
# The order of a shuffled queue differs between frameworks, so the results are the
# order-free figures: how many images one epoch gives, and the sum of their labels.
import os
import numpy as np
import autograd.tf1 as tf

rng = np.random.RandomState(0)
labels_written = []
for part in range(2):
    with open("data_batch_%d.bin" % (part + 1), "wb") as f:
        for _ in range(100):
            label = rng.randint(10)
            labels_written.append(label)
            f.write(bytes([label]) + rng.randint(0, 256, 3072).astype(np.uint8).tobytes())

IMAGE_BYTES = 32 * 32 * 3
filenames = [os.path.join(".", "data_batch_%d.bin" % i) for i in range(1, 3)]
filename_queue = tf.train.string_input_producer(filenames, num_epochs=1)
reader = tf.FixedLengthRecordReader(record_bytes=1 + IMAGE_BYTES)
key, value = reader.read(filename_queue)
record_bytes = tf.decode_raw(value, tf.uint8)
label = tf.cast(tf.strided_slice(record_bytes, [0], [1]), tf.int32)
depth_major = tf.reshape(tf.strided_slice(record_bytes, [1], [1 + IMAGE_BYTES]), [3, 32, 32])
image = tf.cast(tf.transpose(depth_major, [1, 2, 0]), tf.float32)
image = tf.image.per_image_standardization(image)
label.set_shape([1])
images, label_batch = tf.train.shuffle_batch(
    [image, label], batch_size=16, num_threads=2, capacity=120, min_after_dequeue=40,
    allow_smaller_final_batch=True)
labels = tf.reshape(label_batch, [-1])

conv = tf.layers.conv2d(images, 8, 5, padding="same", activation=tf.nn.relu)
pool = tf.layers.max_pooling2d(conv, 2, 2)
logits = tf.layers.dense(tf.reshape(pool, [-1, 16 * 16 * 8]), 10)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                     logits=logits))
train_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)

with tf.Session() as sess:
    sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)
    seen, label_sum, steps = 0, 0, 0
    try:
        while not coord.should_stop():
            _, batch_labels = sess.run([train_op, labels])
            seen += len(batch_labels)
            label_sum += int(batch_labels.sum())
            steps += 1
    except tf.errors.OutOfRangeError:
        print("Done training -- epoch limit reached after %d steps" % steps)
    finally:
        coord.request_stop()
    coord.join(threads)

print("images seen:", seen, "of", len(labels_written))
print("result", seen, label_sum)
assert label_sum == sum(labels_written)
