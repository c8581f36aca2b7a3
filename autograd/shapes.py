"""Static shapes: tuples of ints with None for an unknown dimension (None for unknown rank)."""
import numpy as np


class Shape(tuple):
    """A static shape, e.g. `(None, 784)`; a tuple with TF1's TensorShape helpers."""

    __slots__ = ()

    @property
    def ndims(self):
        return len(self)

    rank = ndims

    def as_list(self):
        return list(self)

    def is_fully_defined(self):
        return None not in self

    def num_elements(self):
        """Number of elements, or None when a dimension is unknown."""
        if None in self:
            return None
        count = 1
        for dim in self:
            count *= dim
        return count

    def __repr__(self):
        return "(" + ", ".join(map(str, self)) + ("," if len(self) == 1 else "") + ")"

    __str__ = __repr__


def make_shape(dims):
    """Normalise a shape given as None, an int, or a sequence of ints/None (-1 meaning
    unknown) into a Shape; TypeError for a dimension that is not an integer."""
    if dims is None or isinstance(dims, Shape):
        return dims
    if isinstance(dims, (int, np.integer)):
        dims = (dims,)
    out = []
    for dim in dims:
        if dim is None:
            out.append(None)
            continue
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"shape {list(dims)} has a dimension {dim!r} that is not an "
                            f"integer")
        if dim < -1:
            raise ValueError(f"shape {list(dims)} has an invalid dimension {dim}")
        out.append(None if dim == -1 else int(dim))
    return Shape(out)


def fmt(shape):
    """Print a shape the way messages show it: `(None, 784)` or `<unknown rank>`."""
    return "<unknown rank>" if shape is None else repr(Shape(shape))


def broadcast(a, b):
    """Static numpy broadcasting of two shapes; raises ValueError when they cannot broadcast."""
    if a is None or b is None:
        return None
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out = []
    for da, db in zip(a, b):
        if da == 1:
            out.append(db)
        elif db == 1 or da == db:
            out.append(da)
        elif da is None:
            out.append(db)
        elif db is None:
            out.append(da)
        else:
            raise ValueError(f"shapes {fmt(a)} and {fmt(b)} cannot be broadcast together "
                             f"(dimension {da} vs {db})")
    return Shape(out)


def merge(a, b):
    """The most specific shape compatible with both, or ValueError if they contradict."""
    if a is None:
        return b
    if b is None:
        return a
    if len(a) != len(b):
        raise ValueError(f"shapes {fmt(a)} and {fmt(b)} have different ranks")
    out = []
    for da, db in zip(a, b):
        if da is not None and db is not None and da != db:
            raise ValueError(f"shapes {fmt(a)} and {fmt(b)} are not compatible")
        out.append(da if da is not None else db)
    return Shape(out)


def compatible(shape, value_shape):
    """True when a concrete `value_shape` fits the static `shape`."""
    if shape is None:
        return True
    if len(shape) != len(value_shape):
        return False
    for dim, actual in zip(shape, value_shape):
        if dim is not None and dim != actual:
            return False
    return True


def as_axis(axis, what="axis"):
    """`axis` as an int; TypeError for anything else (a float, a bool, a tensor...)."""
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{what} must be an integer, got {axis!r} of type "
                        f"{type(axis).__name__}")
    return int(axis)


def normalize_axis(axis, rank, what="axis"):
    """Map a possibly negative axis into [0, rank); TypeError for a non-integer,
    ValueError if out of range."""
    axis = as_axis(axis, what)
    if not -rank <= axis < rank:
        raise ValueError(f"{what} {axis} is out of range for a tensor of rank {rank}")
    return axis % rank
