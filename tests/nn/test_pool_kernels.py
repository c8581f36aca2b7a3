"""The compiled (numba) max-pooling kernels against the numpy ones, which stay the
reference: random shapes, windows, strides and paddings, with NaN and -inf in the input
(the winners and maxima must be the same bits, ties and NaN included)."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn
from autograd import compiled
from autograd.testing import check_gradients
from nn import pool

numba_only = pytest.mark.skipif(not compiled.installed(),
                                reason="numba is not installed (the 'fast' extra)")


class _Context:
    threads = 2


@st.composite
def poolings(draw):
    """(x shape, ksize, strides, padding)."""
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    padding = draw(st.sampled_from(["SAME", "VALID"]))
    h = draw(st.integers(kh if padding == "VALID" else 1, 9))
    w = draw(st.integers(kw if padding == "VALID" else 1, 9))
    shape = (draw(st.sampled_from([1, 2, 5, 33])), h, w, draw(st.sampled_from([1, 3, 16, 40])))
    return shape, (1, kh, kw, 1), (1, sh, sw, 1), padding


@numba_only
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(poolings(), st.sampled_from([np.float32, np.float64]), st.integers(0, 2**31),
       st.booleans())
def test_compiled_max_pooling_agrees_with_numpy(case, dtype, seed, ties):
    from nn import pool_kernels
    shape, ksize, strides, padding = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(dtype)
    if ties:   # few distinct values: many ties, which the first maximum must win
        x = np.round(x).astype(dtype)
    specials = rng.random(shape)
    x[specials < 0.05], x[specials > 0.97] = np.nan, -np.inf
    best, winner = pool._max_pool_kernel(None, x, ksize, strides, padding)
    got_best, got_winner = pool_kernels.max_pool(_Context(), x, ksize, strides, padding)
    np.testing.assert_array_equal(got_winner, winner)
    np.testing.assert_array_equal(got_best, best)         # NaN where NaN won
    assert got_best.dtype == dtype
    dy = rng.standard_normal(best.shape).astype(dtype)
    expected = pool._max_pool_grad_forward(None, np.array(shape), dy, winner, ksize,
                                           strides, padding)
    got = pool_kernels.max_pool_grad(_Context(), np.array(shape), dy, winner, ksize,
                                     strides, padding)
    tolerance = 1e-5 if dtype == np.float32 else 1e-12    # overlapping windows add in
    np.testing.assert_allclose(got, expected, rtol=tolerance, atol=tolerance)  # another order


@numba_only
@pytest.mark.parametrize("ksize, stride, padding", [(2, 2, "SAME"), (3, 1, "SAME"),
                                                   (3, 2, "VALID")])
def test_gradients_through_the_compiled_pooling(ksize, stride, padding, rng):
    x = rng.permutation(2 * 5 * 6 * 3).reshape(2, 5, 6, 3) / 7.0   # no ties
    with compiled.use("compiled"):
        check_gradients(lambda a: nn.max_pool(a, [1, ksize, ksize, 1],
                                              [1, stride, stride, 1], padding), [x])
