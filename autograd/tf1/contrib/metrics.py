"""tf.contrib.metrics: the streaming_* metrics, aliases of tf.metrics with contrib's
argument order (predictions before labels)."""
from nn import running_metrics as _metrics


def streaming_accuracy(predictions, labels, weights=None, metrics_collections=None,
                       updates_collections=None, name=None):
    return _metrics.accuracy(labels, predictions, weights, metrics_collections,
                             updates_collections, name)


def streaming_mean(values, weights=None, metrics_collections=None, updates_collections=None,
                   name=None):
    return _metrics.mean(values, weights, metrics_collections, updates_collections, name)


def streaming_auc(predictions, labels, weights=None, num_thresholds=200,
                  metrics_collections=None, updates_collections=None, curve="ROC", name=None):
    return _metrics.auc(labels, predictions, weights, num_thresholds, metrics_collections,
                        updates_collections, curve, name)


def streaming_precision(predictions, labels, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    return _metrics.precision(labels, predictions, weights, metrics_collections,
                              updates_collections, name)


def streaming_recall(predictions, labels, weights=None, metrics_collections=None,
                     updates_collections=None, name=None):
    return _metrics.recall(labels, predictions, weights, metrics_collections,
                           updates_collections, name)


def streaming_mean_squared_error(predictions, labels, weights=None, metrics_collections=None,
                                 updates_collections=None, name=None):
    return _metrics.mean_squared_error(labels, predictions, weights, metrics_collections,
                                       updates_collections, name)


def streaming_mean_absolute_error(predictions, labels, weights=None,
                                  metrics_collections=None, updates_collections=None,
                                  name=None):
    return _metrics.mean_absolute_error(labels, predictions, weights, metrics_collections,
                                        updates_collections, name)


def aggregate_metric_map(names_to_tuples):
    """({name: value}, {name: update}) from {name: (value, update)}."""
    return ({k: v for k, (v, _) in names_to_tuples.items()},
            {k: u for k, (_, u) in names_to_tuples.items()})
