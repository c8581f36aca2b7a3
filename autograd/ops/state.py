"""Ops that touch session state or only order things: placeholders, variable handles,
reads and assignments, no_op and group.

Variables follow TF's resource variables: `VarHandleOp` outputs a handle, and every op
that reads or changes the variable takes that handle as an ordinary input, so the graph
itself shows which ops touch which variable. At run time a handle's value is the
variable's storage in the running session: a `VariableAccess`, whose `read()`, `buffer()`
and `write()` are all a kernel needs (see autograd.state).
"""
import warnings

import numpy as np

from .. import dtypes, errors, lowerings
from ..graph import Tensor, get_default_graph
from ..registry import convert_to_tensor, define_op
from ..shapes import fmt, make_shape, merge
from ..sites import in_notebook_cell


# -- placeholder ----------------------------------------------------------------------------
def _placeholder_shape(dtype, shape):
    return shape, dtype


def _placeholder_forward(dtype, shape):
    raise errors.InvalidArgumentError("placeholder evaluated without a feed")


Placeholder = define_op("Placeholder", forward=_placeholder_forward, shape=_placeholder_shape)


def placeholder(dtype, shape=None, name=None):
    """A value supplied at run time through `feed_dict`; `shape` may contain None, or be
    None altogether (unknown rank)."""
    dtype = dtypes.as_dtype(dtype)
    if dtype == dtypes.resource:
        raise TypeError("a placeholder cannot hold a variable handle; create a Variable")
    found = Placeholder(dtype=dtype, shape=make_shape(shape), name=name)
    if name is not None:
        _hint_at_a_cell_run_twice(found, name)
    return found


def _hint_at_a_cell_run_twice(tensor, name):
    """In a notebook, a placeholder whose name was taken already (`x` became `x_1`) most
    often means that a model cell ran a second time and the graph now holds two copies:
    say so once per graph, with the cure."""
    graph = tensor.graph
    wanted = f"{graph.get_name_scope()}/{name}" if graph.get_name_scope() else name
    if tensor.op.name == wanted or getattr(graph, "_hinted_at_rerun", False):
        return
    if not in_notebook_cell(tensor.op.location[0]):
        return
    graph._hinted_at_rerun = True
    warnings.warn(f"a placeholder named {wanted!r} exists already, so this one is "
                  f"{tensor.op.name!r}. If this cell ran before, the graph now holds the "
                  f"model twice (two sets of variables, both in drawings): start the cell "
                  f"with tf.reset_default_graph() to build it afresh.", stacklevel=3)


def _with_default_shape(default, shape):
    return shape, default.dtype


def _with_default_forward(default, shape):
    return default


def _with_default_grad(op, dy):
    return [dy]


def _with_default_to_tensorflow(b, op):
    b.node("PlaceholderWithDefault", op, dtype=b.type(op.outputs[0].dtype),
           shape=b.shape(op.attrs["shape"]))


PlaceholderWithDefault = define_op("PlaceholderWithDefault", forward=_with_default_forward,
                                   shape=_with_default_shape, grad=_with_default_grad)
lowerings.register(PlaceholderWithDefault, tensorflow=_with_default_to_tensorflow)


def placeholder_with_default(input, shape, name=None):  # noqa: A002 - TF1's name
    """`input` unless a value is fed for it: a placeholder with a default (e.g. a
    training flag that defaults to False)."""
    value = convert_to_tensor(input)
    shape = make_shape(shape)
    try:
        merge(value.shape, shape)
    except ValueError:
        raise ValueError(f"the default of shape {fmt(value.shape)} does not fit the "
                         f"placeholder's shape {fmt(shape)}") from None
    return PlaceholderWithDefault(value, shape=shape, name=name)


# -- the handle -----------------------------------------------------------------------------
def _handle_shape(dtype, shape):
    return (), dtypes.resource


def _handle_forward(dtype, shape):
    raise RuntimeError("a variable handle is placed by the session, never computed")


VarHandleOp = define_op("VarHandleOp", forward=_handle_forward, shape=_handle_shape,
                        default_name="Variable")


