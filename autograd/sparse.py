"""Sparse tensors: a dense shape and the (index, value) pairs of its non-default entries,
as three ordinary tensors (TF1's SparseTensor), and the ops between them and dense ones.

    sp = sparse_placeholder(float32)                  # fed a SparseTensorValue or a tuple
    dense = sparse_tensor_to_dense(sp)                # fetched: a SparseTensorValue
    y = sparse_tensor_dense_matmul(sp, w)             # gradients reach sp.values and w

The session sees a SparseTensor through two small hooks: `_fetch_parts()` (what to fetch,
and the namedtuple to pack it in) and `_feed_parts(value)` (the component feeds).
Entries are kept in the order given; TF's canonical order is row-major.
"""
import collections

import numpy as np

from . import dtypes, errors
from .graph import get_default_graph
from .ops.compare import cast, equal
from .ops.indexing import gather
from .ops.joining import concat
from .ops.math import multiply, sqrt
from .ops.matrices import matrix_transpose
from .ops.reduce import reduce_max, reduce_sum
from .ops.segments import gather_nd, unsorted_segment_sum
from .ops.shaping import constant_value_as_shape, expand_dims, ones_like, reshape, shape
from .ops.state import placeholder
from .registry import convert_to_tensor, define_op
from .shapes import fmt

SparseTensorValue = collections.namedtuple("SparseTensorValue",
                                           ["indices", "values", "dense_shape"])


class SparseTensor:
    """A sparse tensor: `indices` [n, rank] int64, `values` [n], `dense_shape` [rank]
    int64. Fetching one gives a SparseTensorValue of the three arrays."""

    def __init__(self, indices, values, dense_shape):
        self.indices = cast(convert_to_tensor(indices), dtypes.int64)
        self.values = convert_to_tensor(values)
        self.dense_shape = cast(convert_to_tensor(dense_shape), dtypes.int64)
        rank = self.indices.shape[1] if self.indices.shape is not None else None
        if self.dense_shape.shape is not None and rank is not None and \
                self.dense_shape.shape[0] not in (None, rank):
            raise ValueError(f"indices of shape {fmt(self.indices.shape)} do not fit a dense "
                             f"shape of rank {self.dense_shape.shape[0]}")

    @classmethod
    def from_value(cls, value):
        """A constant SparseTensor from a SparseTensorValue (or one passed through)."""
        return value if isinstance(value, SparseTensor) else cls(*value)

    dtype = property(lambda self: self.values.dtype)
    graph = property(lambda self: self.values.graph)

    @property
    def shape(self):
        """The static dense shape (unknown dimensions as None)."""
        return constant_value_as_shape(self.dense_shape)

    def get_shape(self):
        return self.shape

    def _fetch_parts(self):
        return SparseTensorValue, [self.indices, self.values, self.dense_shape]

    def _feed_parts(self, value):
        if isinstance(value, SparseTensorValue) or (isinstance(value, (tuple, list))
                                                    and len(value) == 3):
            indices, values, dense_shape = value
            return [(self.indices, np.asarray(indices, np.int64).reshape(-1, _rank(indices))),
                    (self.values, values), (self.dense_shape, np.asarray(dense_shape,
                                                                         np.int64))]
        raise TypeError(f"a SparseTensor is fed a SparseTensorValue or an (indices, values, "
                        f"dense_shape) tuple, got {type(value).__name__}")

    def __repr__(self):
        return (f"SparseTensor(indices={self.indices.name}, values={self.values.name}, "
                f"dense_shape={self.dense_shape.name})")


def _rank(indices):
    array = np.asarray(indices)
    return array.shape[-1] if array.ndim == 2 else max(array.size, 1)


def sparse_placeholder(dtype, shape=None, name=None):
    """A SparseTensor to feed: three placeholders under `name`."""
    rank = None if shape is None else len(shape)
    with get_default_graph().name_scope(name or "SparseTensor"):
        indices = placeholder(dtypes.int64, [None, rank], name="indices")
        values = placeholder(dtype, [None], name="values")
        if shape is not None and all(d is not None for d in shape):
            dense_shape = convert_to_tensor(np.array(shape, np.int64), name="shape")
        else:
            dense_shape = placeholder(dtypes.int64, [rank], name="shape")
    return SparseTensor(indices, values, dense_shape)


