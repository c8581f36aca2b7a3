"""Matrix structure: eye, diag/diag_part, matrix_diag/matrix_diag_part/matrix_set_diag,
matrix_band_part, matrix_transpose, trace, einsum and norm.

The matrix_* ops work on the last two axes and batch over the others, as TF's do.
"""
import numpy as np

from .. import dtypes
from ..graph import get_default_graph
from ..registry import convert_to_tensor, define_op
from ..shapes import fmt
from .broadcast import broadcast_to
from .compare import cast
from .math import abs as abs_, sqrt, square
from .reduce import reduce_max, reduce_sum
from .shaping import expand_dims, shape, transpose, zeros_like


# -- eye ------------------------------------------------------------------------------------
def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """The identity matrix (num_rows x num_columns), repeated over `batch_shape`."""
    columns = num_rows if num_columns is None else num_columns
    matrix = np.eye(int(num_rows), int(columns), dtype=dtypes.as_dtype(dtype))
    if batch_shape is not None:
        matrix = np.broadcast_to(matrix, tuple(batch_shape) + matrix.shape).copy()
    return convert_to_tensor(matrix, name=name or "eye")


# -- the diagonal of matrices (batched) -----------------------------------------------------
def _matrix_diag_shape(diagonal):
    if diagonal.shape is None:
        return None, diagonal.dtype
    if len(diagonal.shape) < 1:
        raise ValueError("matrix_diag needs a tensor of rank >= 1")
    return tuple(diagonal.shape) + (diagonal.shape[-1],), diagonal.dtype


def _matrix_diag_forward(diagonal):
    n = diagonal.shape[-1]
    out = np.zeros(diagonal.shape + (n,), dtype=diagonal.dtype)
    out[..., np.arange(n), np.arange(n)] = diagonal
    return out


def _matrix_diag_grad(op, dy):
    """Only the diagonal of the output came from the input."""
    return [MatrixDiagPart(dy)]


MatrixDiag = define_op("MatrixDiag", forward=_matrix_diag_forward, shape=_matrix_diag_shape,
                       grad=_matrix_diag_grad)


def _matrix_diag_part_shape(x):
    if x.shape is None:
        return None, x.dtype
    if len(x.shape) < 2:
        raise ValueError(f"matrix_diag_part needs a tensor of rank >= 2, got {fmt(x.shape)}")
    rows, cols = x.shape[-2:]
    size = None if rows is None or cols is None else min(rows, cols)
    return tuple(x.shape[:-2]) + (size,), x.dtype


def _matrix_diag_part_forward(x):
    return np.diagonal(x, axis1=-2, axis2=-1).copy()


def _matrix_diag_part_grad(op, dy):
    """The gradient lands on the diagonal of zeros shaped like the input."""
    return [MatrixSetDiag(zeros_like(op.inputs[0]), dy)]


MatrixDiagPart = define_op("MatrixDiagPart", forward=_matrix_diag_part_forward,
                           shape=_matrix_diag_part_shape, grad=_matrix_diag_part_grad)


def _matrix_set_diag_shape(x, diagonal):
    if x.dtype != diagonal.dtype:
        raise TypeError(f"matrix_set_diag needs one dtype, got {x.dtype.name} and "
                        f"{diagonal.dtype.name}")
    return x.shape, x.dtype


def _matrix_set_diag_forward(x, diagonal):
    out = np.array(x, copy=True)
    n = min(x.shape[-2:])
    out[..., np.arange(n), np.arange(n)] = diagonal
    return out


def _matrix_set_diag_grad(op, dy):
    """The input keeps its gradient off the diagonal; the new diagonal takes the rest."""
    return [MatrixSetDiag(dy, zeros_like(op.inputs[1])), MatrixDiagPart(dy)]


MatrixSetDiag = define_op("MatrixSetDiag", forward=_matrix_set_diag_forward,
                          shape=_matrix_set_diag_shape, grad=_matrix_set_diag_grad)


def matrix_diag(diagonal, name=None):
    """Square matrices with `diagonal` (..., n) on their diagonals: shape (..., n, n)."""
    return MatrixDiag(convert_to_tensor(diagonal), name=name)


def matrix_diag_part(input, name=None):  # noqa: A002 - TF1's name
    """The diagonals of the matrices in the last two axes."""
    return MatrixDiagPart(convert_to_tensor(input), name=name)


