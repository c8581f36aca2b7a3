"""Matrix functions and factorizations, batched over leading axes: matrix_determinant,
matrix_inverse, matrix_solve, matrix_triangular_solve, cholesky, qr, svd and
self_adjoint_eig(vals), each with TF1's gradient (formulas in each rule's docstring).

Cholesky and self_adjoint_eig read only the lower triangle of their input, as TF's
kernels do; their gradients are symmetrized accordingly, so a finite-difference check
must perturb symmetric matrices.
"""
import numpy as np

from .. import errors
from ..registry import convert_to_tensor, define_op
from ..shapes import fmt
from .matrices import (MatrixBandPart, MatrixDiag, MatrixDiagPart, MatrixSetDiag,
                       matrix_transpose)
from .math import reciprocal
from .shaping import expand_dims, zeros_like
from .linalg import matmul


def _square_shape(x, **attrs):
    if x.shape is not None:
        if len(x.shape) < 2:
            raise ValueError(f"needs matrices (rank >= 2), got shape {fmt(x.shape)}")
        rows, cols = x.shape[-2:]
        if rows is not None and cols is not None and rows != cols:
            raise ValueError(f"needs square matrices, got shape {fmt(x.shape)}")
    if x.dtype.kind not in "fc":
        raise TypeError(f"needs floating-point matrices, got {x.dtype.name}")
    return x.shape, x.dtype


def _linalg_error(what):
    """numpy's LinAlgError is TF's InvalidArgumentError, naming the problem."""
    return errors.InvalidArgumentError(f"{what}: the matrix is singular or not positive "
                                       f"definite")


# -- determinant and inverse ----------------------------------------------------------------
def _det_shape(x):
    shape, dtype = _square_shape(x)
    return (None if shape is None else shape[:-2]), dtype


def _det_forward(x):
    return np.asarray(np.linalg.det(x), dtype=x.dtype)


def _det_grad(op, dy):
    """d det(A) = det(A) tr(A^-1 dA), so dA = dy det(A) A^-T."""
    x = op.inputs[0]
    scale = expand_dims(expand_dims(dy * op.outputs[0], -1), -1)
    return [scale * matrix_transpose(MatrixInverse(x, adjoint=False))]


MatrixDeterminant = define_op("MatrixDeterminant", forward=_det_forward, shape=_det_shape,
                              grad=_det_grad)


def _inverse_forward(x, adjoint):
    try:
        inverse = np.linalg.inv(x)
    except np.linalg.LinAlgError:
        raise _linalg_error("matrix_inverse") from None
    return np.swapaxes(inverse, -1, -2) if adjoint else inverse


def _inverse_grad(op, dy):
    """For Y = A^-1: dA = -Y^T dY Y^T (adjoint: -Y dY^T Y, transposed back)."""
    y = op.outputs[0]
    if op.attrs["adjoint"]:
        return [-matmul(matmul(y, dy, transpose_a=False, transpose_b=True), y)]
    return [-matmul(matmul(y, dy, transpose_a=True), y, transpose_b=True)]


MatrixInverse = define_op("MatrixInverse", forward=_inverse_forward, shape=_square_shape,
                          grad=_inverse_grad)


def matrix_determinant(input, name=None):  # noqa: A002 - TF1's name
    """The determinant of each square matrix in the last two axes."""
    return MatrixDeterminant(convert_to_tensor(input), name=name)


def matrix_inverse(input, adjoint=False, name=None):  # noqa: A002 - TF1's name
    """The inverse of each square matrix (of its transpose with adjoint=True);
    InvalidArgumentError for a singular one."""
    return MatrixInverse(convert_to_tensor(input), adjoint=bool(adjoint), name=name)


# -- solves ---------------------------------------------------------------------------------
def _solve_shape(a, b, **attrs):
    _square_shape(a)
    if a.dtype != b.dtype:
        raise TypeError(f"matrix and rhs must share a dtype, got {a.dtype.name} and "
                        f"{b.dtype.name}")
    if a.shape is not None and b.shape is not None and a.shape[-1] is not None \
            and b.shape[-2] is not None and a.shape[-1] != b.shape[-2]:
        raise ValueError(f"matrix {fmt(a.shape)} and rhs {fmt(b.shape)} do not match")
    return b.shape, b.dtype


def _solve_forward(a, b, adjoint):
    try:
        return np.linalg.solve(np.swapaxes(a, -1, -2) if adjoint else a, b)
    except np.linalg.LinAlgError:
        raise _linalg_error("matrix_solve") from None


def _solve_grad(op, dy):
    """For X = A^-1 B: dB = A^-T dX and dA = -dB X^T (adjoint: dA = -X dB^T)."""
    a, _ = op.inputs
    x, adjoint = op.outputs[0], op.attrs["adjoint"]
    db = MatrixSolve(a, dy, adjoint=not adjoint)
    da = -matmul(x, db, transpose_b=True) if adjoint else -matmul(db, x, transpose_b=True)
    return [da, db]


MatrixSolve = define_op("MatrixSolve", forward=_solve_forward, shape=_solve_shape,
                        grad=_solve_grad)