# -- to dense -------------------------------------------------------------------------------
def _to_dense_shape(indices, dense_shape, values, default, validate):
    if values.dtype != default.dtype:
        raise TypeError(f"the default value is {default.dtype.name}, the values "
                        f"{values.dtype.name}")
    return constant_value_as_shape(dense_shape), values.dtype


def _to_dense_forward(indices, dense_shape, values, default, validate):
    """`default` everywhere except at `indices`; an index outside the shape (or, with
    validate, repeated) is an error, as in TF."""
    out = np.full(tuple(int(d) for d in dense_shape), default, dtype=values.dtype)
    indices = indices.reshape(len(values) if values.ndim else 1, -1) if indices.ndim < 2 \
        else indices
    outside = np.any((indices < 0) | (indices >= dense_shape), axis=1)
    if outside.any():
        raise errors.InvalidArgumentError(f"sparse index {indices[outside][0].tolist()} is "
                                          f"outside the dense shape {dense_shape.tolist()}")
    if validate and len(indices) > 1:   # TF wants them in row-major order, each once
        flat = np.ravel_multi_index(tuple(indices.T), tuple(int(d) for d in dense_shape))
        step = np.diff(flat)
        if np.any(step <= 0):
            at = int(np.argmax(step <= 0)) + 1
            raise errors.InvalidArgumentError(
                f"indices[{at}] = {indices[at].tolist()} is out of order or repeated "
                f"(validate_indices=True wants them sorted row-major, each once)")
    out[tuple(indices.T)] = values
    return out


def _to_dense_grad(op, dy):
    """Each value gets the gradient of its entry; the default gets the rest."""
    indices, _, values, _ = op.inputs
    index = reshape(indices, [-1, 1]) if indices.shape is not None and len(indices.shape) < 2 \
        else indices
    picked = gather_nd(dy, index)
    return [None, None, picked if values.shape is None or len(values.shape) else
            reshape(picked, []), reduce_sum(dy) - reduce_sum(picked)]


SparseToDense = define_op("SparseToDense", forward=_to_dense_forward, shape=_to_dense_shape,
                          grad=_to_dense_grad)


def sparse_tensor_to_dense(sp_input, default_value=0, validate_indices=True, name=None):
    """The dense tensor of a SparseTensor: its values at its indices, `default_value`
    elsewhere."""
    sp_input = SparseTensor.from_value(sp_input)
    default = convert_to_tensor(default_value, sp_input.dtype)
    return SparseToDense(sp_input.indices, sp_input.dense_shape, sp_input.values, default,
                         validate=bool(validate_indices), name=name or "SparseToDense")


def sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value=0,
                    validate_indices=True, name=None):
    """A dense tensor of `output_shape` with `sparse_values` at `sparse_indices` (a
    scalar value fills every listed index), `default_value` elsewhere."""
    values = convert_to_tensor(sparse_values)
    indices = cast(convert_to_tensor(sparse_indices), dtypes.int64)
    shape_tensor = cast(convert_to_tensor(output_shape), dtypes.int64)
    if values.shape is not None and len(values.shape) == 0:   # one value for every index
        values = values * ones_like(cast(_first_column(indices), values.dtype))
    default = convert_to_tensor(default_value, values.dtype)
    return SparseToDense(indices, shape_tensor, values, default,
                         validate=bool(validate_indices), name=name or "SparseToDense")


def _first_column(indices):
    """A vector with one entry per index (a 1-D `indices` is one index per entry)."""
    if indices.shape is not None and len(indices.shape) == 2:
        return gather(indices, 0, axis=1)
    return reshape(indices, [-1])


# -- arithmetic with dense tensors ----------------------------------------------------------
def sparse_tensor_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """sp_a @ b for a sparse matrix sp_a [m, k] and a dense b [k, n]: each entry (i, j, v)
    adds v * b[j] to row i (composed of gather and a segment sum, so gradients reach
    sp_a.values and b)."""
    sp_a = SparseTensor.from_value(sp_a)
    with get_default_graph().name_scope(name or "SparseTensorDenseMatMul"):
        b = convert_to_tensor(b, sp_a.dtype)
        if adjoint_b:
            b = matrix_transpose(b)
        rows, cols = gather(sp_a.indices, 0, axis=1), gather(sp_a.indices, 1, axis=1)
        if adjoint_a:
            rows, cols = cols, rows
        out_rows = gather(sp_a.dense_shape, 1 if adjoint_a else 0)
        products = gather(b, cols) * expand_dims(sp_a.values, 1)
        return unsorted_segment_sum(products, rows, out_rows)


