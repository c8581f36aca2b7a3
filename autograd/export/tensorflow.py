"""TensorFlow GraphDef protos, written with the protos the `tensorboard` package ships (the
same messages TensorFlow reads; no TensorFlow needed to write them).

- `graph_def(frozen)`: a frozen graph with TF's op types and attrs, which real TensorFlow
  imports (`tf.import_graph_def`) and runs.
- `display_graph_def(graph)`: every op of a graph, for TensorBoard's graph tab: names (so
  scopes), op types, inputs, dtypes and shapes; not meant to run.
"""
import numpy as np

from .. import lowerings
from .frozen import CONSTANT, INPUT, unsupported
from .tf_protos import ShapeAttr, Type, attr_value, protos, shape_proto

def _ref(tensor):
    return tensor.op.name if tensor.value_index == 0 else f"{tensor.op.name}:{tensor.value_index}"


class Builder:
    """What a TensorFlow lowering (autograd.lowerings) writes through: NodeDefs named
    after our ops, attrs given as Python values (bool, int, float, str, list of ints,
    `type(dtype)`, `shape(dims)`, arrays). Ops whose TF form takes an attr of ours as an
    input get a Const node for it (named after the op, e.g. 'loss/Mean/reduction_indices')."""

    def __init__(self):
        found = protos()
        self.graph = found.graph.GraphDef()
        self.graph.versions.producer = 27  # TF 1.15's GraphDef version
        self._node_def = found.node_def.NodeDef

    def node(self, tf_type, op, *extra_inputs, **attrs):
        """A NodeDef of type `tf_type` standing for `op`: its name, its inputs (then
        `extra_inputs`, node names), and `attrs`."""
        return self.raw(op.name, tf_type, [_ref(t) for t in op.inputs] + list(extra_inputs),
                        **attrs)

    def raw(self, name, tf_type, inputs, **attrs):
        """A NodeDef from its parts."""
        node = self._node_def(name=name, op=tf_type, input=list(inputs))
        for key, value in attrs.items():
            node.attr[key].CopyFrom(attr_value(value))
        self.graph.node.append(node)
        return name

    def const(self, name, array):
        """A Const node holding `array`; returns its name."""
        array = np.asarray(array)
        return self.raw(name, "Const", [], dtype=Type(array.dtype), value=array)

    @staticmethod
    def ref(tensor):
        """How a NodeDef names `tensor` among its inputs ("op" or "op:1")."""
        return _ref(tensor)

    @staticmethod
    def type(dtype):
        """A `type` attr (TF's T, DstT, ...)."""
        return Type(dtype)

    @staticmethod
    def shape(dims):
        """A `shape` attr (None: unknown rank)."""
        return ShapeAttr(dims)


def _translate(builder, op):
    """Append the NodeDef(s) for one op of ours: its registered TensorFlow lowering."""
    lowering = lowerings.lowering(op.op_def, "tensorflow")
    if lowering is None:
        raise unsupported(op, "TensorFlow", lowerings.supported("tensorflow"))
    lowering(builder, op)


def graph_def(frozen):
    """A TF GraphDef proto of a FrozenGraph: placeholders, constants (frozen variables
    under their read op's name, so the inputs of the ops that read them stay valid) and
    each op translated to TF's op type and attrs."""
    builder = Builder()
    for op, kind in frozen.steps:
        if kind == INPUT:
            tensor = op.outputs[0]
            builder.raw(op.name, "Placeholder", [], dtype=Builder.type(tensor.dtype),
                        shape=Builder.shape(tensor.shape))
        elif kind == CONSTANT:
            builder.const(op.name, frozen.values[op].astype(op.outputs[0].dtype, copy=False))
        else:
            _translate(builder, op)
    return builder.graph


def display_graph_def(graph):
    """Every op of `graph` as a NodeDef with its own type, inputs (`^name` for control
    inputs), dtype and output shapes: what TensorBoard's graph tab draws."""
    attr_value_pb2 = protos().attr_value
    builder = Builder()
    for op in graph.get_operations():
        inputs = [_ref(t) for t in op.inputs] + ["^" + c.name for c in op.control_inputs]
        builder.raw(op.name, op.type, inputs)
        if op.outputs:
            node = builder.graph.node[-1]
            node.attr["T"].CopyFrom(attr_value(Type(op.outputs[0].dtype)))
            node.attr["_output_shapes"].list.CopyFrom(attr_value_pb2.AttrValue.ListValue(
                shape=[shape_proto(None if t.shape is None else tuple(t.shape))
                       for t in op.outputs]))
    return builder.graph
