"""Reading a TensorFlow GraphDef into a graph of ours (TF1's `tf.import_graph_def`).

Each NodeDef becomes our op through the lift registered for its TF op type beside the op
(autograd.lowerings: the table the exporter writes with, read the other way). Placeholders
and constants are read here; a node written by our own meta graphs for an op TensorFlow has
no form for is rebuilt from the OpDef it names (autograd.export.native).

    graph_def = tf.GraphDef.FromString(open("frozen.pb", "rb").read())
    logits, = tf.import_graph_def(graph_def, input_map={"x:0": images},
                                  return_elements=["logits:0"], name="model")
"""
import numpy as np

from .. import dtypes, errors, lowerings
from ..graph import Operation, Tensor, get_default_graph
from ..ops.shaping import identity, static_value
from ..ops.state import is_handle, placeholder, placeholder_with_default, read_variable
from ..registry import constant, constant_value
from . import native
from .tf_protos import attr_python, parse, protos


class ImportedNode:
    """One NodeDef as a lift sees it: `name` (as written, the lift names its op with it),
    `type`, `attr(key)` (Python values: ints, floats, dtypes, shape tuples, arrays),
    `constant(i)` for an input that must be known while importing (a reshape's shape)."""

    def __init__(self, proto, inputs):
        self.proto = proto
        self.name = proto.name
        self.type = proto.op
        self.inputs = inputs

    _REQUIRED = object()

    def attr(self, key, default=_REQUIRED):
        if key not in self.proto.attr:
            if default is ImportedNode._REQUIRED:
                raise ValueError(f"node {self.name!r} ({self.type}) has no attr {key!r}")
            return default
        return attr_python(self.proto.attr[key])

    def constant(self, index):
        """The value of input `index`, which must be a constant in the GraphDef."""
        value = constant_value(self.inputs[index])
        if value is None:
            known = static_value(self.inputs[index])   # e.g. the shape of a known shape
            if known is not None and None not in known:
                value = np.array(known, dtype=self.inputs[index].dtype)
        if value is None:
            raise ValueError(
                f"node {self.name!r} ({self.type}): input {index} "
                f"({self.proto.input[index]!r}) must be a constant to import this op here, "
                f"but it is computed by a {self.inputs[index].op.type}")
        return np.asarray(value)

    def data_format(self):
        """The node's data_format attr as text (NHWC when absent)."""
        return self.attr("data_format", "NHWC")


def as_graph_def(graph_def):
    """A GraphDef proto of the tensorboard package's classes, from one of them, from a real
    TensorFlow GraphDef, or from its serialized bytes."""
    graph_pb2 = protos().graph
    if isinstance(graph_def, graph_pb2.GraphDef):
        return graph_def
    if isinstance(graph_def, (bytes, bytearray)):
        return parse_graph_def(bytes(graph_def))
    if hasattr(graph_def, "SerializeToString") and hasattr(graph_def, "node") and \
            hasattr(graph_def, "ListFields"):
        return graph_pb2.GraphDef.FromString(graph_def.SerializeToString())
    raise TypeError(f"import_graph_def needs a GraphDef proto (tf.GraphDef(), filled with "
                    f"ParseFromString(open(path, 'rb').read())), got {type(graph_def).__name__}")


def parse_graph_def(data):
    """A GraphDef from binary bytes or text format; DataLossError when it is neither."""
    return parse(protos().graph.GraphDef, data, "the data")


def import_graph_def(graph_def, input_map=None, return_elements=None, name=None,
                     op_dict=None, producer_op_list=None):
    """Add the ops of `graph_def` to the default graph, under the name scope `name`
    ("import" when None, none when ""); return the tensors and ops `return_elements` names.

    `input_map` maps names in graph_def ("x:0", or "x" for its first output) to tensors of
    ours, used in their place. Every node's op type is checked before any op is built."""
    del op_dict, producer_op_list  # TF1 had ignored them since 1.0
    graph_def = as_graph_def(graph_def)
    built, _ = build_nodes(graph_def.node, "import" if name is None else name, input_map)
    return _returned(built, return_elements)


