"""`play(fetches, feed_dict)`: one run of the graph, op by op, as frames of its drawing.

The run is laid out once by graphviz (the drawing `draw` gives); each frame restyles it:
the op that just ran is highlighted, computed values are written into their nodes, values
the executor has freed are greyed, and during the backward pass each forward node shows
the gradient flowing into it. Frames share the layout, so nothing moves between them.

The player is self-contained HTML and plain JavaScript (no CDN): it works inline in
Jupyter, in an executed notebook viewed without a kernel, and as a file (`.save`).
`.frames()` yields each frame as a standalone SVG.
"""
import html
import json
import os
import uuid
import xml.etree.ElementTree as ET

import numpy as np

from ..graph import GraphKeys, Tensor
from ..shapes import fmt
from . import collect
from .picture import INSTALL_HINT, Drawing, dot_available, save_page
from .style import _id, to_digraph

SVG_NS, XLINK_NS = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
VALUE_MARK, GRAD_MARK = "~v~" + "~" * 19, "~g~" + "~" * 19  # reserve a line's width
MAX_FRAMES = 2000
_JS = os.path.join(os.path.dirname(__file__), "player.js")


def play(fetches, feed_dict=None, session=None, expand=False, include_optimizer=False,
         title=None, interval_ms=600, rankdir="TB"):
    """Run `fetches` once (really: variables change as with `session.run`) and return a
    Player over its frames.

    - session: where to run; default: the default session, else a new Session on the
      fetches' graph with its variables initialized first.
    - expand=False: a collapsed name scope advances as one frame; expand=True opens every
      scope (one frame per op), optimizer included.
    """
    if not dot_available():
        raise RuntimeError("play() lays the graph out with Graphviz. " + INSTALL_HINT)
    model, targets = collect.build(fetches, depth=99 if expand else None,
                                   include_gradients=True, stack_series=not expand,
                                   include_optimizer=include_optimizer or expand)
    collect.mark_plan(model, targets, feed_dict)
    session = session or _session_for(model.graph)
    trace = list(session.step(fetches, feed_dict))
    run = _Run(model, trace, targets, feed_dict, session)
    for key, node in model.nodes.items():
        node.note = VALUE_MARK if key in run.shown else ""
        if key in run.graded:
            node.note += "\n" + GRAD_MARK
    drawing = to_digraph(model, True, rankdir, False, title, factory=Drawing)
    return Player(drawing.pipe(format="svg", encoding="utf-8"), model, run, interval_ms)


def _session_for(graph):
    from ..session import Session, get_default_session
    from ..variables import global_variables
    session = get_default_session()
    if session is not None and session.graph is graph:
        return session
    session = Session(graph=graph)
    with graph.as_default():
        variables = global_variables()
    if variables:
        session.run([v.initializer for v in variables])
    return session


def brief(value):
    """A value in a few characters, to fit inside a node."""
    array = np.asarray(value)
    if array.dtype.kind in "USO" and array.size:   # text or bytes: the first items
        items = [repr(v)[:12] for v in array.ravel()[:2]]
        more = ", ..." if array.size > 2 else ""
        return (f"{fmt(array.shape)} " if array.ndim else "") + ", ".join(items) + more
    if array.dtype.kind not in "biuf":
        return array.dtype.name
    if array.size == 0:
        return f"{fmt(array.shape)} empty"
    if array.size <= 3:
        return np.array2string(array.ravel(), precision=3, separator=", ")
    return f"{fmt(array.shape)} mean {array.mean():.3g}"


