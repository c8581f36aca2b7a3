"""Reverse-mode differentiation that builds the backward pass as more graph ops."""
import numpy as np

from . import dtypes
from .graph import Tensor, ops_between
from .ops.shaping import ones_like
from .ops.reduce import add_n
from .registry import constant, convert_to_tensor


def _as_tensor_list(values, what, handles=False):
    """Tensors for `values`. With `handles` (for xs) a Variable stands for its handle, so
    that its gradient sums what flows back through every read of it."""
    values = values if isinstance(values, (list, tuple)) else [values]
    out = []
    for value in values:
        element = getattr(value, "handle", None) if handles else None
        if element is None:
            element = getattr(value, "_graph_element", value)
        if not isinstance(element, Tensor):
            raise TypeError(f"gradients: every item of {what} must be a Tensor or Variable, "
                            f"got {value!r}")
        out.append(element)
    return out


def _ones_for(y):
    """The default seed d(y)/d(y) = 1. A constant when y's shape is known, so that a
    training step does not have to compute the loss value itself."""
    if y.shape is not None and y.shape.is_fully_defined():
        return constant(np.ones(y.shape, dtype=y.dtype), name="grad_ys")
    return ones_like(y)


_REGISTERED = {}   # gradient functions by the name given to RegisterGradient


class RegisterGradient:
    """`@RegisterGradient("MyGrad")` over a function `(op, *output_grads) -> input grads`
    registers it by name; ops built inside `graph.gradient_override_map({"Square":
    "MyGrad"})` then differentiate with it instead of their own rule (TF's
    tf.RegisterGradient). Registering a name twice is a KeyError, as in TF."""

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError(f"RegisterGradient needs a name (a string), got {op_type!r}")
        self._op_type = op_type

    def __call__(self, function):
        if self._op_type in _REGISTERED:
            raise KeyError(f"Registering two gradient with name '{self._op_type}'!")
        _REGISTERED[self._op_type] = function
        return function


def gradient_rule(op):
    """The function that differentiates `op`: a registered one its gradient override map
    named when it was built, else its OpDef's (None: no gradient)."""
    name = op.gradient_op_type
    if name is None:
        return op.op_def.grad
    if name not in _REGISTERED:
        raise LookupError(f"gradient registry has no entry for: {name} (the gradient "
                          f"override of {op.describe()}); register it with "
                          f"RegisterGradient({name!r})")
    return _REGISTERED[name]


def _sum(contributions):
    if not contributions:
        return None
    if len(contributions) == 1:
        return contributions[0]
    return add_n(contributions)


def gradients(ys, xs, grad_ys=None, name="gradients"):
    """d(sum of ys)/d(x) for each x, as new tensors in the graph (None where y does not
    depend on x).

    The chain rule runs backwards over the ops between xs and ys in reverse topological
    order: each op's gradient rule maps the gradients of its outputs to gradients of its
    inputs, and a tensor used by several ops gets the sum (add_n) of their contributions.
    `grad_ys` (default: ones) seeds the backward pass. Gradient ops are built under the
    `name` scope (`gradients/`), and each records its provenance: `op.origin` is the
    forward op whose gradient it computes (the drawing and the player read that, never
    the names). Being ordinary ops, they can be differentiated again.
    """
    ys = _as_tensor_list(ys, "ys")
    xs = _as_tensor_list(xs, "xs", handles=True)
    graph = ys[0].graph
    for t in ys + xs:
        if t.graph is not graph:
            raise ValueError(f"gradients: {t.name!r} belongs to another graph than "
                             f"{ys[0].name!r}")
    if grad_ys is not None:
        grad_ys = grad_ys if isinstance(grad_ys, (list, tuple)) else [grad_ys]
        if len(grad_ys) != len(ys):
            raise ValueError(f"gradients: {len(grad_ys)} grad_ys given for {len(ys)} ys")
    with graph.as_default(), graph.name_scope(name):
        pending = {}
        for i, y in enumerate(ys):
            if not dtypes.is_floating(y.dtype):
                raise TypeError(f"gradients: y {y.name!r} has dtype {y.dtype.name}; only "
                                f"floating-point tensors can be differentiated")
            seed = grad_ys[i] if grad_ys is not None and grad_ys[i] is not None else None
            with graph.building_gradient_of(y.op):
                seed = _ones_for(y) if seed is None else convert_to_tensor(seed, y.dtype)
            pending.setdefault(y, []).append(seed)
        for op in sorted(ops_between(ys, xs), key=lambda o: o._id, reverse=True):
            _backprop_op(op, pending)
        results = []
        for x in xs:
            with graph.building_gradient_of(x.op):
                results.append(_sum(pending.get(x, ())) if carries_gradient(x) else None)
        for x, grad in zip(xs, results):
            if grad is not None:
                graph.note_gradient(grad, x)
        return results


def carries_gradient(tensor):
    """Floating-point tensors carry gradients, and so do variable handles (for the
    variable's value, which every read passes back)."""
    return dtypes.is_floating(tensor.dtype) or tensor.dtype == dtypes.resource


def _backprop_op(op, pending):
    """Apply op's gradient rule; add what it returns to its inputs' pending contributions."""
    graph = op.graph
    with graph.building_gradient_of(op):
        output_grads = [_sum(pending.get(t, ())) for t in op.outputs]
    rule = gradient_rule(op)
    if rule is None or all(g is None for g in output_grads):
        return
    for t, g in zip(op.outputs, output_grads):
        if g is not None:
            pending[t] = [g]
            graph.note_gradient(g, t)
    with graph.name_scope(op.name + "_grad"), graph.building_gradient_of(op):
        input_grads = rule(op, *output_grads)
    if len(input_grads) != len(op.inputs):
        raise ValueError(f"the gradient of {op.describe()} returned {len(input_grads)} "
                         f"values for {len(op.inputs)} inputs")
    for tensor, grad in zip(op.inputs, input_grads):
        if grad is not None and carries_gradient(tensor):
            with graph.building_gradient_of(op):
                grad = convert_to_tensor(grad)
            pending.setdefault(tensor, []).append(grad)
