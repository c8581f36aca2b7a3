"""tf.keras losses and metrics, by name as Keras resolves them.

Keras's losses take probabilities (the output of a softmax or sigmoid layer), clip them
to [epsilon, 1 - epsilon] and return one value per example; the model averages them over
the batch (weighted by sample weights). 'accuracy' / 'acc' becomes the accuracy that fits
the loss: sparse for sparse_categorical_crossentropy, binary (threshold 0.5) for
binary_crossentropy, categorical otherwise.
"""
import autograd as ag

from . import backend


def _clipped(y_pred):
    eps = backend.epsilon()
    return ag.clip_by_value(y_pred, eps, 1.0 - eps)


def categorical_crossentropy(y_true, y_pred):
    y_pred = y_pred / ag.reduce_sum(y_pred, axis=-1, keepdims=True)
    return -ag.reduce_sum(ag.cast(y_true, y_pred.dtype) * ag.log(_clipped(y_pred)), axis=-1)


def sparse_categorical_crossentropy(y_true, y_pred):
    labels = ag.cast(ag.reshape(y_true, [-1]), ag.int32)
    depth = y_pred.shape[-1]
    if depth is None:
        raise ValueError("sparse_categorical_crossentropy needs the number of classes (the "
                         "last dimension of the model's output) known")
    picked = ag.reduce_sum(ag.one_hot(labels, depth) * ag.log(_clipped(y_pred)), axis=-1)
    return -picked


def binary_crossentropy(y_true, y_pred):
    p = _clipped(y_pred)
    y = ag.cast(y_true, p.dtype)
    return ag.reduce_mean(-(y * ag.log(p) + (1.0 - y) * ag.log(1.0 - p)), axis=-1)


def mean_squared_error(y_true, y_pred):
    return ag.reduce_mean(ag.square(y_pred - ag.cast(y_true, y_pred.dtype)), axis=-1)


def mean_absolute_error(y_true, y_pred):
    return ag.reduce_mean(ag.abs(y_pred - ag.cast(y_true, y_pred.dtype)), axis=-1)


LOSSES = {"categorical_crossentropy": categorical_crossentropy,
          "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
          "binary_crossentropy": binary_crossentropy,
          "mean_squared_error": mean_squared_error, "mse": mean_squared_error,
          "mean_absolute_error": mean_absolute_error, "mae": mean_absolute_error}


def get(identifier):
    if callable(identifier):
        return identifier
    if identifier not in LOSSES:
        raise ValueError(f"Unknown loss function: {identifier}")
    return LOSSES[identifier]


def categorical_accuracy(y_true, y_pred):
    return ag.cast(ag.equal(ag.argmax(y_true, axis=-1), ag.argmax(y_pred, axis=-1)),
                   ag.float32)


def sparse_categorical_accuracy(y_true, y_pred):
    return ag.cast(ag.equal(ag.cast(ag.reshape(y_true, [-1]), ag.int64),
                            ag.argmax(y_pred, axis=-1)), ag.float32)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    return ag.reduce_mean(ag.cast(ag.equal(ag.cast(y_true, ag.float32), ag.cast(
        ag.greater(y_pred, threshold), ag.float32)), ag.float32), axis=-1)


METRICS = {"categorical_accuracy": categorical_accuracy,
           "sparse_categorical_accuracy": sparse_categorical_accuracy,
           "binary_accuracy": binary_accuracy, "mse": mean_squared_error,
           "mae": mean_absolute_error, "mean_squared_error": mean_squared_error,
           "mean_absolute_error": mean_absolute_error}


def metric(identifier, loss):
    """(name shown, function) of a metric, 'accuracy'/'acc' resolved against the loss."""
    if callable(identifier):
        return identifier.__name__, identifier
    if identifier in ("accuracy", "acc"):
        if loss is sparse_categorical_crossentropy:
            return "acc", sparse_categorical_accuracy
        if loss is binary_crossentropy:
            return "acc", binary_accuracy
        return "acc", categorical_accuracy
    if identifier not in METRICS:
        raise ValueError(f"Unknown metric function: {identifier}")
    return identifier, METRICS[identifier]
