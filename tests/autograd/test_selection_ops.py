"""The op library's selection, segment and slicing ops: TF1's values, shapes, errors and
gradients. Each case runs on the facade and, where TensorFlow is installed, on
tensorflow.compat.v1 with the same inputs; the outcomes must agree."""
import numpy as np
import pytest

import autograd as ag
import autograd.tf1 as ours
import nn
import optim
from autograd.testing import check_gradients

X = np.array([[3.0, 1.0, 4.0, 1.0, 5.0], [9.0, 2.0, 6.0, 5.0, 3.0]], np.float32)


def _run(tf, build):
    graph = tf.Graph()
    try:
        with graph.as_default():
            fetch = build(tf)
            with tf.Session() as sess:
                value = sess.run(fetch)
        return "value", value
    except tf.errors.InvalidArgumentError:
        return "error", "InvalidArgumentError"
    except (ValueError, TypeError) as exc:
        return "error", type(exc).__name__


CASES = {
    "top_k values and indices, ties lower index first":
        (lambda tf: tf.nn.top_k(tf.constant([[1.0, 3.0, 3.0, 2.0]]), k=3),
         [[[3.0, 3.0, 2.0]], [[1, 2, 3]]]),
    "top_k with k too large": (lambda tf: tf.nn.top_k(tf.constant(X), k=6), ValueError),
    "in_top_k counts ties as in":
        (lambda tf: tf.nn.in_top_k(tf.constant([[0.1, 0.3, 0.3, 0.2], [1.0, 0.0, 2.0, 0.5]]),
                                   tf.constant([2, 3]), 1), [True, False]),
    "sort descending": (lambda tf: tf.sort(tf.constant(X), direction="DESCENDING"),
                        -np.sort(-X, axis=-1)),
    "argsort ascending, stable": (lambda tf: tf.argsort(tf.constant([3, 1, 3, 0])),
                                  [3, 1, 0, 2]),
    "argsort descending, stable": (lambda tf: tf.argsort(tf.constant([3, 1, 3, 0]),
                                                         direction="DESCENDING"), [0, 2, 1, 3]),
    "unique in order of appearance": (lambda tf: tf.unique(tf.constant([4, 1, 4, 2, 1])),
                                      [[4, 1, 2], [0, 1, 0, 2, 1]]),
    "unique_with_counts": (lambda tf: tf.unique_with_counts(tf.constant([4, 1, 4, 2, 1])),
                           [[4, 1, 2], [0, 1, 0, 2, 1], [2, 2, 1]]),
    "setdiff1d keeps order and duplicates":
        (lambda tf: tf.setdiff1d(tf.constant([1, 2, 3, 2, 4]), tf.constant([3, 5])),
         [[1, 2, 2, 4], [0, 1, 3, 4]]),
    "reverse along an axis": (lambda tf: tf.reverse(tf.constant(X), [1]), X[:, ::-1]),
    "reverse_sequence": (lambda tf: tf.reverse_sequence(tf.constant(X), [2, 4], seq_axis=1,
                                                        batch_axis=0),
                         [[1.0, 3.0, 4.0, 1.0, 5.0], [5.0, 6.0, 2.0, 9.0, 3.0]]),
    "reverse_sequence past the end":
        (lambda tf: tf.reverse_sequence(tf.constant(X), [2, 9], seq_axis=1, batch_axis=0),
         "InvalidArgumentError"),
    "boolean_mask of rows": (lambda tf: tf.boolean_mask(tf.constant(X), [False, True]),
                             X[1:]),
    "boolean_mask 2-D": (lambda tf: tf.boolean_mask(tf.constant(X), tf.constant(X) > 4.0),
                         X[X > 4.0]),
    "boolean_mask wrong shape": (lambda tf: tf.boolean_mask(tf.constant(X), [True] * 3),
                                 ValueError),
    "sequence_mask": (lambda tf: tf.sequence_mask([1, 3, 0], 4),
                      [[1, 0, 0, 0], [1, 1, 1, 0], [0, 0, 0, 0]]),
    "sequence_mask as floats": (lambda tf: tf.sequence_mask([2, 1], dtype=tf.float32),
                                [[1.0, 1.0], [1.0, 0.0]]),
    "bincount": (lambda tf: tf.bincount(tf.constant([1, 1, 3]), minlength=5), [0, 2, 0, 1, 0]),
    "bincount with weights": (lambda tf: tf.bincount(tf.constant([1, 1, 3]),
                                                     weights=tf.constant([0.5, 1.0, 2.0])),
                              [0.0, 1.5, 0.0, 2.0]),
    "histogram_fixed_width": (lambda tf: tf.histogram_fixed_width(
        tf.constant([-1.0, 0.0, 1.5, 2.0, 5.0, 15.0]), [0.0, 5.0], nbins=5), [2, 1, 1, 0, 2]),
    "meshgrid xy": (lambda tf: tf.meshgrid([1, 2, 3], [4, 5]),
                    [[[1, 2, 3], [1, 2, 3]], [[4, 4, 4], [5, 5, 5]]]),
    "meshgrid ij": (lambda tf: tf.meshgrid([1, 2, 3], [4, 5], indexing="ij"),
                    [[[1, 1], [2, 2], [3, 3]], [[4, 5], [4, 5], [4, 5]]]),
    "slice with -1": (lambda tf: tf.slice(tf.constant(X), [1, 2], [1, -1]), X[1:, 2:]),
    "slice past the end": (lambda tf: tf.slice(tf.constant(X), [0, 3], [1, 4]), ValueError),
    "strided_slice with masks": (lambda tf: tf.strided_slice(tf.constant(X), [0, 1], [2, 5],
                                                             [1, 2], begin_mask=1,
                                                             shrink_axis_mask=0),
                                 X[:, 1:5:2]),
    "strided_slice shrinking an axis": (lambda tf: tf.strided_slice(
        tf.constant(X), [1, 0], [2, 5], [1, 1], shrink_axis_mask=1), X[1]),
    "segment_sum": (lambda tf: tf.segment_sum(tf.constant(X.T), [0, 0, 1, 2, 2]),
                    [X.T[:2].sum(0), X.T[2], X.T[3:].sum(0)]),
    "segment_mean": (lambda tf: tf.segment_mean(tf.constant([1.0, 3.0, 4.0]), [0, 0, 1]),
                     [2.0, 4.0]),
    "segment_max": (lambda tf: tf.segment_max(tf.constant([1.0, 3.0, 4.0]), [0, 0, 2]),
                    [3.0, 0.0, 4.0]),
    "segment ids not sorted": (lambda tf: tf.segment_sum(tf.constant([1.0, 2.0]), [1, 0]),
                               "InvalidArgumentError"),
    "unsorted_segment_sum drops negative ids":
        (lambda tf: tf.unsorted_segment_sum(tf.constant([1.0, 2.0, 4.0]), [2, -1, 0], 3),
         [4.0, 0.0, 1.0]),
    "unsorted_segment_max of an empty segment":
        (lambda tf: tf.unsorted_segment_max(tf.constant([1, 5, 2]), [0, 0, 2], 3),
         [5, np.iinfo(np.int32).min, 2]),
    "unsorted_segment_sum id too large":
        (lambda tf: tf.unsorted_segment_sum(tf.constant([1.0]), [3], 2), "InvalidArgumentError"),
    "gather_nd": (lambda tf: tf.gather_nd(tf.constant(X), [[1, 0], [0, 4]]), [9.0, 5.0]),
    "gather_nd of rows": (lambda tf: tf.gather_nd(tf.constant(X), [[1]]), X[1:]),
    "gather_nd out of range": (lambda tf: tf.gather_nd(tf.constant(X), [[2, 0]]),
                               "InvalidArgumentError"),
    "scatter_nd adds duplicates": (lambda tf: tf.scatter_nd([[1], [3], [1]], [1.0, 2.0, 4.0],
                                                            [5]), [0.0, 5.0, 0.0, 2.0, 0.0]),
    "dynamic_partition": (lambda tf: tf.dynamic_partition(tf.constant([10, 20, 30, 40]),
                                                          [1, 0, 1, 1], 2),
                          [[20], [10, 30, 40]]),
    "dynamic_stitch, later wins": (lambda tf: tf.dynamic_stitch(
        [tf.constant([0, 2]), tf.constant([1, 2])],
        [tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])]), [1.0, 3.0, 4.0]),
    "case picks the first true": (lambda tf: tf.case(
        [(tf.constant(False), lambda: tf.constant(1)), (tf.constant(True), lambda: tf.constant(2)),
         (tf.constant(True), lambda: tf.constant(3))], default=lambda: tf.constant(4)), 2),
    "case default": (lambda tf: tf.case([(tf.constant(False), lambda: tf.constant(1))],
                                        default=lambda: tf.constant(4)), 4),
    "case exclusive with two true": (lambda tf: tf.case(
        [(tf.constant(True), lambda: tf.constant(1)), (tf.constant(True), lambda: tf.constant(2))],
        default=lambda: tf.constant(4), exclusive=True), "InvalidArgumentError"),
    "case without default, none true": (lambda tf: tf.case(
        [(tf.constant(False), lambda: tf.constant(1)),
         (tf.constant(False), lambda: tf.constant(2))]), "InvalidArgumentError"),
    "clip_by_norm": (lambda tf: tf.clip_by_norm(tf.constant([3.0, 4.0]), 1.0), [0.6, 0.8]),
    "l2_normalize": (lambda tf: tf.nn.l2_normalize(tf.constant([[3.0, 4.0], [0.0, 0.0]]), 1),
                     [[0.6, 0.8], [0.0, 0.0]]),
    "xw_plus_b": (lambda tf: tf.nn.xw_plus_b(tf.constant([[1.0, 2.0]]),
                                             tf.constant([[1.0], [1.0]]), tf.constant([0.5])),
                  [[3.5]]),
}