def matrix_set_diag(input, diagonal, name=None):  # noqa: A002 - TF1's name
    """`input` with the diagonals of its matrices replaced by `diagonal`."""
    input = convert_to_tensor(input)
    return MatrixSetDiag(input, convert_to_tensor(diagonal, input.dtype), name=name)


# -- tf.diag and tf.diag_part (rank k <-> rank 2k) ------------------------------------------
def _diag_shape(diagonal):
    if diagonal.shape is None:
        return None, diagonal.dtype
    return tuple(diagonal.shape) * 2, diagonal.dtype


def _diag_forward(diagonal):
    return np.diag(diagonal.reshape(-1)).reshape(diagonal.shape * 2)


def _diag_grad(op, dy):
    return [DiagPart(dy)]


Diag = define_op("Diag", forward=_diag_forward, shape=_diag_shape, grad=_diag_grad)


def _diag_part_shape(x):
    if x.shape is None:
        return None, x.dtype
    half = len(x.shape) // 2
    if len(x.shape) % 2 or any(a is not None and b is not None and a != b
                               for a, b in zip(x.shape[:half], x.shape[half:])):
        raise ValueError(f"diag_part needs a tensor of shape (d1..dk, d1..dk), got "
                         f"{fmt(x.shape)}")
    return x.shape[:half], x.dtype


def _diag_part_forward(x):
    half = x.ndim // 2
    size = int(np.prod(x.shape[:half]))
    return np.diagonal(x.reshape(size, size)).reshape(x.shape[:half]).copy()


def _diag_part_grad(op, dy):
    return [Diag(dy)]


DiagPart = define_op("DiagPart", forward=_diag_part_forward, shape=_diag_part_shape,
                     grad=_diag_part_grad)


def diag(diagonal, name=None):
    """A tensor of rank 2k with `diagonal` (rank k) on its diagonal, zeros elsewhere."""
    return Diag(convert_to_tensor(diagonal), name=name)


def diag_part(input, name=None):  # noqa: A002 - TF1's name
    """The diagonal of a tensor of shape (d1..dk, d1..dk): diag's inverse."""
    return DiagPart(convert_to_tensor(input), name=name)


# -- band part, transpose, trace ------------------------------------------------------------
def _band_shape(x, num_lower, num_upper):
    return x.shape, x.dtype


def _band_mask(rows, cols, num_lower, num_upper):
    i, j = np.arange(rows)[:, None], np.arange(cols)[None, :]
    return ((num_lower < 0) | (i - j <= num_lower)) & ((num_upper < 0) | (j - i <= num_upper))


def _band_forward(x, num_lower, num_upper):
    return np.where(_band_mask(*x.shape[-2:], num_lower, num_upper), x, 0).astype(x.dtype)


def _band_grad(op, dy):
    """The kept entries pass their gradient; the zeroed ones get none."""
    return [MatrixBandPart(dy, **op.attrs)]


MatrixBandPart = define_op("MatrixBandPart", forward=_band_forward, shape=_band_shape,
                           grad=_band_grad)


def matrix_band_part(input, num_lower, num_upper, name=None):  # noqa: A002 - TF1's name
    """Keep `num_lower` subdiagonals and `num_upper` superdiagonals (-1: all) of each
    matrix; zero the rest (band_part(x, -1, 0) is the lower triangle)."""
    return MatrixBandPart(convert_to_tensor(input), num_lower=int(num_lower),
                          num_upper=int(num_upper), name=name)


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Swap the last two axes (batched transpose)."""
    a = convert_to_tensor(a)
    if a.shape is None or len(a.shape) < 2:
        raise ValueError(f"matrix_transpose needs a tensor of known rank >= 2, got {a!r}")
    rank = len(a.shape)
    return transpose(a, list(range(rank - 2)) + [rank - 1, rank - 2], name=name)


def trace(x, name=None):
    """The sum of each matrix's diagonal (batched)."""
    with get_default_graph().name_scope(name or "Trace"):
        return reduce_sum(matrix_diag_part(x), axis=-1)


# -- einsum ---------------------------------------------------------------------------------
def _parse_einsum(equation, count):
    equation = equation.replace(" ", "")
    if "." in equation:
        raise ValueError(f"einsum with '...' is not supported: {equation!r}")
    inputs, _, output = equation.partition("->")
    terms = inputs.split(",")
    if len(terms) != count:
        raise ValueError(f"einsum equation {equation!r} has {len(terms)} inputs, got {count}")
    if "->" not in equation:
        letters = "".join(terms)
        output = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    return terms, output