def build_nodes(nodes, name, input_map=None, skip_unsupported=False):
    """Build `nodes` (NodeDefs) in the default graph under the name scope `name`.

    Returns ({node name: (Operation or None, [outputs])}, [(name, type) left out]). A node
    whose op type has no import raises ValueError before anything is built, or with
    `skip_unsupported` is left out together with every node that uses it."""
    nodes = list(nodes)
    graph = get_default_graph()
    skipped, roots = _unsupported(nodes, skip_unsupported)
    nodes = [n for n in nodes if n.name not in skipped]
    input_map = {_tensor_name(k): _as_tensor(v) for k, v in (input_map or {}).items()}
    unknown = sorted(k for k in input_map if k.split(":")[0] not in {n.name for n in nodes})
    if unknown:
        raise ValueError(f"Attempted to map inputs that were not found in graph_def: {unknown}")
    built = {}   # node name -> (Operation or None, [output tensors])
    with graph.name_scope(name):
        for node in _ordered(nodes):
            if skip_unsupported and any(_node_name(s) in skipped for s in node.input):
                skipped[node.name] = node.op
                continue
            try:
                built[node.name] = _build(graph, node, built, input_map)
            except (ValueError, TypeError) as exc:
                if not skip_unsupported:
                    raise
                skipped[node.name] = node.op
                roots.append(_Refused(node, exc))
    return built, _LeftOut(roots, len(skipped) - len(roots))


def _unsupported(nodes, skip):
    """{name: op type} of the nodes left out: those whose type has no import and, when
    skipping, every node that uses one of them (ValueError unless `skip`)."""
    missing = [n for n in nodes if n.op not in _BUILT_HERE and lowerings.lift(n.op) is None
               and not native.is_native(n)]
    if not missing:
        return {}, []
    if not skip:
        _refuse(missing)
    left_out = {n.name: n.op for n in missing}
    changed = True
    while changed:
        changed = False
        for node in nodes:
            if node.name not in left_out and any(
                    _node_name(source) in left_out for source in node.input):
                left_out[node.name] = node.op
                changed = True
    return left_out, missing


class _Refused:
    """A node whose import failed (e.g. a Tile by a computed shape), left out."""

    def __init__(self, node, error):
        self.name, self.op, self.error = node.name, f"{node.op}, {error}", error


class _LeftOut:
    """What build_nodes left out: the nodes of op types we lack, and how many use them."""

    def __init__(self, missing, users):
        self.missing, self.users = missing, users

    def __bool__(self):
        return bool(self.missing)

    def __str__(self):
        return f"{_by_type(self.missing)}; and {self.users} node(s) that use them"


def _by_type(missing):
    """'Enter ('rnn/while/Enter' and 11 more); Merge (...)': node names by op type."""
    by_type = {}
    for n in missing:
        by_type.setdefault(n.op, []).append(n.name)
    return "; ".join(f"{op_type} ({names[0]!r}" + (
        f" and {len(names) - 1} more)" if len(names) > 1 else ")")
        for op_type, names in by_type.items())


def _ordered(nodes):
    """The nodes in an order where each comes after its inputs (a GraphDef need not be)."""
    by_name = {}
    for node in nodes:
        if node.name in by_name:
            raise ValueError(f"graph_def has two nodes named {node.name!r}")
        by_name[node.name] = node
    order, state = [], {}
    for start in by_name:
        stack = [(start, False)]
        while stack:
            name, done = stack.pop()
            if done:
                state[name] = "done"
                order.append(by_name[name])
                continue
            if state.get(name) == "done":
                continue
            if state.get(name) == "open":
                raise ValueError(f"graph_def has a cycle through node {name!r}")
            state[name] = "open"
            stack.append((name, True))
            for source in by_name[name].input:
                source = _node_name(source)
                if source not in by_name:
                    raise ValueError(f"node {name!r} has input {source!r}, which is not in "
                                     f"graph_def")
                if state.get(source) != "done":
                    if state.get(source) == "open":
                        raise ValueError(f"graph_def has a cycle through node {source!r}")
                    stack.append((source, False))
    return order


_BUILT_HERE = ("Placeholder", "PlaceholderWithDefault", "Const")
_LOW_LEVEL_CONTROL_FLOW = {"Enter", "Exit", "Merge", "Switch", "NextIteration", "LoopCond",
                           "TensorArrayV3"}


