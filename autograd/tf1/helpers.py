"""TF1 helpers that the core spells differently: initializers, get_variable, casts."""
import contextlib
import sys
import warnings
import weakref

import autograd as ag
from nn import init


def zeros_initializer(dtype=ag.float32):
    return init.zeros()


def constant_initializer(value=0.0, dtype=ag.float32):
    return init.constant(value)


def truncated_normal_initializer(mean=0.0, stddev=1.0, seed=None, dtype=ag.float32):
    return init.truncated_normal(mean, stddev, seed)


def random_normal_initializer(mean=0.0, stddev=1.0, seed=None, dtype=ag.float32):
    return init.random_normal(mean, stddev, seed)


def glorot_uniform_initializer(seed=None, dtype=ag.float32):
    return init.glorot_uniform(seed)


_VARIABLES = "get_variable"       # (full name, Variable) pairs
AUTO_REUSE = "auto_reuse"


class VariableScope:
    """A variable scope: its full `name`, whether get_variable reuses what exists, and
    the unnamed sub-scopes (layers) opened in it so far.

    Each entry of a named scope is a fresh VariableScope, so the numbering of unnamed
    sub-scopes restarts (`dense`, `dense_1`, ...) every time the scope is entered, as
    TF1's variable-scope store does: that is what lets a model function called a second
    time under `reuse=True` find the same layers."""

    def __init__(self, name, reuse=None):
        self.name, self.reuse = name, reuse
        self._opened = {}

    def unique_name(self, base):
        """`base`, then `base_1`, `base_2`, ... for the unnamed sub-scopes of this entry."""
        count = self._opened.get(base, 0)
        self._opened[base] = count + 1
        return base if count == 0 else f"{base}_{count}"

    def reuse_variables(self):
        self.reuse = True

    @property
    def original_name_scope(self):
        return self.name + "/" if self.name else ""


_stacks = weakref.WeakKeyDictionary()  # graph -> its open variable scopes


def _scope_stack():
    return _stacks.setdefault(ag.get_default_graph(), [VariableScope("")])


def get_variable_scope():
    """The innermost open variable scope (the root one outside any)."""
    return _scope_stack()[-1]


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None,
                   reuse=None, dtype=None, auxiliary_name_scope=True):
    """TF1's variable scope: variables made by get_variable inside are named
    `scope/name`, the same name every time the scope is entered (ops get a fresh name
    scope each time, as in TF1); with reuse=True (or AUTO_REUSE, or after
    reuse_variables()) get_variable returns the existing variable."""
    stack = _scope_stack()
    parent = stack[-1]
    if isinstance(name_or_scope, VariableScope):
        full = name_or_scope.name
    else:
        base = name_or_scope or parent.unique_name(default_name)
        full = f"{parent.name}/{base}" if parent.name else base
    inherited = reuse if reuse is not None else (parent.reuse if parent.name else None)
    scope = VariableScope(full, inherited)
    stack.append(scope)
    try:
        with ag.name_scope(full.rsplit("/", 1)[-1] if auxiliary_name_scope else None):
            yield scope
    finally:
        stack.pop()


def get_variable(name, shape=None, dtype=ag.float32, initializer=None, regularizer=None,
                 trainable=True, collections=None):
    """The variable `scope/name`: created on first use, returned again when the scope
    reuses (TF1 raises where a non-reusing scope meets an existing name; so does this)."""
    graph = ag.get_default_graph()
    scope = get_variable_scope()
    full = f"{scope.name}/{name}" if scope.name else name
    for known, variable in graph.get_collection(_VARIABLES):
        if known == full:
            if scope.reuse is None or scope.reuse is False:
                raise ValueError(f"Variable {full} already exists, disallowed. Did you mean "
                                 f"to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
            return variable
    if scope.reuse is True:
        raise ValueError(f"Variable {full} does not exist, or was not created with "
                         f"tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                         f"VarScope?")
    if initializer is None:
        initializer = init.glorot_uniform()
    dtype = ag.dtypes.as_dtype(dtype)
    value = initializer(shape, dtype) if callable(initializer) else initializer
    with graph.name_scope(scope.name + "/" if scope.name else None):
        variable = ag.Variable(value, name=name, trainable=trainable, dtype=dtype)
    graph.add_to_collection(_VARIABLES, (full, variable))
    if regularizer is not None:
        penalty = regularizer(variable)
        if penalty is not None:
            graph.add_to_collection(ag.GraphKeys.REGULARIZATION_LOSSES, penalty)
    return variable


class TF1DeprecationWarning(UserWarning):
    """Shown (once per deprecated function) where TF1 logged a deprecation warning."""


def _deprecated(old, new, date="2017-03-02"):
    """Warn (TF1DeprecationWarning, once per function) as TF1 logged for `old`."""
    warnings.warn(f"{old} (from tensorflow.python.ops.math_ops) is deprecated and will be "
                  f"removed after {date}.\nInstructions for updating:\nUse `{new}` "
                  f"instead.", TF1DeprecationWarning, stacklevel=3)


def to_double(x, name="ToDouble"):
    _deprecated("to_double", "tf.cast", "2020-01-01")
    return ag.cast(x, ag.float64, name=name)


def to_int32(x, name="ToInt32"):
    _deprecated("to_int32", "tf.cast", "2020-01-01")
    return ag.cast(x, ag.int32, name=name)


def to_int64(x, name="ToInt64"):
    _deprecated("to_int64", "tf.cast", "2020-01-01")
    return ag.cast(x, ag.int64, name=name)


def arg_max(input, dimension, name=None, output_type=ag.int64):
    _deprecated("arg_max", "tf.math.argmax", "2017-01-01")
    return ag.argmax(input, dimension, name=name, output_type=output_type)


def arg_min(input, dimension, name=None, output_type=ag.int64):
    _deprecated("arg_min", "tf.math.argmin", "2017-01-01")
    return ag.argmin(input, dimension, name=name, output_type=output_type)


def div(x, y, name=None):
    """Python 2 division, as TF1's deprecated tf.div: floor division for integers."""
    _deprecated("div", "tf.math.divide", "2018-11-30")
    x, y = ag.convert_to_tensor(x), ag.convert_to_tensor(y)
    if x.dtype.kind in "iu":
        return ag.floordiv(x, y, name=name)
    return ag.divide(x, y, name=name)


def _print_forward(value, *data, message, summarize):
    import numpy as np
    shown = " ".join(np.array2string(np.asarray(d).ravel()[:summarize], separator=", ")
                     for d in data)
    print(f"{message}{shown}", file=sys.stderr)
    return value


def _print_shape(value, *data, message, summarize):
    return value.shape, value.dtype


def _print_grad(op, dy):
    return [dy] + [None] * (len(op.inputs) - 1)


PrintOp = ag.define_op("Print", forward=_print_forward, shape=_print_shape, grad=_print_grad)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802
    """Deprecated TF1 debugging op: `input_` unchanged, printing `data` when it runs."""
    _deprecated("Print", "tf.print", "2018-08-20")
    return PrintOp(input_, *data, message=message or "", summarize=summarize or 3,
                   name=name or "Print")