def _same(got, expected):
    if isinstance(expected, (list, tuple)) and isinstance(got, (list, tuple)):
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            _same(g, e)
    else:
        np.testing.assert_allclose(np.asarray(got, dtype=np.float64),
                                   np.asarray(expected, dtype=np.float64), rtol=1e-6)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_op_library_gives_tf1s_results(name):
    build, expected = CASES[name]
    kind, value = _run(ours, build)
    if isinstance(expected, type) or isinstance(expected, str):
        wanted = expected if isinstance(expected, str) else expected.__name__
        assert (kind, value) == ("error", wanted)
    else:
        assert kind == "value", value
        _same(value, expected)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_op_library_matches_tensorflow(name):
    tf = pytest.importorskip("tensorflow.compat.v1",
                             reason="tensorflow is not installed (extra 'bench')")
    tf.disable_v2_behavior()
    build, _ = CASES[name]
    ours_kind, ours_value = _run(ours, build)
    theirs_kind, theirs_value = _run(tf, build)
    assert ours_kind == theirs_kind, (ours_value, theirs_value)
    if ours_kind == "value":
        _same(ours_value, theirs_value)


RNG = np.random.default_rng(7)
DISTINCT = RNG.permutation(20).reshape(4, 5) + RNG.random((4, 5)) * 0.5