class _Run:
    """The frames of one traced run: which node each executed op belongs to, what it
    computed, which gradients arrived where, and when values were freed."""

    def __init__(self, model, trace, targets, feed_dict, session):
        owner = {op: key for key, node in model.nodes.items() for op in node.ops}
        self.keys = list(model.nodes)
        index = {key: i for i, key in enumerate(self.keys)}
        self.initial = [["", ""] for _ in self.keys]
        for key, node in model.nodes.items():
            if node.state in ("runs", "unfed"):
                self.initial[index[key]][0] = "ag-pending"
        self._initial_values(model, owner, index, feed_dict, session)
        self.frames = [{"label": "before the run", "current": [], "values": {},
                        "grads": {}, "freed": [], "role": ""}]
        self.graded = set()
        frame_of_step = []
        leaving = _leaving_tensors(model, owner)
        for step in trace:
            key = owner.get(step.op)
            home = _forward_home(step.op, owner)
            current = [index[k] for k in dict.fromkeys((key, home)) if k is not None]
            frame = self.frames[-1]
            if key is not None and frame["current"] != current:
                frame = {"label": "", "current": current, "values": {}, "grads": {},
                         "freed": [], "role": model.nodes[key].role}
                self.frames.append(frame)
            frame_of_step.append(len(self.frames) - 1)
            if key is not None:
                node = model.nodes[key]
                text = brief(step.outputs[0]) if _shown_output(step) else "ran"
                frame["values"][index[key]] = text if len(node.ops) == 1 else \
                    f"{step.op.type}: {text}"
                frame["label"] = self._label(node, step) + (
                    f", backward through {_key_name(home)}" if home not in (None, key)
                    else "")
            for tensor, value in zip(step.op.outputs, step.outputs):
                for source in model.graph.gradient_sources(tensor):
                    target = owner.get(source.op)
                    if target is None or target == key or target in self.graded or \
                            (len(model.nodes[target].ops) > 1 and source not in leaving):
                        continue  # a scope shows the gradient of what leaves it, first
                    frame["grads"][index[target]] = "grad " + brief(value)
                    self.graded.add(target)
        for key, number in _node_releases(owner, trace, targets).items():
            at = frame_of_step[number]
            if index[key] in self.frames[at]["current"]:  # still highlighted: grey it next
                at += 1
            if at < len(self.frames):
                self.frames[at]["freed"].append(index[key])
        self.shown = {self.keys[i] for i, (state, value) in enumerate(self.initial)
                      if state or value}
        self.marks = self._marks()
        if len(self.frames) > MAX_FRAMES:
            raise ValueError(f"this run has {len(self.frames)} frames; play() shows at most "
                             f"{MAX_FRAMES}: fetch less, or leave expand=False")

    def _initial_values(self, model, owner, index, feed_dict, session):
        for key_item, value in (feed_dict or {}).items():
            tensor = model.graph.as_graph_element(key_item, allow_operation=False)
            if tensor.op in owner:
                self.initial[index[owner[tensor.op]]] = ["ag-done", brief(
                    np.asarray(value, dtype=tensor.dtype))]
        for variable in model.graph.get_collection(GraphKeys.GLOBAL_VARIABLES):
            key = owner.get(variable.op)
            value = session.value_of(variable)
            if key is not None and value is not None and model.nodes[key].kind == "variable":
                self.initial[index[key]] = ["ag-done", brief(value)]

    @staticmethod
    def _label(node, step):
        where = f" in {_key_name(node.key)}/" if len(node.ops) > 1 else ""
        return f"{step.op.type} '{step.op.name}'{where}"

    def _marks(self):
        """[label, frame]: the last forward frame before the backward pass, and the last
        backward frame."""
        roles = [frame["role"] for frame in self.frames]
        marks = []
        if "gradients" in roles:
            first_backward = roles.index("gradients")
            forward = [i for i in range(first_backward) if roles[i] == "model"]
            if forward:
                marks.append(["forward done", forward[-1]])
            marks.append(["backward done", len(roles) - 1 - roles[::-1].index("gradients")])
        return marks


def _key_name(key):
    """A drawn node's name: its op or scope path ('scope:gradients/layer1' -> the path)."""
    return key.split(":", 1)[1] if key.startswith("scope:") else key


