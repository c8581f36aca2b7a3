"""GraphDef: a plain, serialisable description of a graph (TF1's sess.graph.as_graph_def())."""
import json
from dataclasses import asdict, dataclass, field

import numpy as np

from .shapes import fmt
from .sites import format_location


@dataclass
class NodeDef:
    name: str
    op: str
    input: list = field(default_factory=list)
    attr: dict = field(default_factory=dict)
    output_shapes: list = field(default_factory=list)
    location: str = ""


def _attr_value(value):
    """Attributes as JSON-friendly values (arrays summarised when large)."""
    if isinstance(value, np.ndarray):
        if value.size <= 16:
            return {"dtype": value.dtype.name, "shape": list(value.shape),
                    "value": value.tolist()}
        return {"dtype": value.dtype.name, "shape": list(value.shape)}
    if isinstance(value, np.dtype):
        return value.name
    if isinstance(value, (tuple, list)):
        return [_attr_value(v) for v in value]
    if isinstance(value, slice):
        return f"{value.start}:{value.stop}:{value.step}"
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


@dataclass
class GraphDef:
    """`node` lists one NodeDef per op in creation order; serialise with
    SerializeToString() (JSON bytes) or str() (readable text)."""

    node: list

    @classmethod
    def from_graph(cls, graph):
        nodes = []
        for op in graph.get_operations():
            inputs = [t.name if t.value_index else t.op.name for t in op.inputs]
            inputs += ["^" + c.name for c in op.control_inputs]
            nodes.append(NodeDef(op.name, op.type, inputs,
                                 {k: _attr_value(v) for k, v in op.attrs.items()},
                                 [fmt(t.shape) for t in op.outputs],
                                 format_location(op.location)))
        return cls(nodes)

    def SerializeToString(self):  # noqa: N802 - TF1's name
        return json.dumps({"node": [asdict(n) for n in self.node]}).encode()

    def __str__(self):
        lines = []
        for n in self.node:
            lines.append(f"node {{ name: {n.name!r} op: {n.op!r}")
            lines += [f"  input: {i!r}" for i in n.input]
            lines += [f"  attr {{ {k}: {json.dumps(v)} }}" for k, v in n.attr.items()]
            lines.append("}")
        return "\n".join(lines)