GRADIENTS = {
    "sort": (lambda x: ag.sort(x, direction="DESCENDING"), [DISTINCT]),
    "top_k": (lambda x: ag.top_k(x, 3)[0], [DISTINCT]),
    "reverse": (lambda x: ag.reverse(x, [0, 1]), [DISTINCT]),
    "reverse_sequence": (lambda x: ag.reverse_sequence(x, [2, 5, 0, 3], seq_axis=1), [DISTINCT]),
    "boolean_mask": (lambda x: ag.boolean_mask(x, DISTINCT > 8.0), [DISTINCT]),
    "slice": (lambda x: ag.slice(x, [1, 1], [2, -1]), [DISTINCT]),
    "strided_slice": (lambda x: ag.strided_slice(x, [0, 4], [4, 0], [2, -2]), [DISTINCT]),
    "gather_nd": (lambda x: ag.gather_nd(x, [[1, 2], [3, 0], [1, 2]]), [DISTINCT]),
    "scatter_nd": (lambda u: ag.scatter_nd([[1], [3], [1]], u, [4, 5]), [DISTINCT[:3]]),
    "unsorted_segment_sum": (lambda x: ag.unsorted_segment_sum(x, [1, -1, 1, 0], 3),
                             [DISTINCT]),
    "unsorted_segment_max": (lambda x: ag.unsorted_segment_max(x, [1, 0, 1, 0], 2),
                             [DISTINCT]),
    "segment_mean": (lambda x: ag.segment_mean(x, [0, 0, 1, 1]), [DISTINCT]),
    "dynamic_partition": (lambda x: ag.dynamic_partition(x, [1, 0, 1, 1], 2)[1], [DISTINCT]),
    "dynamic_stitch": (lambda a, b: ag.dynamic_stitch([[0, 2], [1, 3]], [a, b]),
                       [DISTINCT[:2], DISTINCT[2:]]),
    "meshgrid": (lambda a, b: ag.meshgrid(a, b)[0] * ag.meshgrid(a, b)[1],
                 [DISTINCT[0], DISTINCT[1, :3]]),
    "case": (lambda x: ag.case([(ag.constant(False), lambda: x * 2.0)],
                               default=lambda: ag.square(x)), [DISTINCT]),
    "clip_by_norm": (lambda x: optim.clip_by_norm(x, 3.0, axes=[1]), [DISTINCT]),
    "l2_normalize": (lambda x: nn.l2_normalize(x, 1), [DISTINCT]),
    "xw_plus_b": (lambda x, w: nn.xw_plus_b(x, w, ag.constant(np.ones(3))),
                  [DISTINCT, RNG.random((5, 3))]),
}


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradients_match_finite_differences(name):
    function, inputs = GRADIENTS[name]
    check_gradients(function, inputs)


def test_top_k_gives_the_gradient_only_to_the_entries_it_picked():
    x = ag.constant([[1.0, 5.0, 3.0, 4.0]])
    values, _ = ag.top_k(x, 2)
    dx, = ag.gradients(ag.reduce_sum(values), [x])
    with ag.Session() as sess:
        assert sess.run(dx).tolist() == [[0.0, 1.0, 0.0, 1.0]]
