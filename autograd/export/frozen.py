"""Freezing: the forward graph that some outputs need, with every variable read replaced by
a constant holding the session's current value (TF1's convert_variables_to_constants).

The frozen graph is what the writers (TensorFlow GraphDef, ONNX) translate op by op.
"""
import numpy as np

from .. import errors
from ..graph import Operation, Tensor
from ..ops.state import Placeholder, ReadVariableOp, VarHandleOp
from ..registry import Const

INPUT, CONSTANT, NODE = "input", "constant", "node"


class FrozenGraph:
    """`steps`: (op, kind) in topological order, kind being INPUT (a placeholder the
    outputs need: a model input), CONSTANT (a Const, a variable read frozen to its value,
    or a placeholder folded to the value given for it) or NODE (an op to translate);
    `values[op]`: each CONSTANT's array; `inputs` and `outputs`: tensors."""

    def __init__(self, steps, values, inputs, outputs):
        self.steps, self.values, self.inputs, self.outputs = steps, values, inputs, outputs

    def nodes(self):
        return [op for op, kind in self.steps if kind == NODE]


def freeze(session, outputs, feed_dict=None):
    """Freeze what `outputs` (tensors, ops or their names) need in `session`'s graph.

    `feed_dict` folds placeholders into constants (e.g. {keep_prob: 1.0} for a dropout
    placeholder at inference); the other placeholders reached become the model's inputs.
    Control dependencies are dropped: at inference only values flow."""
    graph = session.graph
    targets = [_as_tensor(graph, o) for o in (outputs if isinstance(outputs, (list, tuple))
                                                else [outputs])]
    folded = {graph.as_graph_element(k, allow_operation=False): v
              for k, v in (feed_dict or {}).items()}
    needed, stack = set(), [t.op for t in targets]
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        if op.op_def is ReadVariableOp or any(t in folded for t in op.outputs):
            continue
        stack.extend(t.op for t in op.inputs)
    steps, values, inputs = [], {}, []
    for op in sorted(needed, key=lambda o: o._id):
        if op.outputs and op.outputs[0] in folded:
            values[op] = np.asarray(folded[op.outputs[0]], dtype=op.outputs[0].dtype)
            steps.append((op, CONSTANT))
        elif op.op_def is Const:
            values[op] = np.asarray(op.attrs["value"])
            steps.append((op, CONSTANT))
        elif op.op_def is ReadVariableOp:
            values[op] = _frozen_value(session, op)
            steps.append((op, CONSTANT))
        elif op.op_def is Placeholder:
            inputs.append(op.outputs[0])
            steps.append((op, INPUT))
        elif op.op_def is VarHandleOp:
            raise ValueError(f"cannot export {op.describe()}: an output needs the variable "
                             f"handle itself, not its value")
        else:
            steps.append((op, NODE))
    return FrozenGraph(steps, values, inputs, targets)


def _frozen_value(session, read):
    """The session's value of the variable that `read` (a ReadVariableOp) reads."""
    handle = read.inputs[0]
    value = session.value_of(handle)
    if value is None:
        raise errors.FailedPreconditionError(
            f"cannot freeze {read.describe()}: variable {handle.op.name!r} is not "
            f"initialized in this session")
    return value


def _as_tensor(graph, item):
    element = getattr(item, "_graph_element", item)
    if isinstance(element, str):
        element = graph.as_graph_element(element if ":" in element else element + ":0")
    if isinstance(element, Operation):
        if not element.outputs:
            raise ValueError(f"cannot export {element.describe()}: it has no output")
        element = element.outputs[0]
    if not isinstance(element, Tensor):
        raise TypeError(f"outputs must be tensors, ops or their names, got {item!r}")
    return element


def unsupported(op, target, supported):
    """The error for an op type a writer has no lowering for."""
    return NotImplementedError(
        f"cannot export {op.describe()} to {target}: no mapping for op type {op.type!r} "
        f"(no {target} lowering is registered for it: autograd.export.register). "
        f"Supported: placeholders, constants, variable reads and {', '.join(supported)}.")
