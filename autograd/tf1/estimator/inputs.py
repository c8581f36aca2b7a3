"""tf.estimator.inputs: input functions over numpy arrays and pandas DataFrames.

`numpy_input_fn(x={"age": ages}, y=labels, batch_size=32, num_epochs=None, shuffle=True)`
gives an input_fn returning (features, labels) tensors that take the next batch on each
run: epochs follow one another (a batch may span two), the last batch of a finite run may
be smaller, and then the input raises OutOfRangeError, which ends Estimator.train and
evaluate. It is built on tf.data.
"""
import numpy as np

import autograd as ag


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None,
                   queue_capacity=1000, num_threads=1):
    """An input_fn over `x` (a dict of arrays, or one array) and `y` (an array, a dict of
    arrays, or None), each with one row per example."""
    if shuffle is None:
        raise ValueError("shuffle must be provided explicitly as a bool (TF 1.15's rule: "
                         "shuffle=True for training, False to keep the order)")
    if num_epochs is not None and num_epochs <= 0:
        raise ValueError(f"num_epochs must be > 0 or None, got {num_epochs}")
    features = {k: np.asarray(v) for k, v in x.items()} if isinstance(x, dict) \
        else np.asarray(x)
    labels = None if y is None else ({k: np.asarray(v) for k, v in y.items()}
                                     if isinstance(y, dict) else np.asarray(y))
    counts = {len(v) for v in (features.values() if isinstance(features, dict)
                               else [features])}
    if labels is not None:
        counts |= {len(v) for v in (labels.values() if isinstance(labels, dict) else [labels])}
    if len(counts) != 1:
        raise ValueError(f"the arrays of x and y must have the same length, got {sorted(counts)}")
    if isinstance(features, dict) and isinstance(labels, dict) and set(features) & set(labels):
        raise ValueError(f"{sorted(set(features) & set(labels))} duplicate keys are found "
                         f"in both x and y")

    def input_fn():
        data = features if labels is None else (features, labels)
        dataset = ag.data.Dataset.from_tensor_slices(data)
        if shuffle:
            dataset = dataset.shuffle(queue_capacity)
        dataset = dataset.repeat(num_epochs).batch(batch_size)
        return dataset.make_one_shot_iterator().get_next()
    return input_fn


def pandas_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None,
                    queue_capacity=1000, num_threads=1, target_column="target"):
    """numpy_input_fn over a DataFrame's columns (and a Series of labels)."""
    try:
        import pandas  # noqa: F401
    except ImportError:
        raise ImportError("pandas_input_fn needs pandas: pip install pandas") from None
    features = {name: x[name].to_numpy() for name in x.columns}
    labels = None if y is None else y.to_numpy()
    return numpy_input_fn(features, labels, batch_size, num_epochs, shuffle, queue_capacity,
                          num_threads)
