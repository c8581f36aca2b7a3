"""Elementwise arithmetic and unary functions, each op in one block: its gradient (with
the formula), its definition, its lowerings (autograd.lowerings), its public function.

Binary ops broadcast like numpy; their gradients go through `unbroadcast`, the one place
where broadcasting is undone. Ops that are simple compositions (squared_difference,
rsqrt, clip_by_value) are built from these primitives rather than registered.
Comparisons, logic, where and cast live in ops/compare.py.
"""
import numpy as np

from .. import dtypes, errors, lowerings
from ..graph import get_default_graph
from ..registry import convert_operands, convert_to_tensor, define_op
from .broadcast import along_last_axis, binary_shape, unbroadcast
from .compare import cast, greater, greater_equal, less_equal, where
from .shaping import ones_like, reshape, zeros_like


def _binary(op_def, x, y, name):
    x, y = convert_operands([x, y], op_def.type)
    return op_def(x, y, name=name)


# -- add, subtract, multiply, divide --------------------------------------------------------
def _add_grad(op, dy):
    """d(x + y) = dx + dy."""
    x, y = op.inputs
    return [unbroadcast(dy, x, y), unbroadcast(dy, y, x)]


Add = define_op("Add", forward=np.add, shape=binary_shape, grad=_add_grad,
                specialize=along_last_axis(np.add))
lowerings.register(Add, **lowerings.elementwise("AddV2", "Add", also=("Add",)))


def _bias_add_from_tensorflow(op_def, node, inputs):
    """BiasAdd adds a vector along the channel axis: the last one, or axis 1 in NCHW."""
    value, bias = inputs
    if node.attr("data_format", "NHWC") == "NCHW" and value.shape is not None \
            and len(value.shape) > 2:
        bias = reshape(bias, [-1] + [1] * (len(value.shape) - 2), name=node.name + "/bias")
    return op_def(value, bias, name=node.name)


lowerings.register(Add, imports={"BiasAdd": _bias_add_from_tensorflow,
                                 "BiasAddV1": _bias_add_from_tensorflow})


def add(x, y, name=None):
    """x + y, broadcasting."""
    return _binary(Add, x, y, name)


def _sub_grad(op, dy):
    """d(x - y) = dx - dy."""
    x, y = op.inputs
    return [unbroadcast(dy, x, y), unbroadcast(negative(dy), y, x)]


Sub = define_op("Sub", forward=np.subtract, shape=binary_shape, grad=_sub_grad,
                specialize=along_last_axis(np.subtract))
lowerings.register(Sub, **lowerings.elementwise("Sub", "Sub"))


def subtract(x, y, name=None):
    """x - y, broadcasting."""
    return _binary(Sub, x, y, name)


def _mul_grad(op, dy):
    """d(xy) = y dx + x dy."""
    x, y = op.inputs
    return [unbroadcast(dy * y, x, y), unbroadcast(x * dy, y, x)]


Mul = define_op("Mul", forward=np.multiply, shape=binary_shape, grad=_mul_grad,
                specialize=along_last_axis(np.multiply))
lowerings.register(Mul, **lowerings.elementwise("Mul", "Mul"))


def multiply(x, y, name=None):
    """x * y elementwise, broadcasting."""
    return _binary(Mul, x, y, name)


def _div_grad(op, dy):
    """d(x/y) = dx / y - x / y^2 dy."""
    x, y = op.inputs
    return [unbroadcast(dy / y, x, y), unbroadcast(dy * (negative(x) / y / y), y, x)]


RealDiv = define_op("RealDiv", forward=np.true_divide, shape=binary_shape, grad=_div_grad,
                    specialize=along_last_axis(np.true_divide))
def _div_from_tensorflow(op_def, node, inputs):
    """TF1's Div: true division for floats, floor division for integers."""
    if inputs[0].dtype.kind in "iu":
        return floordiv(*inputs, name=node.name)
    return op_def(*inputs, name=node.name)


lowerings.register(RealDiv, **lowerings.elementwise("RealDiv", "Div"))
lowerings.register(RealDiv, imports={"Div": _div_from_tensorflow})


def divide(x, y, name=None):
    """x / y; integer inputs are converted to float64 first, as in TF1's truediv."""
    x, y = convert_operands([x, y], "RealDiv")
    if not dtypes.is_floating(x.dtype):
        x, y = cast(x, dtypes.float64), cast(y, dtypes.float64)
    return RealDiv(x, y, name=name)


