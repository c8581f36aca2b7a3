"""Drawing dataflow graphs with Graphviz: `draw(target, ...)` returns a graphviz.Digraph,
`explain_gradient(y, x)` says (and draws) why a gradient is None, and `timeline(metadata)`
shows a traced run's ops over time (matplotlib)."""
from .explain import explain_gradient
from .picture import Drawing, dot_available, draw, warn_no_dot
from .timeline import timeline

__all__ = ["draw", "explain_gradient", "timeline", "Drawing", "dot_available",
           "warn_no_dot"]
