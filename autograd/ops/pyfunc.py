"""py_func and numpy_function: an op whose kernel is a Python function of numpy arrays.

The function runs when the op runs, on the inputs' values, and must return arrays of the
declared dtypes (a mismatch is an error naming the op, as in TF1: a Python float is a
float64). Its outputs have unknown shapes. It has no gradient of its own; give it one
with RegisterGradient and Graph.gradient_override_map({"PyFunc": name}).
"""
import numpy as np

from .. import dtypes, errors
from ..registry import convert_to_tensor, define_op


def _py_func_shape(*inputs, func, Tout, single):
    return [(None, dtype) for dtype in Tout]


def _py_func_forward(*inputs, func, Tout, single):
    result = func(*inputs)
    results = [result] if single else list(result) if isinstance(result, (list, tuple)) \
        else [result]
    if len(results) != len(Tout):
        raise errors.InvalidArgumentError(f"the function returned {len(results)} values, "
                                          f"but Tout declares {len(Tout)}")
    arrays = []
    for index, (value, dtype) in enumerate(zip(results, Tout)):
        array = np.asarray(value)
        if array.dtype != dtype and not (array.dtype.kind in "US" and dtype == dtypes.string):
            raise errors.InvalidArgumentError(
                f"value {index} returned by the function is {array.dtype.name}, but Tout "
                f"says {dtypes.name_of(dtype)}")
        arrays.append(array)
    return arrays[0] if single else tuple(arrays)


PyFunc = define_op("PyFunc", forward=_py_func_forward, shape=_py_func_shape)
PyFuncStateless = define_op("PyFuncStateless", forward=_py_func_forward, shape=_py_func_shape)


def py_func(func, inp, Tout, stateful=True, name=None):  # noqa: N803 - TF1's name
    """An op that computes `func(*input arrays)`; `Tout` is a dtype (one output) or a
    list of dtypes. stateful=False marks a pure function (TF may fold or prune it)."""
    if not callable(func):
        raise TypeError(f"py_func needs a callable, got {func!r}")
    single = not isinstance(Tout, (list, tuple))
    declared = tuple(dtypes.as_dtype(t) for t in ([Tout] if single else Tout))
    inputs = [convert_to_tensor(x) for x in (inp if isinstance(inp, (list, tuple)) else [inp])]
    op_def = PyFunc if stateful else PyFuncStateless
    return op_def(*inputs, func=func, Tout=declared, single=single, name=name or op_def.type)


def numpy_function(func, inp, Tout, name=None):  # noqa: N803 - TF1's name
    """py_func for a function of numpy arrays (TF 1.14's spelling)."""
    return py_func(func, inp, Tout, stateful=True, name=name)
