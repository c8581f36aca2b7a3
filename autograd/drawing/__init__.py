"""Drawing dataflow graphs with Graphviz: `draw(target, ...)` returns a graphviz.Digraph,
and `explain_gradient(y, x)` says (and draws) why a gradient is None."""
from .explain import explain_gradient
from .picture import Drawing, dot_available, draw, warn_no_dot

__all__ = ["draw", "explain_gradient", "Drawing", "dot_available", "warn_no_dot"]
