"""Indexing, padding and tiling: x[...] slicing, gather, one_hot, pad and tile."""
import numpy as np

from .. import dtypes, errors, lowerings
from ..registry import convert_to_tensor, define_op
from ..shapes import as_axis, fmt, normalize_axis
from .joining import stack, unstack
from .reduce import reduce_sum
from .shaping import constant_value_as_shape, reshape, shape, static_value


# -- slicing with x[...] ------------------------------------------------------------------
def _normalize_index(key):
    key = key if isinstance(key, tuple) else (key,)
    out = []
    for item in key:
        if item is None or item is Ellipsis:
            out.append(item)
        elif isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            out.append(int(item))
        elif isinstance(item, slice):
            parts = (item.start, item.stop, item.step)
            if not all(p is None or isinstance(p, (int, np.integer)) for p in parts):
                raise TypeError(f"slice bounds must be Python ints, got {item}; for a "
                                f"tensor-valued index use autograd.gather")
            out.append(slice(*(None if p is None else int(p) for p in parts)))
        else:
            raise TypeError(f"cannot index a tensor with {item!r}; use ints, slices, None and "
                            f"..., or autograd.gather(x, indices) for integer tensors")
    return tuple(out)


def _index_shape(x, index):
    if x.shape is None:
        return None, x.dtype
    real = sum(1 for item in index if item is not None and item is not Ellipsis)
    if real > len(x.shape):
        raise ValueError(f"too many indices ({real}) for a tensor of shape {fmt(x.shape)}")
    if Ellipsis in index:
        at = index.index(Ellipsis)
        index = index[:at] + (slice(None),) * (len(x.shape) - real) + index[at + 1:]
    else:
        index = index + (slice(None),) * (len(x.shape) - real)
    out, axis = [], 0
    for item in index:
        if item is None:
            out.append(1)
            continue
        dim = x.shape[axis]
        axis += 1
        if isinstance(item, int):
            if dim is not None and not -dim <= item < dim:
                raise ValueError(f"index {item} is out of bounds for axis {axis - 1} of "
                                 f"size {dim} (shape {fmt(x.shape)})")
        else:
            out.append(None if dim is None else len(range(*item.indices(dim))))
    return out, x.dtype


def _index_forward(x, index):
    return x[index]


def _index_grad(op, dy):
    return [StridedSliceGrad(dy, shape(op.inputs[0]), index=op.attrs["index"])]


def _index_static_value(op):
    """shape(x)[i] and shape(x)[a:b] are known as far as x's shape is."""
    known, index = static_value(op.inputs[0]), op.attrs["index"]
    if known is None or len(index) != 1 or index[0] is None or index[0] is Ellipsis:
        return None
    picked = known[index[0]]
    return picked if isinstance(picked, list) else [picked]


StridedSlice = define_op("StridedSlice", forward=_index_forward, shape=_index_shape,
                         grad=_index_grad, static_value=_index_static_value)


def _index_grad_shape(dy, x_shape, index):
    return constant_value_as_shape(x_shape), dy.dtype


def _index_grad_forward(dy, x_shape, index):
    out = np.zeros(tuple(x_shape), dtype=dy.dtype)
    out[index] = dy
    return out


def _index_grad_grad(op, ddx):
    return [StridedSlice(ddx, index=op.attrs["index"]), None]


StridedSliceGrad = define_op("StridedSliceGrad", forward=_index_grad_forward,
                             shape=_index_grad_shape, grad=_index_grad_grad)


def getitem(tensor, key):
    """`tensor[key]` for ints, slices (with steps), None (new axis) and Ellipsis."""
    return StridedSlice(tensor, index=_normalize_index(key), name="strided_slice")


# -- gather and one_hot ---------------------------------------------------------------------
def _gather_shape(params, indices, axis):
    if indices.dtype.kind not in "iu":
        raise TypeError(f"gather indices must be integers, got {indices.dtype.name}")
    if params.shape is None or indices.shape is None:
        return None, params.dtype
    axis = normalize_axis(axis, len(params.shape))
    return params.shape[:axis] + indices.shape + params.shape[axis + 1:], params.dtype


def _gather_forward(params, indices, axis):
    """np.take would wrap a negative index around; TF refuses it, and so do we."""
    size = np.shape(params)[axis]
    outside = (indices < 0) | (indices >= size)
    if np.any(outside):
        where = tuple(int(i) for i in np.argwhere(outside)[0])
        raise errors.InvalidArgumentError(
            f"indices{list(where)} = {int(indices[where])} is not in [0, {size})")
    return np.take(params, indices, axis=axis)


def _gather_grad(op, dy):
    params, indices = op.inputs
    return [GatherGrad(dy, indices, shape(params), axis=op.attrs["axis"]), None]


Gather = define_op("GatherV2", forward=_gather_forward, shape=_gather_shape, grad=_gather_grad,
                   default_name="Gather")


def _gather_grad_shape(dy, indices, params_shape, axis):
    return constant_value_as_shape(params_shape), dy.dtype


def _gather_grad_forward(dy, indices, params_shape, axis):
    out = np.zeros(tuple(params_shape), dtype=dy.dtype)
    np.add.at(out, (slice(None),) * axis + (indices,), dy)
    return out


def _gather_grad_grad(op, ddx):
    return [gather(ddx, op.inputs[1], axis=op.attrs["axis"]), None, None]


GatherGrad = define_op("GatherGrad", forward=_gather_grad_forward, shape=_gather_grad_shape,
                       grad=_gather_grad_grad)


def _gather_from_tensorflow(op_def, node, inputs):
    """GatherV2 takes the axis as a constant input; Gather (TF 0.x) gathers rows."""
    axis = int(node.constant(2)) if node.type == "GatherV2" else 0
    return gather(inputs[0], inputs[1], axis=axis, name=node.name)


