"""Step two of drawing: turn a collected Model into a styled graphviz.Digraph."""
import math

import graphviz

from .. import devices, dtypes
from ..registry import Const
from ..shapes import fmt
from .collect import spine

KINDS = {  # kind: (shape, fill colour, legend text)
    "placeholder": ("invhouse", "#bcd8ff", "placeholder (fed at run time)"),
    "variable": ("cylinder", "#c6e9bd", "variable"),
    "constant": ("box", "#ececec", "constant"),
    "queue": ("cds", "#ffd9a8", "queue (elements kept by the session)"),
    "reader": ("tab", "#f3d1ea", "reader (records from files)"),
    "op": ("ellipse", "#fff0b0", "operation"),
    "gradient": ("ellipse", "#ffc4c4", "gradient operation"),
    "series": ("ellipse", "#fff0b0", "series of ops (stacked)"),
    "scope": ("box3d", "#ded5ff", "name scope (collapsed)"),
    "frame": ("box", "#d9f0f5", "control flow: a frame whose body runs inside"),
}
LEAF_LOOKS = {Const: "constant"}  # a series of these ops looks like one of them
RUN_COLOUR, UNFED_COLOUR, HUB_COLOUR = "#1f6feb", "#d62728", "#9a9a9a"
UPDATE_COLOUR, HIGHLIGHT_COLOUR = "#2e8b57", "#ff7f0e"
SEND_RECV_COLOUR = "#7b1fa2"   # an edge between two tasks of a cluster
HUB_CLUSTER = "(bookkeeping)"
STATES = {  # node state: (attributes, legend text)
    "runs": ({"color": RUN_COLOUR, "penwidth": "2"}, "runs in this fetch"),
    "idle": ({"fillcolor": "#ffffff", "color": "#bbbbbb", "fontcolor": "#999999"},
             "not needed: skipped"),
    "unfed": ({"fillcolor": "#ffb3b3", "color": UNFED_COLOUR, "penwidth": "2.5"},
              "placeholder that needs a feed"),
    "fed": ({"color": RUN_COLOUR, "penwidth": "2", "style": "filled,bold"},
            "fed: the run starts here"),
}


DEVICE_COLOURS = ("#8dd3c7", "#fdb462", "#bebada", "#fb8072", "#80b1d3", "#b3de69",
                  "#fccde5", "#d9d9d9")
WAVE_COLOURS = ("#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6", "#fb9a99", "#ffff99",
                "#8dd3c7", "#bebada")  # wave k is drawn in WAVE_COLOURS[k % 8]


def shape_label(tensor):
    """`(?, 784)` plus the dtype when it is not the default float32."""
    text = "?" if tensor.shape is None else fmt(tensor.shape).replace("None", "?")
    return text if tensor.dtype.name == "float32" else f"{text} {dtypes.name_of(tensor.dtype)}"


def edge_width(tensor):
    """Thicker edges for bigger tensors (unknown dimensions count as 1)."""
    if tensor.shape is None:
        return 1.0
    size = math.prod(d or 1 for d in tensor.shape)
    return round(1.0 + min(math.log10(max(size, 1)), 6) * 0.5, 2)


def to_digraph(model, show_shapes=True, rankdir="TB", legend=True, title=None,
               factory=graphviz.Digraph):
    """The styled digraph (an instance of `factory`, a graphviz.Digraph subclass)."""
    dot = factory(name="graph", graph_attr={
        "rankdir": rankdir, "fontname": "Helvetica", "fontsize": "11", "compound": "true",
        "newrank": "true", "nodesep": "0.25", "ranksep": "0.35", "label": title or "",
        "labelloc": "t"},
        node_attr={"fontname": "Helvetica", "fontsize": "10", "style": "filled"},
        edge_attr={"fontname": "Helvetica", "fontsize": "8", "arrowsize": "0.6"})
    clusters = {}
    for node in model.nodes.values():
        clusters.setdefault(HUB_CLUSTER if node.hub else node.scope, []).append(node)
    _emit_clusters(dot, clusters)
    layout = ("s" if rankdir in ("LR", "RL") else "e", spine(model))
    for edge in model.edges:
        _emit_edge(dot, model, edge, show_shapes, layout)
    if legend:
        _emit_legend(dot, legend_entries(model))
    return dot