def _forward_home(op, owner):
    """The drawn node of the forward op whose gradient `op` helps compute (its recorded
    provenance, op.origin; for a gradient of a gradient, the first forward op)."""
    origin = op.origin
    if origin is None:
        return None
    while origin.origin is not None:
        origin = origin.origin
    return owner.get(origin)


def _leaving_tensors(model, owner):
    """The tensors that some op outside their own drawn node reads."""
    leaving = set()
    for op in model.graph.get_operations():
        for tensor in op.inputs:
            if owner.get(tensor.op) not in (None, owner.get(op)):
                leaving.add(tensor)
    return leaving


def _shown_output(step):
    return bool(step.outputs) and step.op.outputs[0].dtype.name != "resource"


def _node_releases(owner, trace, targets):
    """{node key: step number} for the nodes whose every value was freed during the run:
    a value is freed after its last reader runs (as the executor does), unless fetched."""
    fetched = {t for t in targets if isinstance(t, Tensor)}
    last_reader, produced_at = {}, {}
    for number, step in enumerate(trace):
        for tensor in step.op.inputs:
            last_reader[tensor] = number
        for tensor in step.op.outputs:
            produced_at[tensor] = number
    per_node = {}
    for tensor, number in produced_at.items():
        key = owner.get(tensor.op)
        if key is None:
            continue
        keep = tensor in fetched or tensor.dtype.name == "resource"
        per_node.setdefault(key, []).append(None if keep else last_reader.get(tensor, number))
    return {key: max(steps) for key, steps in per_node.items() if None not in steps}


CSS = """
#{svg} .ag-pending polygon, #{svg} .ag-pending ellipse, #{svg} .ag-pending path
  {{ fill-opacity: 0.3; stroke-opacity: 0.4; }}
#{svg} .ag-pending text {{ opacity: 0.45; }}
#{svg} .ag-current polygon, #{svg} .ag-current ellipse, #{svg} .ag-current path,
#{svg} .ag-current polyline {{ stroke: #ff7f0e; stroke-width: 4px; }}
#{svg} .ag-freed polygon, #{svg} .ag-freed ellipse, #{svg} .ag-freed path
  {{ fill: #eeeeee; stroke: #bbbbbb; }}
#{svg} .ag-freed text {{ fill: #999999; }}
#{svg} text.ag-value {{ fill: #1f4e9e; font-weight: bold; opacity: 1; }}
#{svg} text.ag-grad {{ fill: #b22222; font-weight: bold; opacity: 1; }}
"""  # descendant selectors: graphviz wraps each shape in <g><a> (its tooltip)


