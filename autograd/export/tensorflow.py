"""TensorFlow GraphDef protos, written with the protos the `tensorboard` package ships (the
same messages TensorFlow reads; no TensorFlow needed to write them).

- `graph_def(frozen)`: a frozen graph with TF's op types and attrs, which real TensorFlow
  imports (`tf.import_graph_def`) and runs.
- `display_graph_def(graph)`: every op of a graph, for TensorBoard's graph tab: names (so
  scopes), op types, inputs, dtypes and shapes; not meant to run.
"""
import numpy as np

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
           "string": "DT_STRING", "resource": "DT_RESOURCE"}


def tf_dtype(dtype):
    dtype = np.dtype(dtype)
    name = {"U": "string", "S": "string", "O": "resource"}.get(dtype.kind, dtype.name)
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


def _axis(value):
    """A scalar int32 axis from an attr (an int, or a one-element sequence)."""
    return np.int32(int(np.asarray(value).reshape(-1)[0]))


def _ref(tensor):
    return tensor.op.name if tensor.value_index == 0 else f"{tensor.op.name}:{tensor.value_index}"


class _Builder:
    """Collects NodeDefs; ops whose TF form takes an attr of ours as an input get a Const
    node for it (named after the op, e.g. 'loss/Mean/reduction_indices')."""

    def __init__(self):
        _, graph_pb2, node_def_pb2, _, _, _ = protos()
        self.graph = graph_pb2.GraphDef()
        self.graph.versions.producer = 27  # TF 1.15's GraphDef version
        self._node_def = node_def_pb2.NodeDef

    def node(self, name, op, inputs, **attrs):
        node = self._node_def(name=name, op=op, input=list(inputs))
        for key, value in attrs.items():
            node.attr[key].CopyFrom(_attr(value))
        self.graph.node.append(node)
        return name

    def const(self, name, array):
        array = np.asarray(array)
        return self.node(name, "Const", [], dtype=_Type(array.dtype), value=array)


_ELEMENTWISE = {"Add": "AddV2", "Sub": "Sub", "Mul": "Mul", "RealDiv": "RealDiv",
                "Maximum": "Maximum", "Minimum": "Minimum", "Pow": "Pow",
                "SquaredDifference": "SquaredDifference", "Relu": "Relu", "Relu6": "Relu6",
                "Sigmoid": "Sigmoid", "Tanh": "Tanh", "Exp": "Exp", "Log": "Log",
                "Sqrt": "Sqrt", "Rsqrt": "Rsqrt", "Reciprocal": "Reciprocal",
                "Square": "Square", "Floor": "Floor", "Neg": "Neg", "Abs": "Abs",
                "Identity": "Identity", "Softplus": "Softplus", "Elu": "Elu"}
_REDUCTIONS = ("Sum", "Mean", "Max", "Min", "Prod")


