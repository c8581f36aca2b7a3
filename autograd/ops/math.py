"""Elementwise ops: arithmetic, unary functions, comparisons, logic, where and cast.

Binary ops broadcast like numpy; their gradients go through `unbroadcast`, the one place
where broadcasting is undone. Ops that are simple compositions (squared_difference,
rsqrt, clip_by_value, to_float) are built from these primitives rather than registered.
"""
import numpy as np

from .. import dtypes, errors
from ..graph import get_default_graph
from ..registry import convert_operands, convert_to_tensor, define_op
from ..shapes import broadcast
from .broadcast import along_last_axis, unbroadcast
from .shaping import ones_like, zeros_like


# -- shape rules ----------------------------------------------------------------------------
def _binary_shape(x, y):
    if x.dtype != y.dtype:
        raise TypeError(f"inputs must have the same dtype, got {x.dtype.name} and {y.dtype.name}")
    return broadcast(x.shape, y.shape), x.dtype


def _compare_shape(x, y):
    return _binary_shape(x, y)[0], dtypes.bool


def _logical_shape(x, y):
    if x.dtype != dtypes.bool or y.dtype != dtypes.bool:
        raise TypeError(f"logical ops need bool inputs, got {x.dtype.name} and {y.dtype.name}")
    return _compare_shape(x, y)


def _same_shape(x):
    return x.shape, x.dtype


def _float_shape(x):
    if not dtypes.is_floating(x.dtype):
        raise TypeError(f"expects a floating-point tensor, got {x.dtype.name}; "
                        f"convert it with autograd.cast(x, autograd.float32)")
    return x.shape, x.dtype


def _bool_shape(x):
    if x.dtype != dtypes.bool:
        raise TypeError(f"expects a bool tensor, got {x.dtype.name}")
    return x.shape, x.dtype


# -- binary arithmetic ----------------------------------------------------------------------
def _add_grad(op, dy):
    x, y = op.inputs
    return [unbroadcast(dy, x, y), unbroadcast(dy, y, x)]


def _sub_grad(op, dy):
    x, y = op.inputs
    return [unbroadcast(dy, x, y), unbroadcast(negative(dy), y, x)]


def _mul_grad(op, dy):
    """d(xy) = y dx + x dy."""
    x, y = op.inputs
    return [unbroadcast(dy * y, x, y), unbroadcast(x * dy, y, x)]


def _div_grad(op, dy):
    """d(x/y) = dx / y - x / y^2 dy."""
    x, y = op.inputs
    return [unbroadcast(dy / y, x, y), unbroadcast(dy * (negative(x) / y / y), y, x)]


def _pow_grad(op, dy):
    """d(x^y) = y x^(y-1) dx + x^y log(x) dy (log taken as 0 where x <= 0)."""
    x, y = op.inputs
    z = op.outputs[0]
    gx = dy * y * pow(x, y - 1)
    positive = greater(x, 0)
    safe_log = log(where(positive, x, ones_like(x)))
    gy = dy * z * where(positive, safe_log, zeros_like(x))
    return [unbroadcast(gx, x, y), unbroadcast(gy, y, x)]


def _maximum_grad(op, dy):
    """The gradient goes to the larger input (to x on ties)."""
    x, y = op.inputs
    pick_x = greater_equal(x, y)
    zeros = zeros_like(dy)
    return [unbroadcast(where(pick_x, dy, zeros), x, y),
            unbroadcast(where(pick_x, zeros, dy), y, x)]


def _minimum_grad(op, dy):
    """The gradient goes to the smaller input (to x on ties)."""
    x, y = op.inputs
    pick_x = less_equal(x, y)
    zeros = zeros_like(dy)
    return [unbroadcast(where(pick_x, dy, zeros), x, y),
            unbroadcast(where(pick_x, zeros, dy), y, x)]


def _floor_mod_grad(op, dy):
    """x mod y = x - floor(x/y) y, so d/dx = 1 and d/dy = -floor(x/y)."""
    x, y = op.inputs
    return [unbroadcast(dy, x, y), unbroadcast(dy * negative(floordiv(x, y)), y, x)]


Add = define_op("Add", forward=np.add, shape=_binary_shape, grad=_add_grad,
                specialize=along_last_axis(np.add))
Sub = define_op("Sub", forward=np.subtract, shape=_binary_shape, grad=_sub_grad,
                specialize=along_last_axis(np.subtract))
