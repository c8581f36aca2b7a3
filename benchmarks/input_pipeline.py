"""Input pipelines against feeding numpy arrays: does input keep up with training?

    python -m benchmarks.input_pipeline

The course's MLP (784-200-100-60-30-10, dropout, Adam) and CNN (three convolutions,
fc200, Adam) train on MNIST (batch 100) three ways, interleaved in one
process (alternating rounds, the first round a warm-up that is not counted):
- feed: numpy arrays through feed_dict (the baseline: no input cost in the graph);
- queue, one record a run: TFRecordReader.read + parse_single_example + decode_raw +
  shuffle_batch, as the TF1 tutorials write it (two reader threads);
- queue, batched: read_up_to(100) + parse_example + decode_raw + shuffle_batch with
  enqueue_many (one reader thread: reads of one reader take turns anyway), the way
  TF's performance guide advised.
Each figure is training steps per second; a ratio near 1 means input is not the
bottleneck.
"""
import os
import statistics
import tempfile
import time

import numpy as np

import autograd as ag
import nn
import optim
from autograd import records
from autograd.input_producers import shuffle_batch, string_input_producer
from autograd.queue_runners import Coordinator, start_queue_runners
from benchmarks.common import blas_report, clean_blas_environment, row

BATCH, STEPS, ROUNDS = 100, 60, 5


def write_records(folder, images, labels):
    path = os.path.join(folder, "train.tfrecords")
    m = records.messages()
    with records.TFRecordWriter(path) as writer:
        for image, label in zip(images, labels):
            writer.write(m["Example"](features=m["Features"](feature={
                "image": m["Feature"](bytes_list=m["BytesList"](value=[image.tobytes()])),
                "label": m["Feature"](int64_list=m["Int64List"](value=[int(label)]))}))
                .SerializeToString())
    return path


def mlp(x, y):
    """The course's MLP: 784-200-100-60-30-10, ReLU, dropout 0.75, Adam (lr 0.003)."""
    sizes = [784, 200, 100, 60, 30, 10]
    h = x
    for number, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        w = ag.Variable(ag.truncated_normal([n_in, n_out], stddev=0.1))
        b = ag.Variable(ag.ones([n_out]) / 10)
        h = ag.matmul(h, w) + b
        if number < len(sizes) - 2:
            h = nn.dropout(nn.relu(h), keep_prob=0.75)
    return _adam(h, y)


def cnn(x, y):
    """The course's CNN: 5x5x4 s1, 5x5x8 s2, 4x4x12 s2, fc200, ReLU, Adam (lr 0.003)."""
    h = ag.reshape(x, [-1, 28, 28, 1])
    for size, c_in, c_out, stride in [(5, 1, 4, 1), (5, 4, 8, 2), (4, 8, 12, 2)]:
        w = ag.Variable(ag.truncated_normal([size, size, c_in, c_out], stddev=0.1))
        b = ag.Variable(ag.ones([c_out]) / 10)
        h = nn.relu(nn.conv2d(h, w, [1, stride, stride, 1], "SAME") + b)
    h = ag.reshape(h, [-1, 7 * 7 * 12])
    for n_in, n_out, last in [(7 * 7 * 12, 200, False), (200, 10, True)]:
        w = ag.Variable(ag.truncated_normal([n_in, n_out], stddev=0.1))
        h = ag.matmul(h, w) + ag.Variable(ag.ones([n_out]) / 10)
        h = h if last else nn.relu(h)
    return _adam(h, y)


def _adam(logits, y):
    loss = ag.reduce_mean(nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                      logits=logits))
    return optim.AdamOptimizer(0.003).minimize(loss)


FEATURES = {"image": ag.FixedLenFeature([], ag.string),
            "label": ag.FixedLenFeature([], ag.int64)}


def _decode(image, label):
    pixels = ag.cast(ag.decode_raw(image, ag.uint8), ag.float32) * (1 / 255)
    return pixels, ag.cast(label, ag.int32)


def one_record_pipeline(path):
    files = string_input_producer([path])
    _, serialized = ag.TFRecordReader().read(files)
    parsed = ag.parse_single_example(serialized, FEATURES)
    image, label = _decode(parsed["image"], parsed["label"])
    image.set_shape([784])
    return shuffle_batch([image, label], BATCH, capacity=2000, min_after_dequeue=1000,
                         num_threads=2)


def batched_pipeline(path):
    files = string_input_producer([path])
    _, serialized = ag.TFRecordReader().read_up_to(files, BATCH)
    parsed = ag.parse_example(serialized, FEATURES)
    images, labels = _decode(parsed["image"], parsed["label"])
    images = ag.reshape(images, [-1, 784])
    return shuffle_batch([images, labels], BATCH, capacity=2000, min_after_dequeue=1000,
                         num_threads=1, enqueue_many=True)


def build(kind, path, model):
    graph = ag.Graph()
    with graph.as_default():
        ag.set_random_seed(0)
        if kind == "feed":
            x = ag.placeholder(ag.float32, [None, 784])
            y = ag.placeholder(ag.int32, [None])
        else:
            x, y = (one_record_pipeline if kind == "queue, one record a run"
                    else batched_pipeline)(path)
        train = model(x, y)
        sess = ag.Session(graph=graph)
        sess.run([ag.global_variables_initializer(), ag.local_variables_initializer()])
    coord = Coordinator()
    threads = start_queue_runners(sess, coord)
    return sess, train, (x, y), coord, threads


def main():
    clean_blas_environment()
    print(blas_report())
    data = nn.datasets.read_data_sets(one_hot=False)
    images = (data.train.images[:10000] * 255).astype(np.uint8)
    labels = data.train.labels[:10000]
    folder = tempfile.mkdtemp()
    start = time.perf_counter()
    path = write_records(folder, images, labels)
    print(f"wrote {len(images)} Examples ({os.path.getsize(path) / 1e6:.1f} MB) in "
          f"{time.perf_counter() - start:.2f} s")
    floats = images.astype(np.float32) / 255
    for name, model in [("course MLP", mlp), ("course CNN", cnn)]:
        compare(name, model, path, floats, labels)


def compare(name, model, path, floats, labels):
    kinds = ["feed", "queue, one record a run", "queue, batched"]
    built = {kind: build(kind, path, model) for kind in kinds}
    rng = np.random.default_rng(0)
    rates = {kind: [] for kind in kinds}
    for round_number in range(ROUNDS + 1):
        for kind in kinds:
            sess, train, (x, y), _, _ = built[kind]
            begin = time.perf_counter()
            for _ in range(STEPS):
                if kind == "feed":
                    pick = rng.integers(0, len(floats), BATCH)
                    sess.run(train, {x: floats[pick], y: labels[pick]})
                else:
                    sess.run(train)
            if round_number:   # round 0 warms up (and fills the queues)
                rates[kind].append(STEPS / (time.perf_counter() - begin))
    for kind in kinds:
        sess, _, _, coord, threads = built[kind]
        coord.request_stop()
        sess.close()
        coord.join(threads, stop_grace_period_secs=5, ignore_live_threads=True)
    feed = statistics.median(rates["feed"])
    print(f"\n{name}, batch {BATCH}, {ROUNDS} interleaved rounds of {STEPS} steps")
    row("feed_dict with numpy arrays", feed, "steps/s")
    for kind in kinds[1:]:
        rate = statistics.median(rates[kind])
        row(f"{kind} (ratio to feeding {rate / feed:.2f})", rate, "steps/s", ">= 0.8x feed",
            rate >= 0.8 * feed)


if __name__ == "__main__":
    main()
