"""Finite-difference gradient checks in float64 for every differentiable core op."""
import numpy as np
import pytest
from helpers.shape_table import AXES, BINARY_SHAPES, UNARY_SHAPES, pair_id, shape_id
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import autograd as ag
from autograd.testing import check_gradients


def away_from_zero(rng, shape, low=0.5, high=1.5):
    """Values with |x| in [low, high] and random signs: clear of kinks at 0."""
    return rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


def positive(rng, shape):
    return rng.uniform(0.5, 2.0, shape)


UNARY = {
    "negative": (ag.negative, away_from_zero),
    "exp": (ag.exp, away_from_zero),
    "log": (ag.log, positive),
    "log1p": (ag.log1p, positive),
    "sqrt": (ag.sqrt, positive),
    "rsqrt": (ag.rsqrt, positive),
    "square": (ag.square, away_from_zero),
    "abs": (ag.abs, away_from_zero),
    "sin": (ag.sin, away_from_zero),
    "cos": (ag.cos, away_from_zero),
    "tanh": (ag.tanh, away_from_zero),
    "sigmoid": (ag.sigmoid, away_from_zero),
    "reciprocal": (ag.reciprocal, away_from_zero),
    "identity": (ag.identity, away_from_zero),
    "neg_operator": (lambda x: -x, away_from_zero),
    "abs_operator": (lambda x: abs(x), away_from_zero),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("shape", UNARY_SHAPES, ids=shape_id)
def test_unary_gradient(name, shape, rng):
    function, sample = UNARY[name]
    check_gradients(function, [sample(rng, shape)])


def _distinct_pair(rng, shapes):
    x = away_from_zero(rng, shapes[0])
    y = away_from_zero(rng, shapes[1]) + 0.25  # ties would sit on a kink
    return [x, y]


BINARY = {
    "add": (ag.add, _distinct_pair),
    "subtract": (ag.subtract, _distinct_pair),
    "multiply": (ag.multiply, _distinct_pair),
    "divide": (ag.divide, _distinct_pair),
    "maximum": (ag.maximum, _distinct_pair),
    "minimum": (ag.minimum, _distinct_pair),
    "squared_difference": (ag.squared_difference, _distinct_pair),
    "pow": (ag.pow, lambda rng, s: [positive(rng, s[0]), away_from_zero(rng, s[1])]),
    "mod": (ag.mod, lambda rng, s: [rng.uniform(0.1, 0.9, s[0]) + 3.0,
                                    rng.uniform(1.0, 1.05, s[1])]),
    "add_operator": (lambda x, y: x + y, _distinct_pair),
    "sub_operator": (lambda x, y: x - y, _distinct_pair),
    "mul_operator": (lambda x, y: x * y, _distinct_pair),
    "div_operator": (lambda x, y: x / y, _distinct_pair),
    "rsub_constant": (lambda x, y: 2.0 - x * y, _distinct_pair),
    "where": (lambda x, y: ag.where(x > 0, x, y), _distinct_pair),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("shapes", BINARY_SHAPES, ids=pair_id)
def test_binary_gradient(name, shapes, rng):
    function, sample = BINARY[name]
    check_gradients(function, sample(rng, shapes))


@settings(max_examples=25, deadline=None)
@given(mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
       st.sampled_from(["add", "subtract", "multiply", "divide", "maximum"]))
def test_broadcasting_gradients_found_by_hypothesis(shapes, name):
    rng = np.random.default_rng(0)
    function, sample = BINARY[name]
    check_gradients(function, sample(rng, shapes.input_shapes))


def test_clip_by_value_gradient(rng):
    x = rng.uniform(-2, 2, (4, 5))
    x[np.abs(np.abs(x) - 1) < 0.1] = 0.0  # keep clear of the clip edges
    check_gradients(lambda t: ag.clip_by_value(t, -1.0, 1.0), [x])


def test_cast_between_floats_passes_the_gradient():
    x = ag.placeholder(ag.float64, [3])
    y = ag.cast(ag.cast(x, ag.float32) * 2.0, ag.float64)
    g, = ag.gradients(y, [x])
    with ag.Session() as sess:
        np.testing.assert_allclose(sess.run(g, {x: [1.0, 2.0, 3.0]}), [2.0, 2.0, 2.0])


REDUCTIONS = {
    "reduce_sum": ag.reduce_sum, "reduce_mean": ag.reduce_mean, "reduce_prod": ag.reduce_prod,
    "reduce_max": ag.reduce_max, "reduce_min": ag.reduce_min,
    "reduce_logsumexp": ag.reduce_logsumexp,
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True], ids=["drop", "keep"])
def test_reduction_gradient(name, axis, keepdims, rng):
    x = away_from_zero(rng, (2, 3, 4))  # distinct values: max/min have no ties
    check_gradients(lambda t: REDUCTIONS[name](t, axis=axis, keepdims=keepdims), [x])


@pytest.mark.parametrize("scan", [ag.cumsum, ag.cumprod], ids=["cumsum", "cumprod"])
@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
def test_running_sum_and_product_gradients(scan, axis, exclusive, reverse, rng):
    x = away_from_zero(rng, (3, 4))
    check_gradients(lambda t: scan(t, axis=axis, exclusive=exclusive, reverse=reverse), [x])


def test_running_sums_and_products_match_numpy():
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with ag.Session() as sess:
        np.testing.assert_allclose(sess.run(ag.cumsum(x, axis=1)), np.cumsum(x, axis=1))
        np.testing.assert_allclose(sess.run(ag.cumprod(x, 1, exclusive=True, reverse=True)),
                                   [[6.0, 3.0, 1.0], [30.0, 6.0, 1.0]])


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
def test_reduce_prod_gradient_at_zeros(axis, rng):
    """No division by x: zeros get the product of the others (first order; the second
    order goes through cumprod's gradient, which divides, as TF's does)."""
    x = away_from_zero(rng, (3, 4))
    x[1, 2] = x[0, 0] = 0.0
    check_gradients(lambda t: ag.reduce_prod(t, axis=axis), [x], order=1)


def test_reduction_gradient_with_unknown_batch_dimension(rng):
    x = ag.placeholder(ag.float64, [None, 3])
    y = ag.reduce_mean(ag.reduce_max(x, axis=1) * 2.0)
    g, = ag.gradients(y, [x])
    value = np.array([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    with ag.Session() as sess:
        np.testing.assert_allclose(sess.run(g, {x: value}), [[0, 1, 0], [1, 0, 0]])


def test_max_gradient_is_shared_between_ties():
    x = ag.constant([1.0, 3.0, 3.0])
    g, = ag.gradients(ag.reduce_max(x), [x])
    with ag.Session() as sess:
        np.testing.assert_allclose(sess.run(g), [0.0, 0.5, 0.5])


@pytest.mark.parametrize("transpose_a", [False, True])
@pytest.mark.parametrize("transpose_b", [False, True])
def test_matmul_gradient(transpose_a, transpose_b, rng):
    a = rng.standard_normal((4, 3) if transpose_a else (3, 4))
    b = rng.standard_normal((5, 4) if transpose_b else (4, 5))
    check_gradients(lambda x, y: ag.matmul(x, y, transpose_a, transpose_b), [a, b])


@pytest.mark.parametrize("shapes", [((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (4, 5)),
                                    ((3, 4), (2, 4, 5)), ((2, 1, 3, 4), (5, 4, 2))],
                         ids=pair_id)
def test_batched_matmul_gradient(shapes, rng):
    a, b = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    check_gradients(lambda x, y: x @ y, [a, b])


@pytest.mark.parametrize("axes", [1, 2, [[0], [1]], [[1, 2], [0, 1]]], ids=str)
def test_tensordot_gradient(axes, rng):
    a, b = rng.standard_normal((3, 4, 2)), rng.standard_normal((4, 2, 3))
    if axes == [[0], [1]]:
        b = rng.standard_normal((2, 3, 5))
    if axes == 1:
        b = rng.standard_normal((2, 5))
    check_gradients(lambda x, y: ag.tensordot(x, y, axes), [a, b])


ARRAY_OPS = {
    "reshape": (lambda x: ag.reshape(x, [4, -1]), (2, 3, 4)),
    "transpose": (lambda x: ag.transpose(x, [2, 0, 1]), (2, 3, 4)),
    "transpose_default": (ag.transpose, (2, 3, 4)),
    "expand_dims": (lambda x: ag.expand_dims(x, 1), (2, 3)),
    "squeeze": (lambda x: ag.squeeze(x, [1]), (2, 1, 3)),
    "squeeze_all": (ag.squeeze, (1, 3, 1)),
    "tile": (lambda x: ag.tile(x, [2, 1, 3]), (2, 3, 2)),
    "pad": (lambda x: ag.pad(x, [[1, 0], [2, 1]]), (2, 3)),
    "gather": (lambda x: ag.gather(x, [2, 0, 2]), (3, 4)),
    "gather_axis1": (lambda x: ag.gather(x, [[1, 1], [0, 3]], axis=1), (3, 4)),
    "getitem_int": (lambda x: x[1], (3, 4)),
    "getitem_slices": (lambda x: x[1:, ::-2], (3, 4)),
    "getitem_newaxis_ellipsis": (lambda x: x[..., None, 1:3], (2, 3, 4)),
    "broadcast_to": (lambda x: ag.broadcast_to(x, [4, 2, 3]), (2, 1)),
    "concat": (lambda x: ag.concat([x, 2 * x, x[:1]], axis=0), (2, 3)),
    "concat_axis1": (lambda x: ag.concat([x, x[:, :1]], axis=-1), (2, 3)),
    "stack": (lambda x: ag.stack([x, x * x], axis=1), (2, 3)),
    "unstack": (lambda x: ag.unstack(x, axis=1)[1] * ag.unstack(x)[0], (3, 3)),
    "split_sizes": (lambda x: ag.split(x, [1, 3], axis=1)[1] * 2.0, (2, 4)),
    "split_equal": (lambda x: ag.split(x, 2)[0] - ag.split(x, 2)[1], (4, 3)),
    "add_n": (lambda x: ag.add_n([x, x * x, ag.sin(x)]), (2, 3)),
    "fill_value": (lambda x: ag.fill([2, 3], ag.reduce_sum(x)), (2,)),
}


@pytest.mark.parametrize("name", sorted(ARRAY_OPS))
def test_array_op_gradient(name, rng):
    function, shape = ARRAY_OPS[name]
    check_gradients(function, [away_from_zero(rng, shape)])


def test_split_gradient_when_a_part_is_unused(rng):
    check_gradients(lambda x: ag.split(x, 3, axis=1)[2], [rng.standard_normal((2, 3))])


def test_gradient_of_gradient_of_sigmoid_matches_formula():
    x = ag.placeholder(ag.float64, [5])
    y = ag.sigmoid(x)
    dy, = ag.gradients(y, [x])
    d2y, = ag.gradients(dy, [x])
    values = np.linspace(-2, 2, 5)
    s = 1 / (1 + np.exp(-values))
    with ag.Session() as sess:
        np.testing.assert_allclose(sess.run(d2y, {x: values}), s * (1 - s) * (1 - 2 * s))
