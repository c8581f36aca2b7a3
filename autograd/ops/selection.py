"""Choosing and reordering entries: sort, argsort, top_k, unique, setdiff1d, reverse,
reverse_sequence, boolean_mask, sequence_mask, bincount, histogram_fixed_width, meshgrid,
and slices with tensor bounds (slice, strided_slice).

Sorting and top-k are composed: an op finds the order (integers, no gradient) and
`TakeAlongAxis` picks the values, so the gradient flows back to the entries that were
picked and to no others, as TF's TopKV2 gradient does.
"""
import builtins

import numpy as np

from .. import dtypes, errors, lowerings
from ..registry import constant_value, convert_to_tensor, define_op
from ..shapes import as_axis, fmt, normalize_axis
from ..graph import get_default_graph
from .broadcast import broadcast_to
from .compare import cast, less, where
from .fill import range as range_
from .indexing import StridedSlice, gather, getitem
from .joining import concat
from .reduce import reduce_max, reduce_prod
from .shaping import (as_shape_tensor, constant_value_as_shape, expand_dims, identity, reshape,
                      shape, squeeze, static_value)


# -- picking along an axis by computed indices ---------------------------------------------
def _take_shape(x, indices, axis):
    return indices.shape, x.dtype


def _take_forward(x, indices, axis):
    return np.take_along_axis(x, indices.astype(np.intp), axis=axis)


def _take_grad(op, dy):
    """Each picked entry gets its gradient back (the indices along the axis are distinct:
    they come from a sort)."""
    x, indices = op.inputs
    return [PutAlongAxis(dy, indices, shape(x), axis=op.attrs["axis"]), None]


TakeAlongAxis = define_op("TakeAlongAxis", forward=_take_forward, shape=_take_shape,
                          grad=_take_grad)


def _put_shape(dy, indices, x_shape, axis):
    return constant_value_as_shape(x_shape), dy.dtype


def _put_forward(dy, indices, x_shape, axis):
    out = np.zeros(tuple(x_shape), dtype=dy.dtype)
    np.put_along_axis(out, indices.astype(np.intp), dy, axis=axis)
    return out


def _put_grad(op, ddx):
    return [TakeAlongAxis(ddx, op.inputs[1], axis=op.attrs["axis"]), None, None]


PutAlongAxis = define_op("PutAlongAxis", forward=_put_forward, shape=_put_shape,
                         grad=_put_grad)


# -- argsort, sort, top_k -------------------------------------------------------------------
def _order_shape(x, axis, descending, k):
    if x.dtype.kind not in "iuf":
        raise TypeError(f"can only sort real numbers, got {x.dtype.name}")
    if x.shape is None:
        return None, dtypes.int32
    axis = normalize_axis(axis, len(x.shape))
    if k is not None and x.shape[axis] is not None and k > x.shape[axis]:
        raise ValueError(f"k = {k} is more than the {x.shape[axis]} entries of the last "
                         f"axis (shape {fmt(x.shape)})")
    dims = list(x.shape)
    if k is not None:
        dims[axis] = k
    return dims, dtypes.int32


def _order_forward(x, axis, descending, k):
    """Indices that sort `x` along `axis`; ties keep their order (the lower index first),
    in both directions, as TF's top_k."""
    size = x.shape[axis]
    if k is not None and k > size:
        raise errors.InvalidArgumentError(f"input must have at least k = {k} columns, "
                                          f"got {size}")
    if descending:
        order = size - 1 - np.flip(np.argsort(np.flip(x, axis), axis=axis, kind="stable"), axis)
    else:
        order = np.argsort(x, axis=axis, kind="stable")
    if k is not None:
        order = np.take(order, np.arange(k), axis=axis)
    return order.astype(np.int32)


Order = define_op("Order", forward=_order_forward, shape=_order_shape)


