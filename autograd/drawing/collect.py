"""Step one of drawing: decide what to draw (no styling here).

Each op maps to one visible node: the op itself, a collapsed scope box, a stacked series
(add, add_1, ... add_9), or the variable it belongs to. Ops are placed by their display
path: their name scopes, except for optimizer variables, which live in the optimizer's
scope (see roles). Edges between visible nodes are merged; an edge from a variable's
handle into an op that changes the variable is drawn as an update arrow, from the op to
the variable. Hubs keep one stub instead of their edges. Optional run information (what a
run would execute, which tensors are fed, values from a real run) is attached to nodes.
"""
from dataclasses import dataclass, field

import numpy as np

from ..graph import Graph, GraphKeys, Operation, Tensor, ancestors, effects, get_default_graph
from ..ops.control_flow import If, MapFn, MapFnGrad, While, WhileGrad
from ..ops.state import Placeholder, VarHandleOp
from ..queues import QUEUE_OPS
from ..readers import READER_OPS
from ..registry import Const
from . import roles as op_roles
from .series import stack_series

NODE_BUDGET = 40          # auto depth: expand scopes while the drawing stays this small
RANK_BUDGET = 16          # ... and this short (about 85 px a rank: fits a page)
# Ops drawn as a kind of their own: the values a graph starts from, and the session-owned
# stores of an input pipeline (queues and readers, which TensorBoard also sets apart)
LEAF_KINDS = {Placeholder: "placeholder", VarHandleOp: "variable", Const: "constant",
              **{op_def: "queue" for op_def in QUEUE_OPS.values()},
              **{op_def: "reader" for op_def in READER_OPS.values()}}


@dataclass(eq=False)
class Node:
    key: str
    kind: str                   # placeholder variable constant queue reader op gradient
    #                             scope series frame
    label: str
    scope: str                  # the cluster it is drawn in ("" = top level)
    role: str = "model"         # model, gradients, optimizer (for the layout)
    ops: list = field(default_factory=list)
    hub: bool = False           # bookkeeping (initializer, global step...): drawn aside
    stub: str = ""              # a hub's one labelled stub ("initializes 8 variables")
    state: str = ""             # "", "runs", "idle", "unfed", "fed" (from a run or a plan)
    note: str = ""              # value summary from a run
    highlight: bool = False
    waves: tuple = ()           # (first, last) wave of its ops in a run's schedule
    micros: float = None        # compute time of its ops in a traced run
    heat: float = 0.0           # that time as a share of the slowest node's
    device: str = None          # with color_by="device": where its ops are placed
    device_rank: int = 0        # ... and that device's place among the drawing's devices
    output_bytes: int = 0       # and the size of what they produced


@dataclass(eq=False)
class Edge:
    src: str
    dst: str
    tensors: list
    kind: str = "data"          # data, control, update, backprop (forward tensors read by
    fed: bool = False           #   a collapsed backward pass, on one edge)
    cluster: str = ""           # an update arrow to a whole scope: where to clip it


@dataclass
class Model:
    nodes: dict
    edges: list
    graph: Graph
    roles: object = None


def select_ops(target):
    """(graph, ops to draw, fetch targets) for a graph, a tensor/op, or a list of them."""
    if target is None or isinstance(target, Graph):
        graph = target or get_default_graph()
        return graph, graph.get_operations(), []
    items = target if isinstance(target, (list, tuple)) else [target]
    elements = [getattr(item, "_graph_element", item) for item in items]
    graph = elements[0].graph
    elements = [graph.as_graph_element(e) for e in elements]
    ops = ancestors([e.op if isinstance(e, Tensor) else e for e in elements], cut=())
    return graph, sorted(ops, key=lambda op: op._id), elements


def scope_of(name):
    return name.rpartition("/")[0]


def build(target, collapse=(), depth=None, include_gradients=False, stack_series=True,
          hubs_aside=True, hub_edges=False, budget=NODE_BUDGET, include_optimizer=False):
    """The Model to draw for `target`, with scopes collapsed as asked (depth=None: the
    deepest expansion that keeps at most `budget` nodes). The backward pass and the
    optimizers are one box each unless `include_gradients` / `include_optimizer`."""
    graph, ops, fetches = select_ops(target)
    roles = op_roles.find_roles(graph, ops)
    if not include_optimizer:
        collapse = set(collapse) | roles.optimizer_scopes
    paths = {op: _display_path(op, roles) for op in ops}
    control_consumers = {}
    for op in ops:
        for control in op.control_inputs:
            control_consumers.setdefault(control, []).append(op)
    options = (paths, set(collapse), include_gradients, stack_series, control_consumers)
    if depth is None:
        keys = _auto_keys(ops, options, budget)
    else:
        keys = _keys(ops, options, depth)
    nodes = {}
    for op in ops:
        key = keys[op]
        node = nodes.get(key)
        if node is None:
            node = nodes[key] = _new_node(key, op, roles, paths)
        node.ops.append(op)
    for node in nodes.values():
        _finish_node(node, roles, hubs_aside)
    edges = _edges(ops, keys, roles, nodes, hubs_aside and not hub_edges)
    if "scope:gradients" in nodes:
        edges = _summarize_backward(edges, nodes)
    return Model(nodes, edges, graph, roles), fetches


