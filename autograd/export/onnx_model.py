"""ONNX models from frozen graphs, built with the `onnx` package's helpers and checked with
`onnx.checker`.

Each op is written by the ONNX lowering registered beside it (autograd.lowerings) through
`Builder`; this module only walks the frozen graph. Tensor names are ours
('layer1/MatMul:0').
"""
import numpy as np

from .. import lowerings
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


class Builder:
    """What an ONNX lowering (autograd.lowerings) writes through: nodes made with onnx's
    helper, initializers, fresh names for intermediate values, and the frozen values (a
    lowering may fold a frozen constant, e.g. a filter transposed once at export)."""

    def __init__(self, frozen):
        self.onnx, self.helper, self.numpy_helper = _onnx()
        self.frozen = frozen
        self.nodes, self.initializers = [], []
        self._count = 0

    def name(self, base):
        """A fresh name for an intermediate value."""
        self._count += 1
        return f"{base}/_{self._count}"

    def node(self, op_type, inputs, outputs, name, **attrs):
        """Append one ONNX node; returns its first output's name."""
        self.nodes.append(self.helper.make_node(op_type, list(inputs), list(outputs),
                                                name=name, **attrs))
        return outputs[0]

    @staticmethod
    def inputs(op):
        """The names of `op`'s inputs (our tensor names, 'layer1/MatMul:0')."""
        return [t.name for t in op.inputs]

    @staticmethod
    def outputs(op):
        """The names of `op`'s outputs."""
        return [t.name for t in op.outputs]

    def constant(self, name, array):
        """An initializer holding `array`; returns its name."""
        self.initializers.append(self.numpy_helper.from_array(np.asarray(array), name))
        return name

    def tensor(self, array):
        """A TensorProto for an attribute (ConstantOfShape's value)."""
        return self.numpy_helper.from_array(np.asarray(array))

    def elem_type(self, dtype):
        """ONNX's element type number for a numpy dtype."""
        return self.helper.np_dtype_to_tensor_dtype(np.dtype(dtype))

    def frozen_value(self, tensor):
        """The value `tensor` was frozen to (a variable's or a folded feed), or None."""
        return self.frozen.values.get(tensor.op)


def _translate(b, op):
    """Append the ONNX node(s) for one op of ours: its registered ONNX lowering."""
    lowering = lowerings.lowering(op.op_def, "onnx")
    if lowering is None:
        raise unsupported(op, "ONNX", lowerings.supported("onnx"))
    lowering(b, op)


def model_proto(frozen, name="autograd"):
    """An onnx ModelProto of a FrozenGraph (opset 17), checked by onnx.checker."""
    b = Builder(frozen)
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
            _translate(b, op)
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
