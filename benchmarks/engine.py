"""Engine benchmarks for the core: run overhead, an MLP training step, gradient building.

    python -m benchmarks.engine

Every figure is compared with a hand-written numpy baseline measured in the same run
(and with TF1 graph mode / PyTorch when they are installed).
"""
import importlib.util
import statistics
import time

import numpy as np

import autograd as ag
import nn
import optim
from benchmarks.common import (blas_report, clean_blas_environment, median_seconds,
                               paired_ratio, row)

CHAIN_OPS = 1000


def chain_overhead():
    """(a) A cached run of a 1000-op chain of tiny elementwise ops, against the same numpy
    calls made bare; and one run of a trivial graph."""
    graph = ag.Graph()
    with graph.as_default():
        x = ag.placeholder(ag.float32, [4])
        y, calls = x, []
        for i in range(CHAIN_OPS):
            c = np.float32(1.0001 if i % 2 else 0.0001)
            if i % 2:
                y, fn = y * ag.constant(c), np.multiply
            else:
                y, fn = y + ag.constant(c), np.add
            calls.append((fn, np.array(c, dtype=np.float32)))
        a, b = ag.constant(1.0), ag.constant(2.0)
        trivial = a + b
    value = np.ones(4, dtype=np.float32)

    def bare():
        v = value
        for fn, c in calls:
            v = fn(v, c)
        return v

    sess = ag.Session(graph=graph)
    feed = {x: value}
    np.testing.assert_allclose(sess.run(y, feed), bare(), rtol=1e-5)
    _, ours, base, spread = paired_ratio(lambda: sess.run(y, feed), bare, repeats=15, number=20)
    per_op = (ours - base) / CHAIN_OPS * 1e6
    one_run, noise = median_seconds(lambda: sess.run(trivial), repeats=15, number=2000)
    print(f"(a) run overhead  [noise: {max(spread, noise):.0%} spread]")
    row("bare numpy: 1000 tiny elementwise calls", base * 1e6, "us")
    row("Session.run of the same 1000-op chain (cached plan)", ours * 1e6, "us")
    row("overhead per op above bare numpy", per_op, "us", "<= 1", per_op <= 1.0)
    row("one Session.run of a trivial graph (a + b)", one_run * 1e6, "us", "<= 20",
        one_run * 1e6 <= 20)
    return per_op, one_run


