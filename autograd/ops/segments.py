"""Segments and scattered indices: segment_sum/mean/max, unsorted_segment_sum/max,
gather_nd, scatter_nd, dynamic_partition and dynamic_stitch.

A segment reduction is a scatter: row i of `data` goes to output row `segment_ids[i]`.
Its gradient gathers back (TF's `_GatherDropNegatives`: rows whose id is negative were
dropped and get zero).
"""
import numpy as np

from .. import dtypes, errors
from ..graph import get_default_graph
from ..registry import constant_value, convert_to_tensor, define_op
from ..shapes import fmt
from .compare import cast, equal
from .joining import concat
from .math import divide, maximum, sqrt
from .reduce import reduce_max
from .selection import boolean_mask
from .shaping import as_shape_tensor, constant_value_as_shape, ones_like, reshape, shape


# -- unsorted segment sum and max -----------------------------------------------------------
def _segment_shape(data, ids, num_segments, kind):
    if ids.dtype.kind not in "iu":
        raise TypeError(f"segment_ids must be integers, got {ids.dtype.name}")
    if data.shape is None or ids.shape is None:
        return None, data.dtype
    for d, s in zip(data.shape, ids.shape):
        if d is not None and s is not None and d != s:
            raise ValueError(f"segment_ids of shape {fmt(ids.shape)} must be a prefix of "
                             f"the data's shape {fmt(data.shape)}")
    if num_segments.shape is not None and len(num_segments.shape) > 1:
        raise ValueError(f"num_segments must be a scalar, got shape {fmt(num_segments.shape)}")
    known = constant_value(num_segments)
    rows = None if known is None else int(np.asarray(known).reshape(-1)[0])
    return (rows,) + tuple(data.shape[len(ids.shape):]), data.dtype


def _segment_forward(data, ids, num_segments, kind):
    """Rows with a negative id are dropped (TF); an id >= num_segments is an error."""
    count = int(np.asarray(num_segments).reshape(-1)[0])
    if np.any(ids >= count):
        raise errors.InvalidArgumentError(f"segment_ids must be < num_segments = {count}, "
                                          f"got {int(ids.max())}")
    keep = ids >= 0
    rows, picked = ids[keep], data[keep]
    tail = data.shape[ids.ndim:]
    if kind == "sum":
        out = np.zeros((count,) + tail, dtype=data.dtype)
        np.add.at(out, rows, picked)
    else:  # an empty segment: the dtype's extreme (unsorted), 0 (sorted), as in TF
        info = np.finfo if data.dtype.kind == "f" else np.iinfo
        smallest = kind.endswith("min")
        start = info(data.dtype).max if smallest else info(data.dtype).min
        out = np.full((count,) + tail, start, dtype=data.dtype)
        (np.minimum if smallest else np.maximum).at(out, rows, picked)
        if kind.startswith("sorted"):
            empty = np.ones(count, dtype=bool)
            empty[rows] = False
            out[empty] = 0
    return out


def _segment_grad(op, dy):
    """Sum: each row gets its segment's gradient. Max (min): the rows equal to their
    segment's maximum (minimum) share its gradient equally (TF's rule for ties)."""
    data, ids, num_segments = op.inputs
    if op.attrs["kind"] == "sum":
        return [SegmentGather(dy, ids), None, None]
    chosen = cast(equal(data, SegmentGather(op.outputs[0], ids)), dy.dtype)
    ties = SegmentGather(UnsortedSegment(chosen, ids, num_segments, kind="sum"), ids)
    return [chosen * SegmentGather(dy, ids) / maximum(ties, ones_like(ties)), None, None]


UnsortedSegment = define_op("UnsortedSegment", forward=_segment_forward, shape=_segment_shape,
                            grad=_segment_grad)


def _segment_gather_shape(values, ids):
    if values.shape is None or ids.shape is None:
        return None, values.dtype
    return tuple(ids.shape) + tuple(values.shape[1:]), values.dtype


def _segment_gather_forward(values, ids):
    """values[ids], zero where an id is negative (a row the segment op dropped)."""
    out = values[np.maximum(ids, 0)]
    out[ids < 0] = 0
    return out


