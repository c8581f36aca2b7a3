"""Why is a gradient None? Find what separates y from x, in words and in a drawing."""
from dataclasses import dataclass

from ..gradients import carries_gradient, gradient_rule
from ..graph import ops_between
from ..ops.shaping import StopGradient
from ..sites import format_location
from .picture import draw


@dataclass
class GradientExplanation:
    """`reason` says in words why d y / d x is (or is not) None; `blockers` are the ops
    that cut the path; `draw()` shows the ops between x and y with the blockers in red."""

    y: object
    x: object
    has_gradient: bool
    reason: str
    blockers: list
    path_ops: list

    def __str__(self):
        return self.reason

    def draw(self, **options):
        targets = [self.y] if self.path_ops else [self.y, self.x]
        drawing = draw(targets, include_gradients=True, highlight=self.blockers, **options)
        return drawing


def _blocks(op, tensor):
    """Why `op` stops the gradient coming from its input `tensor` (or None if it doesn't)."""
    if not carries_gradient(tensor):
        return f"its input {tensor.name} is {tensor.dtype.name} (integers carry no gradient)"
    if op.op_def is StopGradient:
        return "it is a stop_gradient"
    if gradient_rule(op) is None:
        return f"{op.type} has no gradient (its output does not change smoothly)"
    if not any(carries_gradient(t) for t in op.outputs):
        kinds = ", ".join(t.dtype.name for t in op.outputs)
        return f"its output is {kinds} (integers and booleans carry no gradient)"
    return None


def explain_gradient(y, x):
    """Explain whether gradients(y, x) is None, and if so what blocks it."""
    y = getattr(y, "_graph_element", y)
    x = x.handle if hasattr(x, "handle") else getattr(x, "_graph_element", x)
    path_ops = sorted(ops_between([y], [x]), key=lambda op: op._id)
    if not path_ops and x is not y:
        return GradientExplanation(y, x, False, f"d {y.name} / d {x.name} is None: no path "
                                   f"leads from {x.name} to {y.name}; {y.name} does not "
                                   f"depend on it at all.", [], [])
    flowing, blockers = {x}, []
    for op in path_ops:  # creation order is topological
        live = [t for t in op.inputs if t in flowing]
        if not live:
            continue
        why = [_blocks(op, t) for t in live]
        if all(why):
            blockers.append((op, why[0]))
        else:
            flowing.update(op.outputs)
    if y in flowing:
        return GradientExplanation(y, x, True, f"d {y.name} / d {x.name} exists: a "
                                   f"differentiable path of {len(path_ops)} ops joins them.",
                                   [], path_ops)
    lines = [f"d {y.name} / d {x.name} is None: every path from {x.name} to {y.name} is cut:"]
    for op, why in blockers:
        lines.append(f"  - {op.type} op {op.name!r} (created at "
                     f"{format_location(op.location)}): {why}")
    return GradientExplanation(y, x, False, "\n".join(lines), [op for op, _ in blockers],
                               path_ops)