def _emit_clusters(dot, clusters):
    """Nested clusters, one per name scope, built from the scope paths."""
    tree = {}
    for scope in clusters:
        branch = tree
        parts = scope.split("/") if scope and scope != HUB_CLUSTER else [scope] if scope else []
        for i in range(len(parts)):
            branch = branch.setdefault("/".join(parts[:i + 1]), {})
    _emit_level(dot, "", tree, clusters)


def _emit_level(parent, scope, subtree, clusters):
    for node in clusters.get(scope, ()):
        _emit_node(parent, node)
    for node, user in _beside(clusters.get(scope, ())):
        with parent.subgraph() as same:  # parameters come in from the side of their op
            same.attr(rank="same")
            same.node(_id(node.key))
            same.node(_id(user.key))
    for child, grandchildren in subtree.items():
        with parent.subgraph(name="cluster_" + child.replace("/", "__")) as sub:
            hub = child == HUB_CLUSTER
            sub.attr(label="bookkeeping" if hub else child.split("/")[-1] + "/",
                     style="rounded,dashed" if hub else "rounded",
                     color=HUB_COLOUR if hub else "#8c8c8c", fontcolor="#555555")
            _emit_level(sub, child, grandchildren, clusters)


def _emit_node(dot, node):
    looks = node.kind
    if looks == "series":
        looks = LEAF_LOOKS.get(node.ops[0].op_def, "op")
    shape, fill, _ = KINDS[looks]
    attrs = {"shape": shape, "fillcolor": fill, "tooltip": _tooltip(node)}
    label = node.label
    if node.kind == "op" and node.ops[0].type.lower() != node.label.split("_")[0].lower():
        label += f"\\n{node.ops[0].type}"
    if node.kind == "scope":
        label += f"\\n({len(node.ops)} ops)"
    if node.note:
        label += "\\n" + node.note.replace(" min", "\\nmin")
    if node.kind in ("series", "frame"):
        attrs["peripheries"] = "2"
    if node.hub:
        attrs.update(style="filled,dashed", color=HUB_COLOUR, fontcolor="#555555")
    if node.state in STATES:
        attrs.update(STATES[node.state][0])
        if node.state == "unfed":
            label += "\\nneeds a feed!"
    if node.micros is not None:
        label += f"\\n{_duration(node.micros)}, {_size(node.output_bytes)}"
        attrs["fillcolor"] = _heat(node.heat)
    if node.device is not None:
        label += f"\\n{node.device}"
        attrs["fillcolor"] = DEVICE_COLOURS[node.device_rank % len(DEVICE_COLOURS)]
    if node.waves:
        first, last = node.waves
        label += f"\\nwave {first}" if first == last else f"\\nwaves {first}-{last}"
        if first == last:
            attrs["fillcolor"] = WAVE_COLOURS[first % len(WAVE_COLOURS)]
    if node.highlight:
        attrs.update(color=HIGHLIGHT_COLOUR, penwidth="4")
    attrs["label"] = label
    dot.node(_id(node.key), **attrs)
    if node.stub:
        stub = _id(node.key) + "#stub"
        dot.node(stub, label="", shape="point", width="0.05", color=HUB_COLOUR)
        dot.edge(_id(node.key), stub, label=node.stub, color=HUB_COLOUR, style="dashed",
                 fontcolor="#555555", arrowhead="none")


def _duration(micros):
    return f"{micros / 1000:.2f} ms" if micros >= 1000 else f"{micros:.0f} us"


def _size(nbytes):
    for unit in ("B", "KB", "MB"):
        if nbytes < 1024 or unit == "MB":
            return f"{nbytes:.0f} {unit}" if unit == "B" else f"{nbytes:.1f} {unit}"
        nbytes /= 1024
    return f"{nbytes:.1f} GB"


