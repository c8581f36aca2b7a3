"""nn ops: values against numpy, float64 gradient checks, numerical stability."""
import threading

import numpy as np
import pytest
from helpers.shape_table import UNARY_SHAPES, shape_id

import autograd as ag
import nn
from autograd.testing import check_gradients
from nn.conv import conv_output_size


def away_from_zero(rng, shape):
    return rng.uniform(0.2, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


ACTIVATIONS = {
    "relu": (nn.relu, lambda x: np.maximum(x, 0)),
    "relu6": (nn.relu6, lambda x: np.clip(x, 0, 6)),
    "leaky_relu": (nn.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x)),
    "elu": (nn.elu, lambda x: np.where(x > 0, x, np.exp(x) - 1)),
    "selu": (nn.selu, lambda x: 1.0507009873554805 * np.where(
        x > 0, x, 1.6732632423543772 * (np.exp(x) - 1))),
    "softplus": (nn.softplus, lambda x: np.log1p(np.exp(x))),
    "softsign": (nn.softsign, lambda x: x / (1 + np.abs(x))),
    "sigmoid": (nn.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "tanh": (nn.tanh, np.tanh),
    "softmax": (nn.softmax, lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True)),
    "log_softmax": (nn.log_softmax, lambda x: x - np.log(np.exp(x).sum(-1, keepdims=True))),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("shape", [s for s in UNARY_SHAPES if s], ids=shape_id)
def test_activation_values_and_gradients(name, shape, rng):
    ours, reference = ACTIVATIONS[name]
    x = away_from_zero(rng, shape)
    with ag.Session() as sess:
        np.testing.assert_allclose(sess.run(ours(ag.constant(x))), reference(x), rtol=1e-10)
    if name == "relu6":
        x = np.clip(x, -5, 5)
    check_gradients(ours, [x])


def test_softmax_on_another_axis(rng):
    check_gradients(lambda t: nn.softmax(t, axis=0), [rng.standard_normal((3, 4))])
    check_gradients(lambda t: nn.log_softmax(t, axis=1), [rng.standard_normal((2, 3, 4))])


def _labels(rng, shape):
    return np.eye(shape[-1])[rng.integers(0, shape[-1], shape[:-1])]


def test_softmax_cross_entropy_values_and_gradients(rng):
    logits = rng.standard_normal((5, 4))
    labels = _labels(rng, (5, 4))
    loss = nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    log_probs = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    with ag.Session() as sess:
        np.testing.assert_allclose(sess.run(loss), -(labels * log_probs).sum(1))
    check_gradients(lambda t: nn.softmax_cross_entropy_with_logits(labels=labels, logits=t),
                    [logits])
    soft_labels = rng.dirichlet(np.ones(4), 5)
    check_gradients(lambda t: nn.softmax_cross_entropy_with_logits(labels=soft_labels,
                                                                   logits=t), [logits])


def test_sparse_and_sigmoid_cross_entropy_gradients(rng):
    logits = rng.standard_normal((6, 3))
    ids = rng.integers(0, 3, 6)
    check_gradients(lambda t: nn.sparse_softmax_cross_entropy_with_logits(labels=ids,
                                                                          logits=t), [logits])
    targets = rng.uniform(0, 1, (6, 3))
    check_gradients(lambda t: nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=t),
                    [away_from_zero(rng, (6, 3))])


@pytest.mark.parametrize("loss_name", ["softmax", "sparse", "sigmoid"])
def test_losses_are_finite_for_huge_logits(loss_name):
    logits = ag.constant(np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0]], np.float32))
    if loss_name == "softmax":
        loss = nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]],
                                                    logits=logits)
    elif loss_name == "sparse":
        loss = nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 0], logits=logits)
    else:
        loss = nn.sigmoid_cross_entropy_with_logits(labels=np.ones((2, 3), np.float32),
                                                    logits=logits)
    grad, = ag.gradients(ag.reduce_sum(loss), [logits])
    with ag.Session() as sess:
        value, g = sess.run([loss, grad])
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(g))
    if loss_name != "sigmoid":
        np.testing.assert_allclose(value, [2e4, 2e4], rtol=1e-6)


def test_no_gradient_flows_into_labels():
    labels = ag.Variable([[0.0, 1.0]])
    logits = ag.Variable([[1.0, 2.0]])
    loss = nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    assert ag.gradients(loss, [labels])[0] is None
    assert ag.gradients(nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits),
                        [labels])[0] is None


