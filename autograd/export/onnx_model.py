"""ONNX models from frozen graphs, built with the `onnx` package's helpers and checked with
`onnx.checker`.

Our convolutions and pools are NHWC, as in TF; ONNX's are NCHW, so each is wrapped in two
Transposes (filters are transposed once, at export). TF's SAME padding puts the odd pixel
at the end: ONNX's auto_pad SAME_UPPER. Tensor names are ours ('layer1/MatMul:0').
"""
import numpy as np

from .frozen import CONSTANT, INPUT, unsupported

OPSET = 17
HINT = ("exporting to ONNX needs the onnx package: pip install onnx onnxruntime (or install "
        "this package with its 'export' extra)")


def _onnx():
    try:
        import onnx
        from onnx import helper, numpy_helper
    except ImportError as exc:
        raise ImportError(HINT) from exc
    return onnx, helper, numpy_helper


class _Builder:
    def __init__(self):
        self.onnx, self.helper, self.numpy_helper = _onnx()
        self.nodes, self.initializers = [], []
        self._count = 0

    def name(self, base):
        self._count += 1
        return f"{base}/_{self._count}"

    def node(self, op_type, inputs, outputs, name, **attrs):
        self.nodes.append(self.helper.make_node(op_type, list(inputs), list(outputs),
                                                name=name, **attrs))
        return outputs[0]

    def constant(self, name, array):
        self.initializers.append(self.numpy_helper.from_array(np.asarray(array), name))
        return name

    def elem_type(self, dtype):
        return self.helper.np_dtype_to_tensor_dtype(np.dtype(dtype))


_SAME = {"Add": "Add", "Sub": "Sub", "Mul": "Mul", "RealDiv": "Div", "Maximum": "Max",
         "Minimum": "Min", "Pow": "Pow", "Relu": "Relu", "Sigmoid": "Sigmoid",
         "Tanh": "Tanh", "Exp": "Exp", "Log": "Log", "Sqrt": "Sqrt",
         "Reciprocal": "Reciprocal", "Floor": "Floor", "Neg": "Neg", "Abs": "Abs",
         "Identity": "Identity", "Softplus": "Softplus", "Elu": "Elu"}
_REDUCE = {"Sum": "ReduceSum", "Mean": "ReduceMean", "Max": "ReduceMax", "Min": "ReduceMin",
           "Prod": "ReduceProd"}
NHWC_TO_NCHW, NCHW_TO_NHWC = [0, 3, 1, 2], [0, 2, 3, 1]


def _translate(b, op, frozen):
    name, outs = op.name, [t.name for t in op.outputs]
    ins = [t.name for t in op.inputs]
    attrs = op.attrs
    if op.type in _SAME:
        b.node(_SAME[op.type], ins, outs[:1], name)
    elif op.type == "Square":
        b.node("Mul", [ins[0], ins[0]], outs, name)
    elif op.type == "Rsqrt":
        root = b.node("Sqrt", ins, [b.name(name + "/sqrt")], name + "/sqrt")
        b.node("Reciprocal", [root], outs, name)
    elif op.type == "SquaredDifference":
        diff = b.node("Sub", ins, [b.name(name + "/sub")], name + "/sub")
        b.node("Mul", [diff, diff], outs, name)
    elif op.type == "MatMul":
        a, c = ins
        for flag, index in (("transpose_a", 0), ("transpose_b", 1)):
            if attrs[flag]:
                rank = len(op.inputs[index].shape)
                perm = list(range(rank - 2)) + [rank - 1, rank - 2]
                moved = b.node("Transpose", [ins[index]], [b.name(name + "/T")],
                               name + f"/{flag}", perm=perm)
                a, c = (moved, c) if index == 0 else (a, moved)
        b.node("MatMul", [a, c], outs, name)
    elif op.type == "Softmax":
        b.node("Softmax", ins, outs, name, axis=int(attrs.get("axis", -1)))
    elif op.type == "Conv2D":
        _conv(b, op, frozen, ins, outs)
    elif op.type in ("MaxPool", "AvgPool"):
        _pool(b, op, ins, outs)
    elif op.type == "Reshape":
        shape = b.node("Cast", [ins[1]], [b.name(name + "/shape")], name + "/shape",
                       to=b.elem_type(np.int64))
        b.node("Reshape", [ins[0], shape], outs, name, allowzero=1)
    elif op.type == "Shape":
        shape = b.node("Shape", ins, [b.name(name + "/int64")], name + "/int64")
        b.node("Cast", [shape], outs, name, to=b.elem_type(op.outputs[0].dtype))
    elif op.type == "Cast":
        b.node("Cast", ins, outs, name, to=b.elem_type(op.outputs[0].dtype))
    elif op.type == "RandomUniform":
        shape = b.node("Cast", ins, [b.name(name + "/shape")], name + "/shape",
                       to=b.elem_type(np.int64))
        zeros = b.node("ConstantOfShape", [shape], [b.name(name + "/zeros")], name + "/zeros",
                       value=b.numpy_helper.from_array(np.zeros(1, op.outputs[0].dtype)))
        b.node("RandomUniformLike", [zeros], outs, name, low=0.0, high=1.0)
    elif op.type in ("ArgMax", "ArgMin"):
        index = b.node(op.type, ins, [b.name(name + "/int64")], name + "/int64",
                       axis=int(attrs["axis"]), keepdims=0)
        b.node("Cast", [index], outs, name, to=b.elem_type(attrs["output_type"]))
    elif op.type in _REDUCE:
        _reduce(b, op, ins, outs)
    elif op.type == "Squeeze":
        axes = b.constant(b.name(name + "/axes"), np.array(attrs.get("axis") or (), np.int64))
        b.node("Squeeze", [ins[0], axes] if attrs.get("axis") else ins[:1], outs, name)
    elif op.type == "ExpandDims":
        axes = b.constant(b.name(name + "/axes"), np.array([attrs["axis"]], np.int64))
        b.node("Unsqueeze", [ins[0], axes], outs, name)
    elif op.type == "Transpose":
        b.node("Transpose", ins, outs, name, perm=list(attrs["perm"]))
    elif op.type == "ConcatV2":
        b.node("Concat", ins, outs, name, axis=int(np.asarray(attrs["axis"]).reshape(-1)[0]))
    else:
        raise unsupported(op, "ONNX", SUPPORTED)


