"""The linear-algebra family: TF1's values, shapes, errors and gradients; compared with
tensorflow.compat.v1 on the same inputs where it is installed."""
import numpy as np
import pytest

import autograd as ag
import autograd.tf1 as ours
from autograd.testing import check_gradients

RNG = np.random.default_rng(11)
A = (RNG.standard_normal((3, 3)) + 3 * np.eye(3)).astype(np.float32)
SPD = (A @ A.T + np.eye(3, dtype=np.float32)).astype(np.float32)
B = RNG.standard_normal((3, 2)).astype(np.float32)
BATCH = RNG.standard_normal((2, 3, 3)).astype(np.float32) + 3 * np.eye(3, dtype=np.float32)


def _run(tf, build):
    graph = tf.Graph()
    try:
        with graph.as_default():
            fetch = build(tf)
            with tf.Session() as sess:
                return "value", sess.run(fetch)
    except tf.errors.InvalidArgumentError:
        return "error", "InvalidArgumentError"
    except (ValueError, TypeError) as exc:
        return "error", type(exc).__name__


CASES = {
    "matrix_determinant, batched": (lambda tf: tf.matrix_determinant(BATCH),
                                    np.linalg.det(BATCH)),
    "matrix_inverse": (lambda tf: tf.matrix_inverse(A), np.linalg.inv(A)),
    "matrix_inverse adjoint": (lambda tf: tf.matrix_inverse(A, adjoint=True),
                               np.linalg.inv(A.T)),
    "matrix_inverse of a singular matrix": (lambda tf: tf.matrix_inverse(np.ones((2, 2),
                                                                                 np.float32)),
                                            "InvalidArgumentError"),
    "matrix_inverse of a non-square matrix": (lambda tf: tf.matrix_inverse(B), ValueError),
    "cholesky": (lambda tf: tf.cholesky(SPD), np.linalg.cholesky(SPD)),
    "matrix_solve": (lambda tf: tf.matrix_solve(A, B), np.linalg.solve(A, B)),
    "matrix_solve adjoint": (lambda tf: tf.matrix_solve(A, B, adjoint=True),
                             np.linalg.solve(A.T, B)),
    "matrix_triangular_solve lower": (lambda tf: tf.matrix_triangular_solve(A, B),
                                      np.linalg.solve(np.tril(A), B)),
    "matrix_triangular_solve upper adjoint":
        (lambda tf: tf.matrix_triangular_solve(A, B, lower=False, adjoint=True),
         np.linalg.solve(np.triu(A).T, B)),
    "diag": (lambda tf: tf.diag(np.array([1.0, 2.0], np.float32)), np.diag([1.0, 2.0])),
    "diag_part": (lambda tf: tf.diag_part(A), np.diag(A)),
    "matrix_diag, batched": (lambda tf: tf.matrix_diag(B.T), [np.diag(r) for r in B.T]),
    "matrix_diag_part of a wide matrix": (lambda tf: tf.matrix_diag_part(B.T), np.diag(B.T)),
    "matrix_set_diag": (lambda tf: tf.matrix_set_diag(A, np.zeros(3, np.float32)),
                        A - np.diag(np.diag(A))),
    "matrix_band_part lower": (lambda tf: tf.matrix_band_part(A, -1, 0), np.tril(A)),
    "matrix_band_part tridiagonal": (lambda tf: tf.matrix_band_part(A, 1, 1),
                                     np.triu(np.tril(A, 1), -1)),
    "matrix_transpose": (lambda tf: tf.matrix_transpose(BATCH), np.swapaxes(BATCH, 1, 2)),
    "trace": (lambda tf: tf.trace(BATCH), np.trace(BATCH, axis1=1, axis2=2)),
    "einsum matmul": (lambda tf: tf.einsum("ij,jk->ik", A, B), A @ B),
    "einsum batched outer": (lambda tf: tf.einsum("bi,bj->bij", B.T, B.T),
                             np.einsum("bi,bj->bij", B.T, B.T)),
    "einsum implicit output": (lambda tf: tf.einsum("ij,jk", A, B), A @ B),
    "norm euclidean": (lambda tf: tf.norm(A), np.linalg.norm(A)),
    "norm 1 along an axis": (lambda tf: tf.norm(A, ord=1, axis=1),
                             np.abs(A).sum(axis=1)),
    "norm inf": (lambda tf: tf.norm(A, ord=np.inf, axis=0), np.abs(A).max(axis=0)),
    "eye with a batch": (lambda tf: tf.eye(2, 3, batch_shape=[2]),
                         np.broadcast_to(np.eye(2, 3), (2, 2, 3))),
    "qr reconstructs": (lambda tf: tf.matmul(*tf.qr(np.vstack([A, B.T]))),
                        np.vstack([A, B.T])),
    "svd values": (lambda tf: tf.svd(A, compute_uv=False), np.linalg.svd(A, compute_uv=False)),
    "svd reconstructs": (lambda tf: (lambda s, u, v: tf.matmul(u * s, v, transpose_b=True))(
        *tf.svd(A)), A),
    "self_adjoint_eigvals": (lambda tf: tf.self_adjoint_eigvals(SPD), np.linalg.eigvalsh(SPD)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_linear_algebra_gives_tf1s_results(name):
    build, expected = CASES[name]
    kind, value = _run(ours, build)
    if isinstance(expected, (str, type)):
        assert (kind, value) == ("error", expected if isinstance(expected, str)
                                 else expected.__name__)
    else:
        assert kind == "value", value
        np.testing.assert_allclose(value, np.asarray(expected), rtol=2e-4, atol=2e-5)


@pytest.mark.parametrize("name", sorted(CASES))
def test_linear_algebra_matches_tensorflow(name):
    tf = pytest.importorskip("tensorflow.compat.v1",
                             reason="tensorflow is not installed (extra 'bench')")
    tf.disable_v2_behavior()
    build, _ = CASES[name]
    (ours_kind, ours_value), (theirs_kind, theirs_value) = _run(ours, build), _run(tf, build)
    assert ours_kind == theirs_kind, (ours_value, theirs_value)
    if ours_kind == "value":
        np.testing.assert_allclose(ours_value, theirs_value, rtol=2e-4, atol=2e-5)


def _symmetric(x):
    """A well-conditioned symmetric positive-definite matrix from any square x: the ops
    that read one triangle are checked along symmetric directions."""
    return ag.matmul(x, x, transpose_b=True) + ag.eye(x.shape[-1], dtype=ag.float64) * 3.0


M = RNG.standard_normal((3, 3)) + 3 * np.eye(3)
GRADIENTS = {
    "matrix_determinant": (ag.matrix_determinant, [M]),
    "matrix_inverse": (ag.matrix_inverse, [M]),
    "matrix_inverse adjoint": (lambda x: ag.matrix_inverse(x, adjoint=True), [M]),
    "matrix_solve": (ag.matrix_solve, [M, RNG.standard_normal((3, 2))]),
    "matrix_solve adjoint": (lambda a, b: ag.matrix_solve(a, b, adjoint=True),
                             [M, RNG.standard_normal((3, 2))]),
    "matrix_triangular_solve": (ag.matrix_triangular_solve, [M, RNG.standard_normal((3, 2))]),
    "matrix_triangular_solve upper adjoint":
        (lambda a, b: ag.matrix_triangular_solve(a, b, lower=False, adjoint=True),
         [M, RNG.standard_normal((3, 2))]),
    "cholesky": (lambda x: ag.cholesky(_symmetric(x)), [M]),
    "self_adjoint_eig": (lambda x: ag.self_adjoint_eig(_symmetric(x))[0] *
                         ag.reduce_sum(ag.abs(ag.self_adjoint_eig(_symmetric(x))[1])), [M]),
    "self_adjoint_eigvals": (lambda x: ag.self_adjoint_eigvals(_symmetric(x)), [M]),
    "qr": (lambda x: ag.qr(x)[1] + ag.reduce_sum(ag.qr(x)[0]), [RNG.standard_normal((4, 3))]),
    # first order only: a second derivative needs the path through U and V (not built)
    "svd values": (lambda x: ag.svd(x, compute_uv=False), [M], 1),
    "diag and diag_part": (lambda x: ag.diag(ag.diag_part(x)) * 2.0, [M]),
    "matrix_diag and set_diag": (lambda x, d: ag.matrix_set_diag(x, d) +
                                 ag.matrix_diag(d), [M, RNG.standard_normal(3)]),
    "matrix_band_part": (lambda x: ag.matrix_band_part(x, 1, 0), [M]),
    "trace": (ag.trace, [M]),
    "einsum": (lambda a, b: ag.einsum("ij,jk->ik", a, b), [M, RNG.standard_normal((3, 2))]),
    "einsum with a summed-out index": (lambda a, b: ag.einsum("ij,k->ik", a, b),
                                       [M, RNG.standard_normal(4)]),
    "norm": (lambda x: ag.norm(x, axis=1), [M]),
}


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_linear_algebra_gradients_match_finite_differences(name):
    function, inputs, *order = GRADIENTS[name]
    check_gradients(function, inputs, order=order[0] if order else 2, rtol=1e-4, atol=1e-6)


def test_the_svd_gradient_refuses_the_singular_vectors():
    x = ag.constant(M)
    _, u, _ = ag.svd(x)
    with pytest.raises(ValueError, match="singular vectors"):
        ag.gradients(ag.reduce_sum(u), [x])