# -- floordiv and mod -----------------------------------------------------------------------
def _integer_divisor(y):
    """Integer division by zero is an error, as in TF (numpy would warn and return 0)."""
    if y.dtype.kind in "iu" and not np.all(y):
        raise errors.InvalidArgumentError("Integer division by zero")


def _floordiv_forward(x, y):
    _integer_divisor(y)
    with np.errstate(divide="ignore"):  # a float x // 0 is +-inf, silently, as in TF
        return np.floor_divide(x, y)


FloorDiv = define_op("FloorDiv", forward=_floordiv_forward, shape=binary_shape)
lowerings.register(FloorDiv, **lowerings.elementwise("FloorDiv"))


def floordiv(x, y, name=None):
    """floor(x / y), no gradient."""
    return _binary(FloorDiv, x, y, name)


def _floormod_forward(x, y):
    _integer_divisor(y)
    return np.mod(x, y)


def _floor_mod_grad(op, dy):
    """x mod y = x - floor(x/y) y, so d/dx = 1 and d/dy = -floor(x/y)."""
    x, y = op.inputs
    return [unbroadcast(dy, x, y), unbroadcast(dy * negative(floordiv(x, y)), y, x)]


FloorMod = define_op("FloorMod", forward=_floormod_forward, shape=binary_shape,
                     grad=_floor_mod_grad)
lowerings.register(FloorMod, **lowerings.elementwise("FloorMod"))


def mod(x, y, name=None):
    """x mod y with the sign of y (floored), as Python's %."""
    return _binary(FloorMod, x, y, name)


# -- pow, maximum, minimum ------------------------------------------------------------------
def _pow_grad(op, dy):
    """d(x^y) = y x^(y-1) dx + x^y log(x) dy (log taken as 0 where x <= 0)."""
    x, y = op.inputs
    z = op.outputs[0]
    gx = dy * y * pow(x, y - 1)
    positive = greater(x, 0)
    safe_log = log(where(positive, x, ones_like(x)))
    gy = dy * z * where(positive, safe_log, zeros_like(x))
    return [unbroadcast(gx, x, y), unbroadcast(gy, y, x)]


Pow = define_op("Pow", forward=np.power, shape=binary_shape, grad=_pow_grad)
lowerings.register(Pow, **lowerings.elementwise("Pow", "Pow"))


def pow(x, y, name=None):  # noqa: A001 - TF1's name
    """x ** y."""
    return _binary(Pow, x, y, name)


def _maximum_grad(op, dy):
    """The gradient goes to the larger input (to x on ties)."""
    x, y = op.inputs
    pick_x = greater_equal(x, y)
    zeros = zeros_like(dy)
    return [unbroadcast(where(pick_x, dy, zeros), x, y),
            unbroadcast(where(pick_x, zeros, dy), y, x)]


Maximum = define_op("Maximum", forward=np.maximum, shape=binary_shape, grad=_maximum_grad)
lowerings.register(Maximum, **lowerings.elementwise("Maximum", "Max"))


def maximum(x, y, name=None):
    """Elementwise max(x, y)."""
    return _binary(Maximum, x, y, name)


def _minimum_grad(op, dy):
    """The gradient goes to the smaller input (to x on ties)."""
    x, y = op.inputs
    pick_x = less_equal(x, y)
    zeros = zeros_like(dy)
    return [unbroadcast(where(pick_x, dy, zeros), x, y),
            unbroadcast(where(pick_x, zeros, dy), y, x)]


Minimum = define_op("Minimum", forward=np.minimum, shape=binary_shape, grad=_minimum_grad)
lowerings.register(Minimum, **lowerings.elementwise("Minimum", "Min"))


def minimum(x, y, name=None):
    """Elementwise min(x, y)."""
    return _binary(Minimum, x, y, name)


# -- unary functions ------------------------------------------------------------------------
def _same_shape(x):
    return x.shape, x.dtype


def _float_shape(x):
    if not dtypes.is_floating(x.dtype):
        raise TypeError(f"expects a floating-point tensor, got {x.dtype.name}; "
                        f"convert it with autograd.cast(x, autograd.float32)")
    return x.shape, x.dtype


