"""What a parameter server costs a training step: one worker with its variables on a ps
task (Ray, this machine) against the same step in a local session.

    python -m benchmarks.distributed

The model is mnist_replica's (784-100-10, Adam, batch 100). Both steps are built in this
process from the same graph and timed in alternating rounds (warm-up excluded); the
cluster run's steps read every variable from the ps at their start and commit Adam's
changes (weights and both slots) and the global step at their end: the bytes moved per
step are counted by the session's link. Speed-up from more workers cannot be shown on
a 2-core machine; the figure here is the overhead a multi-machine run pays per step.
"""
import statistics
import time

import numpy as np

from .common import blas_report, clean_blas_environment

ROUNDS, ROUND_SECONDS, WARMUP = 7, 1.0, 20


def build(tf, cluster):
    with tf.device(tf.train.replica_device_setter(cluster=cluster)):
        step = tf.train.get_or_create_global_step()
        hid_w = tf.Variable(tf.truncated_normal([784, 100], stddev=1 / 28), name="hid_w")
        hid_b = tf.Variable(tf.zeros([100]), name="hid_b")
        sm_w = tf.Variable(tf.truncated_normal([100, 10], stddev=0.1), name="sm_w")
        sm_b = tf.Variable(tf.zeros([10]), name="sm_b")
        x = tf.placeholder(tf.float32, [None, 784])
        y_ = tf.placeholder(tf.float32, [None, 10])
        hid = tf.nn.relu(tf.nn.xw_plus_b(x, hid_w, hid_b))
        logits = tf.nn.xw_plus_b(hid, sm_w, sm_b)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_,
                                                                          logits=logits))
        train = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=step)
    return x, y_, train


def main():
    import autograd.tf1 as tf
    import nn
    print(blas_report())
    cluster = tf.train.ClusterSpec({"ps": ["localhost:2222"], "worker": ["localhost:2223"]})
    ps = tf.train.Server(cluster, "ps", 0)
    worker = tf.train.Server(cluster, "worker", 0)
    x, y_, train = build(tf, cluster)
    data = nn.datasets.read_data_sets(one_hot=True)
    images, labels = data.train.next_batch(100)
    feed = {x: images, y_: labels}
    sessions = {"local session": tf.Session(), "1 ps + 1 worker": tf.Session(worker.target)}
    for sess in sessions.values():
        sess.run(tf.global_variables_initializer())
        for _ in range(WARMUP):
            sess.run(train, feed)
    link = sessions["1 ps + 1 worker"]._remote
    read0, sent0 = link.bytes_read, link.bytes_sent
    counted = 0
    rates = {name: [] for name in sessions}
    for number in range(ROUNDS):
        names = list(sessions)[number % 2:] + list(sessions)[:number % 2]
        for name in names:
            sess, steps = sessions[name], 0
            start = time.perf_counter()
            while time.perf_counter() - start < ROUND_SECONDS:
                sess.run(train, feed)
                steps += 1
            rates[name].append(steps / (time.perf_counter() - start))
            if name != "local session":
                counted += steps
    print("\none training step of mnist_replica's model (steps/s, interleaved rounds)")
    medians = {name: statistics.median(r) for name, r in rates.items()}
    for name, rate in medians.items():
        print(f"  {name:<18} {rate:9.1f} steps/s  {1000 / rate:7.2f} ms/step")
    local, remote = medians["local session"], medians["1 ps + 1 worker"]
    print(f"  overhead of the parameter server: {1000 / remote - 1000 / local:.2f} ms/step "
          f"({local / remote:.1f}x the local step)")
    read = (link.bytes_read - read0) / counted
    sent = (link.bytes_sent - sent0) / counted
    weights = sum(v.nbytes for v in (np.empty((784, 100), np.float32),
                                     np.empty((100, 10), np.float32)))
    print(f"  bytes per step: {read / 1e3:.0f} kB read from the ps, {sent / 1e3:.0f} kB "
          f"committed (the weights alone: {weights / 1e3:.0f} kB; Adam's slots ride along)")
    for sess in sessions.values():
        sess.close()
    worker.stop()
    ps.stop()


if __name__ == "__main__":
    clean_blas_environment()
    main()