def _direction(direction):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"direction must be 'ASCENDING' or 'DESCENDING', got {direction!r}")
    return direction == "DESCENDING"


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The int32 indices that sort `values` along `axis` (ties: the lower index first)."""
    values = convert_to_tensor(values)
    return Order(values, axis=as_axis(axis), descending=_direction(direction), k=None,
                 name=name or "argsort")


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """`values` sorted along `axis`; the gradient goes back to where each value came from."""
    values = convert_to_tensor(values)
    order = argsort(values, axis, direction)
    return TakeAlongAxis(values, order, axis=as_axis(axis), name=name or "sort")


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002 - TF1's names
    """(values, indices) of the `k` largest entries along the last axis, largest first
    (ties: the lower index first); indices are int32."""
    x = convert_to_tensor(input)
    known = constant_value(k) if hasattr(k, "op") else k
    if known is None:
        raise ValueError("top_k needs k known while building (a Python int or a constant)")
    k = int(known)
    if k < 0:
        raise ValueError(f"top_k needs k >= 0, got {k}")
    indices = Order(x, axis=-1, descending=True, k=k, name=name or "TopKV2")
    return TakeAlongAxis(x, indices, axis=-1), indices


def in_top_k(predictions, targets, k, name=None):
    """For each row, whether `predictions[i, targets[i]]` is among the row's `k` largest
    (entries tied with the k-th count as in; a non-finite prediction is never in)."""
    predictions, targets = convert_to_tensor(predictions), convert_to_tensor(targets)
    return InTopK(predictions, targets, k=int(k), name=name or "in_top_k")


def _in_top_k_shape(predictions, targets, k):
    if predictions.shape is not None and len(predictions.shape) != 2:
        raise ValueError(f"predictions must be a matrix, got shape {fmt(predictions.shape)}")
    if targets.dtype.kind not in "iu":
        raise TypeError(f"targets must be integers, got {targets.dtype.name}")
    return (None if predictions.shape is None else predictions.shape[:1]), dtypes.bool


def _in_top_k_forward(predictions, targets, k):
    classes = predictions.shape[1]
    inside = (targets >= 0) & (targets < classes)
    picked = predictions[np.arange(len(targets)), np.clip(targets, 0, classes - 1)]
    larger = (predictions > picked[:, None]).sum(axis=1)
    finite = np.isfinite(predictions).all(axis=1)
    return inside & finite & (larger < k)


InTopK = define_op("InTopKV2", forward=_in_top_k_forward, shape=_in_top_k_shape)


# -- unique and setdiff1d -------------------------------------------------------------------
def _unique_shape(x, out_idx, counts):
    if x.shape is not None and len(x.shape) != 1:
        raise ValueError(f"unique needs a vector, got shape {fmt(x.shape)}")
    specs = [((None,), x.dtype), (x.shape, out_idx)]
    return specs + [((None,), out_idx)] if counts else specs


def _unique_forward(x, out_idx, counts):
    """In order of first appearance (as TF), not sorted (as np.unique)."""
    _, first, inverse, count = np.unique(x, return_index=True, return_inverse=True,
                                         return_counts=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    found = (x[first[order]], rank[inverse.reshape(-1)].astype(out_idx))
    return found + (count[order].astype(out_idx),) if counts else found


Unique = define_op("Unique", forward=_unique_forward, shape=_unique_shape)


def unique(x, out_idx=dtypes.int32, name=None):
    """(y, idx): the distinct values of the vector `x` in order of first appearance, and
    for each entry of x the position of its value in y (x == gather(y, idx))."""
    return tuple(Unique(convert_to_tensor(x), out_idx=dtypes.as_dtype(out_idx), counts=False,
                        name=name))


def unique_with_counts(x, out_idx=dtypes.int32, name=None):
    """(y, idx, count): unique's results and how often each value occurs."""
    return tuple(Unique(convert_to_tensor(x), out_idx=dtypes.as_dtype(out_idx), counts=True,
                        name=name or "UniqueWithCounts"))


