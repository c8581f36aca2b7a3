"""tf.keras.backend: the session Keras runs in, the learning phase, and tensor helpers.

Keras layers build ops in the default graph; fit, evaluate and predict run them in
`get_session()`: the default session if one is active, else one Keras makes (and
initializes variables in as they appear). `set_session(sess)` makes it use yours, and
`clear_session()` starts a new graph, as in tf.keras 1.x.
"""
import threading

import numpy as np

import autograd as ag

_state = threading.local()
_FLOATX, _EPSILON, _FORMAT = "float32", 1e-7, "channels_last"


def _graph_state():
    graph = ag.get_default_graph()
    states = getattr(_state, "graphs", None)
    if states is None:
        states = _state.graphs = {}
    found = states.get(graph)
    if found is None:
        found = states[graph] = {"session": None, "phase": None, "fixed_phase": None,
                                 "initialized": set(), "uids": {}}
    return found


def get_session():
    """The session Keras runs in (made once per graph, unless set_session gave one)."""
    default = ag.get_default_session()
    state = _graph_state()
    session = default if default is not None and default.graph is ag.get_default_graph() \
        else state["session"]
    if session is None or getattr(session, "_closed", False):
        session = state["session"] = ag.Session()
    _initialize_new_variables(session, state)
    return session


def _initialize_new_variables(session, state):
    fresh = [v for v in ag.global_variables() if v not in state["initialized"]
             and session.value_of(v) is None]
    if fresh:
        session.run(ag.variables_initializer(fresh))
    state["initialized"].update(ag.global_variables())


def set_session(session):
    _graph_state()["session"] = session


def clear_session():
    """Forget the graph and session Keras used: a new default graph, layer names from 0."""
    old = _graph_state()
    if old["session"] is not None:
        old["session"].close()
    ag.reset_default_graph()


def learning_phase():
    """A bool scalar: 1 while fit runs (dropout on, batch statistics), 0 otherwise."""
    state = _graph_state()
    if state["phase"] is None:
        with ag.name_scope(None):
            state["phase"] = ag.placeholder_with_default(
                ag.constant(False), [], name="keras_learning_phase")
    return state["phase"]


def set_learning_phase(value):
    if value not in (0, 1):
        raise ValueError("Expected learning phase to be 0 or 1.")
    _graph_state()["fixed_phase"] = bool(value)


def fixed_learning_phase():
    return _graph_state()["fixed_phase"]


def get_uid(prefix=""):
    """1, 2, 3 ... per prefix and graph: Keras's layer numbering (dense, dense_1, ...)."""
    uids = _graph_state()["uids"]
    uids[prefix] = uids.get(prefix, 0) + 1
    return uids[prefix]


def floatx():
    return _FLOATX


def epsilon():
    return _EPSILON


def image_data_format():
    return _FORMAT


def get_value(variable):
    return get_session().run(variable)


def batch_get_value(variables):
    return get_session().run(list(variables)) if variables else []


def set_value(variable, value):
    get_session().load_variable(variable, np.asarray(value))


def batch_set_value(pairs):
    get_session().load_variables({v: np.asarray(x) for v, x in pairs})


def int_shape(x):
    shape = ag.convert_to_tensor(x).shape
    return None if shape is None else tuple(shape)


def _reduce(function):
    def reduce(x, axis=None, keepdims=False):
        return function(x, axis=axis, keepdims=keepdims)
    return reduce


mean, sum, max, min = (_reduce(ag.reduce_mean), _reduce(ag.reduce_sum),  # noqa: A001
                       _reduce(ag.reduce_max), _reduce(ag.reduce_min))
square, sqrt, exp, log, abs = ag.square, ag.sqrt, ag.exp, ag.log, ag.abs  # noqa: A001
dot, concatenate, reshape, cast = ag.matmul, lambda xs, axis=-1: ag.concat(xs, axis), \
    ag.reshape, ag.cast
variable = ag.Variable
constant, placeholder, shape, transpose = ag.constant, ag.placeholder, ag.shape, ag.transpose
expand_dims, squeeze, stack = ag.expand_dims, ag.squeeze, ag.stack
clip, maximum, minimum = ag.clip_by_value, ag.maximum, ag.minimum