def _heat(fraction):
    """White (no time) to deep orange (the slowest node), as TensorBoard's compute view."""
    fraction = min(max(fraction, 0.0), 1.0) ** 0.5
    start, end = (255, 255, 255), (230, 85, 13)
    return "#" + "".join(f"{round(a + (b - a) * fraction):02x}" for a, b in zip(start, end))


def _names(names, most=3):
    names = list(dict.fromkeys(names))
    return ", ".join(names[:most]) + (f" +{len(names) - most}" if len(names) > most else "")


def _beside(nodes):
    """(variable, its one user) pairs of one cluster, to put on one rank."""
    users = {}
    for node in nodes:
        for op in node.ops:
            for t in op.outputs:
                users.setdefault(node.key, set()).update(c for c in t._consumers)
    by_op = {op: node for node in nodes for op in node.ops}
    pairs = []
    for node in nodes:
        if node.kind != "variable" or node.hub:
            continue
        consumers = {by_op.get(c) for c in users.get(node.key, ())} - {node, None}
        if len(consumers) == 1 and next(iter(consumers)).kind in ("op", "series"):
            pairs.append((node, consumers.pop()))
    return pairs


def _tooltip(node):
    names = ", ".join(op.name for op in node.ops[:8])
    more = f" (+{len(node.ops) - 8} more)" if len(node.ops) > 8 else ""
    return names + more


def _emit_edge(dot, model, edge, show_shapes, layout):
    attrs = {}
    src, dst = model.nodes[edge.src], model.nodes[edge.dst]
    if edge.kind == "control":
        attrs.update(style="dashed", color="#888888", arrowhead="odot")
    elif edge.kind == "update":
        attrs.update(style="bold,dashed", color=UPDATE_COLOUR, fontcolor=UPDATE_COLOUR,
                     label="updates " + _names(t.op.name.split("/")[-1] for t in edge.tensors))
    elif edge.kind == "backprop":
        attrs.update(label=f"backprop\\nreads {len(edge.tensors)} forward tensors",
                     color="#9a9a9a", penwidth="2")
    elif edge.tensors:
        if show_shapes:
            labels = list(dict.fromkeys(shape_label(t) for t in edge.tensors))
            attrs["label"] = labels[0] if len(labels) == 1 else f"{len(edge.tensors)} tensors"
        attrs["penwidth"] = str(max(edge_width(t) for t in edge.tensors))
    attrs.update(_layout(src, dst, edge, *layout))
    if _crosses_tasks(src, dst):
        shown = attrs.get("label")
        attrs.update(color=SEND_RECV_COLOUR, fontcolor=SEND_RECV_COLOUR, penwidth="2.5",
                     label="Send/Recv" + (f"\\n{shown}" if shown else ""))
    if src.hub or dst.hub:
        attrs.update(constraint="false", color=HUB_COLOUR, style="dashed")
    if edge.fed:
        attrs.update(color=RUN_COLOUR, style="bold", label=attrs.get("label", "") + " (fed)",
                     arrowtail="tee", dir="both")
    if src.state == "idle" or dst.state == "idle":
        attrs.setdefault("color", "#cccccc")
    if edge.kind == "update":  # laid out along the handle (variable -> op), arrow reversed
        if edge.cluster:
            attrs["ltail"] = "cluster_" + edge.cluster.replace("/", "__")
        dot.edge(_id(edge.dst), _id(edge.src), dir="back", **attrs)
    else:
        dot.edge(_id(edge.src), _id(edge.dst), **attrs)


def _crosses_tasks(src, dst):
    """Whether an edge joins nodes placed on two tasks of a cluster (with color_by=
    "device"): TF's partition puts a Send/Recv pair on it, this engine a read before the
    run or a commit after it (autograd.distributed.link)."""
    ends = [_task(node.device) for node in (src, dst)]
    return None not in ends and ends[0] != ends[1]


def _task(device):
    try:
        fields = devices.parse(device) if device else {}
    except ValueError:   # "several devices", "(no device)"
        return None
    return (fields["job"], fields.get("task", "0")) if "job" in fields else None


