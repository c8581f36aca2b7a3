"""Comparisons, logic, where and cast: elementwise ops with no gradient of their own
(where passes its branches' gradients; a float-to-float cast passes its input's).

Comparisons broadcast like the arithmetic in ops/math.py and give bool tensors.
"""
import numpy as np

from .. import dtypes, lowerings
from ..registry import convert_operands, convert_to_tensor, define_op
from ..shapes import broadcast
from .broadcast import binary_shape, unbroadcast
from .shaping import zeros_like


def _binary(op_def, x, y, name):
    x, y = convert_operands([x, y], op_def.type)
    return op_def(x, y, name=name)


# -- comparisons ----------------------------------------------------------------------------
def _compare_shape(x, y):
    return binary_shape(x, y)[0], dtypes.bool


Equal = define_op("Equal", forward=np.equal, shape=_compare_shape)
NotEqual = define_op("NotEqual", forward=np.not_equal, shape=_compare_shape)
Greater = define_op("Greater", forward=np.greater, shape=_compare_shape)
GreaterEqual = define_op("GreaterEqual", forward=np.greater_equal, shape=_compare_shape)
Less = define_op("Less", forward=np.less, shape=_compare_shape)
LessEqual = define_op("LessEqual", forward=np.less_equal, shape=_compare_shape)
for _comparison in (Equal, NotEqual, Greater, GreaterEqual, Less, LessEqual):
    lowerings.register(_comparison, **lowerings.elementwise(_comparison.type))


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


# -- logic ----------------------------------------------------------------------------------
def _logical_shape(x, y):
    if x.dtype != dtypes.bool or y.dtype != dtypes.bool:
        raise TypeError(f"logical ops need bool inputs, got {x.dtype.name} and {y.dtype.name}")
    return _compare_shape(x, y)


def _bool_shape(x):
    if x.dtype != dtypes.bool:
        raise TypeError(f"expects a bool tensor, got {x.dtype.name}")
    return x.shape, x.dtype


LogicalAnd = define_op("LogicalAnd", forward=np.logical_and, shape=_logical_shape)
LogicalOr = define_op("LogicalOr", forward=np.logical_or, shape=_logical_shape)
LogicalNot = define_op("LogicalNot", forward=np.logical_not, shape=_bool_shape)
for _logical in (LogicalAnd, LogicalOr, LogicalNot):
    lowerings.register(_logical, **lowerings.elementwise(_logical.type, typed=False))


def logical_and(x, y, name=None):
    """x AND y for bool tensors."""
    return _binary(LogicalAnd, x, y, name)


def logical_or(x, y, name=None):
    """x OR y for bool tensors."""
    return _binary(LogicalOr, x, y, name)


def logical_not(x, name=None):
    """NOT x for a bool tensor."""
    return LogicalNot(convert_to_tensor(x), name=name)


# -- where ----------------------------------------------------------------------------------
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


def _select_to_tensorflow(b, op):
    b.node("SelectV2", op, T=b.type(op.inputs[1].dtype))


def _select_from_tensorflow(op_def, node, inputs):
    return where(*inputs, name=node.name)


lowerings.register(Select, tensorflow=_select_to_tensorflow,
                   imports={"Select": _select_from_tensorflow,
                            "SelectV2": _select_from_tensorflow})


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


# -- cast -----------------------------------------------------------------------------------
def _cast_shape(x, dtype):
    return x.shape, dtype


def _cast_forward(x, dtype):
    return np.asarray(x).astype(dtype)


def _cast_grad(op, dy):
    """Float to float passes the gradient (cast back); anything else cuts it."""
    x = op.inputs[0]
    if dtypes.is_floating(x.dtype) and dtypes.is_floating(op.attrs["dtype"]):
        return [cast(dy, x.dtype)]
    return [None]


def _cast_to_tensorflow(b, op):
    b.node("Cast", op, SrcT=b.type(op.inputs[0].dtype), DstT=b.type(op.attrs["dtype"]),
           Truncate=False)


def _cast_to_onnx(b, op):
    b.node("Cast", b.inputs(op), b.outputs(op), op.name, to=b.elem_type(op.attrs["dtype"]))


Cast = define_op("Cast", forward=_cast_forward, shape=_cast_shape, grad=_cast_grad)
def _cast_from_tensorflow(op_def, node, inputs):
    return cast(inputs[0], node.attr("DstT"), name=node.name)


lowerings.register(Cast, tensorflow=_cast_to_tensorflow, onnx=_cast_to_onnx,
                   imports={"Cast": _cast_from_tensorflow})


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