Mul = define_op("Mul", forward=np.multiply, shape=_binary_shape, grad=_mul_grad,
                specialize=along_last_axis(np.multiply))
RealDiv = define_op("RealDiv", forward=np.true_divide, shape=_binary_shape, grad=_div_grad,
                    specialize=along_last_axis(np.true_divide))
Pow = define_op("Pow", forward=np.power, shape=_binary_shape, grad=_pow_grad)
Maximum = define_op("Maximum", forward=np.maximum, shape=_binary_shape, grad=_maximum_grad)
Minimum = define_op("Minimum", forward=np.minimum, shape=_binary_shape, grad=_minimum_grad)
def _integer_divisor(y):
    """Integer division by zero is an error, as in TF (numpy would warn and return 0)."""
    if y.dtype.kind in "iu" and not np.all(y):
        raise errors.InvalidArgumentError("Integer division by zero")


def _floordiv_forward(x, y):
    _integer_divisor(y)
    with np.errstate(divide="ignore"):  # a float x // 0 is +-inf, silently, as in TF
        return np.floor_divide(x, y)


def _floormod_forward(x, y):
    _integer_divisor(y)
    return np.mod(x, y)


FloorDiv = define_op("FloorDiv", forward=_floordiv_forward, shape=_binary_shape)
FloorMod = define_op("FloorMod", forward=_floormod_forward, shape=_binary_shape,
                     grad=_floor_mod_grad)


def _binary(op_def, x, y, name):
    x, y = convert_operands([x, y], op_def.type)
    return op_def(x, y, name=name)


def add(x, y, name=None):
    """x + y, broadcasting."""
    return _binary(Add, x, y, name)


def subtract(x, y, name=None):
    """x - y, broadcasting."""
    return _binary(Sub, x, y, name)


def multiply(x, y, name=None):
    """x * y elementwise, broadcasting."""
    return _binary(Mul, x, y, name)


def divide(x, y, name=None):
    """x / y; integer inputs are converted to float64 first, as in TF1's truediv."""
    x, y = convert_operands([x, y], "RealDiv")
    if not dtypes.is_floating(x.dtype):
        x, y = cast(x, dtypes.float64), cast(y, dtypes.float64)
    return RealDiv(x, y, name=name)


def floordiv(x, y, name=None):
    """floor(x / y), no gradient."""
    return _binary(FloorDiv, x, y, name)


def mod(x, y, name=None):
    """x mod y with the sign of y (floored), as Python's %."""
    return _binary(FloorMod, x, y, name)


def pow(x, y, name=None):  # noqa: A001 - TF1's name
    """x ** y."""
    return _binary(Pow, x, y, name)


def maximum(x, y, name=None):
    """Elementwise max(x, y)."""
    return _binary(Maximum, x, y, name)


def minimum(x, y, name=None):
    """Elementwise min(x, y)."""
    return _binary(Minimum, x, y, name)


# -- unary functions ------------------------------------------------------------------------
def _neg_grad(op, dy):
    return [negative(dy)]


def _exp_grad(op, dy):
    """d exp(x) = exp(x) dx (reuses the output)."""
    return [dy * op.outputs[0]]


def _log_grad(op, dy):
    """d log(x) = dx / x."""
    return [dy * reciprocal(op.inputs[0])]


def _log1p_grad(op, dy):
    """d log(1+x) = dx / (1+x)."""
    return [dy * reciprocal(1 + op.inputs[0])]


def _sqrt_grad(op, dy):
    """d sqrt(x) = dx / (2 sqrt(x)) (reuses the output)."""
    return [dy * 0.5 / op.outputs[0]]


def _square_grad(op, dy):
    """d x^2 = 2x dx."""
    return [dy * (2 * op.inputs[0])]


def _abs_grad(op, dy):
    return [dy * sign(op.inputs[0])]


def _sin_grad(op, dy):
    return [dy * cos(op.inputs[0])]


def _cos_grad(op, dy):
    return [negative(dy) * sin(op.inputs[0])]


def _tanh_grad(op, dy):
    """d tanh(x) = (1 - tanh(x)^2) dx, fused into one TanhGrad op on the output."""
    return [TanhGrad(op.outputs[0], dy)]


def _sigmoid_grad(op, dy):
    """d sigmoid(x) = s (1 - s) dx with s = sigmoid(x), fused into one SigmoidGrad op."""
    return [SigmoidGrad(op.outputs[0], dy)]


def _tanh_grad_forward(y, dy):
    return dy * (1 - y * y)