def _mlp_data(batch=100, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.random((batch, 784), dtype=np.float32)
    labels = np.eye(10, dtype=np.float32)[rng.integers(0, 10, batch)]
    sizes = [(784, 200), (200, 100), (100, 10)]
    weights = [(rng.standard_normal(s).astype(np.float32) * 0.1,
                np.zeros(s[1], dtype=np.float32)) for s in sizes]
    return images, labels, weights


def mlp_engine(images, labels, weights, lr=0.1, fused=True):
    """The 784-200-100-10 sigmoid MLP with softmax cross-entropy, on autograd: with nn's
    fused loss and optim's in-place SGD (fused=True), or with core ops only."""
    graph = ag.Graph()
    with graph.as_default():
        x = ag.placeholder(ag.float32, [None, 784], name="x")
        y = ag.placeholder(ag.float32, [None, 10], name="y")
        params, h = [], x
        for i, (w, b) in enumerate(weights):
            with ag.name_scope(f"layer{i + 1}"):
                wv, bv = ag.Variable(w, name="w"), ag.Variable(b, name="b")
                params += [wv, bv]
                h = ag.matmul(h, wv) + bv
                if i < len(weights) - 1:
                    h = ag.sigmoid(h)
        if fused:
            loss = ag.reduce_mean(nn.softmax_cross_entropy_with_logits(labels=y, logits=h))
            train = optim.GradientDescentOptimizer(lr).minimize(loss)
        else:
            loss = ag.reduce_mean(ag.reduce_logsumexp(h, axis=1) - ag.reduce_sum(y * h, 1))
            grads = ag.gradients(loss, params)
            train = ag.group(*[p.assign_sub(lr * g) for p, g in zip(params, grads)])
        init = ag.global_variables_initializer()
    sess = ag.Session(graph=graph)
    sess.run(init)
    feed = {x: images, y: labels}
    return lambda: sess.run(train, feed), lambda: sess.run(loss, feed)


def mlp_numpy(images, labels, weights, lr=0.1):
    """The same step written by hand in numpy: forward, backprop, in-place SGD."""
    params = [(w.copy(), b.copy()) for w, b in weights]

    def forward():
        acts, h = [images], images
        for i, (w, b) in enumerate(params):
            h = h @ w + b
            if i < len(params) - 1:
                h = 1 / (1 + np.exp(-h))
            acts.append(h)
        return acts

    def step():
        acts = forward()
        logits = acts[-1]
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        delta = (e / e.sum(axis=1, keepdims=True) - labels) / len(images)
        for i in reversed(range(len(params))):
            w, b = params[i]
            gw, gb = acts[i].T @ delta, delta.sum(axis=0)
            if i:
                delta = (delta @ w.T) * acts[i] * (1 - acts[i])
            w -= lr * gw
            b -= lr * gb

    def loss():
        logits = forward()[-1]
        peak = logits.max(axis=1, keepdims=True)
        lse = np.log(np.exp(logits - peak).sum(axis=1)) + peak[:, 0]
        return np.mean(lse - (labels * logits).sum(axis=1))
    return step, loss


def mlp_torch(images, labels, weights, lr=0.1):
    import torch
    torch.set_num_threads(2)
    params = [(torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True))
              for w, b in weights]
    x, y = torch.tensor(images), torch.tensor(labels)

    def step():
        h = x
        for i, (w, b) in enumerate(params):
            h = h @ w + b
            if i < len(params) - 1:
                h = torch.sigmoid(h)
        loss = torch.mean(torch.logsumexp(h, 1) - (y * h).sum(1))
        loss.backward()
        with torch.no_grad():
            for w, b in params:
                w -= lr * w.grad
                b -= lr * b.grad
                w.grad = None
                b.grad = None
    return step


def mlp_tf1(images, labels, weights, lr=0.1):
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution()
    graph = tf.Graph()
    with graph.as_default():
        x, y = tf.placeholder(tf.float32, [None, 784]), tf.placeholder(tf.float32, [None, 10])
        h, params = x, []
        for i, (w, b) in enumerate(weights):
            wv, bv = tf.Variable(w), tf.Variable(b)
            params += [wv, bv]
            h = tf.matmul(h, wv) + bv
            if i < len(weights) - 1:
                h = tf.sigmoid(h)
        loss = tf.reduce_mean(tf.reduce_logsumexp(h, 1) - tf.reduce_sum(y * h, 1))
        train = tf.train.GradientDescentOptimizer(lr).minimize(loss)
        init = tf.global_variables_initializer()
    config = tf.ConfigProto(intra_op_parallelism_threads=2, inter_op_parallelism_threads=2)
    sess = tf.Session(graph=graph, config=config)
    sess.run(init)
    return lambda: sess.run(train, {x: images, y: labels})


def training_step():
    """(b) One training step of the MLP, against the same step hand-written in numpy."""
    images, labels, weights = _mlp_data()
    print("(b) MLP 784-200-100-10 sigmoid, softmax cross-entropy, SGD, batch 100")
    ratios = {}
    for fused, label in ((True, "nn fused loss + optim SGD"), (False, "core ops only")):
        ours_step, ours_loss = mlp_engine(images, labels, weights, fused=fused)
        base_step, base_loss = mlp_numpy(images, labels, weights)
        np.testing.assert_allclose(ours_loss(), base_loss(), rtol=1e-5)
        for _ in range(3):
            ours_step()
            base_step()
        np.testing.assert_allclose(ours_loss(), base_loss(), rtol=1e-4)  # same maths
        ratio, ours, base, spread = paired_ratio(ours_step, base_step, repeats=21, number=20)
        ratios[fused] = ratio
        row(f"hand-written numpy step [ratio spread {spread:.0%}]", base * 1e3, "ms")
        row(f"autograd step, {label}", ours * 1e3, "ms")
        target = 1.2 if fused else 1.1
        row(f"ratio autograd / numpy, {label}", ratio, "x", f"<= {target}", ratio <= target)
    ratio = ratios[True]
    for name, module, build in (("PyTorch CPU", "torch", mlp_torch),
                                ("TF1 graph mode", "tensorflow", mlp_tf1)):
        if importlib.util.find_spec(module) is None:
            print(f"  {name}: not installed, skipped (pip install '.[bench]')")
            continue
        peer, _ = median_seconds(build(images, labels, weights), repeats=9, number=30)
        row(f"{name} step (ratio autograd / it: {ours / peer:.2f}x)", peer * 1e3, "ms")
    return ratio


