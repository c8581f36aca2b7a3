"""Step one of drawing: decide what to draw (no styling here).

Works on op names and scopes: each op maps to one visible node, which is the op itself, a
collapsed scope box, a stacked series (add, add_1, ... add_9), or the variable it helps
initialise. Edges between visible nodes are merged. Optional run information (what a run
would execute, which tensors are fed, values from a real run) is attached to nodes.
"""
import re
from dataclasses import dataclass, field

import numpy as np

from ..graph import Graph, Operation, Tensor, ancestors, get_default_graph
from ..ops.state import (AssignAddVariableOp, AssignSubVariableOp, AssignVariableOp,
                         ReadVariableOp, VarHandleOp)

NODE_BUDGET = 60          # auto depth: expand scopes while the drawing stays this small
SERIES_MIN = 3            # add, add_1, add_2: stacked from three on
GRADIENT_SCOPE = re.compile(r"^gradients(_\d+)?$")
_SERIES_NAME = re.compile(r"^(.*?)(?:_(\d+))?$")
LEAF_KINDS = {"Placeholder": "placeholder", "VarHandleOp": "variable", "Const": "constant"}
ASSIGNS = (AssignVariableOp, AssignAddVariableOp, AssignSubVariableOp)


@dataclass
class Node:
    key: str
    kind: str                   # placeholder variable constant op gradient scope series
    label: str
    scope: str                  # the cluster it is drawn in ("" = top level)
    ops: list = field(default_factory=list)
    hub: bool = False           # bookkeeping (initializers, global step, slots): drawn aside
    state: str = ""             # "", "runs", "idle", "unfed", "fed" (from a run or a plan)
    note: str = ""              # value summary from a run
    highlight: bool = False


@dataclass
class Edge:
    src: str
    dst: str
    tensors: list
    control: bool = False
    fed: bool = False


@dataclass
class Model:
    nodes: dict
    edges: list
    graph: Graph


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


def _variable_parts(graph, ops):
    """op -> the VarHandleOp it belongs to, found through the graph's edges: the variable's
    reads, its initializer, and the ops that only feed its initial value fold into it."""
    drawn = set(ops)
    owner = {op: op for op in ops if op.op_def is VarHandleOp}
    for op in ops:
        if op.op_def is ReadVariableOp and op.inputs[0].op in owner:
            owner[op] = op.inputs[0].op
    for variable in graph.get_collection("variables"):
        if variable.op in drawn and variable.initializer in drawn:
            owner[variable.initializer] = variable.op
    for op in reversed(ops):  # consumers come after their inputs: walk backwards
        consumers = [c for t in op.outputs for c in t._consumers]
        if op in owner or not consumers:
            continue
        if all(c in owner and c.op_def is not ReadVariableOp for c in consumers):
            users = {owner[c] for c in consumers}
            if len(users) == 1:  # only feeds one variable's initial value
                owner[op] = users.pop()
    return owner


def _hubs(graph, ops):
    """Bookkeeping ops: the init group, the global step, optimizer slots and their users."""
    hubs = set()
    kept = {v.op for key in ("optimizer_slots", "global_step")
            for v in graph.get_collection(key)}
    for op in ops:
        if op in kept or op.op_def in ASSIGNS and op.inputs[0].op in kept:
            hubs.add(op)
        elif op.type == "NoOp" and op.name.split("/")[-1].startswith("init"):
            hubs.add(op)
    return hubs


def build(target, collapse=(), depth=None, include_gradients=False, stack_series=True,
          hubs_aside=True):
    """The Model to draw for `target`, with scopes collapsed as asked (depth=None: the
    deepest expansion that keeps about NODE_BUDGET nodes)."""
    graph, ops, fetches = select_ops(target)
    owner = _variable_parts(graph, ops)
    hubs = _hubs(graph, ops) if hubs_aside else set()
    collapsed = set(collapse)
    if depth is None:
        keys = _auto_keys(ops, owner, collapsed, include_gradients, stack_series)
    else:
        keys = _keys(ops, owner, collapsed, depth, include_gradients, stack_series)
    nodes = {}
    for op in ops:
        key = keys[op]
        node = nodes.get(key)
        if node is None:
            node = nodes[key] = _new_node(key, op, owner)
        node.ops.append(op)
        node.hub = node.hub or op in hubs or owner.get(op) in hubs
    for node in nodes.values():
        if node.kind == "series":
            kind = node.ops[0].type
            same = kind.lower() == node.label.lower()
            node.label = f"{node.label} x{len(node.ops)}" + ("" if same else f"\\n{kind}")
    return Model(nodes, _edges(ops, keys), graph), fetches