def _handle_to_tensorflow(b, op):
    b.node("VarHandleOp", op, dtype=b.type(op.attrs["dtype"]), shape=b.shape(op.attrs["shape"]),
           shared_name=op.name, container="")


def _handle_from_tensorflow(op_def, node, inputs):
    """A resource variable's VarHandleOp, or a TF1 reference variable (VariableV2), whose
    reads (its Identity) and assignments (Assign) become reads and assignments of ours."""
    return op_def(dtype=node.attr("dtype"), shape=make_shape(node.attr("shape", None)),
                  name=node.name)


lowerings.register(VarHandleOp, tensorflow=_handle_to_tensorflow,
                   imports={"VarHandleOp": _handle_from_tensorflow,
                            "VariableV2": _handle_from_tensorflow,
                            "Variable": _handle_from_tensorflow})


def _captured_handle_forward(dtype, shape):
    raise errors.InvalidArgumentError("a captured variable handle evaluated without a feed")


# A function body's stand-in for a variable handle it uses from outside (autograd.functions)
CapturedHandle = define_op("CapturedHandle", forward=_captured_handle_forward,
                           shape=_handle_shape)


def variable_spec(handle):
    """(static shape, dtype) of the variable behind `handle`, a VarHandleOp's output (or
    a function body's CapturedHandle standing for one).

    Shape rules of ops that take a handle use it; TypeError for anything else."""
    if not isinstance(handle, Tensor) or handle.op.op_def not in (VarHandleOp, CapturedHandle):
        raise TypeError(f"expected a variable handle (Variable.handle), got {handle!r}")
    return handle.op.attrs["shape"], handle.op.attrs["dtype"]


def is_handle(tensor):
    """True for a tensor that is a variable handle: a VarHandleOp's output, or a function
    body's stand-in for one."""
    return tensor.op.op_def is VarHandleOp or tensor.op.op_def is CapturedHandle


# -- reading --------------------------------------------------------------------------------
def _read_shape(handle):
    return variable_spec(handle)


def _read_forward(variable):
    return variable.read()


def _read_grad(op, dy):
    """A read passes its gradient to the handle: d(loss)/d(variable) sums over all reads."""
    return [dy]


ReadVariableOp = define_op("ReadVariableOp", forward=_read_forward, shape=_read_shape,
                           grad=_read_grad, reads=(0,))


def _with_dtype_to_tensorflow(tf_type):
    """A variable op's lowering: TF's resource ops name the variable's dtype."""
    def to_tensorflow(b, op):
        b.node(tf_type, op, dtype=b.type(variable_spec(op.inputs[0])[1]))
    to_tensorflow.__name__ = f"to_tensorflow_{tf_type}"
    return to_tensorflow


lowerings.register(ReadVariableOp, tensorflow=_with_dtype_to_tensorflow("ReadVariableOp"),
                   imports={"ReadVariableOp": lowerings.same_inputs})


def read_variable(handle, name=None):
    """A fresh read of the variable, ordered after the control dependencies in force."""
    return ReadVariableOp(handle, name=name)


# -- assigning ------------------------------------------------------------------------------
def _assign_shape(handle, value):
    shape, dtype = variable_spec(handle)
    name = handle.op.name
    if value.dtype != dtype:
        raise TypeError(f"cannot assign a {value.dtype.name} value to {dtype.name} "
                        f"variable {name!r}; cast it first")
    try:
        merge(value.shape, shape)
    except ValueError:
        raise ValueError(f"cannot assign a value of shape {fmt(value.shape)} to variable "
                         f"{name!r} of shape {fmt(shape)}") from None
    return shape, dtype


def _assign_forward(variable, value):
    return variable.write(value)


def _updated(variable, ufunc, value):
    """variable = ufunc(variable, value), computed into a recycled buffer."""
    current = variable.read()
    if np.shape(value) != () and np.shape(value) != current.shape:
        raise errors.InvalidArgumentError(
            f"cannot update variable {variable.name!r} of shape {fmt(current.shape)} with a "
            f"value of shape {fmt(np.shape(value))}")
    out = variable.buffer()
    ufunc(current, value, out=out)
    return variable.write(out)


def _assign_add_forward(variable, value):
    return _updated(variable, np.add, value)


def _assign_sub_forward(variable, value):
    return _updated(variable, np.subtract, value)


