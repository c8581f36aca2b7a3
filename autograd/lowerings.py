"""How ops are written in other formats (a TensorFlow GraphDef, ONNX), registered beside
each op's `define_op`, as JAX registers a lowering next to each primitive:

    def _matmul_to_tensorflow(b, op):
        b.node("MatMul", op, T=b.type(op.inputs[0].dtype), transpose_a=..., ...)

    lowerings.register(MatMul, tensorflow=_matmul_to_tensorflow, onnx=_matmul_to_onnx)

A lowering is a small named function `(builder, op)` that appends the op's nodes through
the builder the exporter passes (`autograd.export.tensorflow.Builder`,
`autograd.export.onnx_model.Builder`): it never imports protobuf or onnx itself, so the
ops' modules stay free of both. The table is keyed by OpDef, never by a type string: an
exporter looks the op's definition up here, and what it supports is the table's keys.
nn registers its ops' lowerings the same way, through `autograd.export.register`.

The same registration gives the other direction, reading a TensorFlow GraphDef
(`autograd.export.import_graph_def`): `imports={"AddV2": lift, ...}` names the TF op types
that become this op, and a lift `(op_def, node, inputs)` builds them from an imported
NodeDef (`node.name`, `node.attr(key)`, `node.constant(i)` for an input that must be a
constant) and the op's input tensors, returning its outputs in TF's order.
"""
import numpy as np

FORMATS = ("tensorflow", "onnx")

_TABLE = {name: {} for name in FORMATS}   # format -> {OpDef: lowering}
_LIFTS = {}                                 # TF op type -> (OpDef, lift)


def register(op_def, imports=None, **lowerings):
    """Record how `op_def` is written in each format given (`tensorflow=`, `onnx=`), and
    which TensorFlow op types it is read from (`imports={tf_type: lift}`)."""
    for tf_type, lift in (imports or {}).items():
        if not callable(lift):
            raise TypeError(f"the import of {tf_type} as {op_def.type} must be a function "
                            f"(op_def, node, inputs), got {lift!r}")
        _LIFTS[tf_type] = (op_def, lift)
    for name, lowering in lowerings.items():
        if name not in _TABLE:
            raise TypeError(f"unknown export format {name!r}; the formats are "
                            f"{', '.join(FORMATS)}")
        if not callable(lowering):
            raise TypeError(f"the {name} lowering of {op_def.type} must be a function "
                            f"(builder, op), got {lowering!r}")
        _TABLE[name][op_def] = lowering


def lowering(op_def, name):
    """The `name` lowering registered for `op_def`, or None."""
    return _TABLE[name].get(op_def)


def register_composite(tf_type, lift):
    """Record how the TensorFlow op type `tf_type`, which no single op of ours stands for
    (Relu6, FusedBatchNorm at inference), is read: as a composition; `lift` gets None
    for its OpDef."""
    if not callable(lift):
        raise TypeError(f"the import of {tf_type} must be a function (op_def, node, inputs), "
                        f"got {lift!r}")
    _LIFTS[tf_type] = (None, lift)


def lift(tf_type):
    """(OpDef, lift) registered for the TensorFlow op type `tf_type`, or None."""
    return _LIFTS.get(tf_type)


def importable():
    """The TensorFlow op types that can be imported, sorted (for error messages)."""
    return sorted(_LIFTS)


def supported(name):
    """The op types that have a `name` lowering, sorted (for error messages)."""
    return sorted({op_def.type for op_def in _TABLE[name]})


def elementwise(tensorflow, onnx=None, also=(), typed=True):
    """Lowerings for an op that is one node of the same inputs in each format, e.g.
    `register(Add, **elementwise("AddV2", "Add", also=("Add",)))`; it is imported from
    `tensorflow` and the older TF types in `also`. `typed=False` for a TF op without the
    attr T (the logical ops)."""
    def to_tensorflow(b, op):
        if typed:
            b.node(tensorflow, op, T=b.type(op.inputs[0].dtype))
        else:
            b.node(tensorflow, op)
    to_tensorflow.__name__ = f"to_tensorflow_{tensorflow}"
    found = {"tensorflow": to_tensorflow,
             "imports": {tf_type: same_inputs for tf_type in (tensorflow, *also)}}
    if onnx is not None:
        def to_onnx(b, op):
            b.node(onnx, b.inputs(op), b.outputs(op)[:1], op.name)
        to_onnx.__name__ = f"to_onnx_{onnx}"
        found["onnx"] = to_onnx
    return found


def same_inputs(op_def, node, inputs):
    """The lift of a TF op that is our op on the same inputs, with no attrs."""
    return op_def(*inputs, name=node.name)


def scalar_axis(value):
    """An axis attr (an int, or a one-element sequence) as the int TF and ONNX take."""
    axes = np.asarray(value).reshape(-1)
    if axes.size != 1:
        raise Unsupported(f"expected one axis, got {value!r}")
    return int(axes[0])


class Unsupported(NotImplementedError):
    """Raised by a lowering for an op it cannot write with these attrs (e.g. a softmax
    over an axis TF's Softmax has no form for)."""
