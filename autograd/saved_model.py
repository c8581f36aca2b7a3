"""SavedModels, the TF 1.x way: a folder with `saved_model.pb` (one MetaGraphDef per set of
tags, with its signatures) and `variables/` (the values), which TF Serving and
`tf.saved_model.loader.load` open by tags.

    tf.saved_model.simple_save(sess, "export/1", inputs={"x": x}, outputs={"y": y})
    # ... in another program:
    meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], "export/1")
    signature = meta.signature_def["serving_default"]

The graph is our meta graph (autograd.export.meta_graph): TensorFlow reads it, its
signatures and every op of TF's form. The variables are our checkpoint,
`variables/variables.npz`; TensorFlow's own format is TensorFlow's to write. A SavedModel
TensorFlow wrote loads here too, its variables through TensorFlow's reader (or once
converted: python -m autograd.tools.convert_checkpoint).
"""
import os
import shutil
import tempfile

from . import errors
from .export import meta_graph
from .export.tf_protos import parse, protos, serialize, shape_proto, tf_dtype
from .graph import get_default_graph
from .saver import Saver
from .variables import global_variables

SAVED_MODEL_FILENAME_PB = "saved_model.pb"
SAVED_MODEL_FILENAME_PBTXT = "saved_model.pbtxt"
VARIABLES_DIRECTORY = "variables"
VARIABLES_FILENAME = "variables"
SCHEMA_VERSION = 1

SERVING, TRAINING, EVAL, GPU, TPU = "serve", "train", "eval", "gpu", "tpu"
DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"
PREDICT_METHOD_NAME = "tensorflow/serving/predict"
CLASSIFY_METHOD_NAME = "tensorflow/serving/classify"
REGRESS_METHOD_NAME = "tensorflow/serving/regress"
PREDICT_INPUTS, PREDICT_OUTPUTS = "inputs", "outputs"

_saved_model_class = None


def saved_model_class():
    """TF's SavedModel message (saved_model.proto), defined once through protobuf's
    descriptor API over the tensorboard package's MetaGraphDef, which it holds."""
    global _saved_model_class
    if _saved_model_class is None:
        from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
        meta_graph_pb2 = protos().meta_graph
        field = descriptor_pb2.FieldDescriptorProto
        proto = descriptor_pb2.FileDescriptorProto(
            name="autograd/export/saved_model.proto", package="autograd_tf", syntax="proto3",
            dependency=[meta_graph_pb2.DESCRIPTOR.name])
        message = proto.message_type.add(name="SavedModel")
        message.field.add(name="saved_model_schema_version", number=1,
                          label=field.LABEL_OPTIONAL, type=field.TYPE_INT64)
        message.field.add(name="meta_graphs", number=2, label=field.LABEL_REPEATED,
                          type=field.TYPE_MESSAGE,
                          type_name="." + meta_graph_pb2.MetaGraphDef.DESCRIPTOR.full_name)
        pool = descriptor_pool.Default()
        try:
            found = pool.FindMessageTypeByName("autograd_tf.SavedModel")
        except KeyError:
            found = pool.FindFileByName(pool.AddSerializedFile(proto.SerializeToString()).name
                                        ).message_types_by_name["SavedModel"]
        _saved_model_class = message_factory.GetMessageClass(found)
    return _saved_model_class


# -- signatures -----------------------------------------------------------------------------
def build_tensor_info(tensor):
    """TF's TensorInfo of a tensor: its name, dtype and static shape."""
    tensor = getattr(tensor, "_graph_element", tensor)
    return protos().meta_graph.TensorInfo(
        name=tensor.name, dtype=tf_dtype(tensor.dtype),
        tensor_shape=shape_proto(None if tensor.shape is None else tuple(tensor.shape)))


def build_signature_def(inputs=None, outputs=None, method_name=None):
    """A SignatureDef from {key: TensorInfo} maps and a method name."""
    signature = protos().meta_graph.SignatureDef(method_name=method_name or "")
    for key, info in (inputs or {}).items():
        signature.inputs[key].CopyFrom(info)
    for key, info in (outputs or {}).items():
        signature.outputs[key].CopyFrom(info)
    return signature