def _refuse(missing):
    """ValueError naming the nodes whose op type has no import, by type."""
    if missing:
        listed = _by_type(missing)
        loops = ""
        if _LOW_LEVEL_CONTROL_FLOW & {n.op for n in missing}:
            loops = (" The graph holds TF1's low-level control flow (Enter/Merge/Switch/"
                     "NextIteration, TensorArrays: what while_loop and dynamic_rnn build), "
                     "which is not imported; export the model with its loops unrolled "
                     "(static_rnn) instead.")
        raise ValueError(
            f"cannot import {len(missing)} node(s) whose op type has no counterpart here: "
            f"{listed}.{loops} Supported op types: Placeholder, PlaceholderWithDefault, "
            f"Const, {', '.join(lowerings.importable())} (ops of nn register theirs when nn "
            f"is imported, as `import autograd.tf1` does)")


def _build(graph, proto, built, input_map):
    inputs, control = [], []
    for source in proto.input:
        if source.startswith("^"):
            op, _ = built[source[1:]]
            if op is not None:
                control.append(op)
            continue
        name = _tensor_name(source)
        if name in input_map:
            inputs.append(input_map[name])
            continue
        node_name, index = name.rsplit(":", 1)
        _, outputs = built[node_name]
        if int(index) >= len(outputs):
            raise ValueError(f"node {proto.name!r} reads output {index} of {node_name!r}, "
                             f"which has {len(outputs)}")
        inputs.append(outputs[int(index)])
    with graph.control_dependencies(control):
        try:
            node = ImportedNode(proto, _values_unless_variable_op(proto, inputs))
            result = _lift(node)
            if isinstance(result, Operation):
                return result, list(result.outputs)
            outputs = [result] if isinstance(result, Tensor) else list(result)
            if len(outputs) == 1:
                outputs = [_named(graph, outputs[0], proto.name)]
        except (ValueError, TypeError) as exc:
            message = str(exc)
            if proto.name not in message:
                message = f"importing node {proto.name!r} ({proto.op}): {message}"
            raise type(exc)(message) from exc
    return (outputs[0].op if outputs else None), outputs


def _values_unless_variable_op(proto, inputs):
    """A TF1 reference variable is used as a value wherever an op takes it (TF reads
    it there); ours is a handle, so such an input gets a read, except for the ops that
    take the variable itself (declared by their effects, see autograd.graph.effects).
    Our own ops, written by our meta graphs, read their variables explicitly already."""
    if native.is_native(proto):
        return inputs
    found = lowerings.lift(proto.op)
    op_def = found[0] if found else None
    if op_def is not None and (op_def.reads or op_def.writes):
        return inputs
    return [read_variable(t) if t.dtype == dtypes.resource and is_handle(t) else t
            for t in inputs]


def _named(graph, tensor, name):
    """A composite's result under the node's own name (an Identity), so that
    get_tensor_by_name finds it as in TensorFlow."""
    scoped = f"{graph.get_name_scope()}/{name}" if graph.get_name_scope() else name
    if tensor.op.name == scoped:
        return tensor
    try:
        graph.get_operation_by_name(scoped)
        return tensor
    except errors.NotFoundError:
        return identity(tensor, name=scoped + "/")


def _lift(node):
    if node.type == "Placeholder":
        return placeholder(node.attr("dtype"), shape=node.attr("shape", None), name=node.name)
    if node.type == "PlaceholderWithDefault":
        return placeholder_with_default(node.inputs[0], node.attr("shape", None),
                                        name=node.name)
    if node.type == "Const":
        return constant(node.attr("value"), dtype=node.attr("dtype"), name=node.name)
    if native.is_native(node.proto):
        return native.build(node)
    op_def, lift = lowerings.lift(node.type)
    return lift(op_def, node, node.inputs)


def _returned(built, return_elements):
    if return_elements is None:
        return None
    found = []
    for element in return_elements:
        if ":" in element:
            node_name, index = element.rsplit(":", 1)
            if node_name not in built or int(index) >= len(built[node_name][1]):
                raise ValueError(f"Requested return_element {element!r} not found in "
                                 f"graph_def.")
            found.append(built[node_name][1][int(index)])
        else:
            if element not in built or built[element][0] is None:
                raise ValueError(f"Requested return_element {element!r} not found in "
                                 f"graph_def.")
            found.append(built[element][0])
    return found


def _node_name(source):
    return source.lstrip("^").split(":")[0]


def _tensor_name(name):
    return name if ":" in name else name + ":0"


def _as_tensor(value):
    element = getattr(value, "_graph_element", value)
    if not isinstance(element, Tensor):
        raise TypeError(f"input_map values must be tensors, got {value!r}")
    return element
