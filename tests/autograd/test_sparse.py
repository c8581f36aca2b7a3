"""SparseTensor: feeding and fetching, conversion to dense, products, sums, sparse_add and
embedding_lookup_sparse, against TF1; gradients through the values."""
import numpy as np
import pytest

import autograd as ag
import autograd.tf1 as ours
import nn
from autograd.testing import check_gradients

INDICES = np.array([[0, 1], [1, 0], [2, 1], [2, 3]], np.int64)
VALUES = np.array([2.0, -1.0, 0.5, 3.0], np.float32)
SHAPE = np.array([3, 4], np.int64)
W = np.arange(12, dtype=np.float32).reshape(4, 3) / 10
OTHER = np.array([[0, 1], [0, 2]], np.int64), np.array([1.0, 7.0], np.float32)
PARAMS = np.random.default_rng(0).standard_normal((6, 3)).astype(np.float32)
IDS = (np.array([[0, 0], [0, 1], [2, 0]], np.int64), np.array([1, 4, 5], np.int64))
ID_WEIGHTS = np.array([2.0, 0.5, 1.0], np.float32)


def _sp(tf):
    return tf.SparseTensor(INDICES, VALUES, SHAPE)


CASES = {
    "to_dense": lambda tf: tf.sparse_tensor_to_dense(_sp(tf), default_value=-9.0),
    "sparse_to_dense with a scalar value": lambda tf: tf.sparse_to_dense(
        [[0, 0], [1, 2]], [2, 3], 5.0),
    "sparse_to_dense of a vector": lambda tf: tf.sparse_to_dense([1, 3], [5], [7.0, 8.0]),
    "dense matmul": lambda tf: tf.sparse_tensor_dense_matmul(_sp(tf), W),
    "dense matmul adjoint": lambda tf: tf.sparse_tensor_dense_matmul(_sp(tf), W[:3],
                                                                     adjoint_a=True),
    "reduce_sum": lambda tf: tf.sparse_reduce_sum(_sp(tf)),
    "reduce_sum along an axis": lambda tf: tf.sparse_reduce_sum(_sp(tf), axis=1),
    "sparse + dense": lambda tf: tf.sparse_add(_sp(tf), np.ones((3, 4), np.float32)),
    "sparse + sparse": lambda tf: tf.sparse_tensor_to_dense(tf.sparse_add(
        _sp(tf), tf.SparseTensor(OTHER[0], OTHER[1], SHAPE))),
    "embedding_lookup_sparse mean": lambda tf: tf.nn.embedding_lookup_sparse(
        PARAMS, tf.SparseTensor(IDS[0], IDS[1], [3, 2]),
        tf.SparseTensor(IDS[0], ID_WEIGHTS, [3, 2]), combiner="mean"),
    "embedding_lookup_sparse sqrtn unweighted": lambda tf: tf.nn.embedding_lookup_sparse(
        PARAMS, tf.SparseTensor(IDS[0], IDS[1], [3, 2]), None, combiner="sqrtn"),
    "to_dense of an index outside": lambda tf: tf.sparse_tensor_to_dense(
        tf.SparseTensor([[5, 0]], [1.0], [3, 4])),
    "to_dense of unsorted indices": lambda tf: tf.sparse_tensor_to_dense(
        tf.SparseTensor([[2, 0], [1, 0]], [1.0, 2.0], [3, 4])),
}


def _run(tf, name):
    with tf.Graph().as_default():
        fetch = CASES[name](tf)
        with tf.Session() as sess:
            try:
                return sess.run(fetch)
            except tf.errors.InvalidArgumentError:
                return "InvalidArgumentError"


@pytest.mark.parametrize("name", sorted(CASES))
def test_sparse_ops_match_tensorflow(name):
    tf = pytest.importorskip("tensorflow.compat.v1",
                             reason="tensorflow is not installed (extra 'bench')")
    tf.disable_v2_behavior()
    ours_value, theirs = _run(ours, name), _run(tf, name)
    if isinstance(theirs, str):
        assert ours_value == theirs
    else:
        np.testing.assert_allclose(ours_value, theirs, rtol=1e-5, atol=1e-6)


def test_sparse_values_without_tensorflow():
    dense = _run(ours, "to_dense")
    expected = np.full((3, 4), -9.0)
    expected[tuple(INDICES.T)] = VALUES
    np.testing.assert_array_equal(dense, expected)
    np.testing.assert_allclose(_run(ours, "dense matmul"), np.where(expected == -9, 0,
                                                                    expected) @ W, rtol=1e-6)
    assert _run(ours, "to_dense of an index outside") == "InvalidArgumentError"


def test_a_sparse_placeholder_is_fed_and_fetched_whole():
    with ours.Graph().as_default():
        sp = ours.sparse_placeholder(ours.float32)
        total = ours.sparse_reduce_sum(sp)
        with ours.Session() as sess:
            value = ours.SparseTensorValue(INDICES, VALUES, SHAPE)
            assert sess.run(total, {sp: value}) == pytest.approx(VALUES.sum())
            assert sess.run(total, {sp: (INDICES, VALUES, SHAPE)}) == pytest.approx(4.5)
            fetched = sess.run(sp, {sp: value})
            assert isinstance(fetched, ours.SparseTensorValue)
            np.testing.assert_array_equal(fetched.values, VALUES)
            with pytest.raises(TypeError, match="SparseTensorValue or an"):
                sess.run(total, {sp: np.zeros((3, 4))})


def test_gradients_reach_the_values_and_the_dense_operand():
    def matmul(values, w):
        return ag.sparse_tensor_dense_matmul(ag.SparseTensor(INDICES, values, SHAPE), w)

    check_gradients(matmul, [VALUES.astype(np.float64), W.astype(np.float64)])

    def lookup(params, weights):
        return nn.embedding_lookup_sparse(params, ag.SparseTensor(IDS[0], IDS[1], [3, 2]),
                                          ag.SparseTensor(IDS[0], weights, [3, 2]))

    check_gradients(lookup, [PARAMS.astype(np.float64), ID_WEIGHTS.astype(np.float64)])
    check_gradients(lambda v: ag.sparse_tensor_to_dense(ag.SparseTensor(INDICES, v, SHAPE)),
                    [VALUES.astype(np.float64)])
