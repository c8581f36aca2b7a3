"""Streaming metrics (TF1's tf.metrics): each returns `(value, update_op)` over local
variables that accumulate across runs, so a test set can be scored batch by batch:

    acc, update = accuracy(labels, predictions)
    sess.run(tf.local_variables_initializer())
    for batch in batches:
        sess.run(update, feed(batch))
    print(sess.run(acc))

The accumulators are local variables (collections LOCAL_VARIABLES and METRIC_VARIABLES,
not trainable, not saved), named `<metric>/total`, `<metric>/count`, ... as TF names
them; `update_op` adds one batch and returns the metric including it. A ratio with an
empty denominator is 0, as TF's div_no_nan.
"""
import numpy as np

import autograd as ag

LOCAL = (ag.GraphKeys.LOCAL_VARIABLES, ag.GraphKeys.METRIC_VARIABLES)


def _accumulator(name, shape=(), dtype=ag.float32):
    """A zero-initialized local variable."""
    return ag.Variable(np.zeros(shape, dtype=dtype), trainable=False, name=name,
                       collections=LOCAL)


def _ratio(numerator, denominator, name=None):
    """numerator / denominator, 0 where the denominator is 0."""
    safe = ag.where(ag.greater(denominator, 0.0), denominator, ag.ones_like(denominator))
    return ag.where(ag.greater(denominator, 0.0), numerator / safe,
                    ag.zeros_like(numerator), name=name)


def _weights_like(values, weights):
    values = ag.convert_to_tensor(values)
    if weights is None:
        return values, ag.ones_like(values)
    weights = ag.cast(ag.convert_to_tensor(weights), values.dtype)
    return values, weights * ag.ones_like(values)   # broadcast to the values' shape


def _collect(value, update, metrics_collections, updates_collections):
    for key in metrics_collections or ():
        ag.add_to_collection(key, value)
    for key in updates_collections or ():
        ag.add_to_collection(key, update)
    return value, update


def _mean(values, weights):
    """(value, update) of the running weighted mean, in the current name scope."""
    values, weights = _weights_like(ag.cast(values, ag.float32), weights)
    total, count = _accumulator("total"), _accumulator("count")
    update_total = total.assign_add(ag.reduce_sum(values * weights))
    update_count = count.assign_add(ag.reduce_sum(weights))
    return (_ratio(ag.identity(total), ag.identity(count), name="value"),
            _ratio(update_total, update_count, name="update_op"))


def mean(values, weights=None, metrics_collections=None, updates_collections=None,
         name=None):
    """The (weighted) mean of every value seen: total / count."""
    with ag.name_scope(name or "mean"):
        value, update = _mean(values, weights)
    return _collect(value, update, metrics_collections, updates_collections)


def accuracy(labels, predictions, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
    """How often predictions equal labels (same shape, e.g. argmax class ids)."""
    with ag.name_scope(name or "accuracy"):
        predictions = ag.convert_to_tensor(predictions)
        labels = ag.cast(ag.convert_to_tensor(labels), predictions.dtype)
        value, update = _mean(ag.cast(ag.equal(predictions, labels), ag.float32), weights)
    return _collect(value, update, metrics_collections, updates_collections)


def mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                       updates_collections=None, name=None):
    """The running mean of (labels - predictions)^2."""
    with ag.name_scope(name or "mean_squared_error"):
        error = ag.square(ag.cast(labels, ag.float32) - ag.cast(predictions, ag.float32))
        value, update = _mean(error, weights)
    return _collect(value, update, metrics_collections, updates_collections)