def _setdiff_shape(x, y, index_dtype):
    if x.dtype != y.dtype:
        raise TypeError(f"setdiff1d needs one dtype, got {x.dtype.name} and {y.dtype.name}")
    return [((None,), x.dtype), ((None,), index_dtype)]


def _setdiff_forward(x, y, index_dtype):
    keep = ~np.isin(x, y)
    return x[keep], np.flatnonzero(keep).astype(index_dtype)


SetDiff = define_op("ListDiff", forward=_setdiff_forward, shape=_setdiff_shape)


def setdiff1d(x, y, index_dtype=dtypes.int32, name=None):
    """(out, idx): the entries of vector x that are not in y, in x's order (duplicates
    kept), and their positions in x."""
    return tuple(SetDiff(convert_to_tensor(x), convert_to_tensor(y),
                         index_dtype=dtypes.as_dtype(index_dtype), name=name))


# -- reverse and reverse_sequence -----------------------------------------------------------
def _reverse_shape(x, axes):
    if x.shape is not None:
        for axis in axes:
            normalize_axis(axis, len(x.shape))
    return x.shape, x.dtype


def _reverse_forward(x, axes):
    return np.flip(x, axes) if axes else x


def _reverse_grad(op, dy):
    """Reversing is its own inverse."""
    return [Reverse(dy, axes=op.attrs["axes"])]


Reverse = define_op("ReverseV2", forward=_reverse_forward, shape=_reverse_shape,
                    grad=_reverse_grad)


def reverse(tensor, axis, name=None):
    """`tensor` with the order of its entries reversed along each axis in `axis`."""
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    return Reverse(convert_to_tensor(tensor), axes=tuple(as_axis(a) for a in axes), name=name)


def _reverse_sequence_shape(x, lengths, seq_axis, batch_axis):
    if lengths.dtype.kind not in "iu":
        raise TypeError(f"seq_lengths must be integers, got {lengths.dtype.name}")
    return x.shape, x.dtype


def _reverse_sequence_forward(x, lengths, seq_axis, batch_axis):
    if len(lengths) != x.shape[batch_axis]:
        raise errors.InvalidArgumentError(
            f"len(seq_lengths) = {len(lengths)} differs from the batch size "
            f"{x.shape[batch_axis]}")
    if np.any(lengths > x.shape[seq_axis]) or np.any(lengths < 0):
        raise errors.InvalidArgumentError(
            f"seq_lengths must lie in [0, {x.shape[seq_axis]}], got {lengths.tolist()}")
    out = np.array(x, copy=True)
    for b, length in enumerate(lengths):
        index = [builtins.slice(None)] * x.ndim
        index[batch_axis], index[seq_axis] = b, builtins.slice(0, int(length))
        out[tuple(index)] = np.flip(x[tuple(index)], seq_axis - (seq_axis > batch_axis))
    return out


def _reverse_sequence_grad(op, dy):
    """Reversing each prefix is its own inverse."""
    return [ReverseSequence(dy, op.inputs[1], **op.attrs), None]


ReverseSequence = define_op("ReverseSequence", forward=_reverse_sequence_forward,
                            shape=_reverse_sequence_shape, grad=_reverse_sequence_grad)


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None,  # noqa: A002
                     seq_dim=None, batch_dim=None):
    """Reverse the first `seq_lengths[b]` entries along `seq_axis` of each batch entry b."""
    x = convert_to_tensor(input)
    seq_axis = seq_dim if seq_axis is None else seq_axis
    batch_axis = (batch_dim if batch_dim is not None else 0) if batch_axis is None else batch_axis
    if seq_axis is None:
        raise ValueError("reverse_sequence needs seq_axis")
    rank = None if x.shape is None else len(x.shape)
    seq_axis, batch_axis = as_axis(seq_axis), as_axis(batch_axis)
    if rank is not None:
        seq_axis, batch_axis = normalize_axis(seq_axis, rank), normalize_axis(batch_axis, rank)
    if seq_axis == batch_axis:
        raise ValueError(f"seq_axis and batch_axis must differ, both are {seq_axis}")
    return ReverseSequence(x, convert_to_tensor(seq_lengths), seq_axis=seq_axis,
                           batch_axis=batch_axis, name=name)