def tensors_signature_def(inputs, outputs, method_name):
    """A SignatureDef from {key: tensor} maps (each tensor's TensorInfo)."""
    return build_signature_def({k: build_tensor_info(t) for k, t in inputs.items()},
                               {k: build_tensor_info(t) for k, t in outputs.items()},
                               method_name)


def predict_signature_def(inputs, outputs):
    """A predict SignatureDef from {key: tensor} maps, as simple_save writes it."""
    if not inputs or not outputs:
        raise ValueError("a predict signature needs at least one input and one output "
                         "({key: tensor} maps)")
    return tensors_signature_def(inputs, outputs, PREDICT_METHOD_NAME)


def get_tensor_from_tensor_info(tensor_info, graph=None, import_scope=None):
    """The tensor a TensorInfo names, in `graph` (the default graph)."""
    graph = graph or get_default_graph()
    name = tensor_info.name if not import_scope else f"{import_scope}/{tensor_info.name}"
    return graph.get_tensor_by_name(name)


# -- writing --------------------------------------------------------------------------------
class SavedModelBuilder:
    """TF1's saved_model.builder.SavedModelBuilder: add the graph with its variables once
    (`add_meta_graph_and_variables`), more tag sets of the same graph (`add_meta_graph`),
    then `save()` writes the folder, atomically (into a temporary folder, then renamed)."""

    def __init__(self, export_dir):
        self._export_dir = os.fspath(export_dir)
        if os.path.exists(self._export_dir) and os.listdir(self._export_dir):
            raise errors.AlreadyExistsError(
                f"Export directory already exists, and isn't empty. Please choose a "
                f"different export directory, or delete all the contents of the specified "
                f"directory: {self._export_dir}")
        self._saved = saved_model_class()(saved_model_schema_version=SCHEMA_VERSION)
        self._values = None
        self._tags = set()

    def add_meta_graph_and_variables(self, sess, tags, signature_def_map=None,
                                     assets_collection=None, legacy_init_op=None,
                                     clear_devices=False, main_op=None,
                                     strip_default_attrs=False, saver=None, train_op=None):
        """Add the session's graph under `tags` and take its variables' current values."""
        if self._values is not None:
            raise AssertionError("Graph state including variables and assets has already "
                                 "been saved. Please invoke `add_meta_graph()` instead.")
        variables = list(global_variables())
        self._values = (sess, Saver(variables) if variables else None)
        self._add(sess.graph, tags, signature_def_map, clear_devices,
                  main_op or legacy_init_op)

    def add_meta_graph(self, tags, signature_def_map=None, assets_collection=None,
                       legacy_init_op=None, clear_devices=False, main_op=None,
                       strip_default_attrs=False, saver=None):
        """Add the default graph again under other `tags` (its variables saved already)."""
        if self._values is None:
            raise AssertionError("Graph state including variables and assets has not been "
                                 "saved yet. Please invoke `add_meta_graph_and_variables()` "
                                 "first.")
        self._add(get_default_graph(), tags, signature_def_map, clear_devices,
                  main_op or legacy_init_op)

    def _add(self, graph, tags, signature_def_map, clear_devices, main_op):
        tags = [tags] if isinstance(tags, str) else list(tags)
        if frozenset(tags) in self._tags:
            raise AssertionError(f"a meta graph with tags {sorted(tags)} was added already")
        self._tags.add(frozenset(tags))
        meta = meta_graph.meta_graph_def(graph, clear_devices=clear_devices)
        meta.meta_info_def.tags.extend(tags)
        for key, signature in (signature_def_map or {}).items():
            if not signature.inputs and not signature.outputs:
                raise ValueError(f"signature {key!r} has no inputs and no outputs")
            meta.signature_def[key].CopyFrom(signature)
        if main_op is not None:
            meta.collection_def["saved_model_main_op"].node_list.value.append(main_op.name)
        self._saved.meta_graphs.add().CopyFrom(meta)

    def save(self, as_text=False):
        """Write the folder; returns its path (bytes, as TF1's did)."""
        if self._values is None:
            raise AssertionError("add_meta_graph_and_variables() must be called before save()")
        parent = os.path.dirname(os.path.abspath(self._export_dir))
        os.makedirs(parent, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=".saved_model-", dir=parent)
        try:
            sess, saver = self._values
            if saver is not None:
                saver.save(sess, os.path.join(staging, VARIABLES_DIRECTORY, VARIABLES_FILENAME),
                           write_meta_graph=False, write_state=False)
            name = SAVED_MODEL_FILENAME_PBTXT if as_text else SAVED_MODEL_FILENAME_PB
            with open(os.path.join(staging, name), "wb") as out:
                out.write(serialize(self._saved, as_text))
            if os.path.isdir(self._export_dir):
                os.rmdir(self._export_dir)       # empty (checked when the builder was made)
            os.replace(staging, self._export_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return self._export_dir.encode()


def simple_save(session, export_dir, inputs, outputs, legacy_init_op=None):
    """TF1's saved_model.simple_save: the session's graph and variables, tagged SERVING,
    with one predict signature under "serving_default"."""
    builder = SavedModelBuilder(export_dir)
    builder.add_meta_graph_and_variables(
        session, [SERVING],
        signature_def_map={DEFAULT_SERVING_SIGNATURE_DEF_KEY:
                           predict_signature_def(inputs, outputs)},
        main_op=legacy_init_op)
    builder.save()


# -- reading --------------------------------------------------------------------------------
def maybe_saved_model_directory(export_dir):
    """True when `export_dir` holds a saved_model.pb (or .pbtxt)."""
    return any(os.path.isfile(os.path.join(os.fspath(export_dir), name))
               for name in (SAVED_MODEL_FILENAME_PB, SAVED_MODEL_FILENAME_PBTXT))


def parse_saved_model(export_dir):
    """The SavedModel proto of a folder; NotFoundError / DataLossError as they apply."""
    folder = os.fspath(export_dir)
    found = [os.path.join(folder, name) for name in (SAVED_MODEL_FILENAME_PB,
                                                      SAVED_MODEL_FILENAME_PBTXT)
             if os.path.isfile(os.path.join(folder, name))]
    if not found:
        raise errors.NotFoundError(f"SavedModel file does not exist at: {folder}{os.sep}"
                                   f"{{{SAVED_MODEL_FILENAME_PBTXT}|{SAVED_MODEL_FILENAME_PB}}}")
    with open(found[0], "rb") as handle:
        return parse(saved_model_class(), handle.read(), repr(found[0]))


def load(sess, tags, export_dir, import_scope=None, **_tf1_options):
    """TF1's saved_model.loader.load: import the meta graph saved under exactly `tags`
    into sess's graph, restore its variables into `sess`, run its main op; returns the
    MetaGraphDef (its signature_def names the inputs and outputs)."""
    tags = [tags] if isinstance(tags, str) else list(tags)
    saved = parse_saved_model(export_dir)
    found = [m for m in saved.meta_graphs if set(m.meta_info_def.tags) == set(tags)]
    if not found:
        available = [sorted(m.meta_info_def.tags) for m in saved.meta_graphs]
        raise RuntimeError(f"MetaGraphDef associated with tags {sorted(tags)} could not be "
                           f"found in SavedModel. To inspect available tag-sets in the "
                           f"SavedModel, please use the SavedModel CLI: `saved_model_cli`. "
                           f"Available tag-sets: {available}")
    meta = protos().meta_graph.MetaGraphDef.FromString(found[0].SerializeToString())
    with sess.graph.as_default():
        variables, _ = meta_graph.import_graph(meta, import_scope=import_scope)
        if variables:
            prefix = os.path.join(os.fspath(export_dir), VARIABLES_DIRECTORY, VARIABLES_FILENAME)
            Saver(variables).restore(sess, prefix)
        main = meta.collection_def.get("saved_model_main_op") or \
            meta.collection_def.get("legacy_init_op")
        if main is not None and main.node_list.value:
            scoped = main.node_list.value[0]
            sess.run(scoped if not import_scope else f"{import_scope}/{scoped}")
    return meta
