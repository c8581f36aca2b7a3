"""Feature columns (TF 1.15's tf.feature_column): how raw features become model inputs.

    age = numeric_column("age")
    city = categorical_column_with_vocabulary_list("city", ["Paris", "Oslo"])
    inputs = input_layer(features, [age, indicator_column(city)])   # [batch, 1 + 2]

A categorical column turns its feature into ids (a VocabularyLookup op for strings;
-1 for a value it does not know); indicator_column makes them one-hot (multi-hot for
several ids per example), embedding_column looks them up in a trained table, and
linear_model gives each id its own weight. input_layer and linear_model take the columns
in the order of their names, as TF does, so the same columns give the same layout.
"""
import zlib

import numpy as np

import autograd as ag

from . import init


class _Column:
    dense = False

    @property
    def name(self):
        return self.key


# -- dense columns ----------------------------------------------------------------------------
class NumericColumn(_Column):
    dense = True

    def __init__(self, key, shape, default_value, dtype, normalizer_fn):
        self.key, self.shape, self.dtype = key, tuple(shape), ag.dtypes.as_dtype(dtype)
        self.default_value, self.normalizer_fn = default_value, normalizer_fn

    @property
    def width(self):
        return int(np.prod(self.shape))

    def dense_tensor(self, features):
        value = ag.cast(_feature(features, self.key), self.dtype)
        if self.normalizer_fn is not None:
            value = self.normalizer_fn(value)
        return ag.cast(ag.reshape(value, [-1, self.width]), ag.float32)


