"""`explore(target)`: the graph as a page to explore, TensorBoard's graph tab offline.

Scopes open and close in place (click a scope's box; click an open scope's frame to close
it), a card shows the selected node (op type, name, device, inputs and outputs with their
static shapes and dtypes, attributes, the line that created it, and its value in a run),
a search box highlights the nodes whose name or type matches a regular expression,
"trace inputs" and "trace outputs" highlight everything a node depends on or feeds, and
the view can be coloured by structure, device or compute time and saved as SVG or PNG.

What is drawn is what `draw` decides, collected once fully expanded (each variable with
its reads and initializer, gradients and optimizer included); the page lays out the
current choice of open scopes itself, with Graphviz compiled to WebAssembly
(`@viz-js/viz`, bundled in the file, see drawing/vendor/README.md), so it works inline in
Jupyter and saved as one HTML file, offline, with no server.
"""
import html
import json
import os
import uuid

import numpy as np

from ..sites import format_location
from ..tracing import RunMetadata
from . import collect
from .explain import explain_gradient
from .picture import save_page
from .style import KINDS, shape_label

_HERE = os.path.dirname(__file__)
_JS = os.path.join(_HERE, "explorer.js")
_VIZ = os.path.join(_HERE, "vendor", "viz-global.js")
_HISTOGRAM_BINS = 12


def explore(target=None, fetches=None, feed_dict=None, session=None, run_metadata=None,
            title=None):
    """An Explorer of `target` (a Graph, default the default graph, or tensors/ops and
    what they need). With `fetches` (and a `session`, else a new one initializes the
    variables) it runs them once, a real run as `play`'s, and each node's card shows its
    value: shape, dtype, min/mean/max and a histogram. `run_metadata` from a traced run
    colours nodes by compute time."""
    model, _ = collect.build(target, depth=10 ** 6, include_gradients=True,
                             include_optimizer=True, stack_series=False)
    shown, _ = collect.build(target)
    values, grads = _run_values(model, fetches, feed_dict, session) if fetches is not None \
        else ({}, {})
    micros, sizes = _costs(run_metadata) if run_metadata is not None else ({}, {})
    data = _page_data(model, shown, values, grads, micros, sizes)
    _explain_missing_gradients(model, data, _scalar_loss(model.graph, fetches), grads)
    return Explorer(data, title)


class Explorer:
    """The page: shows itself inline in Jupyter; `.save(path)` writes it as an HTML file.
    `data` is what the page draws (nodes with their cards, edges, scopes)."""

    def __init__(self, data, title=None):
        self.uid = "ag-explorer-" + uuid.uuid4().hex[:10]
        self.data = data
        self.title = title

    def html(self):
        with open(_JS) as source:
            script = source.read()
        with open(_VIZ) as source:
            viz = source.read()
        data = json.dumps({"id": self.uid, **self.data}).replace("</", "<\\/")
        kinds = "".join(f'<option value="{name}">{html.escape(name)}</option>'
                        for name in ("structure", "device", "time", "memory"))
        title = f"<b>{html.escape(self.title)}</b> " if self.title else ""
        return (f'<div id="{self.uid}" class="ag-explorer" style="font-family: sans-serif; '
                f'font-size: 13px; position: relative">'
                f'<div class="ag-bar" style="margin-bottom: 4px">{title}'
                f'<input class="ag-search" type="search" placeholder="search name or type '
                f'(regex)" aria-label="search nodes" style="width: 16em"> '
                f'<span class="ag-count" aria-live="polite"></span> '
                f'<label>colour by <select class="ag-colour">{kinds}</select></label> '
                f'<button class="ag-fit">fit</button> '
                f'<button class="ag-expand-all">open all</button> '
                f'<button class="ag-collapse-all">close all</button> '
                f'<button class="ag-svg">save SVG</button> '
                f'<button class="ag-png">save PNG</button></div>'
                f'<div style="display: flex; gap: 8px; align-items: flex-start">'
                f'<div class="ag-picture" tabindex="0" aria-label="graph" style="flex: 1; '
                f'overflow: hidden; border: 1px solid #ddd; height: 640px; cursor: grab">'
                f'<div class="ag-status">laying out...</div></div>'
                f'<div class="ag-card" role="region" aria-label="selected node" '
                f'style="width: 320px; max-height: 640px; overflow: auto; font-size: 12px; '
                f'border: 1px solid #ddd; padding: 6px">Click a node to read it here.</div>'
                f'</div><script>{viz}</script>'
                f'<script>(function () {{ const AG_DATA = {data};\n{script}\n}})();</script>'
                f'</div>')

    def _repr_html_(self):
        return self.html()

    def save(self, path):
        """Write the explorer as a standalone HTML page; returns the path."""
        return save_page(path, self.title or "autograd graph", self.html())

    def __repr__(self):
        return (f"<Explorer: {len(self.data['nodes'])} nodes in "
                f"{len(self.data['scopes'])} scopes>")


# -- what the page gets ------------------------------------------------------------------
def _page_data(model, shown, values, grads, micros, sizes):
    keys = list(model.nodes)
    index = {key: i for i, key in enumerate(keys)}
    nodes = [_node_data(model.nodes[key], values, grads, micros, sizes) for key in keys]
    edges = sorted({(index[e.src], index[e.dst], e.kind) for e in model.edges
                    if e.src in index and e.dst in index and e.src != e.dst})
    scopes = {}
    for node in nodes:
        for level in range(1, len(node["path"])):
            prefix = "/".join(node["path"][:level])
            scopes[prefix] = scopes.get(prefix, 0) + 1
    return {"nodes": nodes, "edges": [list(e) for e in edges],
            "scopes": [{"path": path, "count": count} for path, count in sorted(scopes.items())],
            "open": sorted(_open_scopes(shown, scopes)),
            "kinds": {kind: {"shape": shape, "fill": fill}
                      for kind, (shape, fill, _) in KINDS.items()}}


