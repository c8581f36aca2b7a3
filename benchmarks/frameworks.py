"""One builder per framework: spec -> (train_step(images, labels, step), predict(images)).

`ours` is the engine; `numpy` is the same model with backprop written by hand (im2col with
stride tricks, col2im with per-offset loops, as one writes it naively); `torch` and `tf1`
are the peers, used when installed.
"""
import math

import numpy as np

from .specs import learning_rate

ADAM = dict(beta1=0.9, beta2=0.999, eps=1e-8)
LOSS_SCALE = {"xent_mean100": 100.0, "xent_mean": 1.0}  # mean cross-entropy times this


def _initial(spec, shape, rng, bias=False):
    if spec.init == "zeros":
        return np.zeros(shape, np.float32)
    if spec.init == "gaussian":
        return rng.standard_normal(shape).astype(np.float32)
    if bias:
        return np.full(shape, 0.1, np.float32)
    values = rng.standard_normal(shape)
    while np.any(np.abs(values) > 2):
        bad = np.abs(values) > 2
        values[bad] = rng.standard_normal(bad.sum())
    return (values * 0.1).astype(np.float32)


def initial_params(spec, seed=0):
    """The same starting weights for every framework: [(W, b)] per conv/dense layer."""
    rng = np.random.default_rng(seed)
    params = []
    for layer in spec.layers:
        if layer[0] == "conv":
            _, k, c_in, c_out, _ = layer
            params.append((_initial(spec, (k, k, c_in, c_out), rng),
                           _initial(spec, (c_out,), rng, bias=True)))
        elif layer[0] == "dense":
            params.append((_initial(spec, layer[1:], rng),
                           _initial(spec, (layer[2],), rng, bias=True)))
    return params


# -- ours -----------------------------------------------------------------------------------
def build_ours(spec, seed=0, **session_options):
    """Our step and predictor; `session_options` go to the Session (e.g. workspace_bytes)."""
    import autograd as ag
    import nn
    import optim
    graph = ag.Graph()
    with graph.as_default():
        ag.set_random_seed(seed)
        x = ag.placeholder(ag.float32, [None, 28, 28, 1] if spec.image else [None, 784], "x")
        y = ag.placeholder(ag.float32, [None, 10], "labels")
        keep = ag.placeholder(ag.float32, [], "pkeep")
        params = iter(initial_params(spec, seed))
        h = x
        for index, layer in enumerate(spec.layers):
            kind = layer[0]
            if kind in ("conv", "dense"):
                w0, b0 = next(params)
                with ag.name_scope(f"{kind}{index}"):
                    w, b = ag.Variable(w0, name="weights"), ag.Variable(b0, name="bias")
                    h = nn.conv2d(h, w, [1, layer[4], layer[4], 1], "SAME") + b \
                        if kind == "conv" else ag.matmul(h, w) + b
            elif kind == "pool":
                h = nn.max_pool(h, [1, layer[1], layer[1], 1], [1, layer[1], layer[1], 1],
                                "SAME")
            elif kind == "flatten":
                h = ag.reshape(h, [-1, layer[1]])
            elif kind == "dropout":
                h = nn.dropout(h, keep)
            else:
                h = getattr(nn, kind)(h)
        loss = _ours_loss(ag, nn, spec, h, y)
        step = optim.get_or_create_global_step()
        if spec.decay:
            lr = 0.0001 + optim.exponential_decay(0.003, step, 2000, 1 / math.e)
        else:
            lr = spec.lr
        optimizer = optim.AdamOptimizer(lr) if spec.optimizer == "adam" else \
            optim.GradientDescentOptimizer(lr)
        train = optimizer.minimize(loss, global_step=step)
        predictions = ag.argmax(h, 1)
        init = ag.global_variables_initializer()
    graph.finalize()
    sess = ag.Session(graph=graph, **session_options)
    sess.run(init)

    def train_step(images, labels, _step):
        sess.run(train, {x: images, y: labels, keep: spec.keep})

    def predict(images):
        return sess.run(predictions, {x: images, keep: 1.0})
    predict.session, predict.logits, predict.inputs = sess, h, (x, keep)  # for export tests
    train_step.session, train_step.fetch = sess, train                     # for traced runs
    train_step.feeds = lambda images, labels: {x: images, y: labels, keep: spec.keep}
    return train_step, predict


def _ours_loss(ag, nn, spec, h, y):
    if spec.loss == "quadratic":
        return ag.reduce_mean(0.5 * ag.reduce_sum(ag.square(h - y), axis=1))
    xent = nn.softmax_cross_entropy_with_logits(labels=y, logits=h)
    if spec.loss == "xent_sum":
        return ag.reduce_sum(xent)
    return ag.reduce_mean(xent) * LOSS_SCALE[spec.loss]


# -- hand-written numpy ---------------------------------------------------------------------
def _same_pads(size, k, s):
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return out, total // 2, total - total // 2


