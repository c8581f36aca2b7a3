"""tf.linalg: TF 1.15's names for the matrix ops (most also live at the top, tf.*)."""
import autograd as _ag

adjoint = _ag.matrix_transpose          # real matrices: the adjoint is the transpose
band_part = _ag.matrix_band_part
cholesky = _ag.cholesky
det = _ag.matrix_determinant
diag = _ag.matrix_diag
diag_part = _ag.matrix_diag_part
eigh = _ag.self_adjoint_eig
eigvalsh = _ag.self_adjoint_eigvals
einsum = _ag.einsum
eye = _ag.eye
inv = _ag.matrix_inverse
matmul = _ag.matmul
norm = _ag.norm
qr = _ag.qr
set_diag = _ag.matrix_set_diag
solve = _ag.matrix_solve
svd = _ag.svd
tensordot = _ag.tensordot
trace = _ag.trace
transpose = _ag.matrix_transpose
triangular_solve = _ag.matrix_triangular_solve