lowerings.register(Gather, imports={"GatherV2": _gather_from_tensorflow,
                                    "Gather": _gather_from_tensorflow})


def gather(params, indices, axis=0, name=None):
    """Take slices of `params` along `axis` at the given integer `indices` (each must lie
    in [0, size): InvalidArgumentError otherwise, as in TF)."""
    params = convert_to_tensor(params)
    indices = convert_to_tensor(indices)
    with Gather.checking([params, indices], name):
        axis = as_axis(axis)
        if params.shape is not None:
            axis = normalize_axis(axis, len(params.shape))
    return Gather(params, indices, axis=axis, name=name)


def _one_hot_shape(indices, depth, on_value, off_value, axis, dtype):
    if indices.dtype.kind not in "iu":
        raise TypeError(f"one_hot indices must be integers, got {indices.dtype.name}")
    if depth < 0:
        raise ValueError(f"depth must be non-negative, got {depth}")
    if indices.shape is None:
        return None, dtype
    axis = normalize_axis(axis, len(indices.shape) + 1)
    return indices.shape[:axis] + (depth,) + indices.shape[axis:], dtype


def _one_hot_forward(indices, depth, on_value, off_value, axis, dtype):
    axis = normalize_axis(axis, indices.ndim + 1)
    classes = np.arange(depth).reshape((depth,) + (1,) * (indices.ndim - axis))
    hot = np.expand_dims(indices, axis) == classes
    return np.where(hot, on_value, off_value).astype(dtype)


OneHot = define_op("OneHot", forward=_one_hot_forward, shape=_one_hot_shape)


def one_hot(indices, depth, on_value=1, off_value=0, axis=-1, dtype=dtypes.float32, name=None):
    """Rows of `depth` zeros with a one at each index (no gradient: indices are labels)."""
    return OneHot(indices, depth=as_axis(depth, "depth"), on_value=on_value,
                  off_value=off_value, axis=as_axis(axis), dtype=dtypes.as_dtype(dtype),
                  name=name)


def _one_hot_from_tensorflow(op_def, node, inputs):
    return one_hot(inputs[0], int(node.constant(1)), node.constant(2).item(),
                   node.constant(3).item(), axis=node.attr("axis", -1),
                   dtype=node.attr("T"), name=node.name)


lowerings.register(OneHot, imports={"OneHot": _one_hot_from_tensorflow})


# -- tile and pad ---------------------------------------------------------------------------
def _tile_shape(x, multiples):
    if min(multiples, default=0) < 0:
        raise ValueError(f"multiples {list(multiples)} must not be negative")
    if x.shape is None:
        return None, x.dtype
    if len(multiples) != len(x.shape):
        raise ValueError(f"multiples {list(multiples)} must have one entry per dimension of "
                         f"shape {fmt(x.shape)}")
    return [None if d is None else d * m for d, m in zip(x.shape, multiples)], x.dtype


def _tile_grad(op, dy):
    x = op.inputs[0]
    multiples = op.attrs["multiples"]
    if x.shape.is_fully_defined():
        interleaved = [n for pair in zip(multiples, x.shape) for n in pair]
    else:
        dims = unstack(shape(x))
        interleaved = stack([n for m, d in zip(multiples, dims) for n in (m, d)])
    summed = reduce_sum(reshape(dy, interleaved), axis=list(range(0, 2 * len(multiples), 2)))
    return [summed]


def _tile_forward(x, multiples):
    return np.tile(x, multiples)


Tile = define_op("Tile", forward=_tile_forward, shape=_tile_shape, grad=_tile_grad)


def tile(input, multiples, name=None):
    """Repeat `input` `multiples[i]` times along each axis i."""
    return Tile(input, multiples=tuple(int(m) for m in multiples), name=name)


def _pad_shape(x, paddings, constant_values):
    if any(a < 0 or b < 0 for a, b in paddings):
        raise ValueError(f"paddings {[list(p) for p in paddings]} must not be negative")
    if x.shape is None:
        return None, x.dtype
    if len(paddings) != len(x.shape):
        raise ValueError(f"paddings {paddings} must have one [before, after] pair per "
                         f"dimension of shape {fmt(x.shape)}")
    return [None if d is None else d + a + b for d, (a, b) in zip(x.shape, paddings)], x.dtype


def _pad_forward(x, paddings, constant_values):
    return np.pad(x, paddings, mode="constant", constant_values=constant_values)


def _pad_grad(op, dy):
    index = tuple(slice(before, -after if after else None)
                  for before, after in op.attrs["paddings"])
    return [dy[index]]


Pad = define_op("Pad", forward=_pad_forward, shape=_pad_shape, grad=_pad_grad)


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    """Pad with `constant_values`: paddings[i] = [before, after] cells along axis i."""
    if mode.upper() != "CONSTANT":
        raise ValueError(f"pad mode {mode!r} is not supported; only 'CONSTANT' is")
    pairs = tuple((int(a), int(b)) for a, b in paddings)
    return Pad(tensor, paddings=pairs, constant_values=constant_values, name=name)


def _tile_from_tensorflow(op_def, node, inputs):
    return tile(inputs[0], node.constant(1).tolist(), name=node.name)


def _pad_from_tensorflow(op_def, node, inputs):
    """Pad, and PadV2 with the fill value as a third input."""
    value = node.constant(2).item() if node.type == "PadV2" else 0
    return pad(inputs[0], node.constant(1).tolist(), constant_values=value, name=node.name)


lowerings.register(Tile, imports={"Tile": _tile_from_tensorflow})
lowerings.register(Pad, imports={"Pad": _pad_from_tensorflow,
                                 "PadV2": _pad_from_tensorflow})