# -- masks ----------------------------------------------------------------------------------
def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    """The entries (or slices) of `tensor` where the bool `mask` is true, flattened into
    one axis at `axis` (composed of reshape, where and gather, as TF1 does)."""
    tensor, mask = convert_to_tensor(tensor), convert_to_tensor(mask)
    if mask.dtype != dtypes.bool:
        raise TypeError(f"boolean_mask needs a bool mask, got {mask.dtype.name}")
    if mask.shape is None or tensor.shape is None:
        raise ValueError("boolean_mask needs the ranks of the tensor and the mask")
    k, axis = len(mask.shape), 0 if axis is None else as_axis(axis)
    if k == 0:
        raise ValueError("boolean_mask needs a mask of rank >= 1, got a scalar")
    covered = tensor.shape[axis:axis + k]
    for got, want in zip(mask.shape, covered):
        if got is not None and want is not None and got != want:
            raise ValueError(f"mask shape {fmt(mask.shape)} does not match dimensions "
                             f"{axis}..{axis + k - 1} of the tensor, {fmt(tensor.shape)}")
    with get_default_graph().name_scope(name):
        dims = shape(tensor)
        flat = reshape(tensor, _joined_shape(dims, axis, k, len(tensor.shape)))
        picked = squeeze(where(reshape(mask, [-1])), [1])
        return gather(flat, picked, axis=axis)


def _joined_shape(dims, axis, k, rank):
    """The shape `dims` with axes axis..axis+k-1 joined into one (-1)."""
    parts = []
    if axis:
        parts.append(getitem(dims, builtins.slice(0, axis)))
    parts.append(expand_dims(reduce_prod(getitem(dims, builtins.slice(axis, axis + k))), 0))
    if axis + k < rank:
        parts.append(getitem(dims, builtins.slice(axis + k, None)))
    return concat(parts, 0)


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """mask[..., j] = j < lengths[...]: a bool (or `dtype`) mask with one more axis, of
    size `maxlen` (default: the largest length)."""
    lengths = convert_to_tensor(lengths)
    with get_default_graph().name_scope(name or "SequenceMask"):
        if maxlen is None:
            maxlen = reduce_max(lengths)
        positions = range_(0, cast(convert_to_tensor(maxlen), lengths.dtype), 1)
        mask = less(positions, expand_dims(lengths, -1))
        return mask if dtypes.as_dtype(dtype) == dtypes.bool else cast(mask, dtype)


# -- counting -------------------------------------------------------------------------------
def _bincount_shape(values, weights, minlength, maxlength, dtype):
    if values.dtype != dtypes.int32:
        raise TypeError(f"bincount needs int32 values, got {values.dtype.name}")
    return (None,), dtype


def _bincount_forward(values, weights, minlength, maxlength, dtype):
    if np.any(values < 0):
        raise errors.InvalidArgumentError("bincount needs non-negative values")
    flat = values.reshape(-1)
    length = max(int(flat.max()) + 1 if flat.size else 0, minlength or 0)
    if maxlength is not None:
        length = min(length, maxlength)
        keep = flat < length
        flat = flat[keep]
        weights = None if weights.size == 0 else weights.reshape(-1)[keep]
    else:
        weights = None if weights.size == 0 else weights.reshape(-1)
    return np.bincount(flat, weights, minlength=length).astype(dtype)


Bincount = define_op("Bincount", forward=_bincount_forward, shape=_bincount_shape)


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32):
    """How often each value 0, 1, ... occurs in `arr` (or the sum of its `weights`)."""
    arr = convert_to_tensor(arr)
    weights = convert_to_tensor(np.zeros(0, dtypes.as_dtype(dtype)) if weights is None
                                else weights)
    dtype = weights.dtype if weights.shape != (0,) else dtypes.as_dtype(dtype)
    return Bincount(arr, weights, minlength=minlength, maxlength=maxlength, dtype=dtype,
                    name="bincount")


