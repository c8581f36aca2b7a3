"""Meta graphs: a whole graph, its variables and its collections in TF's MetaGraphDef, so
that a second program carries on from a checkpoint without the code that built the model:

    saver.save(sess, "logs/model.ckpt")                 # also writes logs/model.ckpt.meta
    # ... in another program:
    saver = tf.train.import_meta_graph("logs/model.ckpt.meta")
    saver.restore(sess, tf.train.latest_checkpoint("logs"))
    x = tf.get_default_graph().get_tensor_by_name("x:0")

Each op is written in TensorFlow's form where it has one (its registered lowering, see
autograd.lowerings) and keeps ours otherwise (autograd.export.native: a gradient's
SumToShape, an optimizer's update), so our own graphs come back whole, training ops
included, and a graph of TF-form ops is one TensorFlow reads. A MetaGraphDef TensorFlow
wrote imports too: its saver's own nodes are left out (our Saver restores), and with
`skip_unsupported` (import_meta_graph's default) so is what needs an op type we lack,
with a warning naming them; an inference program rarely needs those.
"""
import os
import warnings

from .. import checkpoints, errors, lowerings
from ..graph import GraphKeys, Operation, Tensor, get_default_graph
from ..registry import Const
from ..ops.state import Placeholder, VarHandleOp
from ..variables import Variable
from . import importer, native
from .tensorflow import Builder, _ref
from .tf_protos import parse, protos, serialize, text_or_bytes

# the collections TF writes as VariableDefs; others that hold variables list their names
VARIABLE_COLLECTIONS = (GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES,
                        GraphKeys.LOCAL_VARIABLES, GraphKeys.MODEL_VARIABLES,
                        GraphKeys.MOVING_AVERAGE_VARIABLES, GraphKeys.METRIC_VARIABLES,
                        GraphKeys.GLOBAL_STEP)


# -- writing --------------------------------------------------------------------------------
def graph_def(graph, clear_devices=False):
    """Every op of `graph` as NodeDefs: TF's form where it has one, ours otherwise;
    control inputs and devices kept. NotSerializable names an op with neither form."""
    builder = Builder()
    for op in graph.get_operations():
        start = len(builder.graph.node)
        _write(builder, op)
        main = next(n for n in builder.graph.node[start:] if n.name == op.name)
        main.input.extend("^" + c.name for c in op.control_inputs)
        if op.device and not clear_devices:
            main.device = op.device
    return builder.graph


def _write(builder, op):
    if op.op_def is Placeholder:
        tensor = op.outputs[0]
        builder.raw(op.name, "Placeholder", [], dtype=Builder.type(tensor.dtype),
                    shape=Builder.shape(op.attrs.get("shape", tensor.shape)))
        return
    if op.op_def is Const:
        builder.const(op.name, op.attrs["value"])
        return
    lowering = lowerings.lowering(op.op_def, "tensorflow")
    if lowering is not None and _extra_outputs_unread(op):
        start = len(builder.graph.node)
        try:
            lowering(builder, op)
            return
        except (lowerings.Unsupported, TypeError, ValueError):
            del builder.graph.node[start:]     # this op keeps our form
    builder.raw(op.name, op.type, [_ref(t) for t in op.inputs],
                **{native.ATTR: native.encode(op)})


def _extra_outputs_unread(op):
    """TF's form of an op may have fewer outputs than ours (MaxPool has no argmax): it is
    used only when no op reads an output beyond the first."""
    return not any(t.consumers() for t in op.outputs[1:])


def meta_graph_def(graph=None, collection_list=None, clear_devices=False):
    """A MetaGraphDef proto of `graph` (the default graph): its GraphDef, the variables of
    its variable collections as VariableDefs, and the other collections that hold tensors,
    ops, numbers or text (others, such as queue runners, are left out, as TF does).

    It has no SaverDef: that names the save and restore ops a TF Saver builds, which ours
    has no need of; without one, import_meta_graph (ours and TF's) makes a new Saver."""
    graph = graph or get_default_graph()
    meta = protos().meta_graph.MetaGraphDef()
    meta.meta_info_def.meta_graph_version = "autograd"
    meta.meta_info_def.tensorflow_version = "1.15.0"
    meta.graph_def.CopyFrom(graph_def(graph, clear_devices))
    keys = collection_list if collection_list is not None else graph.get_all_collection_keys()
    for key in keys:
        _write_collection(meta, key, graph.get_collection(key))
    return meta


def _write_collection(meta, key, values):
    if not values:
        return
    if key in VARIABLE_COLLECTIONS:
        if all(isinstance(v, Variable) for v in values):
            meta.collection_def[key].bytes_list.value.extend(
                _variable_def(v).SerializeToString() for v in values)
    elif all(isinstance(v, (Variable, Tensor, Operation)) for v in values):
        meta.collection_def[key].node_list.value.extend(v.name for v in values)
    elif all(isinstance(v, float) for v in values):
        meta.collection_def[key].float_list.value.extend(values)
    elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        meta.collection_def[key].int64_list.value.extend(values)
    elif all(isinstance(v, (str, bytes)) for v in values):
        meta.collection_def[key].bytes_list.value.extend(
            v.encode() if isinstance(v, str) else v for v in values)