def _keys(ops, owner, collapsed, depth, include_gradients, stack_series):
    """op -> the key of the visible node that stands for it."""
    keys = {op: _visible_key(op, owner, collapsed, depth, include_gradients) for op in ops}
    if stack_series:
        _stack(keys, ops)
    return keys


def _auto_keys(ops, owner, collapsed, include_gradients, stack_series):
    """The keys of the deepest scope expansion that keeps about NODE_BUDGET nodes."""
    deepest = max((op.name.count("/") for op in ops), default=0)
    chosen = None
    for depth in range(deepest + 1):
        keys = _keys(ops, owner, collapsed, depth, include_gradients, stack_series)
        if chosen is not None and len(set(keys.values())) > NODE_BUDGET:
            break
        chosen = keys
    return chosen


def _visible_key(op, owner, collapsed, depth, include_gradients):
    name = owner[op].name if op in owner else op.name
    parts = name.split("/")
    if GRADIENT_SCOPE.match(parts[0]) and len(parts) > 1 and not include_gradients:
        return "scope:gradients"
    for level in range(1, len(parts)):
        prefix = "/".join(parts[:level])
        if prefix in collapsed or (depth is not None and level > depth):
            return "scope:" + prefix
    return name


def _stack(keys, ops):
    """Give add, add_1, add_2, ... of one type in one scope a single key (in place)."""
    groups = {}
    for op in ops:
        key = keys[op]
        if key != op.name or op.type in LEAF_KINDS and op.type != "Const":
            continue
        scope, _, base = key.rpartition("/")
        stem = _SERIES_NAME.match(base).group(1)
        groups.setdefault((scope, stem, op.type), []).append(op)
    for (scope, stem, kind), members in groups.items():
        if len(members) >= SERIES_MIN:
            for op in members:
                keys[op] = f"series:{scope}/{stem}:{kind}"


def _new_node(key, op, owner):
    if key.startswith("scope:"):
        path = key[len("scope:"):]
        return Node(key, "scope", path.split("/")[-1] + "/", scope_of(path))
    if key.startswith("series:"):
        scope, _, stem = key[len("series:"):].rpartition(":")[0].rpartition("/")
        return Node(key, "series", stem, scope)
    main = owner.get(op, op)
    kind = LEAF_KINDS.get(main.type, "op")
    if kind == "op" and GRADIENT_SCOPE.match(main.name.split("/")[0]):
        kind = "gradient"
    return Node(key, kind, main.name.split("/")[-1], scope_of(main.name))


def _edges(ops, keys):
    merged = {}
    for op in ops:
        dst = keys[op]
        for tensor in op.inputs:
            src = keys.get(tensor.op)
            if src is not None and src != dst:
                merged.setdefault((src, dst, False), []).append(tensor)
        for control in op.control_inputs:
            src = keys.get(control)
            if src is not None and src != dst:
                merged.setdefault((src, dst, True), [])
    edges = []
    for (src, dst, control), tensors in merged.items():
        if control and (src, dst, False) in merged:
            continue  # a data edge already orders them
        unique = list(dict.fromkeys(tensors))
        edges.append(Edge(src, dst, unique, control))
    return edges


def mark_plan(model, fetches, feed_dict):
    """Shade what Session.run(fetches, feed_dict) would execute, without running it."""
    fed = {model.graph.as_graph_element(k, allow_operation=False) for k in feed_dict or ()}
    roots = [f.op if isinstance(f, Tensor) else f for f in fetches if f not in fed]
    runs = set(ancestors(roots, cut=fed))
    for node in model.nodes.values():
        executed = any(op in runs for op in node.ops)
        node.state = "runs" if executed else "idle"
        if any(op.type == "Placeholder" and op in runs for op in node.ops):
            node.state = "unfed"
        if any(t in fed for op in node.ops for t in op.outputs):
            node.state = "fed"
    for edge in model.edges:
        edge.fed = any(t in fed for t in edge.tensors)
    return runs


def mark_values(model, session, fetches, feed_dict, highlight=()):
    """Run the fetches step by step in `session` and note each op's output value."""
    from ..plan import summarize
    notes = {}
    if fetches:
        for step in session.step(fetches, feed_dict):
            if step.outputs:
                notes[step.op] = summarize(step.outputs[0])
    for key, value in (feed_dict or {}).items():
        tensor = model.graph.as_graph_element(key, allow_operation=False)
        notes[tensor.op] = summarize(np.asarray(value, dtype=tensor.dtype))
    for op in model.graph.get_operations():
        if op.op_def is VarHandleOp and op not in notes:
            value = session.variable_values().get(op.name)
            if value is not None:
                notes[op] = summarize(value)
    for node in model.nodes.values():
        if len(node.ops) == 1 or node.kind in ("variable", "placeholder", "constant"):
            main = next((op for op in node.ops if op.name == node.key), node.ops[0])
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