def sparse_reduce_sum(sp_input, axis=None, keepdims=None, reduction_axes=None,
                      keep_dims=None):
    """The sum of the entries over `axis` (all when None), as a dense tensor."""
    axis = reduction_axes if axis is None else axis
    keepdims = bool(keep_dims if keepdims is None else keepdims)
    return reduce_sum(sparse_tensor_to_dense(sp_input), axis=axis, keepdims=keepdims)


def _union_forward(a_indices, b_indices):
    """The sorted union of two index lists, and where each input entry lands in it."""
    both = np.concatenate([a_indices.reshape(-1, a_indices.shape[-1]),
                           b_indices.reshape(-1, b_indices.shape[-1])])
    union, where = np.unique(both, axis=0, return_inverse=True)
    where = where.reshape(-1)
    return union.astype(np.int64), where[:len(a_indices)].astype(np.int64), \
        where[len(a_indices):].astype(np.int64)


def _union_shape(a_indices, b_indices):
    rank = a_indices.shape[1] if a_indices.shape is not None else None
    return [((None, rank), dtypes.int64), ((None,), dtypes.int64), ((None,), dtypes.int64)]


SparseIndexUnion = define_op("SparseIndexUnion", forward=_union_forward, shape=_union_shape)


def sparse_add(a, b, threshold=0, thresh=None, name=None):
    """a + b. Two SparseTensors give a SparseTensor over the union of their entries (in
    row-major order); a SparseTensor and a dense tensor give a dense tensor."""
    if not isinstance(a, SparseTensor) and not isinstance(b, SparseTensor):
        raise TypeError("sparse_add needs at least one SparseTensor")
    if not isinstance(a, SparseTensor) or not isinstance(b, SparseTensor):
        sparse, dense = (a, b) if isinstance(a, SparseTensor) else (b, a)
        return sparse_tensor_to_dense(sparse) + convert_to_tensor(dense, sparse.dtype)
    if (thresh or threshold) != 0:
        raise ValueError("sparse_add with a threshold is not supported")
    with get_default_graph().name_scope(name or "SparseAdd"):
        union, a_place, b_place = SparseIndexUnion(a.indices, b.indices)
        count = cast(shape(union)[0], dtypes.int64)
        values = unsorted_segment_sum(a.values, a_place, count) + \
            unsorted_segment_sum(b.values, b_place, count)
        return SparseTensor(union, values, a.dense_shape)


def embedding_lookup_sparse(params, sp_ids, sp_weights, partition_strategy="mod", name=None,
                            combiner="mean", max_norm=None):
    """For each row of the sparse ids, the embeddings of its ids (rows of `params`)
    combined by their weights: "sum", "mean" (sum / total weight) or "sqrtn" (sum /
    sqrt of the summed squared weights). Rows past the last one with ids are absent,
    as TF's segment sums make them."""
    if combiner not in ("sum", "mean", "sqrtn"):
        raise ValueError(f"combiner must be 'sum', 'mean' or 'sqrtn', got {combiner!r}")
    if max_norm is not None:
        raise ValueError("max_norm is not supported")
    with get_default_graph().name_scope(name or "embedding_lookup_sparse"):
        params = convert_to_tensor(params)
        rows = gather(sp_ids.indices, 0, axis=1)
        count = reduce_max(concat([rows + 1, np.zeros(1, np.int64)], 0))
        embedded = gather(params, sp_ids.values)
        weights = ones_like(cast(sp_ids.values, params.dtype)) if sp_weights is None \
            else cast(sp_weights.values, params.dtype)
        total = unsorted_segment_sum(multiply(embedded, expand_dims(weights, 1)), rows, count)
        if combiner == "sum":
            return total
        scale = unsorted_segment_sum(weights if combiner == "mean" else weights * weights,
                                     rows, count)
        scale = scale if combiner == "mean" else sqrt(scale)
        safe = scale + cast(equal(scale, 0.0), scale.dtype)
        return total / expand_dims(safe, 1)

