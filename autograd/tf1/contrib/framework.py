"""tf.contrib.framework: arg_scope, and the variable helpers slim is built on.

    with arg_scope([layers.conv2d, layers.fully_connected], activation_fn=tf.nn.relu,
                   weights_regularizer=layers.l2_regularizer(0.0005)):
        net = layers.conv2d(images, 32, [3, 3])      # gets both defaults

A function decorated with add_arg_scope takes its keyword defaults from the innermost
arg_scope that lists it; arguments given in the call win.
"""
import contextlib
import functools
import threading

import autograd as ag
import optim

from ..helpers import get_variable

_local = threading.local()


def _stack():
    if not hasattr(_local, "stack"):
        _local.stack = [{}]
    return _local.stack


def _key(function):
    return getattr(function, "_arg_scope_key", function)


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """Defaults for the listed functions inside the block (or re-enter a saved scope:
    `with arg_scope(scope):` where scope came from `with arg_scope(...) as scope`)."""
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling a dictionary, "
                             "kwargs must be empty.")
        _stack().append(list_ops_or_scope)
    else:
        current = {key: dict(value) for key, value in _stack()[-1].items()}
        for op in list_ops_or_scope:
            if not has_arg_scope(op):
                raise ValueError(f"{getattr(op, '__name__', op)} is not decorated with "
                                 f"@add_arg_scope")
            current.setdefault(_key(op), {}).update(kwargs)
        _stack().append(current)
    try:
        yield _stack()[-1]
    finally:
        _stack().pop()


def add_arg_scope(function):
    """Let arg_scope give `function` default keyword arguments."""
    @functools.wraps(function)
    def scoped(*args, **kwargs):
        defaults = dict(_stack()[-1].get(_key(scoped), {}))
        defaults.update(kwargs)
        return function(*args, **defaults)
    scoped._arg_scope_key = function
    return scoped


def has_arg_scope(function):
    return hasattr(function, "_arg_scope_key")


def current_arg_scope():
    return _stack()[-1]


@add_arg_scope
def variable(name, shape=None, dtype=ag.float32, initializer=None, regularizer=None,
             trainable=True, collections=None, caching_device=None, device=None,
             partitioner=None, custom_getter=None, use_resource=None):
    """A variable made with get_variable in the current variable scope (and `device`)."""
    collections = list(collections or [ag.GraphKeys.GLOBAL_VARIABLES])
    with ag.device(device) if device else contextlib.nullcontext():
        made = get_variable(name, shape, dtype, initializer, regularizer, trainable,
                            collections)
    return made


@add_arg_scope
def model_variable(name, shape=None, dtype=ag.float32, initializer=None, regularizer=None,
                   trainable=True, collections=None, caching_device=None, device=None,
                   partitioner=None, custom_getter=None, use_resource=None):
    """A variable that is part of the model (also in GraphKeys.MODEL_VARIABLES)."""
    collections = list(collections or []) + [ag.GraphKeys.GLOBAL_VARIABLES,
                                             ag.GraphKeys.MODEL_VARIABLES]
    return variable(name, shape, dtype, initializer, regularizer, trainable, collections,
                    device=device)


def _scoped(variables, scope, suffix=None):
    found = [v for v in variables if scope is None or v.op.name.startswith(scope)]
    return [v for v in found if suffix is None or v.op.name.endswith(suffix)]


def get_variables(scope=None, suffix=None, collection=ag.GraphKeys.GLOBAL_VARIABLES):
    return _scoped(ag.get_collection(collection), getattr(scope, "name", scope), suffix)


def get_model_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, ag.GraphKeys.MODEL_VARIABLES)


def get_variables_by_name(given_name, scope=None):
    return [v for v in get_variables(scope) if v.op.name.split("/")[-1] == given_name]


def get_variables_to_restore(include=None, exclude=None):
    """The model's variables (all global ones if none are marked), in or out of scopes."""
    variables = get_model_variables() or get_variables()
    if include is not None:
        variables = [v for v in variables if any(v.op.name.startswith(s) for s in include)]
    if exclude is not None:
        variables = [v for v in variables
                     if not any(v.op.name.startswith(s) for s in exclude)]
    return variables


def get_unique_variable(var_op_name):
    found = [v for v in get_variables() if v.op.name == var_op_name]
    if len(found) != 1:
        raise ValueError(f"Couldn't find variable {var_op_name}" if not found else
                         f"Variable {var_op_name} is not unique")
    return found[0]


get_or_create_global_step = optim.get_or_create_global_step
get_global_step = optim.get_global_step


def get_variable_full_name(variable):
    return variable.op.name
