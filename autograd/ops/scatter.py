"""Updates to parts of a variable: scatter_update/add/sub (rows), scatter_nd_update/add
(entries at index tuples) and count_up_to. Each takes the variable's handle and
declares it written, so it is part of its run's transaction (staged, published at the
end, dropped on failure) like any assignment. Their output is the variable's new value.
"""
import numpy as np

from .. import errors
from ..registry import convert_to_tensor, define_op
from ..shapes import fmt
from .state import handle_of, variable_spec


def _scatter_shape(handle, indices, updates, mode, nd):
    shape, dtype = variable_spec(handle)
    if indices.dtype.kind not in "iu":
        raise TypeError(f"scatter indices must be integers, got {indices.dtype.name}")
    if updates.dtype != dtype:
        raise TypeError(f"scatter updates are {updates.dtype.name}, the variable "
                        f"{handle.op.name!r} is {dtype.name}")
    if not nd and shape is not None and indices.shape is not None and updates.shape is not None:
        expected = tuple(indices.shape) + tuple(shape[1:])
        if len(expected) != len(updates.shape) or any(
                a is not None and b is not None and a != b
                for a, b in zip(expected, updates.shape)):
            raise ValueError(f"updates of shape {fmt(updates.shape)} do not fit indices "
                             f"{fmt(indices.shape)} into variable {handle.op.name!r} of "
                             f"shape {fmt(shape)}: expected {fmt(expected)}")
    return shape, dtype


def _scatter_forward(variable, indices, updates, mode, nd):
    """Rows (or, with nd, entries) at `indices` replaced by / incremented by / decremented
    by `updates`; an index outside the variable is an error, as in TF."""
    current = variable.read()
    depth = indices.shape[-1] if nd else 1
    limits = np.array(current.shape[:depth])
    flat = indices.reshape(-1, depth) if nd else indices.reshape(-1, 1)
    if np.any(flat < 0) or np.any(flat >= limits):
        bad = flat[np.any((flat < 0) | (flat >= limits), axis=1)][0].tolist()
        raise errors.InvalidArgumentError(f"index {bad if nd else bad[0]} is outside variable "
                                          f"{variable.name!r} of shape {list(current.shape)}")
    out = variable.buffer()
    out[...] = current
    where = tuple(np.moveaxis(indices, -1, 0)) if nd else indices
    if mode == "update":
        out[where] = updates
    elif mode == "add":
        np.add.at(out, where, updates)
    else:
        np.subtract.at(out, where, updates)
    return variable.write(out)


ScatterUpdate = define_op("ResourceScatterUpdate", forward=_scatter_forward,
                          shape=_scatter_shape, writes=(0,))


def _scatter(mode, nd, ref, indices, updates, name):
    handle = handle_of(ref)
    return ScatterUpdate(handle, convert_to_tensor(indices),
                         convert_to_tensor(updates, ref.dtype), mode=mode, nd=nd,
                         name=name or f"Scatter{'Nd' if nd else ''}{mode.capitalize()}")


def scatter_update(ref, indices, updates, use_locking=True, name=None):
    """ref[indices] = updates (rows of the variable); outputs the new value. Where an
    index repeats, one of its updates wins."""
    return _scatter("update", False, ref, indices, updates, name)


def scatter_add(ref, indices, updates, use_locking=False, name=None):
    """ref[indices] += updates; a repeated index adds each of its updates."""
    return _scatter("add", False, ref, indices, updates, name)


def scatter_sub(ref, indices, updates, use_locking=False, name=None):
    """ref[indices] -= updates; a repeated index subtracts each of its updates."""
    return _scatter("sub", False, ref, indices, updates, name)


def scatter_nd_update(ref, indices, updates, use_locking=True, name=None):
    """ref[indices[i]] = updates[i] for index tuples along the last axis of `indices`."""
    return _scatter("update", True, ref, indices, updates, name)


def scatter_nd_add(ref, indices, updates, use_locking=False, name=None):
    """ref[indices[i]] += updates[i] for index tuples along the last axis of `indices`."""
    return _scatter("add", True, ref, indices, updates, name)


# -- count_up_to ----------------------------------------------------------------------------
def _count_shape(handle, limit):
    shape, dtype = variable_spec(handle)
    if dtype.kind not in "iu" or (shape is not None and len(shape) != 0):
        raise TypeError(f"count_up_to needs a scalar integer variable, got {dtype.name} "
                        f"{fmt(shape)}")
    return shape, dtype


def _count_forward(variable, limit):
    """Outputs the value before adding one; OutOfRangeError once it has reached limit."""
    before = variable.read()
    if before >= limit:
        raise errors.OutOfRangeError(f"Reached limit of {limit}")
    out = variable.buffer()
    out[...] = before + 1
    variable.write(out)
    return np.array(before, copy=True)


CountUpTo = define_op("CountUpTo", forward=_count_forward, shape=_count_shape, writes=(0,))


def count_up_to(ref, limit, name=None):
    """Increment the integer variable `ref` until it reaches `limit`; outputs the value
    before the increment (OutOfRangeError when the limit is reached)."""
    return CountUpTo(handle_of(ref), limit=int(limit), name=name)