def _segment_gather_grad(op, dy):
    values, ids = op.inputs
    return [UnsortedSegment(dy, ids, _first_dim(values), kind="sum"), None]


SegmentGather = define_op("SegmentGather", forward=_segment_gather_forward,
                          shape=_segment_gather_shape, grad=_segment_gather_grad)


def _first_dim(tensor):
    if tensor.shape is not None and tensor.shape[0] is not None:
        return convert_to_tensor(np.int32(tensor.shape[0]))
    return cast(shape(tensor)[0], dtypes.int32)


def _segments(op_kind, data, segment_ids, num_segments, name):
    data, ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
    count = convert_to_tensor(num_segments)
    if count.dtype.kind not in "iu":
        raise TypeError(f"num_segments must be an integer, got {count.dtype.name}")
    return UnsortedSegment(data, ids, count, kind=op_kind, name=name)


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """out[s] = the sum of the rows data[i] with segment_ids[i] == s (negative ids are
    dropped; empty segments are 0)."""
    return _segments("sum", data, segment_ids, num_segments, name or "UnsortedSegmentSum")


def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    """out[s] = the smallest row data[i] with segment_ids[i] == s (empty: the dtype's
    highest value)."""
    return _segments("min", data, segment_ids, num_segments, name or "UnsortedSegmentMin")


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """out[s] = the mean of the rows with segment_ids[i] == s (empty: 0)."""
    return _scaled_segment_sum(data, segment_ids, num_segments, "mean",
                               name or "UnsortedSegmentMean")


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """out[s] = the sum of the rows with segment_ids[i] == s over sqrt(their count)."""
    return _scaled_segment_sum(data, segment_ids, num_segments, "sqrt_n",
                               name or "UnsortedSegmentSqrtN")


def _scaled_segment_sum(data, segment_ids, num_segments, how, name):
    with get_default_graph().name_scope(name):
        data, ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
        total = _segments("sum", data, ids, num_segments, "sum")
        count = _segments("sum", ones_like(cast(ids, data.dtype)), ids, num_segments, "count")
        count = maximum(count, ones_like(count))
        if how == "sqrt_n":
            count = sqrt(count)
        rank = None if data.shape is None else len(data.shape) - (
            len(ids.shape) if ids.shape is not None else 1)
        if rank:
            count = reshape(count, concat([shape(count), [1] * rank], 0))
        return divide(total, count)


def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    """out[s] = the largest row data[i] with segment_ids[i] == s (empty: the dtype's
    lowest value)."""
    return _segments("max", data, segment_ids, num_segments, name or "UnsortedSegmentMax")


# -- sorted segments ------------------------------------------------------------------------
def _sorted_ids_forward(ids):
    """`ids` unchanged; InvalidArgumentError unless non-decreasing and >= 0 (TF1)."""
    if ids.ndim != 1:
        raise errors.InvalidArgumentError(f"segment_ids must be a vector, got shape "
                                          f"{list(ids.shape)}")
    if np.any(np.diff(ids) < 0) or np.any(ids < 0):
        raise errors.InvalidArgumentError("segment ids are not increasing (or are negative)")
    return ids


def _sorted_ids_shape(ids):
    if ids.shape is not None and len(ids.shape) != 1:
        raise ValueError(f"segment_ids must be a vector, got shape {fmt(ids.shape)}")
    return ids.shape, ids.dtype


SortedIds = define_op("SortedIds", forward=_sorted_ids_forward, shape=_sorted_ids_shape)


def _sorted_ids(segment_ids):
    """(checked sorted ids, the number of segments: the largest id + 1)."""
    ids = SortedIds(convert_to_tensor(segment_ids))
    return ids, reduce_max(concat([reshape(ids, [-1]) + 1, [0]], 0))


def _sorted_segments(kind, data, segment_ids, name):
    with get_default_graph().name_scope(name):
        ids, count = _sorted_ids(segment_ids)
        return UnsortedSegment(convert_to_tensor(data), ids, count, kind=kind)