def test_l2_loss_and_mean_squared_error(rng):
    x = rng.standard_normal((3, 4))
    y = rng.standard_normal((3, 4))
    with ag.Session() as sess:
        assert sess.run(nn.l2_loss(ag.constant(x))) == pytest.approx((x ** 2).sum() / 2)
        assert sess.run(nn.mean_squared_error(y, ag.constant(x))) == pytest.approx(
            ((x - y) ** 2).mean())
    check_gradients(nn.l2_loss, [x])
    check_gradients(lambda t: nn.mean_squared_error(y, t), [x])


def naive_conv(x, f, s, padding):
    n, h, w, _ = x.shape
    kh, kw, _, o = f.shape
    oh, (top, bottom) = conv_output_size(h, kh, s, padding)
    ow, (left, right) = conv_output_size(w, kw, s, padding)
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    out = np.zeros((n, oh, ow, o))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, i * s:i * s + kh, j * s:j * s + kw, :]
            out[:, i, j, :] = np.tensordot(patch, f, axes=([1, 2, 3], [0, 1, 2]))
    return out


CONV_CASES = [(7, 6, 3, 3, 1, "SAME"), (7, 6, 3, 2, 2, "SAME"), (8, 8, 5, 5, 2, "SAME"),
              (7, 7, 4, 4, 2, "VALID"), (9, 8, 3, 3, 3, "SAME"), (6, 6, 2, 2, 2, "VALID"),
              (5, 5, 5, 5, 1, "VALID")]


@pytest.mark.parametrize("case", CONV_CASES, ids=str)
def test_conv2d_values_and_gradients(case, rng):
    h, w, kh, kw, s, padding = case
    x = rng.standard_normal((2, h, w, 3))
    f = rng.standard_normal((kh, kw, 3, 4))
    with ag.Session() as sess:
        out = sess.run(nn.conv2d(x, f, [1, s, s, 1], padding))
    np.testing.assert_allclose(out, naive_conv(x, f, s, padding), rtol=1e-10, atol=1e-10)
    check_gradients(lambda a, b: nn.conv2d(a, b, [1, s, s, 1], padding), [x, f])


@pytest.mark.parametrize("case", [(5, 5, 3, 3, 1, "SAME"), (6, 5, 3, 2, 2, "VALID")], ids=str)
def test_conv2d_gradients_with_many_channels(case, rng):
    """From 16 input channels on, the input gradient is col2im instead of stride phases."""
    h, w, kh, kw, s, padding = case
    x = rng.standard_normal((2, h, w, 16))
    f = rng.standard_normal((kh, kw, 16, 2))
    check_gradients(lambda a, b: nn.conv2d(a, b, [1, s, s, 1], padding), [x, f])


def naive_conv_grads(x, f, dy, s, padding):
    """dx and df of sum(conv(x, f) * dy), by the definition, one window at a time."""
    n, h, w, _ = x.shape
    kh, kw, _, o = f.shape
    oh, (top, bottom) = conv_output_size(h, kh, s, padding)
    ow, (left, right) = conv_output_size(w, kw, s, padding)
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    dxp, df = np.zeros_like(xp), np.zeros_like(f)
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, i * s:i * s + kh, j * s:j * s + kw, :]
            df += np.einsum("nhwc,no->hwco", patch, dy[:, i, j, :])
            dxp[:, i * s:i * s + kh, j * s:j * s + kw, :] += np.einsum("hwco,no->nhwc", f,
                                                                        dy[:, i, j, :])
    return dxp[:, top:top + h, left:left + w, :], df


@pytest.mark.parametrize("channels", [1, 3, 16, 24])
@pytest.mark.parametrize("case", [(9, 8, 5, 5, 2, "SAME"), (8, 8, 3, 3, 1, "VALID"),
                                  (10, 9, 4, 4, 3, "SAME")], ids=str)