def _tanh_grad_grad(op, ddx):
    """TanhGrad(y, dy) = dy (1 - y^2): d/dy = -2 y dy, d/d(dy) = 1 - y^2."""
    y, dy = op.inputs
    return [ddx * dy * (-2.0 * y), TanhGrad(y, ddx)]


def _sigmoid_grad_forward(y, dy):
    return dy * (y * (1 - y))


def _sigmoid_grad_grad(op, ddx):
    """SigmoidGrad(y, dy) = dy y (1 - y): d/dy = dy (1 - 2y), d/d(dy) = y (1 - y)."""
    y, dy = op.inputs
    return [ddx * dy * (1.0 - 2.0 * y), SigmoidGrad(y, ddx)]


def _reciprocal_grad(op, dy):
    """d (1/x) = -dx / x^2 = -(1/x)^2 dx (reuses the output)."""
    y = op.outputs[0]
    return [negative(dy) * y * y]


def _sigmoid_forward(x):
    # NOTE: exp(-x) overflows to inf for x << 0, and 1 / (1 + inf) = 0 is the right limit,
    # so the overflow is expected and silenced rather than avoided.
    with np.errstate(over="ignore"):
        return np.reciprocal(1 + np.exp(np.negative(x)))


Neg = define_op("Neg", forward=np.negative, shape=_same_shape, grad=_neg_grad)
Exp = define_op("Exp", forward=np.exp, shape=_float_shape, grad=_exp_grad)
Log = define_op("Log", forward=np.log, shape=_float_shape, grad=_log_grad)
Log1p = define_op("Log1p", forward=np.log1p, shape=_float_shape, grad=_log1p_grad)
Sqrt = define_op("Sqrt", forward=np.sqrt, shape=_float_shape, grad=_sqrt_grad)
Square = define_op("Square", forward=np.square, shape=_same_shape, grad=_square_grad)
Abs = define_op("Abs", forward=np.abs, shape=_same_shape, grad=_abs_grad)
Sign = define_op("Sign", forward=np.sign, shape=_same_shape)
Sin = define_op("Sin", forward=np.sin, shape=_float_shape, grad=_sin_grad)
Cos = define_op("Cos", forward=np.cos, shape=_float_shape, grad=_cos_grad)
Tanh = define_op("Tanh", forward=np.tanh, shape=_float_shape, grad=_tanh_grad)
Sigmoid = define_op("Sigmoid", forward=_sigmoid_forward, shape=_float_shape, grad=_sigmoid_grad)
Reciprocal = define_op("Reciprocal", forward=np.reciprocal, shape=_float_shape,
                       grad=_reciprocal_grad)
TanhGrad = define_op("TanhGrad", forward=_tanh_grad_forward, shape=_binary_shape,
                     grad=_tanh_grad_grad)
SigmoidGrad = define_op("SigmoidGrad", forward=_sigmoid_grad_forward, shape=_binary_shape,
                        grad=_sigmoid_grad_grad)
Floor = define_op("Floor", forward=np.floor, shape=_float_shape)
Round = define_op("Round", forward=np.round, shape=_same_shape)


def _unary_function(op_def, doc):
    def function(x, name=None):
        return op_def(convert_to_tensor(x), name=name)
    function.__name__ = op_def.type.lower()
    function.__doc__ = doc
    return function


negative = _unary_function(Neg, "-x.")
exp = _unary_function(Exp, "e ** x.")
log = _unary_function(Log, "Natural logarithm.")
log1p = _unary_function(Log1p, "log(1 + x), accurate for small x.")
sqrt = _unary_function(Sqrt, "Square root.")
square = _unary_function(Square, "x * x.")
abs = _unary_function(Abs, "|x|; its gradient is sign(x).")  # noqa: A001 - TF1's name
sign = _unary_function(Sign, "-1, 0 or 1 (no gradient).")
sin = _unary_function(Sin, "Sine.")
cos = _unary_function(Cos, "Cosine.")
tanh = _unary_function(Tanh, "Hyperbolic tangent.")
sigmoid = _unary_function(Sigmoid, "1 / (1 + e ** -x), computed without overflow.")
reciprocal = _unary_function(Reciprocal, "1 / x.")
floor = _unary_function(Floor, "Round down (no gradient).")
round = _unary_function(Round, "Round half to even, as TF1 (no gradient).")  # noqa: A001


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


