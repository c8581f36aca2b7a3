"""Losses. The cross-entropies with logits are fused ops: one kernel computes a stable
loss and the gradient that the backward pass reuses (TF's design). No gradient flows into
the labels."""
import numpy as np

import autograd as ag
from autograd import define_op

from .activations import softmax


def _xent_shape(labels, logits, axis):
    if labels.dtype != logits.dtype:
        raise TypeError(f"labels ({labels.dtype.name}) and logits ({logits.dtype.name}) must "
                        f"share a dtype")
    if labels.shape is not None and logits.shape is not None:
        ag.shapes.merge(labels.shape, logits.shape)
    if logits.shape is None:
        return [(None, logits.dtype), (None, logits.dtype)]
    axis = ag.shapes.normalize_axis(axis, len(logits.shape))
    loss_shape = logits.shape[:axis] + logits.shape[axis + 1:]
    return [(loss_shape, logits.dtype), (logits.shape, logits.dtype)]


def _xent_forward(labels, logits, axis):
    if labels.shape != logits.shape:  # only possible for dimensions unknown when building
        raise ag.errors.InvalidArgumentError(
            f"labels have shape {labels.shape} but logits have shape {logits.shape}: they "
            f"must be the same (one probability per class and example)")
    shifted = logits - np.maximum.reduce(logits, axis=axis, keepdims=True)
    probs = np.exp(shifted)
    total = np.add.reduce(probs, axis=axis, keepdims=True)
    probs /= total
    shifted -= np.log(total)  # now log-probabilities
    shifted *= labels
    loss = -np.add.reduce(shifted, axis=axis)
    probs *= np.add.reduce(labels, axis=axis, keepdims=True)  # labels' total mass, 1 if one-hot
    probs -= labels
    return loss, probs


def _xent_grad(op, dloss, dbackprop):
    """d loss / d logits = softmax(logits) * sum(labels) - labels (the second output)."""
    labels, logits = op.inputs
    axis = op.attrs["axis"]
    grad = None
    if dloss is not None:
        grad = ag.expand_dims(dloss, axis) * op.outputs[1]
    if dbackprop is not None:  # second derivatives: backprop depends on logits via softmax
        mass = ag.reduce_sum(labels, axis=axis, keepdims=True)
        probs = softmax(logits, axis=axis)
        through = mass * probs * (dbackprop - ag.reduce_sum(dbackprop * probs, axis=axis,
                                                             keepdims=True))
        grad = through if grad is None else grad + through
    return [None, grad]


SoftmaxCrossEntropyWithLogits = define_op(
    "SoftmaxCrossEntropyWithLogits", forward=_xent_forward, shape=_xent_shape,
    grad=_xent_grad)


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, axis=-1,
                                      name=None, dim=None):
    """-sum(labels * log_softmax(logits)) along `axis`, one value per example.

    Stable for logits of any size (+-1e4 included); labels get no gradient."""
    _keywords_only(_sentinel, "softmax_cross_entropy_with_logits")
    logits = ag.convert_to_tensor(logits)
    labels = ag.convert_to_tensor(labels, logits.dtype)
    axis = int(axis if dim is None else dim)
    name = name or "softmax_cross_entropy_with_logits"
    if labels.shape is not None and logits.shape is not None and axis == -1 \
            and len(labels.shape) != len(logits.shape):
        return _flattened_xent(labels, logits, name)
    loss, _ = SoftmaxCrossEntropyWithLogits(labels, logits, axis=axis, name=name)
    return loss


