"""Trigonometric and hyperbolic functions beyond sin and cos (ops/math.py), and expm1:
each op's gradient states its derivative; those TF and ONNX share are lowered."""
import numpy as np

from .. import lowerings
from ..registry import convert_operands, convert_to_tensor, define_op
from .broadcast import binary_shape, unbroadcast
from .math import cos, exp, reciprocal, sqrt, square


def _float_shape(x):
    if x.dtype.kind not in "fc":
        raise TypeError(f"expects a floating-point tensor, got {x.dtype.name}; convert it "
                        f"with autograd.cast(x, autograd.float32)")
    return x.shape, x.dtype


def _unary(type_name, forward, grad, doc, tensorflow=None, onnx=None):
    """An elementwise op, its lowerings and its public function (named as TF1 names it)."""
    op_def = define_op(type_name, forward=forward, shape=_float_shape, grad=grad)
    if tensorflow is not None:
        lowerings.register(op_def, **lowerings.elementwise(tensorflow, onnx))

    def function(x, name=None):
        return op_def(convert_to_tensor(x), name=name)
    function.__name__, function.__doc__ = type_name.lower(), doc
    return op_def, function


def _tan_grad(op, dy):
    """d tan(x) = dx / cos(x)^2."""
    return [dy * reciprocal(square(cos(op.inputs[0])))]


Tan, tan = _unary("Tan", np.tan, _tan_grad, "Tangent.", "Tan", "Tan")


def _asin_grad(op, dy):
    """d asin(x) = dx / sqrt(1 - x^2)."""
    return [dy * reciprocal(sqrt(1.0 - square(op.inputs[0])))]


Asin, asin = _unary("Asin", np.arcsin, _asin_grad, "Arcsine.", "Asin", "Asin")


def _acos_grad(op, dy):
    """d acos(x) = -dx / sqrt(1 - x^2)."""
    return [-dy * reciprocal(sqrt(1.0 - square(op.inputs[0])))]


Acos, acos = _unary("Acos", np.arccos, _acos_grad, "Arccosine.", "Acos", "Acos")


def _atan_grad(op, dy):
    """d atan(x) = dx / (1 + x^2)."""
    return [dy * reciprocal(1.0 + square(op.inputs[0]))]


Atan, atan = _unary("Atan", np.arctan, _atan_grad, "Arctangent.", "Atan", "Atan")


def _sinh_grad(op, dy):
    """d sinh(x) = cosh(x) dx."""
    return [dy * cosh(op.inputs[0])]


Sinh, sinh = _unary("Sinh", np.sinh, _sinh_grad, "Hyperbolic sine.", "Sinh", "Sinh")


def _cosh_grad(op, dy):
    """d cosh(x) = sinh(x) dx."""
    return [dy * sinh(op.inputs[0])]


Cosh, cosh = _unary("Cosh", np.cosh, _cosh_grad, "Hyperbolic cosine.", "Cosh", "Cosh")


def _asinh_grad(op, dy):
    """d asinh(x) = dx / sqrt(x^2 + 1)."""
    return [dy * reciprocal(sqrt(square(op.inputs[0]) + 1.0))]


Asinh, asinh = _unary("Asinh", np.arcsinh, _asinh_grad, "Inverse hyperbolic sine.", "Asinh",
                      "Asinh")


def _acosh_grad(op, dy):
    """d acosh(x) = dx / sqrt(x^2 - 1)."""
    return [dy * reciprocal(sqrt(square(op.inputs[0]) - 1.0))]


Acosh, acosh = _unary("Acosh", np.arccosh, _acosh_grad, "Inverse hyperbolic cosine.",
                      "Acosh", "Acosh")


def _atanh_grad(op, dy):
    """d atanh(x) = dx / (1 - x^2)."""
    return [dy * reciprocal(1.0 - square(op.inputs[0]))]


Atanh, atanh = _unary("Atanh", np.arctanh, _atanh_grad, "Inverse hyperbolic tangent.",
                      "Atanh", "Atanh")


def _expm1_grad(op, dy):
    """d (e^x - 1) = e^x dx."""
    return [dy * exp(op.inputs[0])]


Expm1, expm1 = _unary("Expm1", np.expm1, _expm1_grad, "e ** x - 1, accurate for small x.",
                      "Expm1")


def _atan2_grad(op, dz):
    """z = atan2(y, x): dz/dy = x / (x^2 + y^2), dz/dx = -y / (x^2 + y^2)."""
    y, x = op.inputs
    scale = dz * reciprocal(square(x) + square(y))
    return [unbroadcast(scale * x, y, x), unbroadcast(-scale * y, x, y)]


Atan2 = define_op("Atan2", forward=np.arctan2, shape=binary_shape, grad=_atan2_grad)


def atan2(y, x, name=None):
    """The angle of the point (x, y), elementwise: arctan(y / x) in the right quadrant."""
    y, x = convert_operands([y, x], "Atan2")
    return Atan2(y, x, name=name)