# -- comparisons and logic (no gradient) ----------------------------------------------------
Equal = define_op("Equal", forward=np.equal, shape=_compare_shape)
NotEqual = define_op("NotEqual", forward=np.not_equal, shape=_compare_shape)
Greater = define_op("Greater", forward=np.greater, shape=_compare_shape)
GreaterEqual = define_op("GreaterEqual", forward=np.greater_equal, shape=_compare_shape)
Less = define_op("Less", forward=np.less, shape=_compare_shape)
LessEqual = define_op("LessEqual", forward=np.less_equal, shape=_compare_shape)
LogicalAnd = define_op("LogicalAnd", forward=np.logical_and, shape=_logical_shape)
LogicalOr = define_op("LogicalOr", forward=np.logical_or, shape=_logical_shape)
LogicalNot = define_op("LogicalNot", forward=np.logical_not, shape=_bool_shape)


def equal(x, y, name=None):
    """x == y elementwise (bool)."""
    return _binary(Equal, x, y, name)


def not_equal(x, y, name=None):
    """x != y elementwise (bool)."""
    return _binary(NotEqual, x, y, name)


def greater(x, y, name=None):
    """x > y elementwise (bool)."""
    return _binary(Greater, x, y, name)


def greater_equal(x, y, name=None):
    """x >= y elementwise (bool)."""
    return _binary(GreaterEqual, x, y, name)


def less(x, y, name=None):
    """x < y elementwise (bool)."""
    return _binary(Less, x, y, name)


def less_equal(x, y, name=None):
    """x <= y elementwise (bool)."""
    return _binary(LessEqual, x, y, name)


def logical_and(x, y, name=None):
    """x AND y for bool tensors."""
    return _binary(LogicalAnd, x, y, name)


def logical_or(x, y, name=None):
    """x OR y for bool tensors."""
    return _binary(LogicalOr, x, y, name)


def logical_not(x, name=None):
    """NOT x for a bool tensor."""
    return LogicalNot(convert_to_tensor(x), name=name)


# -- where and cast -------------------------------------------------------------------------
def _select_shape(condition, x, y):
    if condition.dtype != dtypes.bool:
        raise TypeError(f"where condition must be bool, got {condition.dtype.name}")
    if x.dtype != y.dtype:
        raise TypeError(f"where branches must share a dtype, got {x.dtype.name} and "
                        f"{y.dtype.name}")
    return broadcast(broadcast(condition.shape, x.shape), y.shape), x.dtype


def _select_grad(op, dy):
    """Each branch gets the gradient where it was chosen, zero elsewhere."""
    condition, x, y = op.inputs
    zeros = zeros_like(dy)
    return [None,
            unbroadcast(where(condition, dy, zeros), x, condition, y),
            unbroadcast(where(condition, zeros, dy), y, condition, x)]


Select = define_op("Select", forward=np.where, shape=_select_shape, grad=_select_grad)


def _where_indices_shape(condition):
    rank = None if condition.shape is None else len(condition.shape)
    return (None, rank), dtypes.int64


def _where_indices_forward(condition):
    return np.argwhere(condition).astype(np.int64)


WhereIndices = define_op("Where", forward=_where_indices_forward, shape=_where_indices_shape)


def where(condition, x=None, y=None, name=None):
    """Pick x where condition is true, else y (broadcasting); with only a condition, the
    coordinates of its true entries."""
    condition = convert_to_tensor(condition)
    if x is None and y is None:
        return WhereIndices(condition, name=name)
    if x is None or y is None:
        raise ValueError("where needs both x and y, or neither")
    x, y = convert_operands([x, y], "Select")
    return Select(condition, x, y, name=name)


def _cast_shape(x, dtype):
    return x.shape, dtype


def _cast_forward(x, dtype):
    return np.asarray(x).astype(dtype)


def _cast_grad(op, dy):
    x = op.inputs[0]
    if dtypes.is_floating(x.dtype) and dtypes.is_floating(op.attrs["dtype"]):
        return [cast(dy, x.dtype)]
    return [None]


Cast = define_op("Cast", forward=_cast_forward, shape=_cast_shape, grad=_cast_grad)


def cast(x, dtype, name=None):
    """Convert to `dtype`; float <-> float keeps the gradient, anything else cuts it."""
    x = convert_to_tensor(x)
    dtype = dtypes.as_dtype(dtype)
    if x.dtype == dtype:
        return x
    return Cast(x, dtype=dtype, name=name)


def to_float(x, name="ToFloat"):
    """cast(x, float32) (TF1's old helper)."""
    return cast(x, dtypes.float32, name=name)


