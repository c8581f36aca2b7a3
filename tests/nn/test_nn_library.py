"""The rest of tf.nn the white paper's op list and real programs use: transposed, dilated,
depthwise and 1-D convolutions, max_pool_with_argmax, lrn, the weighted and flattened
cross-entropies, sampled losses with their samplers, and bidirectional RNNs."""
import numpy as np
import pytest

import autograd as ag
import autograd.tf1 as ours
import nn
from autograd.testing import check_gradients

RNG = np.random.default_rng(3)
IMAGES = RNG.standard_normal((2, 7, 6, 3)).astype(np.float32)
FILTERS = RNG.standard_normal((3, 3, 3, 4)).astype(np.float32)
DEPTHWISE = RNG.standard_normal((3, 3, 3, 2)).astype(np.float32)
POINTWISE = RNG.standard_normal((1, 1, 6, 5)).astype(np.float32)
SIGNALS = RNG.standard_normal((2, 9, 3)).astype(np.float32)
KERNELS_1D = RNG.standard_normal((4, 3, 2)).astype(np.float32)
SMALL = RNG.standard_normal((2, 4, 4, 3)).astype(np.float32)
UP = RNG.standard_normal((3, 3, 2, 3)).astype(np.float32)

# sampled losses: 2 examples, 10 classes, 4 sampled candidates given explicitly
EMB = RNG.standard_normal((10, 5)).astype(np.float32)
BIAS = RNG.standard_normal(10).astype(np.float32)
INPUTS = RNG.standard_normal((2, 5)).astype(np.float32)
LABELS = np.array([[3], [7]], np.int64)
SAMPLED = (np.array([1, 3, 8, 0], np.int64), np.array([[0.4], [0.2]], np.float32),
           np.array([0.9, 0.4, 0.1, 0.95], np.float32))

