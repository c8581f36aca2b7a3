"""Bad input gets a clear error at the earliest point, naming what to fix; never a raw
numpy or Python error."""
import numpy as np
import pytest

import autograd as ag
import nn
from autograd import errors


def test_text_fed_to_a_float_placeholder_names_it():
    x = ag.placeholder(ag.float32, [None], name="heights")
    with ag.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError, match=r"'heights:0'.*text"):
            sess.run(x, {x: ["tall", "short"]})
        assert list(sess.run(x, {x: [1.5, 2.0]})) == [1.5, 2.0]


def test_an_integer_too_big_for_int64_is_explained():
    n = ag.placeholder(ag.int64, [], name="count")
    with ag.Session() as sess, pytest.raises(errors.InvalidArgumentError,
                                             match=r"'count:0'.*too large for int64"):
        sess.run(n, {n: 2 ** 70})
    with pytest.raises(TypeError, match="too large.*int64"):
        ag.constant([1, 2 ** 70])


@pytest.mark.parametrize("build, error, words", [
    (lambda: ag.zeros([-1, 2]), ValueError, "unknown"),
    (lambda: ag.ones(["a"]), TypeError, "'a' that is not an integer"),
    (lambda: ag.tile(ag.constant([1.0]), [-1]), ValueError, "Tile op.*negative"),
    (lambda: ag.pad(ag.constant([1.0]), [[-1, 0]]), ValueError, "Pad op.*negative"),
    (lambda: ag.reduce_sum(ag.constant([1.0]), axis=5), ValueError, "Sum op 'Sum'.*axis 5"),
    (lambda: ag.concat([ag.constant([1.0])] * 2, axis=3), ValueError, "ConcatV2 op.*axis 3"),
    (lambda: ag.gather(ag.constant([1.0]), [0], axis=2), ValueError, "GatherV2 op.*axis 2"),
    (lambda: nn.softmax(ag.constant([1.0]), axis=4), ValueError, "Softmax op.*axis 4"),
])
def test_build_time_errors_name_the_op_and_the_fix(build, error, words):
    with pytest.raises(error, match=words):
        build()


@pytest.mark.parametrize("pool", [nn.max_pool, nn.avg_pool])
def test_conv_and_pool_windows_are_checked_when_built(pool):
    image = ag.placeholder(ag.float32, [None, 8, 8, 1])
    with pytest.raises(ValueError, match=r"Conv2D op.*strides must be positive"):
        nn.conv2d(image, ag.zeros([3, 3, 1, 2]), [1, 0, 0, 1], "SAME")
    with pytest.raises(ValueError, match=r"Pool op.*strides must be positive"):
        pool(image, [1, 2, 2, 1], [1, 0, 0, 1], "SAME")
    with pytest.raises(ValueError, match=r"Pool op.*ksize must be positive"):
        pool(image, [1, 0, 0, 1], [1, 1, 1, 1], "SAME")


def test_a_run_time_matmul_mismatch_says_which_dimensions():
    a, b = ag.placeholder(ag.float32, [None, None]), ag.placeholder(ag.float32, [None, None])
    product = ag.matmul(a, b, name="scores")
    with ag.Session() as sess, pytest.raises(errors.InvalidArgumentError) as info:
        sess.run(product, {a: np.zeros((2, 3)), b: np.zeros((5, 4))})
    message = str(info.value)
    assert "inner dimensions 3 and 5" in message and "'scores'" in message
    assert "gufunc" not in message


@pytest.mark.parametrize("loss", ["dense", "sparse"])
def test_a_run_time_labels_logits_mismatch_says_which_is_which(loss):
    logits = ag.placeholder(ag.float32, [None, 10])
    if loss == "dense":
        labels = ag.placeholder(ag.float32, [None, 10])
        xent = nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        fed = np.zeros((2, 10))
    else:
        labels = ag.placeholder(ag.int32, [None])
        xent = nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        fed = np.zeros(2)
    with ag.Session() as sess, pytest.raises(errors.InvalidArgumentError,
                                             match=r"labels have shape \(2,.*logits have "
                                                   r"shape \(3, 10\)"):
        sess.run(xent, {labels: fed, logits: np.zeros((3, 10))})


def test_the_mixed_dtype_hint_casts_the_integer_to_the_float():
    for a, b in ((ag.constant(1), ag.constant(2.0)), (ag.constant(2.0), ag.constant(1))):
        with pytest.raises(TypeError, match=r"convert the int32 one .* autograd.float32"):
            a + b