class Player:
    """The frames of one run on one layout. Shows itself inline in Jupyter; `.save(path)`
    writes the same player as an HTML file; `.frames()` yields each frame as an SVG;
    `labels` names each frame's op, `marks` the frames the jump buttons go to."""

    def __init__(self, svg_text, model, run, interval_ms):
        self.uid = "ag-player-" + uuid.uuid4().hex[:10]
        self._run = run
        self.interval_ms = interval_ms
        self.labels = [frame["label"] for frame in run.frames]
        self.marks = [tuple(mark) for mark in run.marks]
        ET.register_namespace("", SVG_NS)
        ET.register_namespace("xlink", XLINK_NS)
        self._tree = ET.fromstring(svg_text.encode("utf-8"))
        self._tree.set("id", self.uid + "-svg")
        self._tree.set("style", "max-width: 100%; height: auto")
        self._groups = self._mark_nodes(run.keys)
        style = ET.SubElement(self._tree, f"{{{SVG_NS}}}style")
        style.text = CSS.format(svg=self.uid + "-svg")
        self._tree.remove(style)
        self._tree.insert(0, style)

    def __len__(self):
        return len(self._run.frames)

    def _mark_nodes(self, keys):
        """Give every drawn node an id the player can find, and turn the reserved value
        and gradient lines into empty text elements of their own class."""
        by_title = {_id(key): i for i, key in enumerate(keys)}
        groups = [None] * len(keys)
        for group in self._tree.iter(f"{{{SVG_NS}}}g"):
            if group.get("class") != "node":
                continue
            title = group.find(f"{{{SVG_NS}}}title")
            number = by_title.get(html.unescape(title.text or "")) if title is not None else None
            if number is None:
                continue
            group.set("id", f"{self.uid}-n{number}")
            for text in group.iter(f"{{{SVG_NS}}}text"):
                for mark, cls in ((VALUE_MARK, "ag-value"), (GRAD_MARK, "ag-grad")):
                    if (text.text or "").startswith(mark[:3]) and (text.text or "") == mark:
                        text.text = ""
                        text.set("class", cls)
            groups[number] = group
        return groups

    def states(self, k):
        """[(class, value text, gradient text)] per node at frame k (what the JS shows)."""
        state = [[status, value, ""] for status, value in self._run.initial]
        for frame in self._run.frames[:k + 1]:
            for entry in state:
                if entry[0] == "ag-current":
                    entry[0] = "ag-done"
            for n in frame["current"]:
                state[n][0] = "ag-current"
            for n, text in frame["values"].items():
                state[n][1] = text
            for n, text in frame["grads"].items():
                state[n][2] = text
            for n in frame["freed"]:
                if state[n][0] != "ag-current":
                    state[n][0] = "ag-freed"
        return [tuple(entry) for entry in state]

    def frames(self):
        """Each frame as a standalone SVG document (a string)."""
        for k in range(len(self)):
            for group, (status, value, grad) in zip(self._groups, self.states(k)):
                if group is None:
                    continue
                group.set("class", ("node " + status).strip())
                for text in group.iter(f"{{{SVG_NS}}}text"):
                    if text.get("class") == "ag-value":
                        text.text = value
                    elif text.get("class") == "ag-grad":
                        text.text = grad
            yield ET.tostring(self._tree, encoding="unicode")
        for group in self._groups:  # back to the neutral drawing the HTML player starts from
            if group is not None:
                group.set("class", "node")

    def html(self):
        """The player: controls, the SVG, and the script, in one self-contained <div>."""
        svg = ET.tostring(self._tree, encoding="unicode")
        data = {"id": self.uid, "nodes": [f"{self.uid}-n{i}" for i in range(len(self._groups))],
                "initial": self._run.initial, "interval": self.interval_ms,
                "frames": [{k: frame[k] for k in ("label", "current", "values", "grads",
                                                  "freed")} for frame in self._run.frames]}
        with open(_JS) as source:
            script = source.read().replace("PLAYER_DATA", json.dumps(data).replace("</", "<\\/"))
        marks = "".join(f'<button class="ag-mark" data-frame="{frame}">{html.escape(label)}'
                        f"</button>" for label, frame in self.marks)
        return (f'<div id="{self.uid}" class="ag-player" style="font-family: sans-serif; '
                f'font-size: 13px">'
                f'<div class="ag-controls" style="margin-bottom: 4px">'
                f'<button class="ag-first" title="first frame">|&#x25C0;</button>'
                f'<button class="ag-prev">&#x25C0; back</button>'
                f'<button class="ag-play">&#x25B6; play</button>'
                f'<button class="ag-next">next &#x25B6;</button>'
                f'<button class="ag-last" title="last frame">&#x25B6;|</button> '
                f'<input type="range" class="ag-slider" min="0" max="{len(self) - 1}" '
                f'value="0" style="width: 30%; vertical-align: middle"> {marks}'
                f'<div class="ag-label" style="margin-top: 4px; font-family: monospace">'
                f'</div></div>'
                f'<div class="ag-picture" style="overflow: auto">{svg}</div>'
                f'<script>{script}</script></div>')

    def _repr_html_(self):
        return self.html()

    def save(self, path):
        """Write the player as a standalone HTML page."""
        return save_page(path, "autograd run", self.html())

    def __repr__(self):
        return f"<Player: {len(self)} frames; marks {self.marks}>"
