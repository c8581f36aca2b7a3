"""Activation functions. relu, softplus, softmax and log_softmax are registered ops (for
speed and numerics); the others are compositions of core ops."""
import functools

import numpy as np

import autograd as ag
from autograd import define_op


def _same(x):
    if not ag.dtypes.is_floating(x.dtype):
        raise TypeError(f"expects a floating-point tensor, got {x.dtype.name}")
    return x.shape, x.dtype


def _relu_forward(x):
    return np.maximum(x, 0, dtype=x.dtype)


def _relu_grad(op, dy):
    """d relu(x) = dx where x > 0, else 0 (0 at x = 0, as TF)."""
    return [ReluGrad(dy, op.outputs[0])]


def _relu_grad_forward(dy, y):
    # NOTE: a product with the mask, as TF's kernel: 6x faster than np.where here.
    return dy * (y > 0)


def _relu_grad_grad(op, ddx):
    return [ReluGrad(ddx, op.inputs[1]), None]


def _binary_same(dy, y):
    return dy.shape, dy.dtype


Relu = define_op("Relu", forward=_relu_forward, shape=_same, grad=_relu_grad)
ag.export.register(Relu, **ag.export.elementwise("Relu", "Relu"))
ReluGrad = define_op("ReluGrad", forward=_relu_grad_forward, shape=_binary_same,
                     grad=_relu_grad_grad)
ag.export.register(ReluGrad, **ag.export.elementwise("ReluGrad"))


# -- relu(x + y) as one step (autograd.fusions) ---------------------------------------------
def _relu_in_place(add_kernel, x, y):
    """relu(x + y) with one new array: the Add's own kernel, then the maximum written
    into the sum's array (the same numbers as the two ops' kernels)."""
    total = add_kernel(x, y)
    if not total.ndim:   # numpy gives scalars for 0-d sums: nothing to write into
        return np.maximum(total, 0, dtype=total.dtype)
    return np.maximum(total, 0, out=total)


def _fuse_add_relu(_relu, add_kernel):
    """The fused step's kernel: the Add's own kernel, then the ReLU in place. (A compiled
    one-pass kernel ran 5x faster alone on the tutorial CNN's first activation, yet made
    whole training steps 3-5% slower: numba's threads waking cost the BLAS calls after.)"""
    return functools.partial(_relu_in_place, add_kernel)


ag.fusions.register("Add", "Relu", _fuse_add_relu)


def relu(features, name=None):
    """max(x, 0)."""
    return Relu(features, name=name)


def relu6(features, name=None):
    """min(max(x, 0), 6)."""
    with ag.name_scope(name or "Relu6"):
        return ag.minimum(relu(features), 6.0)


def leaky_relu(features, alpha=0.2, name=None):
    """x for x > 0, alpha * x otherwise."""
    with ag.name_scope(name or "LeakyRelu"):
        features = ag.convert_to_tensor(features)
        return ag.maximum(features, alpha * features)


def elu(features, name=None):
    """x for x > 0, exp(x) - 1 otherwise."""
    with ag.name_scope(name or "Elu"):
        features = ag.convert_to_tensor(features)
        # NOTE: exp of the clipped value: exp(x) of a large x would overflow, and where()
        # would then multiply its zero gradient by inf, giving NaN.
        negative_part = ag.exp(ag.minimum(features, 0.0)) - 1.0
        return ag.where(features > 0.0, features, negative_part)


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def selu(features, name=None):
    """scale * elu(x) with alpha, the self-normalising constants of Klambauer et al."""
    with ag.name_scope(name or "Selu"):
        features = ag.convert_to_tensor(features)
        negative_part = SELU_ALPHA * (ag.exp(ag.minimum(features, 0.0)) - 1.0)
        return SELU_SCALE * ag.where(features > 0.0, features, negative_part)


def _softplus_forward(x):
    # log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large |x|
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _softplus_grad(op, dy):
    """d softplus(x) = sigmoid(x) dx."""
    return [dy * ag.sigmoid(op.inputs[0])]


Softplus = define_op("Softplus", forward=_softplus_forward, shape=_same, grad=_softplus_grad)
ag.export.register(Softplus, **ag.export.elementwise("Softplus", "Softplus"))


