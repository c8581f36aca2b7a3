"""Random tensors. Each op draws from a generator owned by the running session, seeded
from (graph seed, op seed); the default op seed is derived from the op's name, so adding
unrelated ops to a graph does not change the numbers the others draw."""
import zlib

import numpy as np

from .. import dtypes, lowerings
from ..graph import get_default_graph
from ..registry import convert_to_tensor, define_op
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


def _random_to_tensorflow(b, op):
    """Our (graph seed, op seed) pair is TF's seed and seed2 (none: both 0)."""
    seed = op.attrs.get("seed") or (0, 0)
    b.node(op.type, op, dtype=b.type(op.outputs[0].dtype),
           T=b.type(op.inputs[0].dtype), seed=int(seed[0]), seed2=int(seed[1]))


def _random_from_tensorflow(op_def, node, inputs):
    seed = node.attr("seed", 0), node.attr("seed2", 0)
    return op_def(inputs[0], dtype=node.attr("dtype"), seed=None if seed == (0, 0) else seed,
                  name=node.name)


lowerings.register(RandomStandardNormal, tensorflow=_random_to_tensorflow,
                   imports={"RandomStandardNormal": _random_from_tensorflow})
lowerings.register(TruncatedNormal, tensorflow=_random_to_tensorflow,
                   imports={"TruncatedNormal": _random_from_tensorflow})


def _uniform_to_onnx(b, op):
    """ONNX draws like a tensor: RandomUniformLike of zeros of the fed shape."""
    name = op.name
    shape = b.node("Cast", b.inputs(op), [b.name(name + "/shape")], name + "/shape",
                   to=b.elem_type(np.int64))
    zeros = b.node("ConstantOfShape", [shape], [b.name(name + "/zeros")], name + "/zeros",
                   value=b.tensor(np.zeros(1, op.outputs[0].dtype)))
    b.node("RandomUniformLike", [zeros], b.outputs(op), name, low=0.0, high=1.0)


lowerings.register(RandomUniform, tensorflow=_random_to_tensorflow, onnx=_uniform_to_onnx,
                   imports={"RandomUniform": _random_from_tensorflow})
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


# -- shuffles and draws from other distributions --------------------------------------------
def _shuffle_shape(value, seed):
    return value.shape, value.dtype


def _shuffle_forward(ctx, value, seed):
    """`value` with its first axis in a random order."""
    return value[ctx.rng().permutation(len(value))] if np.ndim(value) else value


RandomShuffle = define_op("RandomShuffle", forward=_shuffle_forward, shape=_shuffle_shape,
                          context=True)


def _seeded(op_def, inputs, seed, default_name, name, **attrs):
    graph = get_default_graph()
    name = graph.unique_name(name or default_name)
    return op_def(*inputs, seed=seed_pair(graph, seed, name), name=name + "/", **attrs)


def random_shuffle(value, seed=None, name=None):
    """`value` with its first axis shuffled (a new order every run; no gradient)."""
    return _seeded(RandomShuffle, [convert_to_tensor(value)], seed, "RandomShuffle", name)


def _categorical_shape(logits, num_samples, dtype, seed):
    if logits.shape is not None and len(logits.shape) != 2:
        raise ValueError(f"logits must be [batch, classes], got {logits.shape}")
    rows = None if logits.shape is None else logits.shape[0]
    return (rows, num_samples), dtype


def _categorical_forward(ctx, logits, num_samples, dtype, seed):
    """num_samples class ids per row, with probabilities softmax(logits)."""
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities = shifted / shifted.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(probabilities, axis=1)
    draws = ctx.rng().random((len(logits), num_samples))
    picked = (draws[:, :, None] > cumulative[:, None, :]).sum(axis=2)
    return np.minimum(picked, logits.shape[1] - 1).astype(dtype)


Categorical = define_op("Multinomial", forward=_categorical_forward, shape=_categorical_shape,
                        context=True)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """Class ids drawn from each row's softmax(logits) (TF1's tf.multinomial)."""
    return _seeded(Categorical, [convert_to_tensor(logits)], seed, "multinomial", name,
                   num_samples=int(num_samples),
                   dtype=dtypes.as_dtype(dtype or dtypes.int64))


def _gamma_shape(alpha, beta, shape, dtype, seed):
    alpha_shape = () if alpha.shape is None else tuple(alpha.shape)
    return tuple(shape) + alpha_shape, dtype


def _gamma_forward(ctx, alpha, beta, shape, dtype, seed):
    """Gamma(alpha, rate beta) draws, `shape` of them for each alpha."""
    size = tuple(shape) + np.shape(alpha)
    return (ctx.rng().gamma(alpha, 1.0, size) / beta).astype(dtype)


RandomGamma = define_op("RandomGamma", forward=_gamma_forward, shape=_gamma_shape,
                        context=True)


def random_gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """Gamma-distributed values: `shape` draws for each alpha, with rate beta (1)."""
    dtype = dtypes.as_dtype(dtype)
    alpha = convert_to_tensor(alpha, dtype)
    beta = convert_to_tensor(1.0 if beta is None else beta, dtype)
    return _seeded(RandomGamma, [alpha, beta], seed, "random_gamma", name,
                   shape=tuple(int(d) for d in shape), dtype=dtype)


def _poisson_shape(lam, shape, dtype, seed):
    lam_shape = () if lam.shape is None else tuple(lam.shape)
    return tuple(shape) + lam_shape, dtype


def _poisson_forward(ctx, lam, shape, dtype, seed):
    """Poisson(lam) counts, `shape` of them for each rate."""
    return ctx.rng().poisson(lam, tuple(shape) + np.shape(lam)).astype(dtype)


RandomPoisson = define_op("RandomPoissonV2", forward=_poisson_forward, shape=_poisson_shape,
                          context=True)


def random_poisson(lam, shape, dtype=dtypes.float32, seed=None, name=None):
    """Poisson-distributed counts with rate `lam`: `shape` draws for each rate."""
    return _seeded(RandomPoisson, [convert_to_tensor(lam, dtypes.float32)], seed,
                   "random_poisson", name, shape=tuple(int(d) for d in shape),
                   dtype=dtypes.as_dtype(dtype))