def _display_path(op, roles):
    """Where an op is drawn: the scopes of its variable (reads and initializers fold into
    it), or of the optimizer for an optimizer's variables; else its own name scopes."""
    main = roles.owner.get(op, op)
    if main in roles.home:
        return (roles.home[main], main.name)
    return tuple(main.name.split("/"))


def _keys(ops, options, depth):
    """op -> the key of the visible node that stands for it."""
    paths, collapsed, include_gradients, stacking, control_consumers = options
    keys = {op: _visible_key(paths[op], collapsed, depth,
                             op.origin is not None and not include_gradients) for op in ops}
    if stacking:
        stack_series(keys, ops, _stackable, control_consumers)
    return keys


def _stackable(op):
    return op.op_def not in LEAF_KINDS or op.op_def is Const


def _auto_keys(ops, options, budget):
    """The keys of the deepest scope expansion that keeps at most `budget` nodes in at
    most RANK_BUDGET ranks."""
    deepest = max((len(path) - 1 for path in options[0].values()), default=0)
    chosen = None
    for depth in range(deepest + 1):
        keys = _keys(ops, options, depth)
        too_big = len(set(keys.values())) > budget or _ranks(ops, keys) > RANK_BUDGET
        if chosen is not None and too_big:
            break
        chosen = keys
    return chosen


def _ranks(ops, keys):
    """The longest chain of data edges between visible nodes (roughly dot's rank count)."""
    depth = {}
    for op in ops:  # creation order is topological
        key = keys[op]
        here = depth.get(key, 0)
        for tensor in op.inputs:
            src = keys.get(tensor.op)
            if src is not None and src != key:
                here = max(here, depth.get(src, 0) + 1)
        depth[key] = here
    return max(depth.values(), default=0) + 1


def _visible_key(path, collapsed, depth, in_gradients_box):
    """The key of the node drawn for an op at `path`; `in_gradients_box` for an op of the
    backward pass (its provenance says so: op.origin) drawn as one collapsed box."""
    if in_gradients_box:
        return "scope:gradients"
    for level in range(1, len(path)):
        prefix = "/".join(path[:level])
        if prefix in collapsed or (depth is not None and level > depth):
            return "scope:" + prefix
    return "/".join(path)


def _new_node(key, op, roles, paths):
    if key.startswith("scope:"):
        path = key[len("scope:"):]
        return Node(key, "scope", path.split("/")[-1] + "/", scope_of(path))
    if key.startswith("series:"):
        scope, _, stem = key[len("series:"):].rpartition(":")[0].rpartition("/")
        return Node(key, "series", stem, scope)
    main = roles.owner.get(op, op)
    kind = LEAF_KINDS.get(main.op_def, "op")
    if kind == "op" and main.op_def in CONTROL_FLOW:
        kind = "frame"
    elif kind == "op" and main.origin is not None:
        kind = "gradient"
    label = roles.labels.get(main, main.name.split("/")[-1])
    if kind == "frame":
        label += f"\\n{CONTROL_FLOW[main.op_def]}: {_body_size(main)} ops inside"
    return Node(key, kind, label, "/".join(paths[op][:-1]))


# Ops that run function bodies, drawn as TF's graph view draws loops: one frame box
CONTROL_FLOW = {If: "cond", While: "while_loop", WhileGrad: "while_loop gradient",
                MapFn: "map_fn", MapFnGrad: "map_fn gradient"}


def _body_size(op):
    """How many ops the bodies an op runs hold (the two branches of a cond together)."""
    bodies = [v for value in op.attrs.values()
              for v in (value if isinstance(value, tuple) else (value,))
              if hasattr(v, "graph") and hasattr(v, "outputs")]
    return sum(len(b.graph.get_operations()) for b in {id(b.graph): b for b in
                                                         bodies}.values())


