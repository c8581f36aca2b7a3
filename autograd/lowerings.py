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
"""
import numpy as np

FORMATS = ("tensorflow", "onnx")

_TABLE = {name: {} for name in FORMATS}   # format -> {OpDef: lowering}


def register(op_def, **lowerings):
    """Record how `op_def` is written in each format given (`tensorflow=`, `onnx=`)."""
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


def supported(name):
    """The op types that have a `name` lowering, sorted (for error messages)."""
    return sorted({op_def.type for op_def in _TABLE[name]})


def elementwise(tensorflow, onnx=None):
    """Lowerings for an op that is one node of the same inputs in each format, e.g.
    `register(Add, **elementwise("AddV2", "Add"))`."""
    def to_tensorflow(b, op):
        b.node(tensorflow, op, T=b.type(op.inputs[0].dtype))
    to_tensorflow.__name__ = f"to_tensorflow_{tensorflow}"
    found = {"tensorflow": to_tensorflow}
    if onnx is not None:
        def to_onnx(b, op):
            b.node(onnx, b.inputs(op), b.outputs(op)[:1], op.name)
        to_onnx.__name__ = f"to_onnx_{onnx}"
        found["onnx"] = to_onnx
    return found


def scalar_axis(value):
    """An axis attr (an int, or a one-element sequence) as the int TF and ONNX take."""
    axes = np.asarray(value).reshape(-1)
    if axes.size != 1:
        raise Unsupported(f"expected one axis, got {value!r}")
    return int(axes[0])


class Unsupported(NotImplementedError):
    """Raised by a lowering for an op it cannot write with these attrs (e.g. a softmax
    over an axis TF's Softmax has no form for)."""