def _histogram_shape(values, value_range, nbins, dtype):
    return (nbins,), dtype


def _histogram_forward(values, value_range, nbins, dtype):
    """Equal bins over [low, high); values below go to the first bin, above to the last."""
    low, high = float(value_range[0]), float(value_range[1])
    if not high > low:
        raise errors.InvalidArgumentError(f"value_range must be increasing, got "
                                          f"{[low, high]}")
    scaled = (np.asarray(values, np.float64).reshape(-1) - low) / (high - low) * nbins
    bins = np.clip(np.floor(scaled), 0, nbins - 1).astype(np.int64)
    return np.bincount(bins, minlength=nbins).astype(dtype)


HistogramFixedWidth = define_op("HistogramFixedWidth", forward=_histogram_forward,
                                shape=_histogram_shape)


def histogram_fixed_width(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """Counts of `values` in `nbins` equal bins spanning `value_range` [low, high]."""
    if int(nbins) <= 0:
        raise ValueError(f"nbins must be positive, got {nbins}")
    values = convert_to_tensor(values)
    value_range = convert_to_tensor(value_range, values.dtype)
    return HistogramFixedWidth(values, value_range, nbins=int(nbins),
                               dtype=dtypes.as_dtype(dtype), name=name)


# -- meshgrid -------------------------------------------------------------------------------
def meshgrid(*args, **kwargs):
    """Coordinate grids from vectors. With indexing="xy" (the default) the first two axes
    are swapped, as in numpy's and TF's meshgrid: for x of length nx and y of length ny
    both grids have shape (ny, nx). Composed of reshape and broadcast_to."""
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"meshgrid got unexpected arguments {sorted(kwargs)}")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"indexing must be 'xy' or 'ij', got {indexing!r}")
    vectors = [reshape(convert_to_tensor(a), [-1]) for a in args]
    position = list(range(len(vectors)))   # the output axis each vector lies along
    if indexing == "xy" and len(vectors) > 1:
        position[0], position[1] = 1, 0
    sizes = [getitem(shape(v), 0) for v in vectors]
    full = [sizes[position.index(axis)] for axis in range(len(vectors))]
    grids = []
    for vector, axis in zip(vectors, position):
        dims = [1] * len(vectors)
        dims[axis] = -1
        grids.append(broadcast_to(reshape(vector, dims), full))
    return grids


# -- slices with tensor bounds --------------------------------------------------------------
def _slice_shape(x, begin, size):
    if begin.dtype.kind not in "iu" or size.dtype.kind not in "iu":
        raise TypeError("slice bounds must be integers")
    known_begin, known_size = static_value(begin), static_value(size)
    if x.shape is None:
        rank = None if size.shape is None or size.shape[0] is None else size.shape[0]
        return (None if rank is None else (None,) * rank), x.dtype
    if size.shape is not None and size.shape[0] is not None and size.shape[0] != len(x.shape):
        raise ValueError(f"slice needs one size per axis of {fmt(x.shape)}, got "
                         f"{size.shape[0]}")
    dims = []
    for i, dim in enumerate(x.shape):
        b = None if known_begin is None else known_begin[i]
        s = None if known_size is None else known_size[i]
        if s is not None and s >= 0:
            if dim is not None and b is not None and b + s > dim:
                raise ValueError(f"slice of axis {i} (size {dim}) from {b} takes {s} entries")
            dims.append(s)
        elif s == -1 and dim is not None and b is not None:
            dims.append(dim - b)
        else:
            dims.append(None)
    return dims, x.dtype


def _slice_index(x_shape, begin, size):
    index = []
    for dim, b, s in zip(x_shape, begin.tolist(), size.tolist()):
        end = dim if s == -1 else b + s
        if not 0 <= b <= dim or not b <= end <= dim:
            raise errors.InvalidArgumentError(
                f"slice of size {s} from {b} is outside an axis of size {dim}")
        index.append(builtins.slice(b, end))
    return tuple(index)