def _open_scopes(shown, scopes):
    """The scopes `draw` opens by default: every scope above a node it shows."""
    opened = set()
    for key in shown.nodes:
        if key.startswith("scope:"):
            path = key[len("scope:"):].split("/")[:-1]
        elif key.startswith("series:"):
            path = key[len("series:"):].rpartition(":")[0].split("/")[:-1]
        else:
            path = key.split("/")[:-1]
        opened.update("/".join(path[:level]) for level in range(1, len(path) + 1))
    return opened & set(scopes)


def _node_data(node, values, grads, micros, sizes):
    main = next((op for op in node.ops if op.name == node.key), node.ops[0])
    found = {
        "key": node.key, "path": node.key.split("/"), "kind": node.kind,
        "label": node.label.replace("\\n", "\n"), "name": main.name, "type": main.type,
        "device": main.device or "", "site": format_location(main.location),
        "ops": len(node.ops),
        "inputs": [[t.name, shape_label(t)] for t in main.inputs],
        "outputs": [[t.name, shape_label(t), str(t.shape), t.dtype.name] for t in main.outputs],
        "control": [op.name for op in main.control_inputs],
        "attrs": {key: _short(value) for key, value in sorted(main.attrs.items())},
        "micros": sum(micros.get(op.name, 0.0) for op in node.ops) or None,
        "bytes": sum(sizes.get(op.name, 0) for op in node.ops) or None,
    }
    if main.outputs and main.outputs[0] in values:
        found["value"] = _summary(values[main.outputs[0]])
    if main.outputs and main.outputs[0] in grads:
        found["gradient"] = _summary(grads[main.outputs[0]])
    return found


def _short(value):
    text = repr(value) if not isinstance(value, np.ndarray) else \
        f"array {value.shape} {value.dtype.name}"
    return text if len(text) <= 80 else text[:77] + "..."


def _run_values(model, fetches, feed_dict, session):
    """({tensor: value}, {tensor: its gradient's value}) of one run of `fetches`: every
    output computed, and for a forward tensor the gradient flowing into it (the last one
    computed: the total, where parts are added up)."""
    from .player import _session_for
    session = session or _session_for(model.graph)
    values, grads = {}, {}
    for step in session.step(fetches, feed_dict):
        for tensor, value in zip(step.op.outputs, step.outputs):
            values[tensor] = value
            for source in model.graph.gradient_sources(tensor):
                grads[source] = value
    return values, grads


def _summary(value):
    """Shape, dtype, min/mean/max and a histogram of a numeric value."""
    array = np.asarray(value)
    found = {"shape": list(array.shape), "dtype": array.dtype.name}
    if array.dtype.kind in "biuf" and array.size:
        numbers = array.astype(np.float64).ravel()
        finite = numbers[np.isfinite(numbers)]
        if finite.size:
            counts, edges = np.histogram(finite, bins=_HISTOGRAM_BINS)
            found.update(min=float(finite.min()), mean=float(finite.mean()),
                         max=float(finite.max()), histogram=counts.tolist(),
                         edges=[float(edges[0]), float(edges[-1])])
    elif array.size:
        found["text"] = _short(array.ravel()[:3].tolist())
    return found


def _costs(metadata):
    """({op name: microseconds}, {op name: bytes its outputs took}) of a traced run."""
    if not isinstance(metadata, RunMetadata):
        raise TypeError(f"run_metadata must be a RunMetadata filled by a traced run, got "
                        f"{metadata!r}")
    micros, sizes = {}, {}
    for stats in metadata.node_stats():
        micros[stats.node_name] = micros.get(stats.node_name, 0.0) + stats.all_end_rel_micros
        sizes[stats.node_name] = sizes.get(stats.node_name, 0) + stats.output_bytes
    return micros, sizes


def _scalar_loss(graph, fetches):
    """The first fetch that is a float scalar tensor (the loss a training step fetches)."""
    items = fetches if isinstance(fetches, (list, tuple)) else [fetches]
    for item in items:
        element = getattr(item, "_graph_element", item)
        if isinstance(element, str):
            element = graph.as_graph_element(element)
        if hasattr(element, "dtype") and element.dtype.kind == "f" and \
                element.shape is not None and len(element.shape) == 0:
            return element
    return None


MAX_EXPLAINED = 400   # explain_gradient walks the graph: bounded for very big graphs


def _explain_missing_gradients(model, data, loss, grads):
    """On the card of each forward node whose float output got no gradient from `loss`
    in the run, explain_gradient's answer: what cuts it off."""
    if loss is None or not grads:
        return
    explained = 0
    for node, found in zip(model.nodes.values(), data["nodes"]):
        main = next((op for op in node.ops if op.name == node.key), node.ops[0])
        if node.kind == "gradient" or not main.outputs or main.outputs[0] in grads:
            continue
        tensor = main.outputs[0]
        if tensor.dtype.kind != "f" or tensor is loss or explained >= MAX_EXPLAINED:
            continue
        found["why_no_gradient"] = str(explain_gradient(loss, tensor))
        explained += 1