def _translate(builder, op):
    """Append the NodeDef(s) for one op of ours."""
    name, inputs = op.name, [_ref(t) for t in op.inputs]
    attrs, t = op.attrs, op.inputs[0].dtype if op.inputs else None
    if op.type in _ELEMENTWISE:
        builder.node(name, _ELEMENTWISE[op.type], inputs, T=_Type(t))
    elif op.type == "MatMul":
        if len(op.outputs[0].shape or ()) > 2:
            builder.node(name, "BatchMatMulV2", inputs, T=_Type(t),
                         adj_x=attrs["transpose_a"], adj_y=attrs["transpose_b"])
        else:
            builder.node(name, "MatMul", inputs, T=_Type(t),
                         transpose_a=attrs["transpose_a"], transpose_b=attrs["transpose_b"])
    elif op.type == "Softmax" and attrs.get("axis", -1) in (-1, len(op.inputs[0].shape or ())
                                                               - 1):
        builder.node(name, "Softmax", inputs, T=_Type(t))
    elif op.type == "Conv2D":
        builder.node(name, "Conv2D", inputs, T=_Type(t), strides=list(attrs["strides"]),
                     padding=attrs["padding"], data_format="NHWC",
                     dilations=[1, 1, 1, 1], use_cudnn_on_gpu=True)
    elif op.type in ("MaxPool", "AvgPool"):
        builder.node(name, op.type, inputs, T=_Type(t), ksize=list(attrs["ksize"]),
                     strides=list(attrs["strides"]), padding=attrs["padding"],
                     data_format="NHWC")
    elif op.type == "Reshape":
        builder.node(name, "Reshape", inputs, T=_Type(t), Tshape=_Type(op.inputs[1].dtype))
    elif op.type == "Shape":
        builder.node(name, "Shape", inputs, T=_Type(t), out_type=_Type(op.outputs[0].dtype))
    elif op.type == "Cast":
        builder.node(name, "Cast", inputs, SrcT=_Type(t), DstT=_Type(op.outputs[0].dtype),
                     Truncate=False)
    elif op.type == "RandomUniform":
        seed = attrs.get("seed") or (0, 0)
        builder.node(name, "RandomUniform", inputs, dtype=_Type(op.outputs[0].dtype),
                     T=_Type(t), seed=int(seed[0]), seed2=int(seed[1]))
    elif op.type in ("ArgMax", "ArgMin"):
        axis = builder.const(name + "/dimension", _axis(attrs["axis"]))
        builder.node(name, op.type, inputs + [axis], T=_Type(t), Tidx=_Type(np.int32),
                     output_type=_Type(attrs["output_type"]))
    elif op.type in _REDUCTIONS:
        axis = attrs.get("axis")
        axis = range(len(op.inputs[0].shape)) if axis is None else axis
        indices = builder.const(name + "/reduction_indices", np.array(list(axis), np.int32))
        builder.node(name, op.type, inputs + [indices], T=_Type(t), Tidx=_Type(np.int32),
                     keep_dims=bool(attrs.get("keepdims", False)))
    elif op.type == "Squeeze":
        builder.node(name, "Squeeze", inputs, T=_Type(t),
                     squeeze_dims=list(attrs.get("axis") or ()))
    elif op.type == "ExpandDims":
        axis = builder.const(name + "/dim", _axis(attrs["axis"]))
        builder.node(name, "ExpandDims", inputs + [axis], T=_Type(t), Tdim=_Type(np.int32))
    elif op.type == "Transpose":
        perm = builder.const(name + "/perm", np.array(attrs["perm"], np.int32))
        builder.node(name, "Transpose", inputs + [perm], T=_Type(t), Tperm=_Type(np.int32))
    elif op.type == "ConcatV2":
        axis = builder.const(name + "/axis", _axis(attrs["axis"]))
        builder.node(name, "ConcatV2", inputs + [axis], T=_Type(t), N=len(inputs),
                     Tidx=_Type(np.int32))
    else:
        raise unsupported(op, "TensorFlow", SUPPORTED)


SUPPORTED = set(_ELEMENTWISE) | set(_REDUCTIONS) | {
    "MatMul", "Softmax", "Conv2D", "MaxPool", "AvgPool", "Reshape", "Shape", "Cast",
    "RandomUniform", "ArgMax", "ArgMin", "Squeeze", "ExpandDims", "Transpose", "ConcatV2",
    "Placeholder", "Const", "ReadVariableOp"}


def graph_def(frozen):
    """A TF GraphDef proto of a FrozenGraph: placeholders, constants (frozen variables
    under their read op's name, so the inputs of the ops that read them stay valid) and
    each op translated to TF's op type and attrs."""
    builder = _Builder()
    for op, kind in frozen.steps:
        if kind == INPUT:
            tensor = op.outputs[0]
            builder.node(op.name, "Placeholder", [], dtype=_Type(tensor.dtype),
                         shape=_Shape(None if tensor.shape is None else tuple(tensor.shape)))
        elif kind == CONSTANT:
            builder.const(op.name, frozen.values[op].astype(op.outputs[0].dtype, copy=False))
        else:
            _translate(builder, op)
    return builder.graph


def display_graph_def(graph):
    """Every op of `graph` as a NodeDef with its own type, inputs (`^name` for control
    inputs), dtype and output shapes: what TensorBoard's graph tab draws."""
    attr_value_pb2 = protos()[0]
    builder = _Builder()
    for op in graph.get_operations():
        inputs = [_ref(t) for t in op.inputs] + ["^" + c.name for c in op.control_inputs]
        builder.node(op.name, op.type, inputs)
        if op.outputs:
            node = builder.graph.node[-1]
            node.attr["T"].CopyFrom(_attr(_Type(op.outputs[0].dtype)))
            node.attr["_output_shapes"].list.CopyFrom(attr_value_pb2.AttrValue.ListValue(
                shape=[shape_proto(None if t.shape is None else tuple(t.shape))
                       for t in op.outputs]))
    return builder.graph