AssignVariableOp = define_op("AssignVariableOp", forward=_assign_forward, shape=_assign_shape,
                             default_name="Assign", writes=(0,), replaces=(0,))
AssignAddVariableOp = define_op("AssignAddVariableOp", forward=_assign_add_forward,
                                shape=_assign_shape, default_name="AssignAdd", writes=(0,))
AssignSubVariableOp = define_op("AssignSubVariableOp", forward=_assign_sub_forward,
                                shape=_assign_shape, default_name="AssignSub", writes=(0,))
def _assignment_to_tensorflow(tf_type):
    """TF's resource assignments output nothing; ours output the new value, and an op
    that reads it keeps the assignment as ours (Unsupported here: see export.native)."""
    lower = _with_dtype_to_tensorflow(tf_type)

    def to_tensorflow(b, op):
        if op.outputs[0].consumers():
            raise lowerings.Unsupported(f"{op.name}'s new value is read by another op")
        lower(b, op)
    to_tensorflow.__name__ = lower.__name__
    return to_tensorflow


for _assignment, _reference_form in ((AssignVariableOp, "Assign"),
                                     (AssignAddVariableOp, "AssignAdd"),
                                     (AssignSubVariableOp, "AssignSub")):
    lowerings.register(_assignment, tensorflow=_assignment_to_tensorflow(_assignment.type),
                       imports={_assignment.type: lowerings.same_inputs,
                                _reference_form: lowerings.same_inputs})


def handle_of(ref):
    """The VarHandleOp output of Variable `ref`; TypeError for anything else."""
    handle = getattr(ref, "handle", None)
    if handle is None or handle.op.op_def is not VarHandleOp:
        raise TypeError(f"{ref!r} is not a Variable: only variables can be assigned to")
    return handle


def assign(ref, value, validate_shape=True, use_locking=None, name=None):
    """An op that stores `value` into variable `ref` and outputs the new value.
    validate_shape=False lets a variable created without a fixed shape
    (`Variable(..., validate_shape=False)`) take a value of another shape."""
    handle = handle_of(ref)
    value = convert_to_tensor(value, ref.dtype)
    shape = variable_spec(handle)[0]
    if not validate_shape and shape is not None and value.shape != shape:
        raise ValueError(f"assign(validate_shape=False) of a {fmt(value.shape)} value to "
                         f"variable {handle.op.name!r}, whose shape is fixed at {fmt(shape)}: "
                         f"create it with Variable(..., validate_shape=False) so that its "
                         f"shape may change")
    return AssignVariableOp(handle, value, name=name)


def assign_add(ref, value, name=None):
    """An op that adds `value` to variable `ref` and outputs the new value."""
    handle = handle_of(ref)
    return AssignAddVariableOp(handle, convert_to_tensor(value, ref.dtype), name=name)


def assign_sub(ref, value, name=None):
    """An op that subtracts `value` from variable `ref` and outputs the new value."""
    handle = handle_of(ref)
    return AssignSubVariableOp(handle, convert_to_tensor(value, ref.dtype), name=name)


# -- ordering -------------------------------------------------------------------------------
def _no_op_shape():
    return []


def _no_op_forward():
    return ()


NoOp = define_op("NoOp", forward=_no_op_forward, shape=_no_op_shape)


def _no_op_to_tensorflow(b, op):
    b.node("NoOp", op)


def _no_op_from_tensorflow(op_def, node, inputs):
    return op_def.create((), {}, node.name)


lowerings.register(NoOp, tensorflow=_no_op_to_tensorflow,
                   imports={"NoOp": _no_op_from_tensorflow})


def no_op(name=None):
    """An op that does nothing; useful as a target for control dependencies."""
    return NoOp.create((), {}, name).outputs_or_single()


def group(*inputs, name=None):
    """One op that runs all `inputs` (ops or tensors) when it runs; outputs nothing."""
    ops = []
    for item in inputs:
        items = item if isinstance(item, (list, tuple)) else [item]
        ops.extend(getattr(getattr(i, "_graph_element", i), "op", i) for i in items)
    with get_default_graph().control_dependencies(ops):
        return no_op(name=name or "group_deps")
