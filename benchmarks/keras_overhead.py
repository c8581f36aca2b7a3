"""What tf.keras's fit costs above the same model in raw graph ops on this engine.

    python -m benchmarks.keras_overhead

The course MLP (784-200-100-60-30-10, ReLU, Adam 0.003) and CNN (three convolutions,
fc200) train on MNIST batches of 100: once with `model.fit` (one epoch of 6000 images,
verbose=0: callbacks, History, shuffling included), once as a hand-written graph with a
placeholder feed loop doing the same steps. Rounds alternate in one process, the first
is a warm-up; the figure is the median ratio of fit's time to the raw loop's.
"""
import statistics
import time

import numpy as np

import autograd as ag
import nn
import optim
from benchmarks.common import blas_report, clean_blas_environment, row
from nn import keras

IMAGES, BATCH, ROUNDS = 6000, 100, 5


def keras_model(kind):
    layers = keras.layers
    if kind == "MLP":
        stack = [layers.Dense(200, activation="relu", input_shape=(784,))] + [
            layers.Dense(n, activation="relu") for n in (100, 60, 30)]
    else:
        stack = [layers.Reshape((28, 28, 1), input_shape=(784,)),
                 layers.Conv2D(4, 5, padding="same", activation="relu"),
                 layers.Conv2D(8, 5, strides=2, padding="same", activation="relu"),
                 layers.Conv2D(12, 4, strides=2, padding="same", activation="relu"),
                 layers.Flatten(), layers.Dense(200, activation="relu")]
    model = keras.Sequential(stack + [layers.Dense(10, activation="softmax")])
    model.compile(keras.optimizers.Adam(lr=0.003), "sparse_categorical_crossentropy")
    return model


def raw_model(kind):
    x = ag.placeholder(ag.float32, [None, 784])
    y = ag.placeholder(ag.int64, [None])

    def dense(h, n_in, n_out, relu=True):
        w = ag.Variable(nn.init.glorot_uniform()([n_in, n_out]))
        out = ag.matmul(h, w) + ag.Variable(ag.zeros([n_out]))
        return nn.relu(out) if relu else out
    if kind == "MLP":
        h, sizes = x, [784, 200, 100, 60, 30]
        for n_in, n_out in zip(sizes, sizes[1:]):
            h = dense(h, n_in, n_out)
        logits = dense(h, 30, 10, relu=False)
    else:
        h = ag.reshape(x, [-1, 28, 28, 1])
        for size, c_in, c_out, stride in [(5, 1, 4, 1), (5, 4, 8, 2), (4, 8, 12, 2)]:
            w = ag.Variable(nn.init.glorot_uniform()([size, size, c_in, c_out]))
            h = nn.relu(nn.conv2d(h, w, [1, stride, stride, 1], "SAME") +
                        ag.Variable(ag.zeros([c_out])))
        h = dense(ag.reshape(h, [-1, 7 * 7 * 12]), 7 * 7 * 12, 200)
        logits = dense(h, 200, 10, relu=False)
    loss = ag.reduce_mean(nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                      logits=logits))
    train = optim.AdamOptimizer(0.003, epsilon=1e-7).minimize(loss)
    sess = ag.Session()
    sess.run(ag.global_variables_initializer())

    def epoch(images, labels):
        order = np.random.permutation(len(labels))
        for begin in range(0, len(labels), BATCH):
            rows = order[begin:begin + BATCH]
            sess.run(train, {x: images[rows], y: labels[rows]})
    return epoch


def main():
    clean_blas_environment()
    print(blas_report())
    data = nn.datasets.read_data_sets(one_hot=False)
    images = data.train.images[:IMAGES].astype(np.float32)
    labels = data.train.labels[:IMAGES].astype(np.int64)
    for kind in ("MLP", "CNN"):
        keras_graph, raw_graph = ag.Graph(), ag.Graph()
        with keras_graph.as_default():
            model = keras_model(kind)
        with raw_graph.as_default():
            raw_epoch = raw_model(kind)
        ratios, times = [], {"keras": [], "raw": []}
        for round_number in range(ROUNDS + 1):
            with keras_graph.as_default():
                start = time.perf_counter()
                model.fit(images, labels, batch_size=BATCH, epochs=1, verbose=0)
                fit_seconds = time.perf_counter() - start
            start = time.perf_counter()
            raw_epoch(images, labels)
            raw_seconds = time.perf_counter() - start
            if round_number:
                ratios.append(fit_seconds / raw_seconds)
                times["keras"].append(fit_seconds)
                times["raw"].append(raw_seconds)
        ratio = statistics.median(ratios)
        print(f"\ncourse {kind}, {IMAGES} images, batch {BATCH}, {ROUNDS} interleaved rounds")
        row("raw graph ops, placeholder feed loop", statistics.median(times["raw"]), "s")
        row("tf.keras model.fit, one epoch", statistics.median(times["keras"]), "s")
        row("fit / raw", ratio, "x", "<= 1.10", ratio <= 1.10)


if __name__ == "__main__":
    main()