def _triangular_forward(a, b, lower, adjoint):
    triangle = np.tril(a) if lower else np.triu(a)
    if np.any(np.diagonal(triangle, axis1=-2, axis2=-1) == 0):
        raise errors.InvalidArgumentError("matrix_triangular_solve: the matrix is singular "
                                          "(a zero on its diagonal)")
    return np.linalg.solve(np.swapaxes(triangle, -1, -2) if adjoint else triangle, b)


def _triangular_grad(op, dy):
    """As matrix_solve's, with dA kept to the triangle the op reads."""
    a, _ = op.inputs
    x, lower, adjoint = op.outputs[0], op.attrs["lower"], op.attrs["adjoint"]
    db = TriangularSolve(a, dy, lower=lower, adjoint=not adjoint)
    da = -matmul(x, db, transpose_b=True) if adjoint else -matmul(db, x, transpose_b=True)
    return [MatrixBandPart(da, num_lower=-1, num_upper=0) if lower else
            MatrixBandPart(da, num_lower=0, num_upper=-1), db]


TriangularSolve = define_op("MatrixTriangularSolve", forward=_triangular_forward,
                            shape=_solve_shape, grad=_triangular_grad)


def matrix_solve(matrix, rhs, adjoint=False, name=None):
    """X with matrix @ X = rhs (matrix^T @ X = rhs with adjoint=True), batched."""
    matrix = convert_to_tensor(matrix)
    return MatrixSolve(matrix, convert_to_tensor(rhs, matrix.dtype), adjoint=bool(adjoint),
                       name=name)


def matrix_triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """matrix_solve for a triangular matrix: only its lower (or upper) triangle is read."""
    matrix = convert_to_tensor(matrix)
    return TriangularSolve(matrix, convert_to_tensor(rhs, matrix.dtype), lower=bool(lower),
                           adjoint=bool(adjoint), name=name)


# -- cholesky -------------------------------------------------------------------------------
def _cholesky_forward(x):
    try:
        return np.linalg.cholesky(x)
    except np.linalg.LinAlgError:
        raise _linalg_error("cholesky") from None


def _cholesky_grad(op, dl):
    """For A = L L^T (Murray 2016, as TF): P = Φ(L^T dL) with Φ the lower triangle and
    half the diagonal; dA = sym(L^-T P L^-1), symmetrized as A is read as symmetric."""
    l_factor = op.outputs[0]
    middle = matmul(l_factor, dl, transpose_a=True)
    middle = MatrixSetDiag(middle, 0.5 * MatrixDiagPart(middle))
    middle = MatrixBandPart(middle, num_lower=-1, num_upper=0)
    identity = MatrixDiag(MatrixDiagPart(zeros_like(l_factor)) + 1.0)
    inverse = TriangularSolve(l_factor, identity, lower=True, adjoint=False)
    grad = matmul(matmul(inverse, middle, transpose_a=True), inverse)
    return [0.5 * (grad + matrix_transpose(grad))]


Cholesky = define_op("Cholesky", forward=_cholesky_forward, shape=_square_shape,
                     grad=_cholesky_grad)


def cholesky(input, name=None):  # noqa: A002 - TF1's name
    """The lower-triangular L with L L^T = input, for symmetric positive-definite input
    (only its lower triangle is read); InvalidArgumentError otherwise."""
    return Cholesky(convert_to_tensor(input), name=name)


# -- qr -------------------------------------------------------------------------------------
def _qr_shape(x, full_matrices):
    if x.shape is None:
        return [(None, x.dtype), (None, x.dtype)]
    *batch, rows, cols = x.shape
    k = None if rows is None or cols is None else min(rows, cols)
    q_cols, r_rows = (rows, rows) if full_matrices else (k, k)
    return [(tuple(batch) + (rows, q_cols), x.dtype), (tuple(batch) + (r_rows, cols), x.dtype)]


def _qr_forward(x, full_matrices):
    q, r = np.linalg.qr(x, mode="complete" if full_matrices else "reduced")
    return q.astype(x.dtype), r.astype(x.dtype)


def _qr_grad(op, dq, dr):
    """TF's rule for reduced QR of a square or tall matrix (m >= n): with
    M = tril(Q^T dQ - dQ^T Q + R dR^T - dR R^T), dA = Q (dR + M R^-T) +
    (dQ - Q Q^T dQ) R^-T."""
    x = op.inputs[0]
    q, r = op.outputs
    if op.attrs["full_matrices"] or x.shape is None or None in x.shape[-2:] \
            or x.shape[-2] < x.shape[-1]:
        raise ValueError(f"no gradient for {op.describe()}: TF1 differentiates only the "
                         f"reduced QR of matrices with at least as many rows as columns")
    dq = zeros_like(q) if dq is None else dq
    dr = zeros_like(r) if dr is None else dr
    qdq = matmul(q, dq, transpose_a=True)
    rdr = matmul(r, dr, transpose_b=True)
    tril = MatrixBandPart(qdq - matrix_transpose(qdq) + rdr - matrix_transpose(rdr),
                          num_lower=-1, num_upper=0)

    def times_r_inverse_t(m):   # m R^-T, as (R^-1 m^T)^T
        return matrix_transpose(TriangularSolve(r, matrix_transpose(m), lower=False,
                                                adjoint=False))
    return [matmul(q, dr + times_r_inverse_t(tril)) +
            times_r_inverse_t(dq - matmul(q, qdq))]