def _layout(src, dst, edge, side, line):
    """Edge weights and ports that keep the model a straight column with the backward pass
    and the optimizer below it: the edges of that main line pull hard; update arrows do
    not pull, and run up one side (`side`) of the column."""
    if edge.kind == "update":
        return {"weight": "0", "tailport": side, "headport": side}  # after dir=back swap
    if edge in line:
        return {"weight": "10"}
    if dst.role == "gradients" and src.role == "model":
        return {"weight": "0", "color": "#9a9a9a", "tailport": side}
    return {}


def legend_entries(model):
    """What the picture contains, in legend order: ("node", kind), ("state", state),
    ("edge", kind), ("hub",), ("highlight",)."""
    nodes = list(model.nodes.values())
    entries = [("node", kind) for kind in KINDS if any(n.kind == kind for n in nodes)]
    entries += [("state", s) for s in STATES if any(n.state == s for n in nodes)]
    kinds = {e.kind for e in model.edges}
    entries += [("edge", kind) for kind in ("control", "update") if kind in kinds]
    if any(e.fed for e in model.edges):
        entries.append(("edge", "fed"))
    if any(_crosses_tasks(model.nodes[e.src], model.nodes[e.dst]) for e in model.edges):
        entries.append(("edge", "send_recv"))
    if any(n.hub for n in nodes):
        entries.append(("hub",))
    if any(n.waves for n in nodes):
        entries.append(("waves",))
    if any(n.micros is not None for n in nodes):
        entries.append(("times",))
    if any(n.highlight for n in nodes):
        entries.append(("highlight",))
    entries += sorted({("device", n.device, n.device_rank) for n in nodes
                       if n.device is not None}, key=lambda entry: entry[2])
    return entries


def _emit_legend(dot, entries):
    with dot.subgraph(name="cluster_legend") as legend:
        legend.attr(label="legend", style="rounded", color="#cccccc", fontcolor="#777777")
        previous = None
        for number, entry in enumerate(entries):
            key = f"legend_{number}"
            attrs = {"fontsize": "8", "shape": "box", "fillcolor": "#ffffff"}
            if entry[0] == "node":
                shape, fill, text = KINDS[entry[1]]
                attrs.update(label=text, shape=shape, fillcolor=fill)
            elif entry[0] == "state":
                looks, text = STATES[entry[1]]
                attrs.update(looks, label=text, fillcolor=looks.get("fillcolor", "#fff0b0"))
            elif entry[0] == "edge":
                attrs.update(_edge_sample(entry[1]))
            elif entry[0] == "times":
                attrs.update(label="compute time in a traced run\\n(darker: longer)",
                             fillcolor=_heat(0.6))
            elif entry[0] == "waves":
                attrs.update(label="wave k: may run at the same time\\nas the rest of "
                                   "wave k (same colour)", fillcolor=WAVE_COLOURS[0])
            elif entry[0] == "device":
                attrs.update(label=f"built for {entry[1]}",
                             fillcolor=DEVICE_COLOURS[entry[2] % len(DEVICE_COLOURS)])
            elif entry[0] == "hub":
                attrs.update(label="bookkeeping, aside\\n(one stub, not every edge)",
                             style="filled,dashed", color=HUB_COLOUR)
            else:
                attrs.update(label="highlighted", color=HIGHLIGHT_COLOUR, penwidth="4")
            legend.node(key, **attrs)
            if previous:
                legend.edge(previous, key, style="invis")
            previous = key


def _edge_sample(kind):
    """A legend box describing an edge style in the edge's own colour."""
    text, colour = {
        "control": ("- - -o  runs after (control dependency)", "#888888"),
        "update": ("- - ->  updates a variable (optimizer)", UPDATE_COLOUR),
        "fed": ("--|  tensor fed: cut point", RUN_COLOUR),
        "send_recv": ("—>  Send/Recv: between two tasks", SEND_RECV_COLOUR),
    }[kind]
    return {"label": text, "fontcolor": colour, "color": colour, "style": "rounded"}


def _id(key):
    """A DOT node id: the key itself, but ':' would read as a port separator."""
    return key.replace(":", "#")