def _reduce(b, op, ins, outs):
    axis = op.attrs.get("axis")
    keep = int(bool(op.attrs.get("keepdims", False)))
    if op.type == "Sum":  # ReduceSum takes its axes as an input from opset 13
        inputs = ins[:1] + ([b.constant(b.name(op.name + "/axes"),
                                        np.array(list(axis), np.int64))] if axis else [])
        b.node("ReduceSum", inputs, outs, op.name, keepdims=keep)
    elif axis is None:
        b.node(_REDUCE[op.type], ins[:1], outs, op.name, keepdims=keep)
    else:
        b.node(_REDUCE[op.type], ins[:1], outs, op.name, keepdims=keep, axes=list(axis))


def _padding(padding):
    return {"auto_pad": "SAME_UPPER"} if padding == "SAME" else {"auto_pad": "VALID"}


def _conv(b, op, frozen, ins, outs):
    name, strides = op.name, list(op.attrs["strides"][1:3])
    filter_op = op.inputs[1].op
    if filter_op in frozen.values:  # a frozen filter: transposed once, here
        weights = b.constant(b.name(name + "/filter_oihw"),
                             np.transpose(frozen.values[filter_op], [3, 2, 0, 1]))
    else:
        weights = b.node("Transpose", [ins[1]], [b.name(name + "/filter_oihw")],
                         name + "/filter_oihw", perm=[3, 2, 0, 1])
    x = b.node("Transpose", [ins[0]], [b.name(name + "/nchw")], name + "/nchw",
               perm=NHWC_TO_NCHW)
    shape = op.inputs[1].shape
    y = b.node("Conv", [x, weights], [b.name(name + "/conv")], name + "/conv",
               kernel_shape=[int(shape[0]), int(shape[1])], strides=strides,
               **_padding(op.attrs["padding"]))
    b.node("Transpose", [y], outs[:1], name, perm=NCHW_TO_NHWC)


def _pool(b, op, ins, outs):
    name = op.name
    x = b.node("Transpose", ins, [b.name(name + "/nchw")], name + "/nchw", perm=NHWC_TO_NCHW)
    kind = "MaxPool" if op.type == "MaxPool" else "AveragePool"
    extra = {} if kind == "MaxPool" else {"count_include_pad": 0}
    y = b.node(kind, [x], [b.name(name + "/pool")], name + "/pool",
               kernel_shape=list(op.attrs["ksize"][1:3]),
               strides=list(op.attrs["strides"][1:3]), **_padding(op.attrs["padding"]),
               **extra)
    b.node("Transpose", [y], outs[:1], name, perm=NCHW_TO_NHWC)


SUPPORTED = set(_SAME) | set(_REDUCE) | {
    "Square", "Rsqrt", "SquaredDifference", "MatMul", "Softmax", "Conv2D", "MaxPool",
    "AvgPool", "Reshape", "Shape", "Cast", "RandomUniform", "ArgMax", "ArgMin", "Squeeze",
    "ExpandDims", "Transpose", "ConcatV2", "Placeholder", "Const", "ReadVariableOp"}


def model_proto(frozen, name="autograd"):
    """An onnx ModelProto of a FrozenGraph (opset 17), checked by onnx.checker."""
    b = _Builder()
    helper = b.helper
    inputs = []
    for op, kind in frozen.steps:
        tensor = op.outputs[0] if op.outputs else None
        if kind == INPUT:
            dims = None if tensor.shape is None else [
                d if d is not None else f"{op.name}_dim{i}" for i, d in enumerate(tensor.shape)]
            inputs.append(helper.make_tensor_value_info(tensor.name,
                                                        b.elem_type(tensor.dtype), dims))
        elif kind == CONSTANT:
            b.constant(tensor.name, frozen.values[op].astype(tensor.dtype, copy=False))
        else:
            _translate(b, op, frozen)
    outputs = [helper.make_tensor_value_info(
        t.name, b.elem_type(t.dtype),
        None if t.shape is None else [d if d is not None else f"out{i}_dim{j}"
                                      for j, d in enumerate(t.shape)])
        for i, t in enumerate(frozen.outputs)]
    used = {name for node in b.nodes for name in node.input} | {o.name for o in outputs}
    initializers = [i for i in b.initializers if i.name in used]  # e.g. filters stored OIHW
    graph = helper.make_graph(b.nodes, name, inputs, outputs, initializers)
    model = helper.make_model(graph, producer_name="graphgrad-tf1",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = min(model.ir_version, 9)  # readable by older onnxruntimes too
    b.onnx.checker.check_model(model, full_check=True)
    return model
