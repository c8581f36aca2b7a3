"""Drawing dataflow graphs with Graphviz: `draw(target, ...)` returns a graphviz.Digraph,
`explain_gradient(y, x)` says (and draws) why a gradient is None, `play(fetches, feed)`
replays one run op by op on its drawing, `explore(target)` makes a page to open scopes,
search, trace and read every node, and `timeline(metadata)` shows a traced run's ops over
time (matplotlib)."""
from .explain import explain_gradient
from .explorer import Explorer, explore
from .picture import Drawing, dot_available, draw, warn_no_dot
from .player import Player, play
from .timeline import timeline

__all__ = ["draw", "explain_gradient", "explore", "play", "timeline", "Drawing", "Explorer",
           "Player", "dot_available", "warn_no_dot"]
