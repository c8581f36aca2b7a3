"""Joining and splitting along an axis: concat, split, stack and unstack."""
import numpy as np

from .. import lowerings
from ..graph import get_default_graph
from ..registry import constant_value, convert_to_tensor, define_op
from ..shapes import as_axis, fmt, normalize_axis
from .shaping import expand_dims, identity, shape, squeeze, static_value, zeros_like


# -- concat and split -----------------------------------------------------------------------
def _concat_shape(*values, axis):
    if not values:
        raise ValueError("concat needs at least one tensor")
    dtype = values[0].dtype
    known = [v.shape for v in values if v.shape is not None]
    for v in values:
        if v.dtype != dtype:
            raise TypeError(f"concat inputs must share a dtype: {values[0].name} is {dtype.name}, "
                            f"{v.name} is {v.dtype.name}")
    if not known:
        return None, dtype
    rank = len(known[0])
    if rank == 0:
        raise ValueError("cannot concatenate scalars; use stack")
    if any(len(s) != rank for s in known):
        ranks = ", ".join(fmt(s) for s in known)
        raise ValueError(f"concat inputs must have the same rank, got shapes {ranks}")
    axis = normalize_axis(axis, rank)
    out = list(known[0])
    for s in known[1:]:
        for i in range(rank):
            if i == axis:
                continue
            if out[i] is not None and s[i] is not None and out[i] != s[i]:
                raise ValueError(f"concat along axis {axis}: dimension {i} differs between "
                                 f"shapes {fmt(known[0])} and {fmt(s)}")
            out[i] = out[i] if out[i] is not None else s[i]
    sizes = [None if v.shape is None else v.shape[axis] for v in values]
    out[axis] = None if None in sizes else sum(sizes)
    return out, dtype


def _concat_forward(*values, axis):
    return np.concatenate(values, axis=axis)


def _concat_grad(op, dy):
    axis = op.attrs["axis"]
    sizes = [v.shape[axis] if v.shape is not None else None for v in op.inputs]
    if None in sizes:
        sizes = stack([shape(v)[axis] for v in op.inputs])
    return split(dy, sizes, axis=axis)


def _concat_static_value(op):
    """Joined 1-D shape pieces are known piece by piece (unknown pieces as None)."""
    if any(t.shape is None or len(t.shape) != 1 or t.shape[0] is None for t in op.inputs):
        return None
    known = []
    for tensor in op.inputs:
        part = static_value(tensor)
        known += part if part is not None else [None] * tensor.shape[0]
    return known


def _concat_to_tensorflow(b, op):
    """TF takes the axis as the last input."""
    axis = b.const(op.name + "/axis", np.int32(lowerings.scalar_axis(op.attrs["axis"])))
    b.node("ConcatV2", op, axis, T=b.type(op.inputs[0].dtype), N=len(op.inputs),
           Tidx=b.type(np.int32))


def _concat_to_onnx(b, op):
    b.node("Concat", b.inputs(op), b.outputs(op), op.name,
           axis=lowerings.scalar_axis(op.attrs["axis"]))


ConcatV2 = define_op("ConcatV2", forward=_concat_forward, shape=_concat_shape,
                     static_value=_concat_static_value,
                     grad=_concat_grad, default_name="concat")
def _concat_from_tensorflow(op_def, node, inputs):
    """ConcatV2 takes the axis last; Concat (TF 0.x) first."""
    if node.type == "Concat":
        return concat(inputs[1:], int(node.constant(0)), name=node.name)
    return concat(inputs[:-1], int(node.constant(len(inputs) - 1)), name=node.name)


def _pack_from_tensorflow(op_def, node, inputs):
    return stack(inputs, axis=node.attr("axis", 0), name=node.name)


lowerings.register(ConcatV2, tensorflow=_concat_to_tensorflow, onnx=_concat_to_onnx,
                   imports={"ConcatV2": _concat_from_tensorflow,
                            "Concat": _concat_from_tensorflow, "Pack": _pack_from_tensorflow})


def concat(values, axis, name="concat"):
    """Join tensors along an existing `axis`."""
    values = [convert_to_tensor(v) for v in values]
    if len(values) == 1:
        return identity(values[0], name=name)
    rank = next((len(v.shape) for v in values if v.shape is not None), None)
    with ConcatV2.checking(values, name):
        axis = as_axis(axis)
        if rank is not None:
            axis = normalize_axis(axis, rank)
    return ConcatV2(*values, axis=axis, name=name)


