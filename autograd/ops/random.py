"""Random tensors. Each op draws from a generator owned by the running session, seeded
from (graph seed, op seed); the default op seed is derived from the op's name, so adding
unrelated ops to a graph does not change the numbers the others draw."""
import zlib

import numpy as np

from .. import dtypes, lowerings
from ..graph import get_default_graph
from ..registry import define_op
from .shaping import as_shape_tensor, constant_value_as_shape

DEFAULT_GRAPH_SEED = 87654321


def set_random_seed(seed):
    """Set the default graph's seed: same seed, same graph, same numbers in every session."""
    get_default_graph().seed = None if seed is None else int(seed)


def seed_pair(graph, seed, op_name):
    """(graph seed, op seed) for an op, or None for fresh entropy in every session."""
    if graph.seed is None and seed is None:
        return None
    graph_seed = DEFAULT_GRAPH_SEED if graph.seed is None else graph.seed
    op_seed = zlib.crc32(op_name.encode()) & 0x7FFFFFFF if seed is None else int(seed)
    return (graph_seed, op_seed)


def _random_shape(shape, dtype, seed):
    return constant_value_as_shape(shape), dtype


def _draw_dtype(dtype):
    return dtype if dtype in (dtypes.float32, dtypes.float64) else dtypes.float32


def _normal_forward(ctx, shape, dtype, seed):
    out = ctx.rng().standard_normal(tuple(shape), dtype=_draw_dtype(dtype))
    return out.astype(dtype, copy=False)


def _truncated_normal_forward(ctx, shape, dtype, seed):
    """Standard normal values, redrawn until every one lies within two standard deviations."""
    rng = ctx.rng()
    out = rng.standard_normal(tuple(shape), dtype=_draw_dtype(dtype))
    bad = np.abs(out) > 2
    while bad.any():
        out[bad] = rng.standard_normal(int(bad.sum()), dtype=out.dtype)
        bad = np.abs(out) > 2
    return out.astype(dtype, copy=False)


def _uniform_forward(ctx, shape, dtype, seed):
    return ctx.rng().random(tuple(shape), dtype=_draw_dtype(dtype)).astype(dtype, copy=False)


def _uniform_int_shape(shape, minval, maxval, dtype, seed):
    return _random_shape(shape, dtype, seed)


def _uniform_int_forward(ctx, shape, minval, maxval, dtype, seed):
    return ctx.rng().integers(minval, maxval, size=tuple(shape), dtype=dtype)


def _define_random(type_name, forward, shape=_random_shape):
    return define_op(type_name, forward=forward, shape=shape, context=True)


RandomStandardNormal = _define_random("RandomStandardNormal", _normal_forward)
TruncatedNormal = _define_random("TruncatedNormal", _truncated_normal_forward)
RandomUniform = _define_random("RandomUniform", _uniform_forward)


def _uniform_to_tensorflow(b, op):
    seed = op.attrs.get("seed") or (0, 0)
    b.node("RandomUniform", op, dtype=b.type(op.outputs[0].dtype),
           T=b.type(op.inputs[0].dtype), seed=int(seed[0]), seed2=int(seed[1]))


def _uniform_to_onnx(b, op):
    """ONNX draws like a tensor: RandomUniformLike of zeros of the fed shape."""
    name = op.name
    shape = b.node("Cast", b.inputs(op), [b.name(name + "/shape")], name + "/shape",
                   to=b.elem_type(np.int64))
    zeros = b.node("ConstantOfShape", [shape], [b.name(name + "/zeros")], name + "/zeros",
                   value=b.tensor(np.zeros(1, op.outputs[0].dtype)))
    b.node("RandomUniformLike", [zeros], b.outputs(op), name, low=0.0, high=1.0)


lowerings.register(RandomUniform, tensorflow=_uniform_to_tensorflow, onnx=_uniform_to_onnx)
RandomUniformInt = _define_random("RandomUniformInt", _uniform_int_forward, _uniform_int_shape)


def _draw(op_def, shape, dtype, seed, scope, **attrs):
    graph = get_default_graph()
    dtype = dtypes.as_dtype(dtype)
    name = graph.unique_name(op_def.type)
    return op_def(as_shape_tensor(shape), dtype=dtype, seed=seed_pair(graph, seed, name),
                  name=name + "/", **attrs)


def _scaled(op_def, shape, scale, offset, dtype, seed, name, default_name):
    with get_default_graph().name_scope(name or default_name):
        unit = _draw(op_def, shape, dtype, seed, name)
        return unit * scale + offset


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normally distributed values: mean + stddev * N(0, 1)."""
    return _scaled(RandomStandardNormal, shape, stddev, mean, dtype, seed, name,
                   "random_normal")


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Like random_normal, but values beyond two standard deviations are redrawn."""
    return _scaled(TruncatedNormal, shape, stddev, mean, dtype, seed, name, "truncated_normal")


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Uniform values in [minval, maxval) (maxval defaults to 1 for floats)."""
    dtype = dtypes.as_dtype(dtype)
    if dtype.kind in "iu":
        if maxval is None:
            raise ValueError("random_uniform with an integer dtype needs maxval")
        with get_default_graph().name_scope(name or "random_uniform"):
            return _draw(RandomUniformInt, shape, dtype, seed, name,
                         minval=int(minval), maxval=int(maxval))
    maxval = 1 if maxval is None else maxval
    return _scaled(RandomUniform, shape, maxval - minval, minval, dtype, seed, name,
                   "random_uniform")
