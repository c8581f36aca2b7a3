"""Nested structures of tensors (lists, tuples, namedtuples, dicts), as TF's nest: the
loop variables of while_loop, the results of cond branches, an LSTM's (c, h) state."""


def is_sequence(value):
    """Lists, tuples, namedtuples and dicts nest; other tuple types (a Shape) are leaves."""
    return isinstance(value, dict) or type(value) in (list, tuple) or \
        (isinstance(value, tuple) and hasattr(value, "_fields"))


def flatten(structure):
    """The leaves of `structure`, depth first (dicts by sorted key)."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if is_sequence(structure):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def flatten_up_to(shallow, structure):
    """`structure` flattened only as deep as `shallow` nests: what stands at each leaf of
    `shallow`, kept whole (a shape invariant [None, 2] for one loop variable)."""
    if isinstance(shallow, dict):
        return [leaf for key in sorted(shallow)
                for leaf in flatten_up_to(shallow[key], structure[key])]
    if is_sequence(shallow):
        if not is_sequence(structure) or len(structure) != len(shallow):
            raise ValueError(f"expected a structure like {_shape(shallow)}, got {structure!r}")
        return [leaf for a, b in zip(shallow, structure) for leaf in flatten_up_to(a, b)]
    return [structure]


def pack_sequence_as(structure, leaves):
    """`leaves` arranged as `structure` (the inverse of flatten)."""
    leaves = list(leaves)
    packed, used = _pack(structure, leaves, 0)
    if used != len(leaves):
        raise ValueError(f"structure has {used} leaves but {len(leaves)} values were given")
    return packed


def _pack(structure, leaves, start):
    if isinstance(structure, dict):
        result = {}
        for key in sorted(structure):
            result[key], start = _pack(structure[key], leaves, start)
        return type(structure)(result) if type(structure) is not dict else result, start
    if is_sequence(structure):
        items = []
        for item in structure:
            packed, start = _pack(item, leaves, start)
            items.append(packed)
        if isinstance(structure, tuple) and hasattr(structure, "_fields"):
            return type(structure)(*items), start
        return type(structure)(items), start
    return leaves[start], start + 1


def assert_same_structure(first, second, what):
    if _shape(first) != _shape(second):
        raise ValueError(f"{what}: the structures differ: {_shape(first)} vs {_shape(second)}")


def _shape(structure):
    if isinstance(structure, dict):
        return {k: _shape(v) for k, v in structure.items()}
    if is_sequence(structure):
        return [_shape(v) for v in structure]
    return "."
