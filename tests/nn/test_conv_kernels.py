"""The compiled (numba) convolution kernels against the numpy ones, which stay the
reference: random shapes, strides, paddings, channel counts 1-64 and batches 1-128."""
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
from autograd import compiled
from autograd.testing import check_gradients
from nn import conv

numba_only = pytest.mark.skipif(not compiled.installed(),
                                reason="numba is not installed (the 'fast' extra)")


class _Context:
    """What the kernels read from an OpContext."""
    threads, workspace_bytes = 2, 8 << 20


@st.composite
def convolutions(draw):
    """(x shape, filter shape, stride, padding): channels 1-64 and batches 1-128, with
    the images kept small where those are large, so that each example stays quick."""
    channels = draw(st.sampled_from([1, 2, 3, 4, 8, 12, 16, 32, 64]))
    filters = draw(st.sampled_from([1, 3, 4, 8, 24, 64]))
    batch = draw(st.sampled_from([1, 2, 5, 16, 128]))
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    stride = draw(st.integers(1, 3))
    padding = draw(st.sampled_from(["SAME", "VALID"]))
    most = 12 if batch * channels * filters <= 4096 else 6
    h = draw(st.integers(kh if padding == "VALID" else 1, max(most, kh)))
    w = draw(st.integers(kw if padding == "VALID" else 1, max(most, kw)))
    return (batch, h, w, channels), (kh, kw, channels, filters), stride, padding


def _kernels():
    from nn import conv_kernels
    return conv_kernels


@numba_only
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(convolutions(), st.sampled_from([np.float32, np.float64]), st.integers(0, 2**31))
def test_compiled_kernels_agree_with_numpy_ones(case, dtype, seed):
    x_shape, f_shape, stride, padding = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(x_shape).astype(dtype)
    f = rng.standard_normal(f_shape).astype(dtype)
    strides = (1, stride, stride, 1)
    kernels, ctx = _kernels(), _Context()
    y = conv._conv_forward(ctx, x, f, strides, padding)
    dy = rng.standard_normal(y.shape).astype(dtype)
    tolerance = {"rtol": 2e-5, "atol": 2e-5} if dtype == np.float32 else \
        {"rtol": 1e-12, "atol": 1e-12}
    scale = np.sqrt(f_shape[0] * f_shape[1] * f_shape[2] * max(f_shape[3], 1))
    got = kernels.forward(ctx, x, f, strides, padding)
    assert got.dtype == dtype
    np.testing.assert_allclose(got / scale, y / scale, **tolerance)
    expected_df = conv._backprop_filter_forward(ctx, x, np.array(f_shape), dy, strides, padding)
    got_df = kernels.backprop_filter(ctx, x, np.array(f_shape), dy, strides, padding)
    np.testing.assert_allclose(got_df / scale / x_shape[0], expected_df / scale / x_shape[0],
                               **tolerance)
    expected_dx = conv._backprop_input_forward(ctx, np.array(x_shape), f, dy, strides, padding)
    for backprop_input in (kernels.backprop_input, kernels.backprop_input_by_columns):
        got_dx = backprop_input(ctx, np.array(x_shape), f, dy, strides, padding)
        np.testing.assert_allclose(got_dx / scale, expected_dx / scale, **tolerance)


@numba_only
@pytest.mark.parametrize("stride, padding", [(1, "SAME"), (2, "SAME"), (2, "VALID")])
def test_gradients_through_the_compiled_kernels(stride, padding, rng):
    """Finite differences in float64 with every convolution on its compiled kernel (the
    gradient of a gradient included: those are convolutions too)."""
    x = rng.standard_normal((2, 7, 6, 3))
    f = rng.standard_normal((3, 2, 3, 4))
    with compiled.use("compiled"):
        check_gradients(lambda a, b: nn.conv2d(a, b, [1, stride, stride, 1], padding), [x, f])