CASES = {
    "conv1d": lambda tf: tf.nn.conv1d(SIGNALS, KERNELS_1D, 2, "SAME"),
    "conv2d_transpose SAME stride 2": lambda tf: tf.nn.conv2d_transpose(
        SMALL, UP, [2, 8, 8, 2], [1, 2, 2, 1], "SAME"),
    "conv2d_transpose VALID": lambda tf: tf.nn.conv2d_transpose(
        SMALL, UP, [2, 6, 6, 2], [1, 1, 1, 1], "VALID"),
    "atrous_conv2d rate 2": lambda tf: tf.nn.atrous_conv2d(IMAGES, FILTERS, 2, "SAME"),
    "atrous_conv2d VALID": lambda tf: tf.nn.atrous_conv2d(IMAGES, FILTERS, 2, "VALID"),
    "depthwise_conv2d": lambda tf: tf.nn.depthwise_conv2d(IMAGES, DEPTHWISE, [1, 1, 1, 1],
                                                           "SAME"),
    "depthwise_conv2d strided": lambda tf: tf.nn.depthwise_conv2d(IMAGES, DEPTHWISE,
                                                                   [1, 2, 2, 1], "VALID"),
    "separable_conv2d": lambda tf: tf.nn.separable_conv2d(IMAGES, DEPTHWISE, POINTWISE,
                                                           [1, 1, 1, 1], "SAME"),
    "max_pool_with_argmax": lambda tf: tf.nn.max_pool_with_argmax(
        IMAGES, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"),
    "lrn": lambda tf: tf.nn.lrn(IMAGES, depth_radius=1, bias=2.0, alpha=0.5, beta=0.75),
    "weighted cross-entropy": lambda tf: tf.nn.weighted_cross_entropy_with_logits(
        targets=np.array([0.0, 1.0, 1.0], np.float32),
        logits=np.array([-30.0, 0.5, 40.0], np.float32), pos_weight=3.0),
    "softmax cross-entropy flattens [labels]": lambda tf: tf.nn.softmax_cross_entropy_with_logits(
        labels=tf.stop_gradient([tf.constant(np.eye(3, dtype=np.float32)[[0, 2]])]),
        logits=SMALL[0, 0, :2]),
    "nce_loss": lambda tf: tf.nn.nce_loss(EMB, BIAS, LABELS, INPUTS, 4, 10,
                                          sampled_values=SAMPLED),
    "nce_loss removing accidental hits": lambda tf: tf.nn.nce_loss(
        EMB, BIAS, LABELS, INPUTS, 4, 10, sampled_values=SAMPLED, remove_accidental_hits=True),
    "sampled_softmax_loss": lambda tf: tf.nn.sampled_softmax_loss(EMB, BIAS, LABELS, INPUTS, 4,
                                                                  10, sampled_values=SAMPLED),
    "expected counts without unique": lambda tf: tf.nn.uniform_candidate_sampler(
        LABELS, 1, 4, False, 10)[1:],
}


def _run(tf, name):
    with tf.Graph().as_default():
        fetch = CASES[name](tf)
        with tf.Session() as sess:
            return sess.run(fetch)


def _same(a, b):
    if isinstance(a, (list, tuple)):
        for x, y in zip(a, b):
            _same(x, y)
    else:
        np.testing.assert_allclose(np.asarray(a, np.float64), np.asarray(b, np.float64),
                                   rtol=2e-4, atol=2e-4)


@pytest.mark.parametrize("name", sorted(CASES))
def test_runs_with_tf1_shapes(name):
    with ours.Graph().as_default():
        fetch = CASES[name](ours)
        with ours.Session() as sess:
            values = sess.run(fetch)
    for tensor, value in zip(fetch if isinstance(fetch, (list, tuple)) else [fetch],
                             values if isinstance(fetch, (list, tuple)) else [values]):
        assert ag.shapes.compatible(tensor.shape, np.shape(value))


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(name):
    tf = pytest.importorskip("tensorflow.compat.v1",
                             reason="tensorflow is not installed (extra 'bench')")
    tf.disable_v2_behavior()
    _same(_run(ours, name), _run(tf, name))


def test_known_values_without_tensorflow():
    pooled, argmax = _run(ours, "max_pool_with_argmax")
    flat = IMAGES.reshape(2, -1)
    np.testing.assert_array_equal(np.take_along_axis(flat, argmax.reshape(2, -1), 1),
                                  pooled.reshape(2, -1))
    x, z, q = np.array([-30.0, 0.5, 40.0]), np.array([0.0, 1.0, 1.0]), 3.0
    expected = (1 - z) * x + (1 + (q - 1) * z) * np.log1p(np.exp(-x))
    _same(_run(ours, "weighted cross-entropy"), expected)
    depthwise = _run(ours, "depthwise_conv2d")
    one_channel = nn.conv2d(IMAGES[..., 1:2], DEPTHWISE[:, :, 1:2, :], [1, 1, 1, 1], "SAME")
    with ours.Session() as sess:
        _same(depthwise[..., 2:4], sess.run(one_channel))


R = np.random.default_rng(9)
GRADIENTS = {
    "conv1d": (lambda x, f: nn.conv1d(x, f, 1, "VALID"), [R.random((1, 6, 2)),
                                                          R.random((3, 2, 2))]),
    "conv2d_transpose": (lambda x, f: nn.conv2d_transpose(x, f, [1, 5, 5, 2], [1, 2, 2, 1],
                                                          "SAME"),
                         [R.random((1, 3, 3, 3)), R.random((2, 2, 2, 3))]),
    "atrous_conv2d": (lambda x, f: nn.atrous_conv2d(x, f, 2, "SAME"),
                      [R.random((1, 5, 5, 2)), R.random((2, 2, 2, 2))]),
    "depthwise_conv2d": (lambda x, f: nn.depthwise_conv2d(x, f, [1, 1, 1, 1], "VALID"),
                         [R.random((1, 4, 4, 2)), R.random((2, 2, 2, 2))]),
    "lrn": (lambda x: nn.lrn(x, 1, 1.0, 0.5, 0.75), [R.random((1, 2, 2, 4))]),
    "weighted cross-entropy": (lambda x: nn.weighted_cross_entropy_with_logits(
        targets=ag.constant(np.array([0.0, 1.0, 0.3])), logits=x, pos_weight=2.0),
        [R.standard_normal(3)]),
    "nce_loss": (lambda w, x: nn.nce_loss(w, ag.constant(BIAS.astype(np.float64)),
                                          LABELS, x, 4, 10, sampled_values=SAMPLED),
                 [EMB.astype(np.float64), INPUTS.astype(np.float64)]),
    "sampled_softmax_loss": (lambda w, x: nn.sampled_softmax_loss(
        w, ag.constant(BIAS.astype(np.float64)), LABELS, x, 4, 10, sampled_values=SAMPLED),
        [EMB.astype(np.float64), INPUTS.astype(np.float64)]),
}


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradients_match_finite_differences(name):
    function, inputs = GRADIENTS[name]
    check_gradients(function, inputs, rtol=1e-4, atol=1e-6)


def test_log_uniform_sampler_draws_distinct_frequent_classes_reproducibly():
    with ag.Graph().as_default() as graph:
        graph.seed = 42
        sampled, true_expected, sampled_expected = ag.log_uniform_candidate_sampler(
            LABELS, 1, 20, True, 1000)
        with ag.Session() as sess:
            first = sess.run([sampled, true_expected, sampled_expected])
        with ag.Session() as sess:
            again = sess.run(sampled)
    np.testing.assert_array_equal(first[0], again)   # a seeded graph draws the same
    assert len(set(first[0].tolist())) == 20 and first[0].max() < 1000
    assert np.all((first[1] > 0) & (first[1] <= 1)) and np.all(first[2] > 0)
    with ag.Graph().as_default():
        draws = ag.log_uniform_candidate_sampler(np.zeros((1, 1), np.int64), 1, 4000, False,
                                                 50)[0]
        with ag.Session() as sess:
            counts = np.bincount(sess.run(draws), minlength=50)
    p = (np.log(np.arange(50) + 2) - np.log(np.arange(50) + 1)) / np.log(51)
    assert np.abs(counts / 4000 - p).max() < 0.03     # Zipf-like: class 0 about 18%


def test_bidirectional_rnn_reads_each_sequence_backwards_within_its_length():
    with ag.Graph().as_default():
        x = ag.constant(RNG.standard_normal((2, 4, 3)).astype(np.float32))
        lengths = [4, 2]
        fw, bw = nn.rnn_cell.GRUCell(5), nn.rnn_cell.GRUCell(5)
        (out_fw, out_bw), (state_fw, state_bw) = nn.bidirectional_dynamic_rnn(
            fw, bw, x, sequence_length=lengths, dtype=ag.float32)
        reversed_x = ag.reverse_sequence(x, lengths, seq_axis=1, batch_axis=0)
        manual_bw, manual_state = nn.dynamic_rnn(bw, reversed_x, sequence_length=lengths,
                                                 dtype=ag.float32, scope="again")
        manual_out = ag.reverse_sequence(manual_bw, lengths, seq_axis=1, batch_axis=0)
        static = nn.static_bidirectional_rnn(fw, bw, ag.unstack(x, 4, axis=1),
                                             dtype=ag.float32, sequence_length=lengths)
        with ag.Session() as sess:
            sess.run(ag.global_variables_initializer())
            got = sess.run([out_bw, manual_out, state_bw, manual_state, out_fw,
                            static[0][0]])
    np.testing.assert_allclose(got[0], got[1], rtol=1e-6)
    np.testing.assert_allclose(got[2], got[3], rtol=1e-6)
    assert np.all(got[0][1, 2:] == 0.0)                 # past the length: zeros
    np.testing.assert_allclose(got[5], np.concatenate([got[4][:, 0], got[0][:, 0]], 1),
                               rtol=1e-6)
