"""Small elementwise ops TF1 programs reach for: IEEE classification (is_nan, is_inf,
is_finite), rint, logical_xor, the divisions that give 0 instead of NaN
(divide_no_nan, xdivy, xlogy), invert_permutation, and checks of order."""
import numpy as np

from .. import dtypes, errors
from ..graph import get_default_graph
from ..registry import convert_operands, convert_to_tensor, define_op
from ..shapes import fmt
from .compare import equal, not_equal, where
from .math import divide, log, multiply
from .reduce import reduce_all
from .shaping import reshape, zeros_like


def _classify_shape(x):
    if x.dtype.kind not in "fc":
        raise TypeError(f"expects a floating-point tensor, got {x.dtype.name}")
    return x.shape, dtypes.bool


IsNan = define_op("IsNan", forward=np.isnan, shape=_classify_shape)
IsInf = define_op("IsInf", forward=np.isinf, shape=_classify_shape)
IsFinite = define_op("IsFinite", forward=np.isfinite, shape=_classify_shape)


def is_nan(x, name=None):
    """True where x is NaN."""
    return IsNan(convert_to_tensor(x), name=name)


def is_inf(x, name=None):
    """True where x is +inf or -inf."""
    return IsInf(convert_to_tensor(x), name=name)


def is_finite(x, name=None):
    """True where x is neither NaN nor infinite."""
    return IsFinite(convert_to_tensor(x), name=name)


def _same_shape(x):
    if x.dtype.kind not in "fc":
        raise TypeError(f"expects a floating-point tensor, got {x.dtype.name}")
    return x.shape, x.dtype


Rint = define_op("Rint", forward=np.rint, shape=_same_shape)


def rint(x, name=None):
    """The nearest integer (halves to even), as a float; no gradient."""
    return Rint(convert_to_tensor(x), name=name)


def logical_xor(x, y, name="LogicalXor"):
    """x XOR y for bool tensors (composed: x != y)."""
    x, y = convert_operands([x, y], "LogicalXor")
    if x.dtype != dtypes.bool:
        raise TypeError(f"logical_xor needs bool tensors, got {x.dtype.name}")
    return not_equal(x, y, name=name)


def divide_no_nan(x, y, name=None):
    """x / y, and 0 where y is 0 (gradients stay finite: the division only sees
    non-zero denominators)."""
    with get_default_graph().name_scope(name or "div_no_nan"):
        x, y = convert_operands([x, y], "DivNoNan")
        zero = equal(y, zeros_like(y))
        safe = where(zero, zeros_like(y) + 1, y)
        quotient = divide(x, safe)
        return where(zero, zeros_like(quotient), quotient)


def xdivy(x, y, name=None):
    """x / y, and 0 where x is 0."""
    with get_default_graph().name_scope(name or "Xdivy"):
        x, y = convert_operands([x, y], "Xdivy")
        zero = equal(x, zeros_like(x))
        quotient = divide(x, where(zero, zeros_like(y) + 1, y))
        return where(zero, zeros_like(quotient), quotient)


def xlogy(x, y, name=None):
    """x * log(y), and 0 where x is 0 (the convention of entropies)."""
    with get_default_graph().name_scope(name or "Xlogy"):
        x, y = convert_operands([x, y], "Xlogy")
        zero = equal(x, zeros_like(x))
        product = multiply(x, log(where(zero, zeros_like(y) + 1, y)))
        return where(zero, zeros_like(product), product)


def _permutation_shape(x):
    if x.dtype.kind not in "iu" or (x.shape is not None and len(x.shape) != 1):
        raise TypeError(f"invert_permutation needs an integer vector, got {x.dtype.name} "
                        f"{fmt(x.shape)}")
    return x.shape, x.dtype


def _invert_forward(x):
    if sorted(x.tolist()) != list(range(len(x))):
        raise errors.InvalidArgumentError(f"{x.tolist()} is not a permutation of 0..{len(x) - 1}")
    out = np.empty_like(x)
    out[x] = np.arange(len(x), dtype=x.dtype)
    return out


InvertPermutation = define_op("InvertPermutation", forward=_invert_forward,
                              shape=_permutation_shape)


def invert_permutation(x, name=None):
    """y with y[x[i]] = i: the permutation that undoes x."""
    return InvertPermutation(convert_to_tensor(x), name=name)


def _ordered(x, strictly, name):
    x = reshape(convert_to_tensor(x), [-1])
    with get_default_graph().name_scope(name):
        later, earlier = x[1:], x[:-1]
        step = later > earlier if strictly else later >= earlier
        return reduce_all(step)


def is_non_decreasing(x, name=None):
    """True when each entry (in row-major order) is >= the one before."""
    return _ordered(x, False, name or "is_non_decreasing")


def is_strictly_increasing(x, name=None):
    """True when each entry (in row-major order) is > the one before."""
    return _ordered(x, True, name or "is_strictly_increasing")


def polyval(coeffs, x, name=None):
    """coeffs[0] x^(n-1) + ... + coeffs[n-1], by Horner's rule (a list of coefficients,
    numbers or tensors)."""
    with get_default_graph().name_scope(name or "polyval"):
        x = convert_to_tensor(x)
        result = zeros_like(x)
        for coefficient in coeffs:
            result = result * x + convert_to_tensor(coefficient, x.dtype)
        return result