@numba_only
def test_the_plan_keeps_the_fastest_kernel_for_each_shape(rng):
    """The kernels take turns over the op's first runs (timed where they run), then the
    fastest runs alone; the decision is the fed batch's, and later ops of the same
    shapes take it without a trial."""
    x = ag.placeholder(ag.float32, [None, 12, 12, 2])
    weights = rng.standard_normal((3, 3, 2, 5)).astype(np.float32)
    y = nn.conv2d(x, weights, [1, 1, 1, 1], "SAME")
    twin = nn.conv2d(x, weights, [1, 1, 1, 1], "SAME")
    images = rng.standard_normal((3, 12, 12, 2)).astype(np.float32)
    expected = conv._conv_forward(_Context(), images, weights, (1, 1, 1, 1), "SAME")
    before = compiled.decisions()
    with ag.Session(kernels="fastest") as sess:
        np.testing.assert_allclose(sess.run(y, {x: images}), expected, rtol=1e-5, atol=1e-5)
        assert compiled.decisions() == before
        for _ in range(compiled.trial_runs(3) - 1):         # numpy, compiled, one thread
            np.testing.assert_allclose(sess.run(y, {x: images}), expected, rtol=1e-5,
                                       atol=1e-5)
        chosen = {key: i for key, i in compiled.decisions().items() if key not in before}
        assert [key[0] for key in chosen] == ["Conv2D"]
        assert ((3, 12, 12, 2), "<f4") in next(iter(chosen))   # decided on the fed batch
        np.testing.assert_allclose(sess.run(twin, {x: images}), expected, rtol=1e-5,
                                   atol=1e-5)
    assert len(compiled.decisions()) == len(before) + 1


def test_without_numba_every_op_runs_its_numpy_kernel(rng, monkeypatch):
    monkeypatch.setitem(sys.modules, "numba", None)        # import numba now fails
    monkeypatch.setattr(compiled, "_numba", lambda: None)
    assert not compiled.installed() and not compiled.available()
    x = rng.standard_normal((2, 6, 6, 3)).astype(np.float32)
    f = rng.standard_normal((3, 3, 3, 4)).astype(np.float32)
    before = compiled.decisions()
    with ag.Session() as sess:
        got = sess.run(nn.conv2d(x, f, [1, 1, 1, 1], "SAME"))
    assert compiled.decisions() == before
    np.testing.assert_allclose(got, conv._conv_forward(_Context(), x, f, (1, 1, 1, 1), "SAME"))
    with pytest.raises(ImportError, match="pip install numba"):
        compiled.jit()


def test_the_environment_or_the_session_switches_compiled_kernels_off(monkeypatch, rng):
    monkeypatch.setenv(compiled.DISABLE_VARIABLE, "numpy")
    assert not compiled.available()
    with compiled.use("fastest"):
        assert compiled.available() == compiled.installed()
    monkeypatch.delenv(compiled.DISABLE_VARIABLE)
    x = rng.standard_normal((2, 5, 5, 1)).astype(np.float32)
    f = rng.standard_normal((5, 5, 1, 3)).astype(np.float32)
    before = compiled.decisions()
    with ag.Session(kernels="numpy") as sess:
        sess.run(nn.conv2d(x, f, [1, 1, 1, 1], "SAME"))
    assert compiled.decisions() == before
    with pytest.raises(ValueError, match="'fastest', 'numpy', 'compiled'"):
        ag.Session(kernels="numba")


@numba_only
def test_a_damaged_kernel_cache_is_dropped_and_the_kernel_compiled_again(tmp_path):
    """numba caches machine code beside the module; a cache file cut short (a full disk,
    a killed process) must cost a compile, not make every compiled op fail."""
    import importlib.util
    source = tmp_path / "tiny_kernels.py"
    source.write_text("from autograd import compiled\n\n\n@compiled.jit()\n"
                      "def double(x):\n    return 2 * x\n")

    def load(name):
        spec = importlib.util.spec_from_file_location(name, source)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    assert compiled.run(load("tiny_kernels_first").double, 21.0) == 42.0
    caches = list((tmp_path / "__pycache__").glob("tiny_kernels.double-*"))
    assert caches
    for path in caches:
        path.write_bytes(b"\xc3\x28 cut short")
    assert compiled.run(load("tiny_kernels_again").double, 2.5) == 5.0
    assert compiled.run(load("tiny_kernels_third").double, 1.0) == 2.0   # cache rewritten