def test_conv_kernels_give_the_same_results_in_any_workspace(case, channels, rng):
    """The kernels work a few images at a time so that their scratch fits the session's
    workspace; any chunking (down to one image) gives the definition's values."""
    h, w, kh, kw, s, padding = case
    x = rng.standard_normal((5, h, w, channels))
    f = rng.standard_normal((kh, kw, channels, 3))
    y = nn.conv2d(ag.constant(x), ag.constant(f), [1, s, s, 1], padding)
    dy = rng.standard_normal(tuple(y.shape))
    dx, df = ag.gradients(y, y.op.inputs[:2], grad_ys=[dy])
    expected_dx, expected_df = naive_conv_grads(x, f, dy, s, padding)
    for workspace in (1, 3000, 8 << 20):
        with ag.Session(workspace_bytes=workspace) as sess:
            got_y, got_dx, got_df = sess.run([y, dx, df])
        np.testing.assert_allclose(got_y, naive_conv(x, f, s, padding), rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(got_dx, expected_dx, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(got_df, expected_df, rtol=1e-10, atol=1e-10)


def test_conv_scratch_stays_within_the_workspace(rng):
    """The im2col columns are made a few images at a time: the scratch buffers a big
    batch leaves behind are bounded by the workspace, not by the batch."""
    from nn import windows
    x = ag.constant(rng.standard_normal((64, 12, 12, 4)).astype(np.float32))
    f = ag.constant(rng.standard_normal((5, 5, 4, 8)).astype(np.float32))
    y = nn.conv2d(x, f, [1, 1, 1, 1], "SAME")
    grads = ag.gradients(ag.reduce_sum(ag.square(y)), [x, f])
    one_image = 12 * 12 * 5 * 5 * 4 * 4  # bytes of one image's columns
    result = {}

    def run():
        with ag.Session(workspace_bytes=4 * one_image) as sess:
            sess.run(grads)
        result["largest"] = max(buffer.nbytes for buffer in vars(windows._scratch).values())
    thread = threading.Thread(target=run)  # a fresh thread: fresh scratch buffers
    thread.start()
    thread.join()
    assert 0 < result["largest"] <= 4 * one_image


def test_conv2d_static_shapes_and_errors():
    x = ag.placeholder(ag.float32, [None, 28, 28, 1])
    assert nn.conv2d(x, ag.zeros([5, 5, 1, 4]), [1, 2, 2, 1], "SAME").shape == (None, 14, 14, 4)
    assert nn.conv2d(x, ag.zeros([4, 4, 1, 4]), [1, 2, 2, 1], "VALID").shape == \
        (None, 13, 13, 4)
    with pytest.raises(ValueError, match="channels"):
        nn.conv2d(x, ag.zeros([5, 5, 3, 4]), [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="padding"):
        nn.conv2d(x, ag.zeros([5, 5, 1, 4]), [1, 1, 1, 1], "FULL")


POOL_CASES = [(4, 4, 2, 2, "VALID"), (5, 5, 2, 2, "SAME"), (5, 6, 3, 2, "SAME"),
              (6, 6, 3, 1, "VALID"), (7, 5, 3, 3, "SAME")]


@pytest.mark.parametrize("case", POOL_CASES, ids=str)
def test_pooling_gradients(case, rng):
    h, w, k, s, padding = case
    x = rng.permutation(2 * h * w * 3).reshape(2, h, w, 3) * 0.1  # distinct: no max ties
    check_gradients(lambda a: nn.max_pool(a, [1, k, k, 1], [1, s, s, 1], padding), [x])
    check_gradients(lambda a: nn.avg_pool(a, [1, k, k, 1], [1, s, s, 1], padding), [x])


def test_pooling_values_follow_tf_same_padding():
    x = np.arange(9.0).reshape(1, 3, 3, 1)
    with ag.Session() as sess:
        avg = sess.run(nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"))[0, :, :, 0]
        top = sess.run(nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"))[0, :, :, 0]
    np.testing.assert_allclose(avg, [[2.0, 3.5], [6.5, 8.0]])  # only real cells averaged
    np.testing.assert_allclose(top, [[4.0, 5.0], [7.0, 8.0]])


def test_bias_add_moments_and_batch_normalization(rng):
    x = rng.standard_normal((4, 3))
    b = rng.standard_normal(3)
    check_gradients(lambda t, c: nn.bias_add(t, c), [x, b])
    mean, var = nn.moments(ag.constant(x), [0])
    with ag.Session() as sess:
        m, v = sess.run([mean, var])
    np.testing.assert_allclose(m, x.mean(0))
    np.testing.assert_allclose(v, x.var(0))

    def normalised(t, scale, offset):
        mu, sigma2 = nn.moments(t, [0])
        return nn.batch_normalization(t, mu, sigma2, offset, scale, 1e-3)
    check_gradients(normalised, [x, rng.uniform(0.5, 1.5, 3), b])


def test_dropout_keeps_expected_fraction_and_scales(rng):
    x = ag.ones([200, 100])
    keep = ag.placeholder(ag.float32, [])
    dropped = nn.dropout(x, keep_prob=keep, seed=1)
    with ag.Session() as sess:
        train = sess.run(dropped, {keep: 0.75})
        evaluate = sess.run(dropped, {keep: 1.0})
    assert set(np.unique(train)) == {0.0, np.float32(1 / 0.75)}
    assert abs((train > 0).mean() - 0.75) < 0.02
    np.testing.assert_array_equal(evaluate, np.ones((200, 100)))
    with pytest.raises(ValueError, match="exactly one"):
        nn.dropout(x)
    with ag.Session() as sess:
        assert abs((sess.run(nn.dropout(x, rate=0.5)) > 0).mean() - 0.5) < 0.02