def segment_sum(data, segment_ids, name=None):
    """Sums of the rows of `data` over the sorted `segment_ids` (0, 0, 1, 2, 2, ...)."""
    return _sorted_segments("sum", data, segment_ids, name or "SegmentSum")


def segment_max(data, segment_ids, name=None):
    """Maxima of the rows of `data` over the sorted `segment_ids` (an empty segment: 0)."""
    return _sorted_segments("sorted max", data, segment_ids, name or "SegmentMax")


def segment_min(data, segment_ids, name=None):
    """Minima of the rows of `data` over the sorted `segment_ids` (an empty segment: 0)."""
    return _sorted_segments("sorted min", data, segment_ids, name or "SegmentMin")


def segment_mean(data, segment_ids, name=None):
    """Means of the rows of `data` over the sorted `segment_ids` (an empty segment: 0)."""
    with get_default_graph().name_scope(name or "SegmentMean"):
        ids, count = _sorted_ids(segment_ids)
        return _scaled_segment_sum(data, ids, count, "mean", "mean")


# -- gather_nd and scatter_nd ---------------------------------------------------------------
def _nd_index(indices):
    return tuple(np.moveaxis(indices, -1, 0))


def _gather_nd_shape(params, indices):
    if indices.dtype.kind not in "iu":
        raise TypeError(f"gather_nd indices must be integers, got {indices.dtype.name}")
    if params.shape is None or indices.shape is None or indices.shape[-1] is None:
        return None, params.dtype
    depth = indices.shape[-1]
    if depth > len(params.shape):
        raise ValueError(f"indices' last dimension {depth} is more than the rank of params "
                         f"{fmt(params.shape)}")
    return tuple(indices.shape[:-1]) + tuple(params.shape[depth:]), params.dtype


def _gather_nd_forward(params, indices):
    depth = indices.shape[-1]
    limits = np.array(params.shape[:depth])
    if np.any(indices < 0) or np.any(indices >= limits):
        bad = indices[np.any((indices < 0) | (indices >= limits), axis=-1)][0]
        raise errors.InvalidArgumentError(f"index {bad.tolist()} is not within the first "
                                          f"{depth} dimensions of params, "
                                          f"{list(params.shape)}")
    return params[_nd_index(indices)]


def _gather_nd_grad(op, dy):
    params, indices = op.inputs
    return [ScatterNd(indices, dy, shape(params)), None]


GatherNd = define_op("GatherNd", forward=_gather_nd_forward, shape=_gather_nd_shape,
                     grad=_gather_nd_grad)


def gather_nd(params, indices, name=None, batch_dims=0):
    """params[indices[..., 0], indices[..., 1], ...]: the last axis of `indices` indexes
    the first axes of `params`."""
    if batch_dims:
        raise ValueError("gather_nd with batch_dims is not supported; fold the batch into "
                         "the indices")
    return GatherNd(convert_to_tensor(params), convert_to_tensor(indices), name=name)


def _scatter_nd_shape(indices, updates, target):
    if indices.dtype.kind not in "iu":
        raise TypeError(f"scatter_nd indices must be integers, got {indices.dtype.name}")
    return constant_value_as_shape(target), updates.dtype


def _scatter_nd_forward(indices, updates, target):
    """Zeros of `target`'s shape with `updates` added at `indices` (duplicates add up)."""
    out = np.zeros(tuple(target), dtype=updates.dtype)
    depth = indices.shape[-1]
    if np.any(indices < 0) or np.any(indices >= np.array(out.shape[:depth])):
        raise errors.InvalidArgumentError(f"scatter_nd indices lie outside the shape "
                                          f"{list(out.shape)}")
    np.add.at(out, _nd_index(indices), updates)
    return out


def _scatter_nd_grad(op, dy):
    indices = op.inputs[0]
    return [None, GatherNd(dy, indices), None]


ScatterNd = define_op("ScatterNd", forward=_scatter_nd_forward, shape=_scatter_nd_shape,
                      grad=_scatter_nd_grad)


def scatter_nd(indices, updates, shape, name=None):  # noqa: A002 - TF1's name
    """A tensor of `shape`, zeros except the `updates` added at `indices`."""
    return ScatterNd(convert_to_tensor(indices), convert_to_tensor(updates),
                     as_shape_tensor(shape), name=name)


