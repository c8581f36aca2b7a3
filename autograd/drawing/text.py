"""A text rendering of a drawing, for when Graphviz's `dot` program is missing."""
from .style import shape_label


def to_text(model):
    """An indented tree by name scope: each node with its kind, type and output shapes."""
    lines = []
    by_scope = {}
    for node in model.nodes.values():
        by_scope.setdefault(node.scope, []).append(node)
    inputs = {}
    for edge in model.edges:
        inputs.setdefault(edge.dst, []).append(model.nodes[edge.src].label.split("\\n")[0])
    printed = set()
    for scope in sorted(by_scope):
        depth = scope.count("/") + 1 if scope else 0
        parts = scope.split("/") if scope else []
        for level in range(len(parts)):  # headers for every enclosing scope
            header = "/".join(parts[:level + 1])
            if header not in printed:
                printed.add(header)
                lines.append("  " * level + parts[level] + "/")
        for node in by_scope[scope]:
            lines.append("  " * depth + _line(node, inputs.get(node.key, [])))
    return "\n".join(lines)


def _line(node, sources):
    label = node.label.split("\\n")[0]
    if node.kind == "scope":
        text = f"{label} [{len(node.ops)} ops collapsed]"
    elif node.kind == "series":
        text = f"{label} [{node.ops[0].type} x{len(node.ops)}]"
    else:
        main = node.ops[0]
        outs = ", ".join(shape_label(t) for t in main.outputs) or "-"
        text = f"{label} ({main.type}) -> {outs}"
    if sources:
        text += "  <- " + ", ".join(sources)
    if node.note:
        text += f"  = {node.note}"
    if node.state == "unfed":
        text += "  NEEDS A FEED"
    if node.waves:
        first, last = node.waves
        text += f"  [wave {first}]" if first == last else f"  [waves {first}-{last}]"
    return text
