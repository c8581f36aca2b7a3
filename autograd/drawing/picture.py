"""`draw(target, ...)`: collect what to draw, style it, and return a `Drawing`, a
graphviz.Digraph that falls back to text when Graphviz's `dot` program is missing."""
import html
import os
import shutil
import warnings

import graphviz

from .. import checkpoints
from . import collect
from .style import to_digraph
from .text import to_text

_warned = []
INSTALL_HINT = ("Graphviz's 'dot' program is not installed, so graphs are shown as text. "
                "Install it with 'sudo apt-get install graphviz' (Debian/Ubuntu), "
                "'brew install graphviz' (macOS) or from https://graphviz.org/download/.")


def dot_available():
    return shutil.which("dot") is not None


def warn_no_dot():
    if not _warned:
        _warned.append(True)
        warnings.warn(INSTALL_HINT, RuntimeWarning, stacklevel=3)


class Drawing(graphviz.Digraph):
    """A graphviz.Digraph that falls back to a text rendering when `dot` is missing.
    `.text` always holds that rendering."""

    text = ""

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        if dot_available():
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        warn_no_dot()
        return {"text/plain": self.text}

    def render(self, filename=None, directory=None, view=False, cleanup=False,
               format=None, **kwargs):
        """Write the image (`format` png, svg, pdf...); without `dot`, a .txt rendering."""
        if dot_available():
            return super().render(filename, directory=directory, view=view,
                                  cleanup=cleanup, format=format, **kwargs)
        warn_no_dot()
        path = os.path.join(directory or "", (filename or self.name or "graph") + ".txt")
        with open(path, "w") as out:
            out.write(self.text + "\n")
        return path


def draw(target=None, *, show_shapes=True, collapse=(), depth=None, include_gradients=False,
         session=None, feed_dict=None, rankdir="TB", stack_series=True, hubs_aside=True,
         hub_edges=False, include_optimizer=False, legend=True, highlight=None, title=None,
         fetches=None, schedule=False, run_metadata=None, color_by=None):
    """Draw a graph, or what some tensors/ops need, as a graphviz.Digraph.

    - target: a Graph (default graph if None), or a tensor/op or list of them (fetches).
    - collapse: name scopes to draw as one box; depth: how many scope levels to open
      (None: as many as keep the drawing readable).
    - include_gradients: show the backward ops (else one collapsed `gradients` box);
      include_optimizer: show the optimizer's slots and update ops (else one box).
    - hubs_aside: draw bookkeeping (initializer, global step, update groups, summaries)
      aside, each with one labelled stub; hub_edges=True draws all their edges instead.
    - feed_dict with fetches: shade what Session.run would execute, mark fed tensors
      as cut points and needed-but-unfed placeholders in red. Adding `session` runs the
      fetches (step by step) and writes each op's value summary into its node.
    - fetches: the fetches of that run when they are not the target, e.g.
      `draw(graph, fetches=[e], feed_dict={})` greys what the run of `e` skips.
    - highlight: ops (or a Session.step TraceStep) to emphasise.
    - schedule=True (with fetches): colour the run's waves, the ops that may run at the
      same time (all of wave k waits only on waves before k), and number them.
    - run_metadata (from a traced Session.run): colour each node by its compute time,
      as TensorBoard's "compute time" view, and write its time and output size in it.
    - color_by="device": colour each node by the device its ops were built for (their
      `device()` scope, as TensorBoard's "device" colouring), with a legend; an edge
      between two tasks of a cluster is marked Send/Recv (the white paper's partition).
    """
    if color_by not in (None, "device"):
        raise ValueError(f"color_by must be None or 'device', got {color_by!r}")
    model, targets = collect.build(target, collapse, depth, include_gradients, stack_series,
                                   hubs_aside, hub_edges,
                                   include_optimizer=include_optimizer)
    fetches = targets if fetches is None else collect.select_ops(fetches)[2]
    if fetches and (feed_dict is not None or session is not None):
        collect.mark_plan(model, fetches, feed_dict)
    if schedule and fetches:
        collect.mark_waves(model, fetches, feed_dict)
    if run_metadata is not None:
        collect.mark_times(model, run_metadata)
    if color_by == "device":
        collect.mark_devices(model)
    if session is not None:
        collect.mark_values(model, session, fetches, feed_dict, collect.as_ops(highlight))
    elif highlight is not None:
        for node in model.nodes.values():
            node.highlight = any(op in collect.as_ops(highlight) for op in node.ops)
    drawing = to_digraph(model, show_shapes, rankdir, legend, title, factory=Drawing)
    drawing.text = to_text(model)
    return drawing



def save_page(path, title, body):
    """Write `body` (self-contained HTML: a player, an explorer) as a standalone page,
    atomically; returns `path`."""
    page = (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(title)}'
            f"</title></head><body>{body}</body></html>\n")
    checkpoints.write_text(os.fspath(path), page)
    return path