Qr = define_op("Qr", forward=_qr_forward, shape=_qr_shape, grad=_qr_grad)


def qr(input, full_matrices=False, name=None):  # noqa: A002 - TF1's name
    """(q, r): q with orthonormal columns and upper-triangular r, q @ r = input."""
    return tuple(Qr(convert_to_tensor(input), full_matrices=bool(full_matrices), name=name))


# -- svd ------------------------------------------------------------------------------------
def _svd_shape(x, full_matrices, compute_uv):
    if x.shape is None:
        return [(None, x.dtype)] * (3 if compute_uv else 1)
    *batch, rows, cols = x.shape
    k = None if rows is None or cols is None else min(rows, cols)
    values = (tuple(batch) + (k,), x.dtype)
    if not compute_uv:
        return [values]
    u_cols, v_cols = (rows, cols) if full_matrices else (k, k)
    return [values, (tuple(batch) + (rows, u_cols), x.dtype),
            (tuple(batch) + (cols, v_cols), x.dtype)]


def _svd_forward(x, full_matrices, compute_uv):
    if not compute_uv:
        return np.linalg.svd(x, compute_uv=False).astype(x.dtype)
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return s.astype(x.dtype), u.astype(x.dtype), np.swapaxes(vh, -1, -2).astype(x.dtype)


def _svd_grad(op, ds, *duv):
    """For the singular values: dA = U diag(ds) V^T. (The gradient through U and V is not
    built here: it raises, rather than silently dropping those paths.)"""
    if any(d is not None for d in duv):
        raise ValueError(f"no gradient through the singular vectors of {op.describe()}; "
                         f"only through the singular values")
    x = op.inputs[0]
    if op.attrs["compute_uv"]:
        _, u, v = op.outputs
    else:
        _, u, v = Svd(x, full_matrices=False, compute_uv=True)
    return [matmul(u * expand_dims(ds, -2), v, transpose_b=True)]


Svd = define_op("Svd", forward=_svd_forward, shape=_svd_shape, grad=_svd_grad)


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """(s, u, v) with tensor = u @ diag(s) @ v^T (TF's order; v, not v^T), or s alone
    with compute_uv=False. Differentiable through s."""
    found = Svd(convert_to_tensor(tensor), full_matrices=bool(full_matrices),
                compute_uv=bool(compute_uv), name=name)
    return tuple(found) if compute_uv else found


# -- symmetric eigendecomposition -----------------------------------------------------------
def _eig_shape(x, compute_v):
    shape, dtype = _square_shape(x)
    values = ((None if shape is None else shape[:-1]), dtype)
    return [values, (shape, dtype)] if compute_v else [values]


def _eig_forward(x, compute_v):
    if compute_v:
        values, vectors = np.linalg.eigh(x, UPLO="L")
        return values.astype(x.dtype), vectors.astype(x.dtype)
    return np.linalg.eigvalsh(x, UPLO="L").astype(x.dtype)


def _eig_grad(op, de, dv=None):
    """For A = V diag(e) V^T (TF's rule): dA = V (diag(de) + F * V^T dV) V^T with
    F_ij = 1 / (e_j - e_i) off the diagonal, then folded onto the lower triangle that
    the op reads (and its diagonal halved)."""
    x = op.inputs[0]
    if op.attrs["compute_v"]:
        e, v = op.outputs
    else:
        e, v = SelfAdjointEig(x, compute_v=True)
    de = zeros_like(e) if de is None else de
    inner = MatrixDiag(de)
    if dv is not None:
        gaps = expand_dims(e, -2) - expand_dims(e, -1)
        f = MatrixSetDiag(reciprocal(MatrixSetDiag(gaps, zeros_like(e) + 1.0)), zeros_like(e))
        inner = inner + f * matmul(v, dv, transpose_a=True)
    grad = matmul(v, matmul(inner, v, transpose_b=True))
    grad = MatrixBandPart(grad + matrix_transpose(grad), num_lower=-1, num_upper=0)
    return [MatrixSetDiag(grad, 0.5 * MatrixDiagPart(grad))]


SelfAdjointEig = define_op("SelfAdjointEigV2", forward=_eig_forward, shape=_eig_shape,
                           grad=_eig_grad)


def self_adjoint_eig(tensor, name=None):
    """(e, v): the ascending eigenvalues and the eigenvectors (columns) of symmetric
    matrices, from their lower triangles."""
    return tuple(SelfAdjointEig(convert_to_tensor(tensor), compute_v=True, name=name))


def self_adjoint_eigvals(tensor, name=None):
    """The ascending eigenvalues of symmetric matrices."""
    return SelfAdjointEig(convert_to_tensor(tensor), compute_v=False, name=name)