def _flattened_xent(labels, logits, name):
    """TF flattens the outer dimensions of both to [examples, classes] before comparing
    them, so labels of shape (1, N, C) (a tutorial's `[y_one_hot]`) go with logits
    (N, C); the loss has the logits' outer shape."""
    with ag.name_scope(name):
        classes = logits.shape[-1] if logits.shape[-1] is not None else labels.shape[-1]
        if classes is None:
            raise ValueError(f"labels {ag.shapes.fmt(labels.shape)} and logits "
                             f"{ag.shapes.fmt(logits.shape)} differ in rank and neither says "
                             f"how many classes there are")
        flat_labels = ag.reshape(labels, [-1, classes])
        flat_logits = ag.reshape(logits, [-1, classes])
        loss, _ = SoftmaxCrossEntropyWithLogits(flat_labels, flat_logits, axis=-1)
        return ag.reshape(loss, ag.shape(logits)[:-1])


softmax_cross_entropy_with_logits_v2 = softmax_cross_entropy_with_logits


def _sparse_xent_shape(labels, logits):
    if labels.dtype.kind not in "iu":
        raise TypeError(f"sparse labels must be integer class ids, got {labels.dtype.name}; "
                        f"use softmax_cross_entropy_with_logits for one-hot labels")
    if not ag.dtypes.is_floating(logits.dtype):
        raise TypeError(f"logits must be floating point, got {logits.dtype.name}")
    if logits.shape is None:
        return [(labels.shape, logits.dtype), (None, logits.dtype)]
    if not logits.shape:
        raise ValueError("logits must have a class axis (rank >= 1), got a scalar")
    try:
        rows = ag.shapes.merge(labels.shape, logits.shape[:-1])
    except ValueError:
        raise ValueError(f"labels of shape {ag.shapes.fmt(labels.shape)} need one class id per "
                         f"row of logits {ag.shapes.fmt(logits.shape)}, i.e. shape "
                         f"{ag.shapes.fmt(logits.shape[:-1])}") from None
    return [(rows, logits.dtype), (logits.shape, logits.dtype)]


def _sparse_xent_forward(labels, logits):
    """Checks the labels as TF does, then the stable loss and its gradient."""
    depth = logits.shape[-1]
    if labels.shape != logits.shape[:-1]:
        raise ag.errors.InvalidArgumentError(
            f"labels have shape {labels.shape} but logits have shape {logits.shape}: labels "
            f"need one class id per row of logits")
    outside = (labels < 0) | (labels >= depth)
    if outside.any():
        raise ag.errors.InvalidArgumentError(
            f"Received a label value of {labels[outside].flat[0]} which is outside the valid "
            f"range of [0, {depth}).")
    shifted = logits - np.maximum.reduce(logits, axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.add.reduce(np.exp(shifted), axis=-1, keepdims=True))
    picked = labels[..., None].astype(np.intp)
    loss = -np.take_along_axis(log_probs, picked, axis=-1)[..., 0]
    backprop = np.exp(log_probs)
    np.put_along_axis(backprop, picked, np.take_along_axis(backprop, picked, -1) - 1, -1)
    return loss, backprop


def _sparse_xent_grad(op, dloss, dbackprop):
    """d loss / d logits = softmax(logits) - one_hot(labels) (the second output)."""
    logits = op.inputs[1]
    grad = None
    if dloss is not None:
        grad = ag.expand_dims(dloss, -1) * op.outputs[1]
    if dbackprop is not None:  # second derivatives: backprop depends on logits via softmax
        probs = softmax(logits)
        through = probs * (dbackprop - ag.reduce_sum(dbackprop * probs, axis=-1,
                                                     keepdims=True))
        grad = through if grad is None else grad + through
    return [None, grad]


SparseSoftmaxCrossEntropyWithLogits = define_op(
    "SparseSoftmaxCrossEntropyWithLogits", forward=_sparse_xent_forward,
    shape=_sparse_xent_shape, grad=_sparse_xent_grad)


def _sparse_xent_to_tensorflow(b, op):
    """TF's op takes the logits ("features") first."""
    labels, logits = op.inputs
    b.raw(op.name, "SparseSoftmaxCrossEntropyWithLogits",
          [b.ref(logits), b.ref(labels)], T=b.type(logits.dtype), Tlabels=b.type(labels.dtype))