def _slice_forward(x, begin, size):
    return x[_slice_index(x.shape, begin, size)]


def _slice_grad(op, dy):
    """The slice's gradient, placed in zeros of the input's shape (TF pads)."""
    x, begin, size = op.inputs
    return [SliceGrad(dy, shape(x), begin, size), None, None]


Slice = define_op("Slice", forward=_slice_forward, shape=_slice_shape, grad=_slice_grad)


def _slice_grad_shape(dy, x_shape, begin, size):
    return constant_value_as_shape(x_shape), dy.dtype


def _slice_grad_forward(dy, x_shape, begin, size):
    out = np.zeros(tuple(x_shape), dtype=dy.dtype)
    out[_slice_index(out.shape, begin, size)] = dy
    return out


def _slice_grad_grad(op, ddx):
    return [Slice(ddx, op.inputs[2], op.inputs[3]), None, None, None]


SliceGrad = define_op("SliceGrad", forward=_slice_grad_forward, shape=_slice_grad_shape,
                      grad=_slice_grad_grad)


def slice(input_, begin, size, name=None):  # noqa: A001 - TF1's name
    """The part of `input_` starting at `begin` with `size` entries along each axis (-1:
    all the rest); begin and size may be tensors."""
    x = convert_to_tensor(input_)
    return Slice(x, _int_vector(begin), as_shape_tensor(size), name=name)


def _int_vector(value):
    if hasattr(value, "op") or (isinstance(value, (list, tuple)) and any(
            hasattr(v, "op") for v in value)):
        tensor = convert_to_tensor(value)
        return tensor if tensor.dtype.kind in "iu" else cast(tensor, dtypes.int32)
    return convert_to_tensor(np.array(value, dtype=np.int32).reshape(-1))


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0,
                  ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=0, var=None,
                  name=None):
    """TF's strided slice with its bit masks, for bounds known while building (what
    `x[a:b:c]` builds); InvalidArgumentError-free: the bounds clip as Python's do."""
    bounds = [_known(v, what) for v, what in ((begin, "begin"), (end, "end"))]
    steps = [1] * len(bounds[0]) if strides is None else _known(strides, "strides")
    index = []
    for i, (b, e, s) in enumerate(zip(bounds[0], bounds[1], steps)):
        bit = 1 << i
        if ellipsis_mask & bit:
            index.append(Ellipsis)
        elif new_axis_mask & bit:
            index.append(None)
        elif shrink_axis_mask & bit:
            index.append(int(b))
        else:
            index.append(builtins.slice(None if begin_mask & bit else int(b),
                                        None if end_mask & bit else int(e), int(s)))
    x = convert_to_tensor(input_)
    return getitem(x, tuple(index)) if name is None else _named(getitem(x, tuple(index)), name)


def _strided_slice_from_tensorflow(op_def, node, inputs):
    masks = {key: node.attr(key, 0) for key in ("begin_mask", "end_mask", "ellipsis_mask",
                                                 "new_axis_mask", "shrink_axis_mask")}
    return strided_slice(inputs[0], node.constant(1), node.constant(2), node.constant(3),
                         name=node.name, **masks)


def _slice_from_tensorflow(op_def, node, inputs):
    return slice(*inputs, name=node.name)


lowerings.register(StridedSlice, imports={"StridedSlice": _strided_slice_from_tensorflow})
lowerings.register(Slice, imports={"Slice": _slice_from_tensorflow})


def _known(value, what):
    found = constant_value(value) if hasattr(value, "op") else value
    if found is None:
        raise ValueError(f"strided_slice needs {what} known while building (ints or a "
                         f"constant); for tensor-valued bounds use tf.slice")
    return [int(v) for v in np.asarray(found).reshape(-1)]


def _named(tensor, name):
    return identity(tensor, name=name)