def _einsum_shape(*operands, equation):
    terms, output = _parse_einsum(equation, len(operands))
    sizes = {}
    for term, x in zip(terms, operands):
        if x.dtype != operands[0].dtype:
            raise TypeError(f"einsum inputs must share a dtype, got {operands[0].dtype.name} "
                            f"and {x.dtype.name}")
        if x.shape is None:
            continue
        if len(term) != len(x.shape):
            raise ValueError(f"einsum term {term!r} does not match shape {fmt(x.shape)}")
        for letter, dim in zip(term, x.shape):
            if dim is not None and sizes.get(letter, dim) != dim:
                raise ValueError(f"einsum: index {letter!r} is {sizes[letter]} in one input "
                                 f"and {dim} in another")
            if dim is not None:
                sizes[letter] = dim
    return [sizes.get(letter) for letter in output], operands[0].dtype


def _einsum_forward(*operands, equation):
    terms, output = _parse_einsum(equation, len(operands))
    return np.einsum(f"{','.join(terms)}->{output}", *operands)


def _einsum_grad(op, dy):
    """The gradient of input i is the einsum of dy with the other inputs, giving input i's
    indices (an index summed over input i alone is restored by broadcasting)."""
    terms, output = _parse_einsum(op.attrs["equation"], len(op.inputs))
    grads = []
    for i, (term, x) in enumerate(zip(terms, op.inputs)):
        if len(set(term)) != len(term):
            raise ValueError(f"no gradient for einsum {op.attrs['equation']!r}: input {i} "
                             f"repeats an index (a diagonal)")
        others = [t for k, t in enumerate(terms) if k != i]
        known = set(output) | set("".join(others))
        present = "".join(c for c in term if c in known)
        equation = ",".join([output] + others) + "->" + present
        grad = Einsum(dy, *[t for k, t in enumerate(op.inputs) if k != i], equation=equation)
        if present != term:
            for axis, letter in enumerate(term):
                if letter not in known:
                    grad = expand_dims(grad, axis)
            grad = broadcast_to(grad, shape(x))
        grads.append(grad)
    return grads


Einsum = define_op("Einsum", forward=_einsum_forward, shape=_einsum_shape, grad=_einsum_grad)


def einsum(equation, *inputs, **kwargs):
    """Sums of products named by index letters: einsum("ij,jk->ik", a, b) is matmul."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"einsum got unexpected arguments {sorted(kwargs)}")
    operands = [convert_to_tensor(x) for x in inputs]
    return Einsum(*operands, equation=str(equation), name=name)


# -- norm -----------------------------------------------------------------------------------
def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None, keep_dims=None):  # noqa: A002
    """The vector norm over `axis` (all entries when None) or, for a pair of axes, the
    matrix norm: ord "euclidean"/2 (and "fro" for matrices), 1 and np.inf."""
    keepdims = bool(keep_dims if keepdims is None else keepdims)
    x = convert_to_tensor(tensor)
    pair = isinstance(axis, (list, tuple)) and len(axis) == 2
    with get_default_graph().name_scope(name or "norm"):
        if ord in ("euclidean", "fro", 2, 2.0) and not (pair and ord in (2, 2.0)):
            return sqrt(reduce_sum(square(x), axis=axis, keepdims=keepdims))
        if pair:
            rows, cols = axis
            if ord == 1:
                return reduce_max(reduce_sum(abs_(x), rows, keepdims=True), cols,
                                  keepdims=True) if keepdims else reduce_max(
                    reduce_sum(abs_(x), rows), cols - (cols > rows))
            if ord == np.inf:
                return reduce_max(reduce_sum(abs_(x), cols, keepdims=True), rows,
                                  keepdims=True) if keepdims else reduce_max(
                    reduce_sum(abs_(x), cols), rows - (rows > cols))
            raise ValueError(f"norm: matrix ord {ord!r} is not supported (use 'fro', 1, "
                             f"np.inf)")
        if ord == 1:
            return reduce_sum(abs_(x), axis=axis, keepdims=keepdims)
        if ord == np.inf:
            return reduce_max(abs_(x), axis=axis, keepdims=keepdims)
        if isinstance(ord, (int, float)) and ord > 0:
            power = cast(convert_to_tensor(float(ord)), x.dtype)
            total = reduce_sum(abs_(x) ** power, axis=axis, keepdims=keepdims)
            return total ** (1 / power)
        raise ValueError(f"norm: ord must be 'euclidean', 'fro', a positive number or np.inf, "
                         f"got {ord!r}")