def _im2col(x, k, s):
    n, h, w, c = x.shape
    oh, top, bottom = _same_pads(h, k, s)
    ow, left, right = _same_pads(w, k, s)
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    st = xp.strides
    view = np.lib.stride_tricks.as_strided(
        xp, (n, oh, ow, k, k, c), (st[0], st[1] * s, st[2] * s, st[1], st[2], st[3]))
    return view.reshape(n * oh * ow, k * k * c), (oh, ow, top, left, xp.shape)


def _col2im(dcols, k, s, geometry, x_shape):
    oh, ow, top, left, padded = geometry
    n, h, w, c = x_shape
    dcols = dcols.reshape(n, oh, ow, k, k, c)
    dxp = np.zeros(padded, dcols.dtype)
    for i in range(k):
        for j in range(k):
            dxp[:, i:i + s * (oh - 1) + 1:s, j:j + s * (ow - 1) + 1:s, :] += dcols[:, :, :, i, j]
    return dxp[:, top:top + h, left:left + w]


def build_numpy(spec, seed=0):
    params = [[w.copy(), b.copy()] for w, b in initial_params(spec, seed)]
    moments = [[np.zeros_like(p) for p in pair for _ in range(2)] for pair in params]
    rng = np.random.default_rng(seed)
    state = {"t": 0}

    def forward(images, keep):
        h, tape, index = images, [], 0
        for layer in spec.layers:
            kind = layer[0]
            if kind == "conv":
                w, b = params[index]
                cols, geometry = _im2col(h, layer[1], layer[4])
                tape.append((kind, index, cols, geometry, h.shape))
                h = (cols @ w.reshape(-1, w.shape[3])).reshape(
                    h.shape[0], geometry[0], geometry[1], -1) + b
                index += 1
            elif kind == "dense":
                w, b = params[index]
                tape.append((kind, index, h))
                h = h @ w + b
                index += 1
            elif kind == "pool":
                k = layer[1]
                n, hh, ww, c = h.shape
                windows = h.reshape(n, hh // k, k, ww // k, k, c)
                pooled = windows.max(axis=(2, 4))
                mask = windows == pooled[:, :, None, :, None, :]
                tape.append((kind, mask, h.shape))
                h = pooled
            elif kind == "flatten":
                tape.append((kind, h.shape))
                h = h.reshape(len(h), -1)
            elif kind == "relu":
                tape.append((kind, h > 0))
                h = np.maximum(h, 0)
            elif kind == "sigmoid":
                h = 1 / (1 + np.exp(-h))
                tape.append((kind, h))
            elif kind == "dropout":
                mask = (rng.random(h.shape, dtype=np.float32) < keep) / np.float32(keep)
                tape.append((kind, mask))
                h = h * mask
        return h, tape

    def train_step(images, labels, step):
        out, tape = forward(images, spec.keep)
        if spec.loss == "quadratic":
            delta = (out - labels) / len(out)
        else:
            e = np.exp(out - out.max(axis=1, keepdims=True))
            delta = e / e.sum(axis=1, keepdims=True) - labels
            delta *= 1.0 if spec.loss == "xent_sum" else LOSS_SCALE[spec.loss] / len(out)
        grads = [None] * len(params)
        for entry in reversed(tape):
            kind = entry[0]
            if kind == "dense":
                _, index, inputs = entry
                grads[index] = (inputs.T @ delta, delta.sum(axis=0))
                delta = delta @ params[index][0].T
            elif kind == "conv":
                _, index, cols, geometry, x_shape = entry
                w = params[index][0]
                flat = delta.reshape(-1, w.shape[3])
                grads[index] = ((cols.T @ flat).reshape(w.shape), flat.sum(axis=0))
                delta = _col2im(flat @ w.reshape(-1, w.shape[3]).T, w.shape[0],
                                spec.layers[_layer_of(spec, index)][4], geometry, x_shape)
            elif kind == "pool":
                _, mask, shape = entry
                delta = (mask * delta[:, :, None, :, None, :]).reshape(shape)
            elif kind == "flatten":
                delta = delta.reshape(entry[1])
            elif kind == "relu":
                delta = delta * entry[1]
            elif kind == "sigmoid":
                delta = delta * entry[1] * (1 - entry[1])
            elif kind == "dropout":
                delta = delta * entry[1]
        _update(spec, params, grads, moments, state, step)

    def predict(images):
        return forward(images, 1.0)[0].argmax(axis=1)
    return train_step, predict


def _layer_of(spec, param_index):
    weighted = [i for i, layer in enumerate(spec.layers) if layer[0] in ("conv", "dense")]
    return weighted[param_index]


def _update(spec, params, grads, moments, state, step):
    lr = learning_rate(spec, step)
    if spec.optimizer == "sgd":
        for pair, grad in zip(params, grads):
            for p, g in zip(pair, grad):
                p -= lr * g
        return
    state["t"] += 1
    t = state["t"]
    alpha = lr * math.sqrt(1 - ADAM["beta2"] ** t) / (1 - ADAM["beta1"] ** t)
    for pair, grad, slots in zip(params, grads, moments):
        for i, (p, g) in enumerate(zip(pair, grad)):
            m, v = slots[2 * i], slots[2 * i + 1]  # each parameter's own two moments
            m += (g - m) * (1 - ADAM["beta1"])
            v += (g * g - v) * (1 - ADAM["beta2"])
            p -= alpha * m / (np.sqrt(v) + ADAM["eps"])


# -- PyTorch --------------------------------------------------------------------------------
def build_torch(spec, seed=0):
    import torch
    torch.set_num_threads(2)
    tensors = [(torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True))
               for w, b in initial_params(spec, seed)]
    flat = [p for pair in tensors for p in pair]
    optimizer = torch.optim.Adam(flat, lr=spec.lr, eps=1e-8) if spec.optimizer == "adam" \
        else torch.optim.SGD(flat, lr=spec.lr)
    functional = torch.nn.functional

    def forward(images, keep):
        h = torch.from_numpy(images)
        if spec.image:
            h = h.permute(0, 3, 1, 2)
        index = 0
        for layer in spec.layers:
            kind = layer[0]
            if kind == "conv":
                w, b = tensors[index]
                pad = (layer[1] - 1) // 2  # the course's kernels give TF's SAME sizes here
                h = functional.conv2d(h, w.permute(3, 2, 0, 1), b, stride=layer[4],
                                      padding=pad if layer[1] % 2 else "same"
                                      if layer[4] == 1 else pad)
                index += 1
            elif kind == "dense":
                w, b = tensors[index]
                h = h @ w + b
                index += 1
            elif kind == "pool":
                h = functional.max_pool2d(h, layer[1])
            elif kind == "flatten":
                h = h.permute(0, 2, 3, 1).reshape(len(h), -1)
            elif kind == "dropout":
                h = functional.dropout(h, 1 - keep, training=keep < 1)
            else:
                h = getattr(torch, kind)(h)
        return h

    def train_step(images, labels, step):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(spec, step)
        out = forward(images, spec.keep)
        target = torch.from_numpy(labels)
        if spec.loss == "quadratic":
            loss = 0.5 * ((out - target) ** 2).sum(1).mean()
        else:
            xent = -(target * torch.log_softmax(out, 1)).sum(1)
            loss = xent.sum() if spec.loss == "xent_sum" else \
                xent.mean() * LOSS_SCALE[spec.loss]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    def predict(images):
        with torch.no_grad():
            return forward(images, 1.0).argmax(1).numpy()
    return train_step, predict


