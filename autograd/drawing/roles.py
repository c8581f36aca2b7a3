"""Step zero of drawing: what each op is for, read from the graph's edges (never from a
name): the variable it belongs to, the optimizer that owns a slot, the hubs to draw aside.

- A variable's reads, its initializer and the ops that only compute its initial value fold
  into the variable's node.
- An optimizer's slot variables (and its own, like Adam's beta powers) live with the ops
  that update them, in the optimizer's scope; a slot is labelled with the variable it
  serves (`W/Adam`): the first input of the update op that takes the slot's handle.
- Hubs are bookkeeping that would otherwise draw an edge to everything: the initializer
  group, an optimizer's update group, the global step and summaries. They are drawn
  aside, each with one short labelled stub.
"""
from dataclasses import dataclass, field

from ..graph import GraphKeys, effects
from ..ops.state import NoOp, ReadVariableOp, VarHandleOp
from ..summary.ops import (AudioSummary, HistogramSummary, ImageSummary, MergeSummary,
                           ScalarSummary, TextSummary)

SLOTS, GLOBAL_STEP, VARIABLES = (GraphKeys.OPTIMIZER_SLOTS, GraphKeys.GLOBAL_STEP,
                                 GraphKeys.GLOBAL_VARIABLES)


@dataclass
class Roles:
    owner: dict = field(default_factory=dict)   # op -> the VarHandleOp it folds into
    home: dict = field(default_factory=dict)    # VarHandleOp -> scope it is drawn in
    labels: dict = field(default_factory=dict)  # VarHandleOp -> label ("W/Adam")
    hubs: dict = field(default_factory=dict)    # op -> stub text ("initializes 8 variables")
    writers: set = field(default_factory=set)   # ops that change a variable
    initializers: set = field(default_factory=set)
    optimizer_scopes: set = field(default_factory=set)  # top scopes of training updates


def is_writer(op):
    """An op that changes a variable, as its definition declares (graph.effects)."""
    return bool(effects(op)[1])


def find_roles(graph, ops):
    roles = Roles()
    drawn = set(ops)
    roles.writers = {op for op in ops if is_writer(op)}
    roles.initializers = {v.initializer for v in graph.get_collection(VARIABLES)}
    roles.optimizer_scopes = {op.name.split("/")[0] for op in roles.writers - roles.initializers
                              if "/" in op.name}
    _fold_variables(graph, ops, drawn, roles)
    _home_optimizer_variables(graph, drawn, roles)
    _find_hubs(graph, ops, drawn, roles)
    return roles


def _fold_variables(graph, ops, drawn, roles):
    owner = roles.owner
    for op in ops:
        if op.op_def is VarHandleOp:
            owner[op] = op
    for op in ops:
        if op.op_def is ReadVariableOp and op.inputs[0].op in owner:
            owner[op] = op.inputs[0].op
    for variable in graph.get_collection(VARIABLES):
        if variable.op in drawn and variable.initializer in drawn:
            owner[variable.initializer] = variable.op
    for op in reversed(ops):  # consumers come after their inputs: walk backwards
        consumers = [c for t in op.outputs for c in t._consumers if c in drawn]
        if op in owner or not consumers:
            continue
        if all(c in owner and c.op_def is not ReadVariableOp for c in consumers):
            users = {owner[c] for c in consumers}
            if len(users) == 1:  # only computes one variable's initial value
                owner[op] = users.pop()


def _home_optimizer_variables(graph, drawn, roles):
    """Optimizer variables go to the scope of the ops that update them. A slot (its handle
    is an input of another variable's update op) is labelled with that variable."""
    names = [op.name for op in drawn if op.op_def is VarHandleOp]
    for variable in graph.get_collection(SLOTS):
        handle_op = variable.op
        if handle_op not in drawn:
            continue
        users = sorted((c for op in drawn if roles.owner.get(op) is handle_op
                        for t in op.outputs for c in t._consumers
                        if c in drawn and roles.owner.get(c) is not handle_op),
                       key=lambda op: op._id)
        if not users:
            continue
        roles.home[handle_op] = users[0].name.split("/")[0]
        served = users[0].inputs[0].op
        short = handle_op.name.split("/")[-1]
        if served is not handle_op and users[0].inputs[0] is not variable.handle and \
                variable.handle in users[0].inputs:
            short = unique_suffix(served.name, names) + "/" + short
        roles.labels[handle_op] = short


def unique_suffix(name, names):
    """The shortest tail of `name` (`dense/kernel`) that no other name in `names` ends with."""
    parts = name.split("/")
    for size in range(1, len(parts) + 1):
        tail = "/".join(parts[-size:])
        if not any(other != name and (other == tail or other.endswith("/" + tail))
                   for other in names):
            return tail
    return name


SUMMARY_OPS = {ScalarSummary, HistogramSummary, ImageSummary, TextSummary, AudioSummary}


def _find_hubs(graph, ops, drawn, roles):
    initializers = {v.initializer for v in graph.get_collection(VARIABLES)}
    steps = {v.op for v in graph.get_collection(GLOBAL_STEP) if v.op in drawn}
    for op in ops:
        controls = op.control_inputs
        if not op.inputs and not op.outputs and controls:
            if all(c in initializers for c in controls):
                roles.hubs[op] = f"initializes {len(controls)} variable" + _s(controls)
            elif all(c in roles.writers or c.op_def is NoOp for c in controls):
                count = len(_updated(controls, roles))
                roles.hubs[op] = f"updates {count} variable" + ("s" if count != 1 else "")
        elif op.op_def is MergeSummary:
            roles.hubs[op] = "merges summaries"
        elif op.op_def in SUMMARY_OPS:
            roles.hubs[op] = f"summarizes {len(op.inputs)} tensor" + _s(op.inputs)
    for handle_op in steps:
        readers = [c for op in drawn if roles.owner.get(op) is handle_op
                   for t in op.outputs for c in t._consumers
                   if c in drawn and roles.owner.get(c) is not handle_op]
        roles.hubs[handle_op] = "step counter, read by " + f"{len(readers)} op" + _s(readers)


def _updated(controls, roles, seen=None):
    """The variables changed by a group: the handles its writer ops take (through
    nested groups)."""
    seen = set() if seen is None else seen
    variables = set()
    for op in controls:
        if op in seen:
            continue
        seen.add(op)
        if op in roles.writers:
            variables.update(handle.op for handle in effects(op)[1][:1])
        else:
            variables |= _updated(op.control_inputs, roles, seen)
    return variables


def _s(items):
    return "" if len(items) == 1 else "s"