def _variable_def(variable):
    return protos().variable.VariableDef(
        variable_name=variable.name, initial_value_name=variable.initial_value.name,
        initializer_name=variable.initializer.name, snapshot_name=variable.value().name,
        trainable=variable.trainable, is_resource=True)


def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None,
                      collection_list=None, as_text=False, graph=None, export_scope=None,
                      clear_devices=False, saver=None, **_tf1_options):
    """TF1's train.export_meta_graph: the MetaGraphDef of `graph` (the default graph),
    written to `filename` when given (binary, or text with as_text=True)."""
    del meta_info_def, graph_def, saver_def, export_scope, saver
    meta = meta_graph_def(graph, collection_list, clear_devices)
    if filename is not None:
        write(meta, filename, as_text)
    return meta


def write(meta, filename, as_text=False):
    checkpoints.write_bytes(os.fspath(filename), serialize(meta, as_text))


# -- reading --------------------------------------------------------------------------------
def read(filename):
    """A MetaGraphDef from a file, binary or text; DataLossError when it is neither."""
    path = os.fspath(filename)
    if not os.path.isfile(path):
        raise errors.NotFoundError(f"meta graph file {path!r} does not exist (Saver.save "
                                   f"writes '<prefix>.meta' beside the checkpoint)")
    with open(path, "rb") as handle:
        return parse(protos().meta_graph.MetaGraphDef, handle.read(), repr(path))


def import_graph(meta_graph_or_file, clear_devices=False, import_scope=None,
                 skip_unsupported=True):
    """Add the meta graph's ops to the default graph (under `import_scope`) and bring back
    its collections; returns ({checkpoint name: Variable}, the MetaGraphDef). What
    train.import_meta_graph (autograd.saver) does before it makes a Saver of them."""
    meta = meta_graph_or_file
    if not hasattr(meta, "graph_def"):
        meta = read(meta_graph_or_file)
    elif not isinstance(meta, protos().meta_graph.MetaGraphDef):   # TensorFlow's own class
        meta = protos().meta_graph.MetaGraphDef.FromString(meta.SerializeToString())
    nodes = _without_saver_nodes(meta)
    if clear_devices:
        for node in nodes:
            node.device = ""
    graph = get_default_graph()
    built, skipped = importer.build_nodes(nodes, name=import_scope or "",
                                          skip_unsupported=skip_unsupported)
    if skipped:
        warnings.warn(f"import_meta_graph left out what it cannot build here (an inference "
                      f"program seldom needs it): "
                      f"{skipped}", stacklevel=3)
    return _read_collections(meta, graph, built), meta


def _without_saver_nodes(meta):
    """The graph's nodes less the save/restore subgraph a TF Saver built (our Saver does
    that work): the nodes under the scope of the saver_def's tensors."""
    nodes = list(meta.graph_def.node)
    if not meta.HasField("saver_def") or not meta.saver_def.save_tensor_name:
        return nodes
    scope = meta.saver_def.save_tensor_name.rsplit("/", 1)[0] + "/"
    return [n for n in nodes if not n.name.startswith(scope)]


def _read_collections(meta, graph, built):
    """Add each collection's entries that were imported; the variables, by the names the
    checkpoint knows them by (without the import scope)."""
    variables = {}
    collections = sorted(meta.collection_def.items(),
                         key=lambda item: item[0] not in VARIABLE_COLLECTIONS)
    for key, collection in collections:
        kind = collection.WhichOneof("kind")
        if kind == "bytes_list" and key in VARIABLE_COLLECTIONS:
            for data in collection.bytes_list.value:
                variable = _variable(protos().variable.VariableDef.FromString(data), built,
                                     variables)
                if variable is not None:
                    graph.add_to_collection(key, variable)
        elif kind == "node_list":
            by_handle = {v.name: v for v in variables.values()}
            for name in collection.node_list.value:
                element = by_handle.get(name) or _element(built, name)
                if element is not None:
                    graph.add_to_collection(key, element)
        elif kind in ("int64_list", "float_list", "bytes_list"):
            for value in getattr(collection, kind).value:
                graph.add_to_collection(key, text_or_bytes(value)
                                        if kind == "bytes_list" else value)
    return variables


def _variable(variable_def, built, variables):
    """The Variable a VariableDef describes, made once per variable from its imported ops."""
    name = variable_def.variable_name.split(":")[0]
    if name in variables:
        return variables[name]
    handle = _element(built, variable_def.variable_name)
    initializer = _element(built, variable_def.initializer_name)
    snapshot = _element(built, variable_def.snapshot_name)
    initial_value = _element(built, variable_def.initial_value_name) \
        if variable_def.initial_value_name else None
    if handle is None or handle.op.op_def is not VarHandleOp or initializer is None:
        return None
    variable = Variable.from_ops(handle, initializer, snapshot, initial_value,
                                 trainable=variable_def.trainable)
    variables[name] = variable
    return variable


def _element(built, name):
    """The imported tensor ("x:0") or op ("train") of that name in the meta graph."""
    node_name, _, index = name.partition(":")
    if node_name not in built:
        return None
    op, outputs = built[node_name]
    if not index:
        return op
    return outputs[int(index)] if int(index) < len(outputs) else None
