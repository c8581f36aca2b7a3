"""TensorFlow GraphDef protos, written with the protos the `tensorboard` package ships (the
same messages TensorFlow reads; no TensorFlow needed to write them).

- `graph_def(frozen)`: a frozen graph with TF's op types and attrs, which real TensorFlow
  imports (`tf.import_graph_def`) and runs.
- `display_graph_def(graph)`: every op of a graph, for TensorBoard's graph tab: names (so
  scopes), op types, inputs, dtypes and shapes; not meant to run.
"""
import numpy as np

from .. import dtypes, lowerings
from .frozen import CONSTANT, INPUT, unsupported

HINT = ("writing TensorFlow and TensorBoard protos needs the tensorboard package: pip "
        "install tensorboard (or install this package with its 'tensorboard' extra)")


def protos():
    """The tensorboard package's copies of TF's protos (ImportError with a hint)."""
    try:
        from tensorboard.compat.proto import (attr_value_pb2, graph_pb2, node_def_pb2,
                                              tensor_pb2, tensor_shape_pb2, types_pb2)
    except ImportError as exc:
        raise ImportError(HINT) from exc
    return attr_value_pb2, graph_pb2, node_def_pb2, tensor_pb2, tensor_shape_pb2, types_pb2


_DTYPES = {"float16": "DT_HALF", "float32": "DT_FLOAT", "float64": "DT_DOUBLE",
           "int32": "DT_INT32", "int64": "DT_INT64", "uint8": "DT_UINT8", "bool": "DT_BOOL",
           "string": "DT_STRING", "resource": "DT_RESOURCE", "variant": "DT_VARIANT"}


def tf_dtype(dtype):
    dtype = np.dtype(dtype)
    name = "string" if dtype.kind in "US" else dtypes.name_of(dtype)
    return protos()[5].DataType.Value(_DTYPES.get(name, "DT_INVALID"))


def tensor_proto(array):
    _, _, _, tensor_pb2, _, _ = protos()
    array = np.array(array, order="C")  # (not ascontiguousarray: it makes 0-d arrays 1-d)
    proto = tensor_pb2.TensorProto(dtype=tf_dtype(array.dtype),
                                   tensor_shape=shape_proto(array.shape))
    if array.dtype.kind in "US":
        proto.string_val.extend(s.encode() if isinstance(s, str) else s
                                for s in array.ravel().tolist())
    else:
        proto.tensor_content = array.astype(array.dtype.newbyteorder("<")).tobytes()
    return proto


def shape_proto(shape):
    tensor_shape_pb2 = protos()[4]
    if shape is None:
        return tensor_shape_pb2.TensorShapeProto(unknown_rank=True)
    return tensor_shape_pb2.TensorShapeProto(dim=[
        tensor_shape_pb2.TensorShapeProto.Dim(size=-1 if d is None else int(d))
        for d in shape])


def _attr(value):
    """An AttrValue for a Python value: bool, int, float, str, dtype, shape, list."""
    attr_value_pb2 = protos()[0]
    if isinstance(value, bool):
        return attr_value_pb2.AttrValue(b=value)
    if isinstance(value, int):
        return attr_value_pb2.AttrValue(i=value)
    if isinstance(value, float):
        return attr_value_pb2.AttrValue(f=value)
    if isinstance(value, str):
        return attr_value_pb2.AttrValue(s=value.encode())
    if isinstance(value, np.ndarray):
        return attr_value_pb2.AttrValue(tensor=tensor_proto(value))
    if isinstance(value, _Shape):
        return attr_value_pb2.AttrValue(shape=shape_proto(value.dims))
    if isinstance(value, _Type):
        return attr_value_pb2.AttrValue(type=tf_dtype(value.dtype))
    if isinstance(value, list):
        return attr_value_pb2.AttrValue(list=attr_value_pb2.AttrValue.ListValue(
            i=[int(v) for v in value]))
    raise TypeError(f"no AttrValue for {value!r}")


class _Type:
    def __init__(self, dtype):
        self.dtype = dtype


class _Shape:
    def __init__(self, dims):
        self.dims = dims


def _ref(tensor):
    return tensor.op.name if tensor.value_index == 0 else f"{tensor.op.name}:{tensor.value_index}"


class Builder:
    """What a TensorFlow lowering (autograd.lowerings) writes through: NodeDefs named
    after our ops, attrs given as Python values (bool, int, float, str, list of ints,
    `type(dtype)`, `shape(dims)`, arrays). Ops whose TF form takes an attr of ours as an
    input get a Const node for it (named after the op, e.g. 'loss/Mean/reduction_indices')."""

    def __init__(self):
        _, graph_pb2, node_def_pb2, _, _, _ = protos()
        self.graph = graph_pb2.GraphDef()
        self.graph.versions.producer = 27  # TF 1.15's GraphDef version
        self._node_def = node_def_pb2.NodeDef

    def node(self, tf_type, op, *extra_inputs, **attrs):
        """A NodeDef of type `tf_type` standing for `op`: its name, its inputs (then
        `extra_inputs`, node names), and `attrs`."""
        return self.raw(op.name, tf_type, [_ref(t) for t in op.inputs] + list(extra_inputs),
                        **attrs)

    def raw(self, name, tf_type, inputs, **attrs):
        """A NodeDef from its parts."""
        node = self._node_def(name=name, op=tf_type, input=list(inputs))
        for key, value in attrs.items():
            node.attr[key].CopyFrom(_attr(value))
        self.graph.node.append(node)
        return name

    def const(self, name, array):
        """A Const node holding `array`; returns its name."""
        array = np.asarray(array)
        return self.raw(name, "Const", [], dtype=_Type(array.dtype), value=array)

    @staticmethod
    def type(dtype):
        """A `type` attr (TF's T, DstT, ...)."""
        return _Type(dtypes.as_dtype(dtype))

    @staticmethod
    def shape(dims):
        """A `shape` attr (None: unknown rank)."""
        return _Shape(None if dims is None else tuple(dims))


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
    attr_value_pb2 = protos()[0]
    builder = Builder()
    for op in graph.get_operations():
        inputs = [_ref(t) for t in op.inputs] + ["^" + c.name for c in op.control_inputs]
        builder.raw(op.name, op.type, inputs)
        if op.outputs:
            node = builder.graph.node[-1]
            node.attr["T"].CopyFrom(_attr(_Type(op.outputs[0].dtype)))
            node.attr["_output_shapes"].list.CopyFrom(attr_value_pb2.AttrValue.ListValue(
                shape=[shape_proto(None if t.shape is None else tuple(t.shape))
                       for t in op.outputs]))
    return builder.graph