# -- dynamic_partition and dynamic_stitch ---------------------------------------------------
def dynamic_partition(data, partitions, num_partitions, name=None):
    """`num_partitions` tensors: the rows of `data` whose entry of `partitions` is 0, 1,
    ... in order (composed of boolean_mask, so gradients flow back to the rows)."""
    data, partitions = convert_to_tensor(data), convert_to_tensor(partitions)
    if partitions.dtype.kind not in "iu":
        raise TypeError(f"partitions must be integers, got {partitions.dtype.name}")
    with get_default_graph().name_scope(name or "DynamicPartition"):
        return [boolean_mask(data, equal(partitions, i)) for i in range(int(num_partitions))]


def _stitch_shape(*inputs):
    half = len(inputs) // 2
    data = inputs[half:]
    dtype = data[0].dtype
    for tensor in data:
        if tensor.dtype != dtype:
            raise TypeError(f"dynamic_stitch data must share a dtype: {dtype.name} vs "
                            f"{tensor.dtype.name}")
    tail = None
    for index, tensor in zip(inputs[:half], data):
        if index.shape is not None and tensor.shape is not None:
            tail = tuple(tensor.shape[len(index.shape):])
    return (None,) + tail if tail is not None else None, dtype


def _stitch_forward(*inputs):
    """out[indices[m][i]] = data[m][i]; a later entry wins where an index repeats."""
    half = len(inputs) // 2
    indices, data = inputs[:half], inputs[half:]
    size = max((int(i.max()) + 1 for i in indices if i.size), default=0)
    first = data[0]
    tail = first.shape[indices[0].ndim:]
    out = np.zeros((size,) + tail, dtype=first.dtype)
    filled = np.zeros(size, dtype=bool)
    for index, values in zip(indices, data):
        flat = index.reshape(-1)
        out[flat] = values.reshape((len(flat),) + tail)
        filled[flat] = True
    if not filled.all():
        missing = np.flatnonzero(~filled)[:5].tolist()
        raise errors.InvalidArgumentError(f"dynamic_stitch: the indices miss {missing} of "
                                          f"0..{size - 1}")
    return out


def _stitch_grad(op, dy):
    """Each data entry gets the gradient of the row it went to (TF1's rule)."""
    half = len(op.inputs) // 2
    return [None] * half + [SegmentGather(dy, i) for i in op.inputs[:half]]


DynamicStitch = define_op("DynamicStitch", forward=_stitch_forward, shape=_stitch_shape,
                          grad=_stitch_grad)


def dynamic_stitch(indices, data, name=None):
    """Interleave the `data` tensors into one: row indices[m][i] is data[m][i]."""
    indices = [convert_to_tensor(i) for i in indices]
    data = [convert_to_tensor(d) for d in data]
    if len(indices) != len(data) or not indices:
        raise ValueError(f"dynamic_stitch needs as many data tensors as index tensors "
                         f"(at least one), got {len(data)} and {len(indices)}")
    return DynamicStitch(*indices, *data, name=name)


def confusion_matrix(labels, predictions, num_classes=None, weights=None, dtype=dtypes.int32,
                     name=None):
    """counts[i, j] = how often label i was predicted as j (or the sum of `weights`);
    num_classes defaults to 1 + the largest label or prediction."""
    with get_default_graph().name_scope(name or "confusion_matrix"):
        labels = cast(convert_to_tensor(labels), dtypes.int64)
        predictions = cast(convert_to_tensor(predictions), dtypes.int64)
        if num_classes is None:
            num_classes = maximum(reduce_max(labels), reduce_max(predictions)) + 1
        classes = cast(convert_to_tensor(num_classes), dtypes.int64)
        cells = labels * classes + predictions
        counts = ones_like(cast(cells, dtype)) if weights is None else \
            cast(convert_to_tensor(weights), dtype)
        flat = UnsortedSegment(counts, cells, classes * classes, kind="sum")
        return reshape(flat, concat([reshape(classes, [1]), reshape(classes, [1])], 0))
