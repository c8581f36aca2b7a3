"""Forward values of the core ops against numpy, and static shapes against run shapes."""
import numpy as np
import pytest

import autograd as ag
from autograd.ops.math import Add, Mul
from autograd.shapes import compatible


def run(tensor, feed=None):
    """Run `tensor`, and check its value agrees with the static shape and dtype."""
    with ag.Session(graph=tensor.graph) as sess:
        value = np.asarray(sess.run(tensor, feed))
    assert value.dtype == tensor.dtype, (value.dtype, tensor.dtype)
    assert compatible(tensor.shape, value.shape), (tensor.shape, value.shape)
    return value


X = np.array([[1.5, -2.0, 0.5], [3.0, 0.25, -1.0]], dtype=np.float32)
Y = np.array([2.0, -0.5, 4.0], dtype=np.float32)

ELEMENTWISE = {
    "add": (lambda a, b: a + b, np.add), "sub": (lambda a, b: a - b, np.subtract),
    "mul": (lambda a, b: a * b, np.multiply), "div": (lambda a, b: a / b, np.divide),
    "floordiv": (lambda a, b: a // b, np.floor_divide), "mod": (lambda a, b: a % b, np.mod),
    "pow": (lambda a, b: abs(a) ** b, lambda a, b: np.abs(a) ** b),
    "maximum": (ag.maximum, np.maximum), "minimum": (ag.minimum, np.minimum),
    "squared_difference": (ag.squared_difference, lambda a, b: (a - b) ** 2),
    "equal": (ag.equal, np.equal), "not_equal": (ag.not_equal, np.not_equal),
    "less": (lambda a, b: a < b, np.less), "less_equal": (lambda a, b: a <= b, np.less_equal),
    "greater": (lambda a, b: a > b, np.greater),
    "greater_equal": (lambda a, b: a >= b, np.greater_equal),
}


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_binary_values(name):
    ours, reference = ELEMENTWISE[name]
    np.testing.assert_allclose(run(ours(ag.constant(X), ag.constant(Y))), reference(X, Y),
                               rtol=1e-6)


UNARY = {
    "exp": (ag.exp, np.exp), "log": (lambda x: ag.log(abs(x)), lambda x: np.log(np.abs(x))),
    "log1p": (lambda x: ag.log1p(abs(x)), lambda x: np.log1p(np.abs(x))),
    "sqrt": (lambda x: ag.sqrt(abs(x)), lambda x: np.sqrt(np.abs(x))),
    "rsqrt": (lambda x: ag.rsqrt(abs(x)), lambda x: 1 / np.sqrt(np.abs(x))),
    "square": (ag.square, np.square), "abs": (ag.abs, np.abs), "sign": (ag.sign, np.sign),
    "sin": (ag.sin, np.sin), "cos": (ag.cos, np.cos), "tanh": (ag.tanh, np.tanh),
    "sigmoid": (ag.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "negative": (ag.negative, np.negative), "floor": (ag.floor, np.floor),
    "round": (ag.round, np.round), "reciprocal": (ag.reciprocal, np.reciprocal),
    "clip": (lambda x: ag.clip_by_value(x, -1.0, 1.0), lambda x: np.clip(x, -1, 1)),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_values(name):
    ours, reference = UNARY[name]
    np.testing.assert_allclose(run(ours(ag.constant(X))), reference(X), rtol=1e-6)


def test_sigmoid_is_finite_and_exact_at_extremes():
    value = run(ag.sigmoid(ag.constant([-1e4, -50.0, 0.0, 50.0, 1e4])))
    np.testing.assert_allclose(value, [0.0, 1.9287498e-22, 0.5, 1.0, 1.0], rtol=1e-6)


def test_round_is_half_to_even_like_tf():
    np.testing.assert_array_equal(run(ag.round(ag.constant([0.5, 1.5, 2.5, -0.5]))),
                                  [0.0, 2.0, 2.0, -0.0])


@pytest.mark.parametrize("axis", [None, 0, 1, -1, [0, 1]], ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_values(axis, keepdims):
    cases = {ag.reduce_sum: np.sum, ag.reduce_mean: np.mean, ag.reduce_prod: np.prod,
             ag.reduce_max: np.max, ag.reduce_min: np.min}
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    for ours, reference in cases.items():
        np.testing.assert_allclose(run(ours(ag.constant(X), axis=axis, keepdims=keepdims)),
                                   reference(X, axis=np_axis, keepdims=keepdims), rtol=1e-6)
    expected = np.log(np.sum(np.exp(X), axis=np_axis, keepdims=keepdims))
    np.testing.assert_allclose(run(ag.reduce_logsumexp(ag.constant(X), axis, keepdims)),
                               expected, rtol=1e-6)


def test_logsumexp_does_not_overflow():
    value = run(ag.reduce_logsumexp(ag.constant([1e4, 1e4], ag.float32)))
    np.testing.assert_allclose(value, 1e4 + np.log(2), rtol=1e-6)


def test_tf1_reduction_keyword_aliases():
    value = run(ag.reduce_sum(ag.constant(X), reduction_indices=[1], keep_dims=True))
    np.testing.assert_allclose(value, X.sum(axis=1, keepdims=True))


def test_integer_sum_keeps_int32():
    assert run(ag.reduce_sum(ag.constant([[1, 2], [3, 4]]), axis=0)).dtype == np.int32


def test_argmax_argmin_follow_tf_defaults():
    t = ag.constant(X)
    np.testing.assert_array_equal(run(ag.argmax(t)), np.argmax(X, axis=0))
    np.testing.assert_array_equal(run(ag.argmin(t, 1)), np.argmin(X, axis=1))
    assert ag.argmax(t).dtype == ag.int64


def test_matmul_and_tensordot_values():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.arange(12, dtype=np.float32).reshape(3, 4)
    np.testing.assert_allclose(run(ag.matmul(a.T, b, transpose_a=True)), a @ b)
    np.testing.assert_allclose(run(ag.matmul(a, b.T, transpose_b=True)), a @ b)
    batch = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    np.testing.assert_allclose(run(ag.constant(batch) @ ag.constant(b.T)), batch @ b.T)
    c = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_allclose(run(ag.tensordot(c, c, [[1, 2], [1, 2]])),
                               np.tensordot(c, c, [[1, 2], [1, 2]]))


def test_array_op_values():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    t = ag.constant(x)
    np.testing.assert_array_equal(run(ag.reshape(t, [-1, 4])), x.reshape(-1, 4))
    np.testing.assert_array_equal(run(ag.transpose(t)), x.T)
    np.testing.assert_array_equal(run(ag.concat([t, t], -1)), np.concatenate([x, x], -1))
    np.testing.assert_array_equal(run(ag.stack([t, t], 1)), np.stack([x, x], 1))
    np.testing.assert_array_equal(run(ag.unstack(t, axis=2)[3]), x[:, :, 3])
    np.testing.assert_array_equal(run(ag.split(t, [1, 3], axis=2)[1]), x[:, :, 1:])
    np.testing.assert_array_equal(run(ag.expand_dims(t, -1)), x[..., None])
    np.testing.assert_array_equal(run(ag.squeeze(ag.constant(x[:1]))), x[0])
    np.testing.assert_array_equal(run(ag.tile(t, [1, 2, 1])), np.tile(x, [1, 2, 1]))
    np.testing.assert_array_equal(run(ag.pad(t, [[0, 0], [1, 1], [0, 2]])),
                                  np.pad(x, [[0, 0], [1, 1], [0, 2]]))
    np.testing.assert_array_equal(run(ag.gather(t, [2, 0], axis=2)), x[:, :, [2, 0]])
    np.testing.assert_array_equal(run(t[1, ::2, None, -1]), x[1, ::2, None, -1])
    np.testing.assert_array_equal(run(ag.one_hot([0, 2, 5], 3)),
                                  [[1, 0, 0], [0, 0, 1], [0, 0, 0]])
    np.testing.assert_array_equal(run(ag.where(ag.constant([True, False]), 1.0, 2.0)),
                                  [1.0, 2.0])
    np.testing.assert_array_equal(run(ag.where(ag.constant([[True, False], [False, True]]))),
                                  [[0, 0], [1, 1]])


def test_shape_size_rank_fold_to_constants_when_known():
    x = ag.placeholder(ag.float32, [None, 3])
    assert ag.shape(ag.constant(X)).op.type == "Const"
    assert ag.shape(x).op.type == "Shape"
    feed = {x: np.zeros((5, 3))}
    np.testing.assert_array_equal(run(ag.shape(x), feed), [5, 3])
    assert run(ag.size(x), feed) == 15
    assert run(ag.rank(x), feed) == 2


def test_fill_zeros_ones_and_likes():
    np.testing.assert_array_equal(run(ag.fill([2, 2], 7.0)), np.full((2, 2), 7.0))
    np.testing.assert_array_equal(run(ag.zeros([2], ag.int32)), [0, 0])
    np.testing.assert_array_equal(run(ag.ones_like(ag.constant(X))), np.ones_like(X))
    x = ag.placeholder(ag.float32, [None])
    np.testing.assert_array_equal(run(ag.zeros(ag.shape(x)), {x: [1, 2, 3]}), [0, 0, 0])


def test_dynamic_shapes_flow_through_reshape():
    x = ag.placeholder(ag.float32, [None, 4])
    y = ag.reshape(x, ag.stack([ag.shape(x)[0] * 2, 2]))
    assert y.shape == (None, 2)  # as TF: the packed constant dimension is known
    assert run(y, {x: np.zeros((3, 4))}).shape == (6, 2)


def test_bias_adds_pick_the_widened_kernel_when_the_plan_is_compiled():
    """Ops whose static shapes show a short bias along the last axis get the kernel that
    widens the rows; every other elementwise op runs the bare ufunc (no per-run test)."""
    rng = np.random.default_rng(0)
    x = ag.placeholder(ag.float32, [None, 10])
    bias = ag.constant(rng.standard_normal(10).astype(np.float32))
    biased, scaled = x + bias, x * 2.0
    assert Add.specialize(biased.op).__name__ == "add" and \
        Add.specialize(biased.op) is not np.add
    assert Mul.specialize(scaled.op) is np.multiply
    value = rng.standard_normal((1000, 10)).astype(np.float32)   # big enough to widen
    np.testing.assert_allclose(run(biased - bias * 0.5, {x: value}),
                               value + np.asarray(run(bias)) * 0.5, rtol=1e-6, atol=1e-6)