def _finish_node(node, roles, hubs_aside):
    node.role = _layout_role(node, roles)
    if node.kind == "series":
        kind = node.ops[0].type
        same = kind.lower() == node.label.lower()
        node.label = f"{node.label} x{len(node.ops)}" + ("" if same else f"\\n{kind}")
    if hubs_aside and node.kind not in ("scope", "series"):
        main = roles.owner.get(node.ops[0], node.ops[0])
        if main in roles.hubs:
            node.hub, node.stub = True, roles.hubs[main]


def _layout_role(node, roles):
    """gradients: the backward pass; optimizer: what changes variables in training (not
    their initializers) and the optimizer's own variables; model: the rest."""
    if any(op.origin is not None for op in node.ops):
        return "gradients"
    if any(op in roles.writers and op not in roles.initializers
           or roles.owner.get(op) in roles.home for op in node.ops):
        return "optimizer"
    return "model"


def _edges(ops, keys, roles, nodes, stubs_only):
    """Merged edges between visible nodes. A handle going into an op that changes the
    variable is an update, drawn from that op to the variable."""
    merged = {}
    for op in ops:
        dst = keys[op]
        written = effects(op)[1]
        for tensor in op.inputs:
            src = keys.get(tensor.op)
            if src is None or src == dst:
                continue
            if tensor in written:
                if tensor.op not in roles.home:  # the model's variables, not the slots
                    merged.setdefault((dst, src, "update"), []).append(tensor)
            else:
                merged.setdefault((src, dst, "data"), []).append(tensor)
        for control in op.control_inputs:
            src = keys.get(control)
            if src is not None and src != dst:
                merged.setdefault((src, dst, "control"), [])
    _merge_updates_by_scope(merged, nodes)
    edges = []
    for (src, dst, kind), tensors in merged.items():
        if kind == "control" and ((src, dst, "data") in merged or (dst, src, "update") in
                                  merged or (src, dst, "update") in merged):
            continue  # a data edge or an update already orders them
        if stubs_only and (nodes[src].hub or nodes[dst].hub):
            continue  # a hub shows one stub instead
        cluster = nodes[dst].scope if kind == "update" and len(tensors) > 1 and \
            len({t.op for t in tensors}) > 1 else ""
        edges.append(Edge(src, dst, list(dict.fromkeys(tensors)), kind, cluster=cluster))
    return edges


def _merge_updates_by_scope(merged, nodes):
    """One update arrow per (optimizer node, model scope): the arrows to the variables of
    one scope become one, clipped at the scope's box (in place)."""
    groups = {}
    for (src, dst, kind) in list(merged):
        if kind == "update" and nodes[dst].scope and nodes[dst].kind == "variable":
            groups.setdefault((src, nodes[dst].scope), []).append(dst)
    for (src, _), targets in groups.items():
        if len(targets) < 2:
            continue
        first = min(targets, key=lambda key: _order(nodes[key]))
        tensors = [t for key in targets for t in merged.pop((src, key, "update"))]
        merged[(src, first, "update")] = tensors


def _summarize_backward(edges, nodes):
    """With the backward pass collapsed into one box, the forward tensors it reads are
    summed up on one edge, from the last forward node that feeds it (where backprop
    starts) instead of one edge from every layer."""
    feeding = [e for e in edges if e.dst == "scope:gradients" and e.kind == "data"
               and nodes[e.src].role == "model"]
    if len(feeding) < 2:
        return edges
    depth = _depths(edges, nodes)
    last = max(feeding, key=lambda e: (depth[e.src], max(op._id for op in nodes[e.src].ops)))
    tensors = [t for e in feeding for t in e.tensors]
    summary = Edge(last.src, last.dst, tensors, "backprop")
    return [summary if e is last else e for e in edges if e not in feeding or e is last]


def _order(node):
    return min(op._id for op in node.ops)


def _depths(edges, nodes):
    """Longest path (in data edges) from a source to each node, following creation order
    (a scope box that makes a cycle with its neighbours cannot loop)."""
    depth = {key: 0 for key in nodes}
    incoming = {}
    for e in edges:
        if e.kind in ("data", "backprop") and _order(nodes[e.src]) < _order(nodes[e.dst]):
            incoming.setdefault(e.dst, []).append(e.src)
    for key in sorted(nodes, key=lambda k: _order(nodes[k])):
        for src in incoming.get(key, ()):
            depth[key] = max(depth[key], depth[src] + 1)
    return depth