# -- TensorFlow 1 graph mode ----------------------------------------------------------------
def build_tf1(spec, seed=0):
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution()
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 28, 28, 1] if spec.image else [None, 784])
        y = tf.placeholder(tf.float32, [None, 10])
        keep = tf.placeholder(tf.float32, [])
        lr = tf.placeholder(tf.float32, [])
        params = iter(initial_params(spec, seed))
        h = x
        for layer in spec.layers:
            kind = layer[0]
            if kind in ("conv", "dense"):
                w0, b0 = next(params)
                w, b = tf.Variable(w0), tf.Variable(b0)
                h = tf.nn.conv2d(h, w, [1, layer[4], layer[4], 1], "SAME") + b \
                    if kind == "conv" else tf.matmul(h, w) + b
            elif kind == "pool":
                size = [1, layer[1], layer[1], 1]
                h = tf.nn.max_pool(h, size, size, "SAME")
            elif kind == "flatten":
                h = tf.reshape(h, [-1, layer[1]])
            elif kind == "dropout":
                h = tf.nn.dropout(h, keep_prob=keep)
            else:
                h = getattr(tf.nn, kind)(h)
        if spec.loss == "quadratic":
            loss = tf.reduce_mean(0.5 * tf.reduce_sum(tf.square(h - y), 1))
        else:
            xent = tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=h)
            loss = tf.reduce_sum(xent) if spec.loss == "xent_sum" else \
                tf.reduce_mean(xent) * LOSS_SCALE[spec.loss]
        optimizer = tf.train.AdamOptimizer(lr) if spec.optimizer == "adam" else \
            tf.train.GradientDescentOptimizer(lr)
        train = optimizer.minimize(loss)
        predictions = tf.argmax(h, 1)
        init = tf.global_variables_initializer()
    config = tf.ConfigProto(intra_op_parallelism_threads=2, inter_op_parallelism_threads=2)
    sess = tf.Session(graph=graph, config=config)
    sess.run(init)

    def train_step(images, labels, step):
        sess.run(train, {x: images, y: labels, keep: spec.keep,
                         lr: learning_rate(spec, step)})

    def predict(images):
        return sess.run(predictions, {x: images, keep: 1.0})
    predict.session, predict.logits, predict.inputs = sess, h, (x, keep)  # for export tests
    return train_step, predict


def build_ours_numpy_kernels(spec, seed=0):
    """Ours with the reference (numpy) kernels only: the step before compiled kernels."""
    return build_ours(spec, seed, kernels="numpy")


BUILDERS = {"ours": build_ours, "ours_numpy": build_ours_numpy_kernels, "numpy": build_numpy,
            "torch": build_torch, "tf1": build_tf1}
MODULES = {"ours": None, "ours_numpy": "numba", "numpy": None, "torch": "torch",
           "tf1": "tensorflow"}