def mean_absolute_error(labels, predictions, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    """The running mean of |labels - predictions|."""
    with ag.name_scope(name or "mean_absolute_error"):
        error = ag.abs(ag.cast(labels, ag.float32) - ag.cast(predictions, ag.float32))
        value, update = _mean(error, weights)
    return _collect(value, update, metrics_collections, updates_collections)


def _counted(name, condition, weights):
    """A local counter and its update: the (weighted) number of entries where
    `condition` (bool) holds."""
    counter = _accumulator(name)
    hits = ag.cast(condition, ag.float32)
    if weights is not None:
        hits = hits * ag.cast(weights, ag.float32)
    return counter, counter.assign_add(ag.reduce_sum(hits))


def _as_bool(tensor):
    tensor = ag.convert_to_tensor(tensor)
    return tensor if tensor.dtype == ag.bool else ag.not_equal(tensor, 0)


def _true_positive_share(labels, predictions, weights, misses, other_name):
    """(value, update) of tp / (tp + other), where `other` counts the entries `misses`
    picks out of (labels, predictions) as bools: false positives or false negatives."""
    labels, predictions = _as_bool(labels), _as_bool(predictions)
    tp, update_tp = _counted("true_positives", ag.logical_and(labels, predictions), weights)
    other, update_other = _counted(other_name, misses(labels, predictions), weights)
    return (_ratio(ag.identity(tp), tp + other, name="value"),
            _ratio(update_tp, update_tp + update_other, name="update_op"))


def precision(labels, predictions, weights=None, metrics_collections=None,
              updates_collections=None, name=None):
    """true positives / (true positives + false positives), labels and predictions read
    as bools."""
    with ag.name_scope(name or "precision"):
        value, update = _true_positive_share(
            labels, predictions, weights,
            lambda truth, guess: ag.logical_and(ag.logical_not(truth), guess),
            "false_positives")
    return _collect(value, update, metrics_collections, updates_collections)


def recall(labels, predictions, weights=None, metrics_collections=None,
           updates_collections=None, name=None):
    """true positives / (true positives + false negatives), labels and predictions read
    as bools."""
    with ag.name_scope(name or "recall"):
        value, update = _true_positive_share(
            labels, predictions, weights,
            lambda truth, guess: ag.logical_and(truth, ag.logical_not(guess)),
            "false_negatives")
    return _collect(value, update, metrics_collections, updates_collections)


def _thresholds(count):
    """TF's grid: just below 0, (i + 1) / (count - 1) for i < count - 2, just above 1."""
    epsilon = 1e-7
    inner = [(i + 1) * 1.0 / (count - 1) for i in range(count - 2)]
    return np.array([0.0 - epsilon] + inner + [1.0 + epsilon], dtype=np.float32)


def auc(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None,
        updates_collections=None, curve="ROC", name=None, summation_method="trapezoidal",
        thresholds=None):
    """The area under the ROC (or PR) curve, from confusion counts at `num_thresholds`
    thresholds on predictions in [0, 1], summed by the trapezoidal rule (TF1's)."""
    if curve not in ("ROC", "PR"):
        raise ValueError(f"curve must be 'ROC' or 'PR', got {curve!r}")
    if summation_method not in ("trapezoidal", "careful_interpolation"):
        raise ValueError(f"summation_method {summation_method!r} is not supported")
    grid = _thresholds(num_thresholds) if thresholds is None else np.array(
        [0.0 - 1e-7] + sorted(thresholds) + [1.0 + 1e-7], np.float32)
    with ag.name_scope(name or "auc"):
        labels = _as_bool(labels)
        scores = ag.reshape(ag.cast(predictions, ag.float32), [-1, 1])
        truth = ag.reshape(labels, [-1, 1])
        above = ag.greater(scores, ag.constant(grid[None, :]))     # (batch, thresholds)
        weight = None if weights is None else ag.reshape(ag.cast(weights, ag.float32), [-1, 1])
        counts, updates = {}, {}
        for key, hit in (("true_positives", ag.logical_and(truth, above)),
                         ("false_negatives", ag.logical_and(truth, ag.logical_not(above))),
                         ("true_negatives", ag.logical_and(ag.logical_not(truth),
                                                           ag.logical_not(above))),
                         ("false_positives", ag.logical_and(ag.logical_not(truth), above))):
            counter = _accumulator(key, (len(grid),))
            hits = ag.cast(hit, ag.float32) * (1.0 if weight is None else weight)
            counts[key], updates[key] = counter, counter.assign_add(ag.reduce_sum(hits, 0))
        value = _area(*[ag.identity(counts[k]) for k in sorted(counts)], curve, "value")
        update = _area(*[updates[k] for k in sorted(updates)], curve, "update_op")
    return _collect(value, update, metrics_collections, updates_collections)


def _area(fn, fp, tn, tp, curve, name):
    """TF's trapezoidal sum of y over x along the thresholds (epsilon 1e-6 keeps the
    rates finite)."""
    epsilon = 1.0e-6
    recall_ = (tp + epsilon) / (tp + fn + epsilon)
    if curve == "ROC":
        x, y = fp / (fp + tn + epsilon), recall_
    else:
        x, y = recall_, (tp + epsilon) / (tp + fp + epsilon)
    return ag.reduce_sum((x[:-1] - x[1:]) * (y[:-1] + y[1:]) / 2.0, name=name)


def mean_iou(labels, predictions, num_classes, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
    """The mean over classes of intersection / union, from a running confusion matrix
    (classes that never occur are left out of the mean)."""
    with ag.name_scope(name or "mean_iou"):
        labels = ag.reshape(ag.cast(labels, ag.int64), [-1])
        predictions = ag.reshape(ag.cast(predictions, ag.int64), [-1])
        confusion = _accumulator("total_confusion_matrix", (num_classes, num_classes),
                                 ag.float64)
        cells = labels * num_classes + predictions
        hits = ag.ones_like(ag.cast(cells, ag.float64))
        if weights is not None:
            hits = hits * ag.reshape(ag.cast(weights, ag.float64), [-1])
        batch = ag.reshape(ag.unsorted_segment_sum(hits, cells, num_classes * num_classes),
                           [num_classes, num_classes])
        update_matrix = confusion.assign_add(batch)
        value = _iou(ag.identity(confusion), "value")
        update = _iou(update_matrix, "update_op")
    return _collect(value, update, metrics_collections, updates_collections)


def _iou(matrix, name):
    diagonal = ag.matrix_diag_part(matrix)
    union = ag.reduce_sum(matrix, 0) + ag.reduce_sum(matrix, 1) - diagonal
    present = ag.greater(union, 0.0)
    iou = _ratio(diagonal, union)
    classes = ag.reduce_sum(ag.cast(present, ag.float64))
    return ag.cast(_ratio(ag.reduce_sum(iou), classes), ag.float32, name=name)