def _unary_function(op_def, doc):
    def function(x, name=None):
        return op_def(convert_to_tensor(x), name=name)
    function.__name__ = op_def.type.lower()
    function.__doc__ = doc
    return function


def _neg_grad(op, dy):
    """d(-x) = -dx."""
    return [negative(dy)]


Neg = define_op("Neg", forward=np.negative, shape=_same_shape, grad=_neg_grad)
lowerings.register(Neg, **lowerings.elementwise("Neg", "Neg"))
negative = _unary_function(Neg, "-x.")


def _exp_grad(op, dy):
    """d exp(x) = exp(x) dx (reuses the output)."""
    return [dy * op.outputs[0]]


Exp = define_op("Exp", forward=np.exp, shape=_float_shape, grad=_exp_grad)
lowerings.register(Exp, **lowerings.elementwise("Exp", "Exp"))
exp = _unary_function(Exp, "e ** x.")


def _log_grad(op, dy):
    """d log(x) = dx / x."""
    return [dy * reciprocal(op.inputs[0])]


Log = define_op("Log", forward=np.log, shape=_float_shape, grad=_log_grad)
lowerings.register(Log, **lowerings.elementwise("Log", "Log"))
log = _unary_function(Log, "Natural logarithm.")


def _log1p_grad(op, dy):
    """d log(1+x) = dx / (1+x)."""
    return [dy * reciprocal(1 + op.inputs[0])]


Log1p = define_op("Log1p", forward=np.log1p, shape=_float_shape, grad=_log1p_grad)
log1p = _unary_function(Log1p, "log(1 + x), accurate for small x.")


def _sqrt_grad(op, dy):
    """d sqrt(x) = dx / (2 sqrt(x)) (reuses the output)."""
    return [dy * 0.5 / op.outputs[0]]


Sqrt = define_op("Sqrt", forward=np.sqrt, shape=_float_shape, grad=_sqrt_grad)
lowerings.register(Sqrt, **lowerings.elementwise("Sqrt", "Sqrt"))
sqrt = _unary_function(Sqrt, "Square root.")


def _square_grad(op, dy):
    """d x^2 = 2x dx."""
    return [dy * (2 * op.inputs[0])]


def _square_to_onnx(b, op):
    """ONNX has no Square: x * x."""
    x = b.inputs(op)[0]
    b.node("Mul", [x, x], b.outputs(op), op.name)


Square = define_op("Square", forward=np.square, shape=_same_shape, grad=_square_grad)
def _squared_difference_from_tensorflow(op_def, node, inputs):
    return op_def(subtract(*inputs, name=node.name + "/Sub"), name=node.name)


lowerings.register(Square, tensorflow=lowerings.elementwise("Square")["tensorflow"],
                   onnx=_square_to_onnx,
                   imports={"Square": lowerings.same_inputs,
                            "SquaredDifference": _squared_difference_from_tensorflow})
square = _unary_function(Square, "x * x.")


def _abs_grad(op, dy):
    """d|x| = sign(x) dx."""
    return [dy * sign(op.inputs[0])]


Abs = define_op("Abs", forward=np.abs, shape=_same_shape, grad=_abs_grad)
lowerings.register(Abs, **lowerings.elementwise("Abs", "Abs"))
abs = _unary_function(Abs, "|x|; its gradient is sign(x).")  # noqa: A001 - TF1's name

Sign = define_op("Sign", forward=np.sign, shape=_same_shape)
sign = _unary_function(Sign, "-1, 0 or 1 (no gradient).")


def _sin_grad(op, dy):
    """d sin(x) = cos(x) dx."""
    return [dy * cos(op.inputs[0])]


Sin = define_op("Sin", forward=np.sin, shape=_float_shape, grad=_sin_grad)
sin = _unary_function(Sin, "Sine.")


def _cos_grad(op, dy):
    """d cos(x) = -sin(x) dx."""
    return [negative(dy) * sin(op.inputs[0])]


Cos = define_op("Cos", forward=np.cos, shape=_float_shape, grad=_cos_grad)
cos = _unary_function(Cos, "Cosine.")


def _reciprocal_grad(op, dy):
    """d (1/x) = -dx / x^2 = -(1/x)^2 dx (reuses the output)."""
    y = op.outputs[0]
    return [negative(dy) * y * y]


Reciprocal = define_op("Reciprocal", forward=np.reciprocal, shape=_float_shape,
                       grad=_reciprocal_grad)