def _sparse_xent_from_tensorflow(op_def, node, inputs):
    features, labels = inputs
    return list(op_def(labels, features, name=node.name))


ag.export.register(SparseSoftmaxCrossEntropyWithLogits, tensorflow=_sparse_xent_to_tensorflow,
                   imports={"SparseSoftmaxCrossEntropyWithLogits":
                            _sparse_xent_from_tensorflow})


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None,
                                             name=None):
    """Softmax cross-entropy with integer class ids as labels; a label outside
    [0, classes) is an InvalidArgumentError when the op runs, as in TF."""
    _keywords_only(_sentinel, "sparse_softmax_cross_entropy_with_logits")
    logits = ag.convert_to_tensor(logits)
    labels = ag.convert_to_tensor(labels)
    loss, _ = SparseSoftmaxCrossEntropyWithLogits(
        labels, logits, name=name or "SparseSoftmaxCrossEntropyWithLogits")
    return loss


def _sigmoid_xent_shape(labels, logits):
    if labels.dtype != logits.dtype:
        raise TypeError(f"labels ({labels.dtype.name}) and logits ({logits.dtype.name}) must "
                        f"share a dtype")
    return ag.shapes.merge(labels.shape, logits.shape), logits.dtype


def _sigmoid_xent_forward(labels, logits):
    # max(x, 0) - x z + log(1 + e^-|x|): the stable form of -z log s(x) - (1-z) log(1-s(x))
    return np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))


def _sigmoid_xent_grad(op, dy):
    """d loss / d logits = sigmoid(logits) - labels."""
    labels, logits = op.inputs
    return [None, dy * (ag.sigmoid(logits) - labels)]


SigmoidCrossEntropyWithLogits = define_op(
    "SigmoidCrossEntropyWithLogits", forward=_sigmoid_xent_forward, shape=_sigmoid_xent_shape,
    grad=_sigmoid_xent_grad)


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Elementwise logistic loss for independent binary labels, stable for any logits."""
    _keywords_only(_sentinel, "sigmoid_cross_entropy_with_logits")
    logits = ag.convert_to_tensor(logits)
    labels = ag.convert_to_tensor(labels, logits.dtype)
    return SigmoidCrossEntropyWithLogits(labels, logits, name=name or "logistic_loss")


def weighted_cross_entropy_with_logits(targets=None, logits=None, pos_weight=None, name=None,
                                       labels=None):
    """The logistic loss with the positive term weighted by `pos_weight` (q):
    (1 - z) x + (1 + (q - 1) z) (log(1 + exp(-|x|)) + max(-x, 0)), stable for any x."""
    targets = labels if targets is None else targets
    with ag.name_scope(name or "logistic_loss"):
        x = ag.convert_to_tensor(logits)
        z = ag.convert_to_tensor(targets, x.dtype)
        q = ag.convert_to_tensor(pos_weight, x.dtype)
        log_weight = 1.0 + (q - 1.0) * z
        softplus_of_minus_x = ag.log1p(ag.exp(-ag.abs(x))) + ag.maximum(-x, ag.zeros_like(x))
        return (1.0 - z) * x + log_weight * softplus_of_minus_x


def l2_loss(t, name=None):
    """sum(t ** 2) / 2."""
    with ag.name_scope(name or "L2Loss"):
        return ag.reduce_sum(ag.square(t)) * 0.5


def mean_squared_error(labels, predictions, name=None):
    """mean((predictions - labels) ** 2), a scalar, as TF1's tf.losses.mean_squared_error."""
    with ag.name_scope(name or "mean_squared_error"):
        predictions = ag.convert_to_tensor(predictions)
        labels = ag.convert_to_tensor(labels, predictions.dtype)
        return ag.reduce_mean(ag.squared_difference(predictions, labels))


def _keywords_only(sentinel, function):
    if sentinel is not None:
        raise ValueError(f"{function} takes keyword arguments only: "
                         f"{function}(labels=..., logits=...)")