def spine(model):
    """The edges of the forward pass's main line: the longest path of model nodes into the
    node where backprop starts, then the backward pass and the optimizer (empty when the
    drawing has no backward box)."""
    nodes = model.nodes
    start = next((e for e in model.edges if e.kind == "backprop"), None)
    if start is None:
        return set()
    depth = _depths(model.edges, nodes)
    by_dst = {}
    for e in model.edges:
        if e.kind == "data" and nodes[e.src].role == "model":
            by_dst.setdefault(e.dst, []).append(e)
    line, key = {start}, start.src
    while by_dst.get(key):  # on ties, follow the data rather than a parameter
        e = max(by_dst[key], key=lambda e: (depth[e.src],
                                             nodes[e.src].kind not in ("variable", "constant")))
        if depth[e.src] >= depth[key]:
            break
        line.add(e)
        key = e.src
    line.update(e for e in model.edges if (nodes[e.src].role, nodes[e.dst].role)
                == ("gradients", "optimizer"))
    return line


def mark_plan(model, fetches, feed_dict):
    """Shade what Session.run(fetches, feed_dict) would execute, without running it."""
    fed = {model.graph.as_graph_element(k, allow_operation=False) for k in feed_dict or ()}
    roots = [f.op if isinstance(f, Tensor) else f for f in fetches if f not in fed]
    runs = set(ancestors(roots, cut=fed))
    for node in model.nodes.values():
        executed = any(op in runs for op in node.ops)
        node.state = "runs" if executed else "idle"
        if any(op.op_def is Placeholder and op in runs for op in node.ops):
            node.state = "unfed"
        if any(t in fed for op in node.ops for t in op.outputs):
            node.state = "fed"
    for edge in model.edges:
        edge.fed = any(t in fed for t in edge.tensors)
    return runs


def mark_times(model, run_metadata):
    """Note each node's compute time and output size from a traced run (RunMetadata)."""
    by_name = {}
    for stat in run_metadata.node_stats():
        total = by_name.setdefault(stat.node_name, [0, 0])
        total[0] += stat.all_end_rel_micros
        total[1] += stat.output_bytes
    for node in model.nodes.values():
        found = [by_name[op.name] for op in node.ops if op.name in by_name]
        if found:
            node.micros = sum(f[0] for f in found)
            node.output_bytes = sum(f[1] for f in found)
    slowest = max((n.micros for n in model.nodes.values() if n.micros), default=1)
    for node in model.nodes.values():
        if node.micros is not None:
            node.heat = node.micros / slowest


def mark_waves(model, fetches, feed_dict):
    """Note, per node, the waves of the run's schedule its ops fall in (plan.plan_waves:
    the ops of one wave may run at the same time)."""
    from ..plan import plan_waves
    fed = [model.graph.as_graph_element(k, allow_operation=False) for k in feed_dict or ()]
    waves = plan_waves(list(fetches), fed)
    for node in model.nodes.values():
        found = [waves[op] for op in node.ops if op in waves]
        node.waves = (min(found), max(found)) if found else ()


def mark_devices(model):
    """Note on each node the device its ops were built for (their `device()` scope)."""
    for node in model.nodes.values():
        handles = [op for op in node.ops if op.op_def is VarHandleOp]
        found = {op.device for op in handles or node.ops}  # a variable: where it lives
        node.device = (found.pop() or "(no device)") if len(found) == 1 else "several devices"
    ranks = {name: rank for rank, name in
             enumerate(sorted({node.device for node in model.nodes.values()}))}
    for node in model.nodes.values():
        node.device_rank = ranks[node.device]


def mark_values(model, session, fetches, feed_dict, highlight=()):
    """Run the fetches step by step in `session` and note each op's output value."""
    from ..observers import summarize
    notes = {}
    if fetches:
        for step in session.step(fetches, feed_dict):
            if step.outputs:
                notes[step.op] = summarize(step.outputs[0])
    for key, value in (feed_dict or {}).items():
        tensor = model.graph.as_graph_element(key, allow_operation=False)
        notes[tensor.op] = summarize(np.asarray(value, dtype=tensor.dtype))
    for variable in model.graph.get_collection(GraphKeys.GLOBAL_VARIABLES):
        value = session.value_of(variable)
        if value is not None:
            notes[variable.op] = summarize(value)
    for node in model.nodes.values():
        if len(node.ops) == 1 or node.kind in ("variable", "placeholder", "constant"):
            main = model.roles.owner.get(node.ops[0], node.ops[0])
            node.note = notes.get(main, "")
        if node.state == "" and any(op in notes for op in node.ops) and fetches:
            node.state = "runs"
        node.highlight = any(op in highlight for op in node.ops)


def as_ops(items):
    """Normalise a highlight argument (ops, tensors, or a TraceStep) to a set of ops."""
    if items is None:
        return set()
    if hasattr(items, "op") or not isinstance(items, (list, tuple, set)):
        items = [items]
    ops = set()
    for item in items:
        item = getattr(item, "op", item)
        if isinstance(item, Operation):
            ops.add(item)
    return ops