def _rsqrt_from_tensorflow(op_def, node, inputs):
    return op_def(sqrt(inputs[0], name=node.name + "/Sqrt"), name=node.name)


lowerings.register(Reciprocal, **lowerings.elementwise("Reciprocal", "Reciprocal",
                                                       also=("Inv",)))
lowerings.register(Reciprocal, imports={"Rsqrt": _rsqrt_from_tensorflow})
reciprocal = _unary_function(Reciprocal, "1 / x.")

Floor = define_op("Floor", forward=np.floor, shape=_float_shape)
lowerings.register(Floor, **lowerings.elementwise("Floor", "Floor"))
floor = _unary_function(Floor, "Round down (no gradient).")

Ceil = define_op("Ceil", forward=np.ceil, shape=_float_shape)
lowerings.register(Ceil, **lowerings.elementwise("Ceil", "Ceil"))
ceil = _unary_function(Ceil, "Round up (no gradient).")

Round = define_op("Round", forward=np.round, shape=_same_shape)
round = _unary_function(Round, "Round half to even, as TF1 (no gradient).")  # noqa: A001


# -- tanh and sigmoid, with their fused gradient ops ----------------------------------------
def _tanh_grad_forward(y, dy):
    return dy * (1 - y * y)


def _tanh_grad_grad(op, ddx):
    """TanhGrad(y, dy) = dy (1 - y^2): d/dy = -2 y dy, d/d(dy) = 1 - y^2."""
    y, dy = op.inputs
    return [ddx * dy * (-2.0 * y), TanhGrad(y, ddx)]


TanhGrad = define_op("TanhGrad", forward=_tanh_grad_forward, shape=binary_shape,
                     grad=_tanh_grad_grad)


def _tanh_grad(op, dy):
    """d tanh(x) = (1 - tanh(x)^2) dx, fused into one TanhGrad op on the output."""
    return [TanhGrad(op.outputs[0], dy)]


Tanh = define_op("Tanh", forward=np.tanh, shape=_float_shape, grad=_tanh_grad)
lowerings.register(Tanh, **lowerings.elementwise("Tanh", "Tanh"))
tanh = _unary_function(Tanh, "Hyperbolic tangent.")


def _sigmoid_forward(x):
    # NOTE: exp(-x) overflows to inf for x << 0, and 1 / (1 + inf) = 0 is the right limit,
    # so the overflow is expected and silenced rather than avoided.
    with np.errstate(over="ignore"):
        return np.reciprocal(1 + np.exp(np.negative(x)))


def _sigmoid_grad_forward(y, dy):
    return dy * (y * (1 - y))


def _sigmoid_grad_grad(op, ddx):
    """SigmoidGrad(y, dy) = dy y (1 - y): d/dy = dy (1 - 2y), d/d(dy) = y (1 - y)."""
    y, dy = op.inputs
    return [ddx * dy * (1.0 - 2.0 * y), SigmoidGrad(y, ddx)]


SigmoidGrad = define_op("SigmoidGrad", forward=_sigmoid_grad_forward, shape=binary_shape,
                        grad=_sigmoid_grad_grad)


def _sigmoid_grad(op, dy):
    """d sigmoid(x) = s (1 - s) dx with s = sigmoid(x), fused into one SigmoidGrad op."""
    return [SigmoidGrad(op.outputs[0], dy)]


Sigmoid = define_op("Sigmoid", forward=_sigmoid_forward, shape=_float_shape,
                    grad=_sigmoid_grad)
lowerings.register(Sigmoid, **lowerings.elementwise("Sigmoid", "Sigmoid"))
sigmoid = _unary_function(Sigmoid, "1 / (1 + e ** -x), computed without overflow.")


# -- compositions ---------------------------------------------------------------------------
def rsqrt(x, name=None):
    """1 / sqrt(x) (composed of reciprocal and sqrt)."""
    with get_default_graph().name_scope(name or "Rsqrt"):
        return reciprocal(sqrt(x))


def squared_difference(x, y, name=None):
    """(x - y) ** 2 (composed of subtract and square)."""
    with get_default_graph().name_scope(name or "SquaredDifference"):
        return square(subtract(x, y))


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clamp `t` into [min, max]; the gradient passes only where t is inside the range."""
    with get_default_graph().name_scope(name or "clip_by_value"):
        return minimum(maximum(t, clip_value_min), clip_value_max)
