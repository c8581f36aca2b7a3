"""Taking a trained model elsewhere: freeze the forward graph that some outputs need (the
variables become constants with the session's values) and write it as

- a TensorFlow GraphDef (`to_graph_def`, `write_graph`): real TensorFlow imports it with
  `tf.import_graph_def` and runs it;
- an ONNX model (`to_onnx`): ONNX Runtime runs it.

Both open in Netron. The protos come from the optional `tensorboard` and `onnx` packages
(extras 'tensorboard' and 'export'); the core needs neither.

    frozen = tf.graph_util.convert_variables_to_constants(sess, sess.graph.as_graph_def(),
                                                          ["logits"])
    tf.train.write_graph(frozen, "export", "model.pb", as_text=False)
    autograd.export.to_onnx(sess, [logits], "export/model.onnx", feed_dict={keep: 1.0})

How each op is written is registered beside the op (`register`, see autograd.lowerings):
the writers here only walk the frozen graph and call those lowerings.
"""
import os

from .. import checkpoints
from ..lowerings import (Unsupported, elementwise, register, register_composite, same_inputs,
                         scalar_axis)
from . import meta_graph, onnx_model, tensorflow, tf_protos
from .frozen import FrozenGraph, freeze
from .importer import import_graph_def

__all__ = ["freeze", "FrozenGraph", "to_graph_def", "to_onnx", "write_graph",
           "convert_variables_to_constants", "register", "register_composite", "elementwise",
           "scalar_axis", "same_inputs", "Unsupported", "import_graph_def", "tf_protos",
           "meta_graph"]


def to_graph_def(session, outputs, feed_dict=None):
    """A frozen TensorFlow GraphDef proto of what `outputs` need (see freeze)."""
    return tensorflow.graph_def(freeze(session, outputs, feed_dict))


def to_onnx(session, outputs, path=None, feed_dict=None):
    """An ONNX ModelProto of what `outputs` need; its inputs are the placeholders they
    need (minus those `feed_dict` folds into constants). Written to `path` if given."""
    model = onnx_model.model_proto(freeze(session, outputs, feed_dict))
    if path is not None:
        checkpoints.write_bytes(path, model.SerializeToString())
    return model


def convert_variables_to_constants(sess, input_graph_def, output_node_names,
                                   variable_names_whitelist=None,
                                   variable_names_blacklist=None):
    """TF1's graph_util.convert_variables_to_constants: a frozen TF GraphDef of what the
    named output ops need, variables replaced by their values in `sess`.
    `input_graph_def` must describe `sess.graph` (it is what TF1 programs pass)."""
    names = {node.name for node in input_graph_def.node}
    missing = [n for n in output_node_names if n not in names]
    if missing:
        raise ValueError(f"output nodes {missing} are not in the graph_def")
    if variable_names_whitelist is not None or variable_names_blacklist is not None:
        raise NotImplementedError("variable_names_whitelist/blacklist: every variable the "
                                  "outputs need is frozen")
    return to_graph_def(sess, list(output_node_names))


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """TF1's train.write_graph: a GraphDef proto (or a Graph, written as the display
    GraphDef TensorBoard reads) to logdir/name, as text (.pbtxt) or binary (.pb)."""
    graph_def = graph_or_graph_def
    if hasattr(graph_def, "get_operations"):
        graph_def = tensorflow.display_graph_def(graph_def)
    elif not hasattr(graph_def, "ListFields"):
        raise TypeError("write_graph needs a Graph or a TensorFlow GraphDef proto (e.g. from "
                        "graph_util.convert_variables_to_constants), got "
                        f"{type(graph_def).__name__}")
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    checkpoints.write_bytes(path, tf_protos.serialize(graph_def, as_text))
    return path
