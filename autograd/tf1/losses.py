"""tf.losses: TF1's loss helpers. As in TF1, they cast their inputs to float32 (the
cross-entropies cast the labels to the logits' dtype), weight each element, reduce to one
scalar (by default the weighted sum over the number of non-zero weights) and add it to
the LOSSES collection, where get_total_loss() finds it."""
import autograd as ag
import nn

LOSSES, REGULARIZATION_LOSSES = ag.GraphKeys.LOSSES, ag.GraphKeys.REGULARIZATION_LOSSES


class Reduction:
    """How the weighted element losses become one value (TF1's names)."""
    NONE = "none"
    SUM = "weighted_sum"
    MEAN = "weighted_mean"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Weight the element `losses` and reduce them as `reduction` says."""
    with ag.name_scope(scope or "weighted_loss"):
        losses = ag.to_float(losses)
        weights = ag.to_float(weights)
        weighted = losses * weights
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            total = ag.reduce_sum(weighted)
            if reduction == Reduction.SUM:
                loss = total
            elif reduction == Reduction.MEAN:
                loss = total / ag.reduce_sum(weights * ag.ones_like(losses))
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = total / ag.to_float(ag.size(losses))
            else:
                present = ag.reduce_sum(ag.to_float(ag.not_equal(
                    weights * ag.ones_like(losses), 0.0)))
                loss = ag.where(present > 0, total / ag.maximum(present, 1.0), 0.0 * total)
        if loss_collection:
            ag.add_to_collection(loss_collection, loss)
        return loss


def _float_pair(labels, predictions):
    return ag.to_float(labels), ag.to_float(predictions)


def mean_squared_error(labels, predictions, weights=1.0, scope=None,
                       loss_collection=LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    labels, predictions = _float_pair(labels, predictions)
    return compute_weighted_loss(ag.squared_difference(predictions, labels), weights,
                                 scope or "mean_squared_error", loss_collection, reduction)


def absolute_difference(labels, predictions, weights=1.0, scope=None,
                        loss_collection=LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    labels, predictions = _float_pair(labels, predictions)
    return compute_weighted_loss(ag.abs(predictions - labels), weights,
                                 scope or "absolute_difference", loss_collection, reduction)


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None,
               loss_collection=LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    labels, predictions = _float_pair(labels, predictions)
    error = ag.abs(predictions - labels)
    quadratic = ag.minimum(error, delta)
    losses = 0.5 * ag.square(quadratic) + delta * (error - quadratic)
    return compute_weighted_loss(losses, weights, scope or "huber_loss", loss_collection,
                                 reduction)


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None,
             loss_collection=LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    labels, predictions = _float_pair(labels, predictions)
    losses = -labels * ag.log(predictions + epsilon) - \
        (1.0 - labels) * ag.log(1.0 - predictions + epsilon)
    return compute_weighted_loss(losses, weights, scope or "log_loss", loss_collection,
                                 reduction)


def hinge_loss(labels, logits, weights=1.0, scope=None, loss_collection=LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    labels, logits = _float_pair(labels, logits)
    losses = nn.relu(1.0 - (2.0 * labels - 1.0) * logits)
    return compute_weighted_loss(losses, weights, scope or "hinge_loss", loss_collection,
                                 reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Softmax cross-entropy per example, weighted and reduced (labels cast to the logits'
    dtype; label_smoothing mixes them with the uniform distribution)."""
    logits = ag.convert_to_tensor(logits)
    labels = ag.cast(onehot_labels, logits.dtype)
    if label_smoothing:
        classes = ag.cast(ag.shape(labels)[-1], logits.dtype)
        labels = labels * (1.0 - label_smoothing) + label_smoothing / classes
    losses = nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return compute_weighted_loss(losses, weights, scope or "softmax_cross_entropy_loss",
                                 loss_collection, reduction)


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None,
                                 loss_collection=LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    losses = nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return compute_weighted_loss(losses, weights,
                                 scope or "sparse_softmax_cross_entropy_loss",
                                 loss_collection, reduction)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0,
                          scope=None, loss_collection=LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    logits = ag.convert_to_tensor(logits)
    labels = ag.cast(multi_class_labels, logits.dtype)
    if label_smoothing:
        labels = labels * (1.0 - label_smoothing) + 0.5 * label_smoothing
    losses = nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    return compute_weighted_loss(losses, weights, scope or "sigmoid_cross_entropy_loss",
                                 loss_collection, reduction)


def add_loss(loss, loss_collection=LOSSES):
    """Add a loss you built yourself to the collection get_total_loss() sums."""
    if loss_collection:
        ag.add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=LOSSES):
    return [loss for loss in ag.get_collection(loss_collection)
            if scope is None or loss.name.startswith(scope)]


def get_regularization_losses(scope=None):
    return get_losses(scope, REGULARIZATION_LOSSES)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    losses = get_regularization_losses(scope)
    return ag.add_n(losses, name=name) if losses else ag.constant(0.0, name=name)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """The sum of every loss in the LOSSES collection (and the regularization losses)."""
    losses = get_losses(scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope)
    if not losses:
        raise ValueError("no losses have been added: build one with tf.losses.* or "
                         "tf.losses.add_loss first")
    return ag.add_n(losses, name=name)