def softplus(features, name=None):
    """log(1 + exp(x)), computed without overflow."""
    return Softplus(features, name=name)


def _composite(function, **attrs):
    """The import of a TF activation that is a composition here (Relu6, Elu, ...)."""
    def from_tensorflow(op_def, node, inputs):
        extra = {key: node.attr(key, default) for key, default in attrs.items()}
        return function(inputs[0], name=node.name, **extra)
    from_tensorflow.__name__ = f"{function.__name__}_from_tensorflow"
    return from_tensorflow


ag.export.register_composite("Relu6", _composite(relu6))
ag.export.register_composite("LeakyRelu", _composite(leaky_relu, alpha=0.2))
ag.export.register_composite("Elu", _composite(elu))
ag.export.register_composite("Selu", _composite(selu))


def softsign(features, name=None):
    """x / (1 + |x|)."""
    with ag.name_scope(name or "Softsign"):
        features = ag.convert_to_tensor(features)
        return features / (1.0 + ag.abs(features))


ag.export.register_composite("Softsign", _composite(softsign))


def sigmoid(x, name=None):
    """1 / (1 + exp(-x)) (the core op)."""
    return ag.sigmoid(x, name=name)


def tanh(x, name=None):
    """Hyperbolic tangent (the core op)."""
    return ag.tanh(x, name=name)


def _axis_same(x, axis):
    if x.shape is not None:
        ag.shapes.normalize_axis(axis, len(x.shape))
    return _same(x)


def _softmax_forward(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    e /= np.add.reduce(e, axis=axis, keepdims=True)
    return e


def _softmax_grad(op, dy):
    """d softmax: y * (dy - sum(dy * y)) along the axis (reuses the output y)."""
    y = op.outputs[0]
    axis = op.attrs["axis"]
    return [y * (dy - ag.reduce_sum(dy * y, axis=axis, keepdims=True))]


def _log_softmax_forward(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=axis, keepdims=True))


def _log_softmax_grad(op, dy):
    """d log_softmax: dy - softmax * sum(dy) along the axis, softmax = exp(output)."""
    y = op.outputs[0]
    axis = op.attrs["axis"]
    return [dy - ag.exp(y) * ag.reduce_sum(dy, axis=axis, keepdims=True)]


def _softmax_to_tensorflow(b, op):
    """TF's Softmax works on the last axis only."""
    rank = len(op.inputs[0].shape or ())
    if op.attrs["axis"] not in (-1, rank - 1):
        raise ag.export.Unsupported(f"TF's Softmax has no axis: {op.describe()} works on "
                                    f"axis {op.attrs['axis']} of a rank-{rank} tensor")
    b.node("Softmax", op, T=b.type(op.inputs[0].dtype))


def _softmax_to_onnx(b, op):
    b.node("Softmax", b.inputs(op), b.outputs(op), op.name, axis=int(op.attrs["axis"]))


Softmax = define_op("Softmax", forward=_softmax_forward, shape=_axis_same, grad=_softmax_grad)
def _last_axis_from_tensorflow(op_def, node, inputs):
    """TF's Softmax and LogSoftmax work on the last axis."""
    return op_def(inputs[0], axis=-1, name=node.name)


ag.export.register(Softmax, tensorflow=_softmax_to_tensorflow, onnx=_softmax_to_onnx,
                   imports={"Softmax": _last_axis_from_tensorflow})
LogSoftmax = define_op("LogSoftmax", forward=_log_softmax_forward, shape=_axis_same,
                       grad=_log_softmax_grad)
ag.export.register(LogSoftmax, imports={"LogSoftmax": _last_axis_from_tensorflow})


def softmax(logits, axis=-1, name=None, dim=None):
    """exp(x) / sum(exp(x)) along `axis`, shifted by the max so it never overflows."""
    return Softmax(logits, axis=int(axis if dim is None else dim), name=name)


def log_softmax(logits, axis=-1, name=None, dim=None):
    """log(softmax(x)) along `axis`, computed without forming softmax."""
    return LogSoftmax(logits, axis=int(axis if dim is None else dim), name=name)


def log_sigmoid(x, name=None):
    """log(sigmoid(x)) = -softplus(-x), without overflow."""
    with ag.name_scope(name or "LogSigmoid"):
        return ag.negative(softplus(ag.negative(x)))