def _split_shape(x, sizes, *, axis, num):
    if x.shape is None:
        return [(None, x.dtype)] * num
    axis = normalize_axis(axis, len(x.shape))
    known = constant_value(sizes)
    if known is None:
        dims = [None] * num
    else:
        dims = [int(d) for d in known]
        total = x.shape[axis]
        if total is not None:
            if dims.count(-1) == 1:
                dims[dims.index(-1)] = total - (sum(dims) + 1)
            if sum(dims) != total or min(dims) < 0:
                raise ValueError(f"split sizes {list(known)} do not add up to dimension {axis} "
                                 f"of shape {fmt(x.shape)}")
        dims = [None if d < 0 else d for d in dims]
    return [(x.shape[:axis] + (d,) + x.shape[axis + 1:], x.dtype) for d in dims]


def _split_forward(x, sizes, *, axis, num):
    sizes = [int(s) for s in sizes]
    if -1 in sizes:
        sizes[sizes.index(-1)] = x.shape[axis] - (sum(sizes) + 1)
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=axis))


def _split_grad(op, *dys):
    parts = [dy if dy is not None else zeros_like(out) for dy, out in zip(dys, op.outputs)]
    return [concat(parts, axis=op.attrs["axis"]), None]


SplitV = define_op("SplitV", forward=_split_forward, shape=_split_shape, grad=_split_grad,
                   default_name="split")


def _split_from_tensorflow(op_def, node, inputs):
    """Split(axis, value) into num_split equal parts; SplitV(value, sizes, axis)."""
    if node.type == "Split":
        parts = split(inputs[1], node.attr("num_split"), int(node.constant(0)), name=node.name)
    else:
        parts = split(inputs[0], node.constant(1).tolist(), int(node.constant(2)),
                      name=node.name)
    return parts if isinstance(parts, list) else [parts]


def _unpack_from_tensorflow(op_def, node, inputs):
    return unstack(inputs[0], node.attr("num", None), node.attr("axis", 0), name=node.name)


lowerings.register(SplitV, imports={"Split": _split_from_tensorflow,
                                    "SplitV": _split_from_tensorflow,
                                    "Unpack": _unpack_from_tensorflow})


def split(value, num_or_size_splits, axis=0, name="split"):
    """Split `value` along `axis` into equal parts (an int) or parts of the given sizes."""
    value = convert_to_tensor(value)
    with SplitV.checking([value], name):
        axis = as_axis(axis)
        if value.shape is not None:
            axis = normalize_axis(axis, len(value.shape))
    if isinstance(num_or_size_splits, int):
        num = num_or_size_splits
        total = None if value.shape is None else value.shape[axis]
        if total is None:
            raise ValueError(f"split into {num} parts needs dimension {axis} of {value.name} "
                             f"to be known statically; pass the sizes instead")
        if num <= 0 or total % num:
            raise ValueError(f"cannot split dimension {axis} of size {total} into {num} equal "
                             f"parts")
        num_or_size_splits = [total // num] * num
    sizes = convert_to_tensor(num_or_size_splits
                              if hasattr(num_or_size_splits, "op") else
                              np.array(num_or_size_splits, dtype=np.int32))
    num = sizes.shape[0] if sizes.shape else None
    if num is None:
        raise ValueError("split needs the number of parts to be known statically")
    return SplitV(value, sizes, axis=axis, num=num, name=name)


def stack(values, axis=0, name="stack"):
    """Join tensors of one shape along a new `axis` (composed from expand_dims and concat)."""
    values = [convert_to_tensor(v) for v in values]
    rank = next((len(v.shape) for v in values if v.shape is not None), None)
    with ConcatV2.checking(values, name):
        axis = as_axis(axis)
        if rank is not None:
            axis = normalize_axis(axis, rank + 1)
    with _scope(name) as scope:
        expanded = [expand_dims(v, axis) for v in values]
        return concat(expanded, axis, name=scope)


def unstack(value, num=None, axis=0, name="unstack"):
    """Split `value` along `axis` into a list of tensors with that axis removed."""
    value = convert_to_tensor(value)
    if value.shape is None:
        raise ValueError(f"unstack of {value.name} needs a known rank")
    with SplitV.checking([value], name):
        axis = normalize_axis(axis, len(value.shape))
    num = num if num is not None else value.shape[axis]
    if num is None:
        raise ValueError(f"unstack cannot infer num from shape {fmt(value.shape)}; pass num=")
    with _scope(name):
        parts = split(value, num, axis)
        parts = parts if isinstance(parts, list) else [parts]
        return [squeeze(p, [axis]) for p in parts]


def _scope(name):
    return get_default_graph().name_scope(name)

