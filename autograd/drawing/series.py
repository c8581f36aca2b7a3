"""Stacking repeated ops (add, add_1, ... add_9) into one node, without false cycles.

A stack holds ops of one type, from one scope, named as a series. Contracting a stack into
one node must not draw a cycle that the graph does not have (`mul x3 <-> frozen` for
`stop_gradient(v * a) * 3.0 * a`): a member joins a stack only when no path leads to it
from the stack through an op outside the stack, and a final check over the whole drawing
dissolves any stack that still closes a cycle with another one.
"""
import re

SERIES_MIN = 3            # add, add_1, add_2: stacked from three on
_SERIES_NAME = re.compile(r"^(.*?)(?:_(\d+))?$")


def stack_series(keys, ops, stackable, control_consumers):
    """Give the members of each safe series one key (in place); `stackable(op)` says
    whether an op may join a stack at all."""
    groups = {}
    for op in ops:
        key = keys[op]
        if key != op.name or not stackable(op):
            continue
        scope, _, base = key.rpartition("/")
        stem = _SERIES_NAME.match(base).group(1)
        groups.setdefault((scope, stem, op.type), []).append(op)
    stacks = []
    for (scope, stem, kind), members in groups.items():
        if len(members) < SERIES_MIN:
            continue
        for number, run in enumerate(_safe_runs(members, control_consumers)):
            if len(run) >= SERIES_MIN:
                stacks.append((f"series:{scope}/{stem}:{kind}#{number}", run))
    while stacks and _closes_cycle(ops, stacks, control_consumers):
        stacks.pop()  # rare: two stacks that feed each other; keep the earlier ones
    for key, run in stacks:
        for op in run:
            keys[op] = key


def _consumers(op, control_consumers):
    return [c for t in op.outputs for c in t._consumers] + control_consumers.get(op, [])


def _safe_runs(members, control_consumers):
    """Split a series (in creation order) into runs that a path through an outside op
    never connects."""
    runs, current = [], [members[0]]
    for op in members[1:]:
        if _reached_from_outside(current, op, control_consumers):
            runs.append(current)
            current = [op]
        else:
            current.append(op)
    runs.append(current)
    return runs


def _reached_from_outside(run, target, control_consumers):
    """True if `target` depends on a member of `run` through an op outside the run."""
    inside = set(run)
    stack = [c for op in run for c in _consumers(op, control_consumers)
             if c not in inside and c._id < target._id]
    seen = set()
    while stack:
        op = stack.pop()
        if op is target:
            return True
        if op in seen:
            continue
        seen.add(op)
        stack.extend(c for c in _consumers(op, control_consumers) if c._id <= target._id)
    return False


def _closes_cycle(ops, stacks, control_consumers):
    """Kahn's algorithm over the ops with every stack contracted to one node."""
    node = {op: op for op in ops}
    for key, run in stacks:
        for op in run:
            node[op] = key
    edges, indegree = {}, {n: 0 for n in node.values()}
    for op in ops:
        for consumer in _consumers(op, control_consumers):
            a, b = node[op], node.get(consumer)
            if b is not None and a != b and b not in edges.setdefault(a, set()):
                edges[a].add(b)
                indegree[b] += 1
    ready = [n for n, d in indegree.items() if d == 0]
    visited = 0
    while ready:
        n = ready.pop()
        visited += 1
        for b in edges.get(n, ()):
            indegree[b] -= 1
            if indegree[b] == 0:
                ready.append(b)
    return visited < len(indegree)
