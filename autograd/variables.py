"""Variables: values that persist across runs of a session (each session its own).

A Variable is TF's resource variable: a `VarHandleOp` whose output, the handle, is an
input of every op that reads or changes the variable. Using a Variable where a tensor is
expected (`v * 2.0`) builds a fresh `ReadVariableOp` there, ordered after the control
dependencies in force, so a read placed after an assignment sees the new value.
"""
import warnings

from .default_session import session_for
from .graph import GraphKeys, get_default_graph
from .ops.compare import cast
from .ops.shaping import identity
from .ops.state import VarHandleOp, assign, assign_add, assign_sub, group, read_variable
from .registry import convert_to_tensor, is_tensor_like

GLOBAL_VARIABLES = GraphKeys.GLOBAL_VARIABLES
TRAINABLE_VARIABLES = GraphKeys.TRAINABLE_VARIABLES


class Variable:
    """A value kept by each Session between runs, e.g. a weight matrix.

    Its initial value is computed when `.initializer` (or global_variables_initializer())
    runs; until then reading it raises FailedPreconditionError. Wherever a tensor is
    expected, a Variable stands for a fresh read of its current value.
    """

    def __init__(self, initial_value, trainable=True, name=None, dtype=None,
                 validate_shape=True, collections=None):
        if initial_value is None:
            raise ValueError("Variable needs an initial_value (an array, a number or a tensor)")
        graph = initial_value.graph if is_tensor_like(initial_value) else get_default_graph()
        with graph.as_default(), graph.name_scope(name or "Variable") as scope:
            if callable(initial_value):
                initial_value = initial_value()
            if is_tensor_like(initial_value):
                value = convert_to_tensor(initial_value)
                value = value if dtype is None else cast(value, dtype)
            else:
                value = convert_to_tensor(initial_value, dtype, name="initial_value")
            shape = value.shape if validate_shape else None
            self.handle = VarHandleOp(dtype=value.dtype, shape=shape, name=scope)
            self._initial_value = value
            self._initializer = assign(self, value, name="Assign").op
            with graph.control_dependencies(None), graph.name_scope("Read"):
                self._snapshot = read_variable(self.handle)
        self.trainable = bool(trainable)
        for key in [GLOBAL_VARIABLES] if collections is None else collections:
            graph.add_to_collection(key, self)
        if trainable:
            graph.add_to_collection(TRAINABLE_VARIABLES, self)

    @classmethod
    def from_ops(cls, handle, initializer, snapshot, initial_value=None, trainable=True):
        """A Variable over ops that exist already (an imported meta graph's: its handle,
        initializer op and read), as TF1's Variable(variable_def=...). Adds it to no
        collection: the caller does."""
        variable = cls.__new__(cls)
        variable.handle = handle
        variable._initializer = initializer
        variable._snapshot = snapshot if snapshot is not None else read_variable(handle)
        variable._initial_value = initial_value
        variable.trainable = bool(trainable)
        return variable

    def initialize_from(self, value):
        """Make this variable's initializer store `value` (a numpy array) instead; what
        init_from_checkpoint does. Affects initializer ops built after the call."""
        with self.graph.as_default(), self.graph.name_scope(self.op.name + "/"):
            self._initial_value = convert_to_tensor(value, self.dtype, name="checkpoint_value")
            self._initializer = assign(self, self._initial_value, name="Assign_checkpoint").op

    @property
    def _graph_element(self):
        """What fetching or feeding the Variable means: its read `name/Read/ReadVariableOp`."""
        return self._snapshot

    def _as_tensor(self):
        """What using the Variable as an op input means: a fresh read, built here."""
        return read_variable(self.handle)

    name = property(lambda self: self.handle.name, doc="The handle's name, e.g. 'weights:0'.")
    op = property(lambda self: self.handle.op, doc="The VarHandleOp.")
    dtype = property(lambda self: self.handle.op.attrs["dtype"])
    shape = property(lambda self: self.handle.op.attrs["shape"])
    graph = property(lambda self: self.handle.graph)
    device = property(lambda self: self.handle.op.device,
                      doc="Where the variable lives: its VarHandleOp's device.")
    initializer = property(lambda self: self._initializer, doc="The op that sets the value.")
    initial_value = property(lambda self: self._initial_value)

    def get_shape(self):
        return self.shape

    def value(self):
        """The variable's value as a tensor: the read built with the variable (what
        `sess.run(variable)` fetches)."""
        return self._snapshot

    def read_value(self):
        """A fresh read of the variable, ordered after the control dependencies in force
        where it is created (use it to see an assignment made earlier in the same run)."""
        with self.graph.as_default():
            return read_variable(self.handle)

    def eval(self, session=None):
        """The current value in the default session (or `session`)."""
        return self._snapshot.eval(session=session)

    def initialized_value(self):
        """The initial value, read only after this variable's initializer has run."""
        with self.graph.as_default(), self.graph.control_dependencies([self._initializer]):
            return identity(self._initial_value)

    def assign(self, value, name=None):
        """An op that stores `value` into this variable; its output is the new value."""
        return assign(self, value, name=name)

    def assign_add(self, value, name=None):
        return assign_add(self, value, name=name)

    def assign_sub(self, value, name=None):
        return assign_sub(self, value, name=name)

    def load(self, value, session=None):
        """Store a numpy value into this variable in `session` (the default one if None)."""
        session_for(self._snapshot, session, "load").load_variable(self, value)

    def __repr__(self):
        return (f"<Variable {self.op.name!r} shape={self.shape!r} "
                f"dtype={self.dtype.name}>")


def _in_scope(variables, scope):
    """Those whose name starts with `scope` (TF matches it as a regex from the start)."""
    if scope is None:
        return variables
    import re
    pattern = re.compile(scope)
    return [v for v in variables if pattern.match(v.op.name)]


def global_variables(scope=None):
    """Every Variable of the default graph, in creation order (under `scope` if given)."""
    return _in_scope(get_default_graph().get_collection(GLOBAL_VARIABLES), scope)


def trainable_variables(scope=None):
    """The Variables optimizers update by default (created with trainable=True)."""
    return _in_scope(get_default_graph().get_collection(TRAINABLE_VARIABLES), scope)


def variables_initializer(var_list, name="init"):
    """One op that runs the initializers of `var_list`."""
    return group(*[v.initializer for v in var_list], name=name)


def local_variables(scope=None):
    """The local variables of the default graph (metrics' accumulators: not saved, and
    initialized by local_variables_initializer)."""
    return _in_scope(get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES), scope)


def local_variables_initializer():
    """One op that runs every local variable's initializer in the default graph."""
    return variables_initializer(local_variables(), name="init_local")


def global_variables_initializer():
    """One op that runs every variable's initializer in the default graph."""
    return variables_initializer(global_variables())


def initialize_all_variables():
    """Old name of global_variables_initializer (deprecated in TF1, as here)."""
    warnings.warn("initialize_all_variables is deprecated and will be removed after "
                  "2017-03-02. Instructions for updating: use "
                  "`global_variables_initializer` instead.", DeprecationWarning, stacklevel=2)
    return global_variables_initializer()