def numeric_column(key, shape=(1,), default_value=None, dtype=ag.float32, normalizer_fn=None):
    """A feature used as it is (float32 after `normalizer_fn`), `shape` values per example."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return NumericColumn(key, shape, default_value, dtype, normalizer_fn)


class IndicatorColumn(_Column):
    dense = True

    def __init__(self, categorical):
        self.categorical = categorical

    name = property(lambda self: f"{self.categorical.name}_indicator")
    width = property(lambda self: self.categorical.num_buckets)

    def dense_tensor(self, features):
        ids = self.categorical.ids(features)           # [batch, k], -1 where missing
        hot = ag.one_hot(ids, self.width, dtype=ag.float32)   # -1 gives a row of zeros
        return ag.reduce_sum(hot, axis=1)


def indicator_column(categorical_column):
    """A categorical column as one-hot (multi-hot) rows of its num_buckets."""
    return IndicatorColumn(categorical_column)


class EmbeddingColumn(_Column):
    dense = True

    def __init__(self, categorical, dimension, combiner, initializer, trainable):
        self.categorical, self.width = categorical, int(dimension)
        self.combiner, self.initializer, self.trainable = combiner, initializer, trainable

    name = property(lambda self: f"{self.categorical.name}_embedding")

    def dense_tensor(self, features):
        ids = self.categorical.ids(features)
        with ag.name_scope(self.name):
            initializer = self.initializer or init.truncated_normal(
                stddev=1.0 / np.sqrt(self.width))
            table = ag.Variable(initializer([self.categorical.num_buckets, self.width],
                                            ag.float32),
                                name="embedding_weights", trainable=self.trainable)
        return _combine(table, ids, self.combiner)


def embedding_column(categorical_column, dimension, combiner="mean", initializer=None,
                     ckpt_to_load_from=None, tensor_name_in_ckpt=None, max_norm=None,
                     trainable=True):
    """A categorical column as a trained `dimension`-wide embedding (ids combined by
    "mean", "sum" or "sqrtn")."""
    if combiner not in ("mean", "sum", "sqrtn"):
        raise ValueError(f"combiner must be 'mean', 'sum' or 'sqrtn', got {combiner!r}")
    return EmbeddingColumn(categorical_column, dimension, combiner, initializer, trainable)


def _combine(table, ids, combiner):
    """Rows of `table` for the ids (>= 0) of each example, combined."""
    present = ag.cast(ag.greater_equal(ids, 0), ag.float32)            # [batch, k]
    rows = ag.gather(table, ag.maximum(ids, 0)) * ag.expand_dims(present, -1)
    total = ag.reduce_sum(rows, axis=1)
    if combiner == "sum":
        return total
    count = ag.reduce_sum(present, axis=1, keepdims=True)
    scale = count if combiner == "mean" else ag.sqrt(count)
    return total / ag.maximum(scale, 1.0)


# -- categorical columns ----------------------------------------------------------------------
def _vocabulary_forward(values, *, table, default, oov_buckets):
    flat = np.asarray(values, dtype=object).reshape(-1)
    out = np.empty(flat.size, dtype=np.int64)
    for index, value in enumerate(flat):
        key = value.decode() if isinstance(value, bytes) else value
        found = table.get(key if not isinstance(key, np.generic) else key.item())
        if found is None:
            found = len(table) + zlib.crc32(str(key).encode()) % oov_buckets \
                if oov_buckets else default
        out[index] = found
    return out.reshape(np.shape(values))


VocabularyLookup = ag.define_op(
    "VocabularyLookup", forward=_vocabulary_forward,
    shape=lambda values, **_: (values.shape, ag.int64))


class VocabularyListColumn(_Column):
    def __init__(self, key, vocabulary, dtype, default_value, num_oov_buckets):
        self.key, self.vocabulary = key, list(vocabulary)
        self.dtype, self.default_value = dtype, default_value
        self.num_oov_buckets = int(num_oov_buckets)

    num_buckets = property(lambda self: len(self.vocabulary) + self.num_oov_buckets)

    def ids(self, features):
        table = {v.decode() if isinstance(v, bytes) else v: i
                 for i, v in enumerate(self.vocabulary)}
        found = VocabularyLookup(_feature(features, self.key), table=table,
                                 default=int(self.default_value),
                                 oov_buckets=self.num_oov_buckets)
        return _as_rows(found)


def categorical_column_with_vocabulary_list(key, vocabulary_list, dtype=None, default_value=-1,
                                            num_oov_buckets=0):
    """Ids from a fixed vocabulary (strings or ints); others get `default_value` (-1:
    no id) or one of `num_oov_buckets` extra ids by hash."""
    if len(set(vocabulary_list)) != len(vocabulary_list):
        raise ValueError(f"vocabulary_list of {key!r} has duplicates")
    if num_oov_buckets and default_value != -1:
        raise ValueError("give default_value or num_oov_buckets, not both")
    return VocabularyListColumn(key, vocabulary_list, dtype, default_value, num_oov_buckets)


class IdentityColumn(_Column):
    def __init__(self, key, num_buckets, default_value):
        self.key, self.num_buckets, self.default_value = key, int(num_buckets), default_value

    def ids(self, features):
        ids = ag.cast(_feature(features, self.key), ag.int64)
        inside = ag.logical_and(ag.greater_equal(ids, 0), ag.less(ids, self.num_buckets))
        fallback = -1 if self.default_value is None else int(self.default_value)
        return _as_rows(ag.where(inside, ids, ag.fill(ag.shape(ids), ag.constant(
            fallback, ag.int64))))


def categorical_column_with_identity(key, num_buckets, default_value=None):
    """Integer features that are their own ids, 0 .. num_buckets-1; others get
    `default_value` (None: no id)."""
    return IdentityColumn(key, num_buckets, default_value)


class BucketizedColumn(_Column):
    def __init__(self, source, boundaries):
        self.source, self.boundaries = source, [float(b) for b in boundaries]

    name = property(lambda self: f"{self.source.name}_bucketized")
    num_buckets = property(lambda self: (len(self.boundaries) + 1) * self.source.width)
    dense = True
    width = property(lambda self: self.num_buckets)

    def ids(self, features):
        values = self.source.dense_tensor(features)                     # [batch, width]
        edges = ag.constant(self.boundaries, ag.float32)
        buckets = ag.reduce_sum(ag.cast(ag.greater_equal(ag.expand_dims(values, -1), edges),
                                        ag.int64), axis=-1)
        offsets = ag.constant(np.arange(self.source.width) * (len(self.boundaries) + 1),
                              ag.int64)
        return buckets + offsets

    def dense_tensor(self, features):
        return IndicatorColumn(self).dense_tensor(features)


def bucketized_column(source_column, boundaries):
    """A numeric column cut into len(boundaries) + 1 ranges; usable as a categorical
    column, or densely (one-hot)."""
    if list(boundaries) != sorted(boundaries) or len(set(boundaries)) != len(boundaries):
        raise ValueError(f"boundaries must be sorted and distinct, got {boundaries}")
    return BucketizedColumn(source_column, boundaries)


def _cross_forward(*parts, buckets):
    rows = np.broadcast_arrays(*[np.asarray(p, dtype=object) for p in parts])
    out = np.empty(rows[0].shape, dtype=np.int64)
    for index in np.ndindex(out.shape):
        text = "_X_".join(str(r[index].decode() if isinstance(r[index], bytes) else r[index])
                          for r in rows)
        out[index] = zlib.crc32(text.encode()) % buckets
    return out


Cross = ag.define_op("HashedCross", forward=_cross_forward,
                     shape=lambda *parts, **_: (parts[0].shape, ag.int64))


class CrossedColumn(_Column):
    def __init__(self, keys, hash_bucket_size):
        self.keys, self.num_buckets = list(keys), int(hash_bucket_size)

    name = property(lambda self: "_X_".join(getattr(k, "name", k) for k in self.keys))

    def ids(self, features):
        parts = [ag.reshape(k.ids(features), [-1, 1]) if isinstance(k, _Column)
                 else ag.reshape(_feature(features, k), [-1, 1]) for k in self.keys]
        return Cross(*parts, buckets=self.num_buckets)


def crossed_column(keys, hash_bucket_size, hash_key=None):
    """Combinations of several features hashed into `hash_bucket_size` ids (the hash is
    CRC-32 of the joined values, not TF's fingerprint: ids differ from TF's)."""
    if len(keys) < 2:
        raise ValueError("crossed_column needs at least two keys")
    return CrossedColumn(keys, hash_bucket_size)


def _feature(features, key):
    if key not in features:
        raise ValueError(f"feature {key!r} is not among the input features "
                         f"{sorted(features)}")
    return ag.convert_to_tensor(features[key])


def _as_rows(ids):
    """ids as [batch, k]: a [batch] vector becomes one id per example."""
    if ids.shape is not None and len(ids.shape) == 1:
        return ag.expand_dims(ids, 1)
    return ids


# -- models ---------------------------------------------------------------------------------
def input_layer(features, feature_columns, weight_collections=None, trainable=True,
                cols_to_vars=None):
    """One float32 [batch, n] tensor: the dense columns side by side, in name order."""
    columns = sorted(feature_columns, key=lambda c: c.name)
    for column in columns:
        if not column.dense:
            raise ValueError(f"input_layer takes dense columns; wrap the categorical column "
                             f"{column.name!r} in indicator_column or embedding_column")
    with ag.name_scope("input_layer"):
        return ag.concat([c.dense_tensor(features) for c in columns], axis=1)


def linear_model(features, feature_columns, units=1, sparse_combiner="sum",
                 weight_collections=None, trainable=True, cols_to_vars=None):
    """sum over columns of weights x value (one weight per id for categorical columns)
    plus a bias: [batch, units]."""
    parts = []
    with ag.name_scope("linear_model"):
        for column in sorted(feature_columns, key=lambda c: c.name):
            with ag.name_scope(column.name):
                if hasattr(column, "ids") and not isinstance(column, (IndicatorColumn,
                                                                      EmbeddingColumn)):
                    weights = ag.Variable(ag.zeros([column.num_buckets, units]), name="weights",
                                          trainable=trainable)
                    parts.append(_combine(weights, column.ids(features), sparse_combiner))
                else:
                    weights = ag.Variable(ag.zeros([column.width, units]), name="weights",
                                          trainable=trainable)
                    parts.append(ag.matmul(column.dense_tensor(features), weights))
        bias = ag.Variable(ag.zeros([units]), name="bias_weights", trainable=trainable)
        return ag.add_n(parts) + bias