def gradient_building():
    """(c) Time to build the gradients of graphs of 2,500 to 10,000 ops."""
    print("(c) building gradients (symbolic backward pass)")
    results = []
    for n in (2500, 5000, 10000):
        graph = ag.Graph()
        with graph.as_default():
            x = ag.placeholder(ag.float32, [None])
            y = x
            while graph.version < n - 2:
                y = ag.tanh(y) * 0.5  # three ops: tanh, a constant, mul
            loss = ag.reduce_sum(y)
            start = time.perf_counter()
            ag.gradients(loss, [x])
            seconds = time.perf_counter() - start
        results.append((graph.version - n, seconds))
        row(f"{n:,}-op graph: gradients() adding {graph.version - n:,} ops", seconds, "s",
            "< 1" if n == 10000 else None, seconds < 1 if n == 10000 else None)
    growth = results[-1][1] / results[0][1]
    row("time ratio 10,000 / 2,500 ops (linear = 4)", growth, "x", "~4", growth < 6)
    return results


def conv_kernels(batch=128, runs=15):
    """(d) The backward kernels of the TF tutorial CNN's second layer against their forward
    ones (conv 5x5, 32 -> 64 channels on 14x14 images, then 2x2 max pooling), each op
    timed inside one training-like run by a traced Session.run (median over runs)."""
    print(f"(d) backward kernels against forward ones (tutorial CNN layer 2, batch {batch})")
    rng = np.random.default_rng(0)
    graph = ag.Graph()
    with graph.as_default():
        x = ag.placeholder(ag.float32, [batch, 14, 14, 32])
        f = ag.Variable(rng.standard_normal((5, 5, 32, 64), dtype=np.float32) * 0.1)
        pooled = nn.max_pool(nn.relu(nn.conv2d(x, f, [1, 1, 1, 1], "SAME")), [1, 2, 2, 1],
                             [1, 2, 2, 1], "SAME")
        loss = ag.reduce_sum(pooled * rng.standard_normal((1, 7, 7, 64), dtype=np.float32))
        grads = ag.gradients(loss, [x, f])
        init = ag.global_variables_initializer()
    sess = ag.Session(graph=graph)
    sess.run(init)
    feed = {x: rng.standard_normal((batch, 14, 14, 32), dtype=np.float32)}
    times = {}
    for number in range(runs + 2):
        metadata = ag.RunMetadata()
        sess.run(grads, feed, run_metadata=metadata,
                 options=ag.RunOptions(trace_level=ag.RunOptions.FULL_TRACE))
        for stat in metadata.node_stats():
            if number >= 2:  # warm-up excluded
                times.setdefault(stat.op_type, []).append(stat.all_end_rel_micros / 1e3)
    median = {kind: statistics.median(values) for kind, values in times.items()}
    ratios = {}
    for backward, forward, target in (("Conv2DBackpropInput", "Conv2D", 1.3),
                                      ("MaxPoolGrad", "MaxPool", 2.0)):
        ratio = median[backward] / median[forward]
        row(forward, median[forward], "ms")
        row(backward, median[backward], "ms")
        row(f"ratio {backward} / {forward}", ratio, "x", f"<= {target}", ratio <= target)
        ratios[backward] = ratio
    row("Conv2DBackpropFilter (for scale)", median["Conv2DBackpropFilter"], "ms")
    return ratios


def main():
    print(f"autograd engine benchmark (numpy {np.__version__})")
    print(blas_report())
    chain_overhead()
    training_step()
    gradient_building()
    conv_kernels()


if __name__ == "__main__":
    clean_blas_environment()
    main()
