"""Saving and restoring variable values (TF1's tf.train.Saver), with TF1's checkpoint
bookkeeping: `model.ckpt-1000` names, a `checkpoint` index file per folder, `max_to_keep`,
`latest_checkpoint` and `get_checkpoint_state`.

A checkpoint is one `.npz` file (see autograd.checkpoints): written atomically, checked in
full before a restore changes anything, never unpickled.
"""
import logging
import os
import re

import numpy as np

from . import checkpoints, errors
from .export import meta_graph, native, tf_checkpoint
from .shapes import compatible, fmt
from .variables import global_variables

INDEX = "checkpoint"
_log = logging.getLogger("tensorflow")


class Saver:
    """Writes the values of `var_list` (default: all variables) from a session to an .npz
    file and reads them back. Keys are the variables' op names (e.g. `layer1/weights`).
    The newest `max_to_keep` checkpoints of a folder are kept (None or 0: all)."""

    def __init__(self, var_list=None, max_to_keep=5, **_tf1_options):
        if var_list is None:
            var_list = global_variables()
        if isinstance(var_list, dict):
            self._vars = dict(var_list)
        else:
            self._vars = {v.op.name: v for v in var_list}
        if not self._vars:
            raise ValueError("Saver has no variables to save: create them before the Saver")
        self.max_to_keep = max_to_keep
        self.last_checkpoints = []
        self._warned_of_meta_graph = False

    def save(self, sess, save_path, global_step=None, latest_filename=None,
             meta_graph_suffix="meta", write_meta_graph=True, write_state=True):
        """Write the variables' current values; returns the path written (ending .npz).

        `global_step` (a number or a tensor) names the file `save_path-<step>` as TF1
        does; the folder's `checkpoint` index then lists it as the latest. Beside it,
        `<prefix>.meta` holds the graph (see export_meta_graph), as TF1 writes it."""
        prefix = _prefix(save_path)
        if global_step is not None:
            step = global_step if isinstance(global_step, (int, np.integer)) else \
                sess.run(global_step)
            prefix = f"{prefix}-{int(step)}"
        values = sess.run({key: var.value() for key, var in self._vars.items()})
        path = checkpoints.write(prefix + ".npz", {k: np.asarray(v) for k, v in values.items()})
        if write_meta_graph:
            self._write_meta_graph(sess.graph, f"{prefix}.{meta_graph_suffix}")
        if write_state:
            self._record(prefix)
        return path

    def export_meta_graph(self, filename=None, collection_list=None, as_text=False,
                          clear_devices=False, **_tf1_options):
        """The MetaGraphDef of the default graph with this saver (see
        autograd.export.meta_graph), written to `filename` when given."""
        return meta_graph.export_meta_graph(filename, collection_list=collection_list,
                                            as_text=as_text, clear_devices=clear_devices)

    def _write_meta_graph(self, graph, path):
        """Write the meta graph beside a checkpoint. A graph with an op that has no saved
        form (a tf.data iterator, a py_func, a loop body) gets no meta graph, and one
        warning per Saver in the log; the checkpoint stands either way."""
        try:
            meta = meta_graph.meta_graph_def(graph)
        except (native.NotSerializable, ImportError) as exc:
            if not self._warned_of_meta_graph:
                self._warned_of_meta_graph = True
                _log.warning("Saver.save writes checkpoints but no meta graph (%s): %s",
                             path, exc)
            return
        meta_graph.write(meta, path)

    def restore(self, sess, save_path):
        """Load every variable from `save_path` (a prefix or the .npz path); checks all of
        them (present, shape, dtype that converts without loss, undamaged file) before
        changing any."""
        path, entries = _entries(save_path)
        loaded = {}
        for key, var in self._vars.items():
            entry = entries.get(key)
            if entry is None:
                raise errors.NotFoundError(f"variable {key!r} is not in checkpoint {path!r} "
                                           f"(it holds {sorted(entries)})")
            if not compatible(var.shape, entry.shape):
                raise errors.InvalidArgumentError(
                    f"checkpoint entry {key!r} in {path!r} has shape {fmt(entry.shape)} but "
                    f"the variable has shape {fmt(var.shape)}")
            if not np.can_cast(entry.dtype, var.dtype, casting="safe"):
                raise errors.InvalidArgumentError(
                    f"checkpoint entry {key!r} in {path!r} is {entry.dtype.name}; restoring "
                    f"it into the {var.dtype.name} variable {key!r} would lose values. "
                    f"Create the variable as {entry.dtype.name}, or save it as "
                    f"{var.dtype.name}.")
            loaded[var] = entry
        values = {var: entry.load().astype(var.dtype) for var, entry in loaded.items()}
        sess.load_variables(values)

    def _record(self, prefix):
        """Update the folder's `checkpoint` index and delete checkpoints beyond max_to_keep."""
        if prefix in self.last_checkpoints:
            self.last_checkpoints.remove(prefix)
        self.last_checkpoints.append(prefix)
        if self.max_to_keep:
            while len(self.last_checkpoints) > self.max_to_keep:
                old = self.last_checkpoints.pop(0)
                for path in (old + ".npz", old + ".meta"):
                    if os.path.exists(path):
                        os.unlink(path)
        folder = os.path.dirname(prefix)
        lines = [f'model_checkpoint_path: "{_relative(prefix, folder)}"']
        lines += [f'all_model_checkpoint_paths: "{_relative(p, folder)}"'
                  for p in self.last_checkpoints if os.path.dirname(p) == folder]
        checkpoints.write_text(os.path.join(folder, INDEX), "\n".join(lines) + "\n")


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None,
                      skip_unsupported=True, **_tf1_options):
    """TF1's train.import_meta_graph: add a meta graph's ops to the default graph (under
    `import_scope`), bring back its collections, and return a Saver of its variables
    (None when it has none) for `saver.restore`. See autograd.export.meta_graph."""
    variables, meta = meta_graph.import_graph(meta_graph_or_file, clear_devices,
                                              import_scope, skip_unsupported)
    if not variables:
        return None
    return Saver(variables, max_to_keep=meta.saver_def.max_to_keep or 5)


def _prefix(save_path):
    """The absolute checkpoint prefix for a save_path, without .npz."""
    if save_path is None:
        raise ValueError("save_path is None; give a file prefix such as 'logs/model.ckpt'")
    path = os.fspath(save_path)
    if path.endswith((os.sep, "/")) or os.path.isdir(path):
        raise ValueError(f"save_path {path!r} is a folder; give a file prefix inside it, e.g. "
                         f"{os.path.join(path, 'model.ckpt')!r} (TF1 names files the same way)")
    path = os.path.abspath(path)
    return path[:-len(".npz")] if path.endswith(".npz") else path


def _existing(save_path):
    """The checkpoint file for a prefix or path: ours (.npz), or the prefix of one that
    TensorFlow wrote (.index + .data)."""
    if save_path is None:
        raise errors.NotFoundError("no checkpoint to restore: save_path is None (did "
                                   "latest_checkpoint find none in that folder?)")
    path = os.fspath(save_path)
    if not os.path.isfile(path) and os.path.isfile(path + ".npz"):
        path += ".npz"
    if not os.path.isfile(path) and tf_checkpoint.is_tensorflow_checkpoint(path):
        return path
    if os.path.isdir(path):
        raise errors.InvalidArgumentError(
            f"checkpoint {path!r} is a folder; give the checkpoint inside it, e.g. "
            f"tf.train.latest_checkpoint({path!r})")
    if os.path.exists(path) and not os.path.isfile(path):
        raise errors.InvalidArgumentError(f"checkpoint {path!r} is not a regular file (a "
                                          f"pipe or a device); give the saved .npz file")
    if not os.path.isfile(path):
        raise errors.NotFoundError(f"checkpoint {path!r} does not exist (Saver.save returns "
                                   f"the path to pass here)")
    return path


def _entries(save_path):
    """(path, {name: entry}) of a checkpoint, ours or TensorFlow's."""
    path = _existing(save_path)
    if tf_checkpoint.is_tensorflow_checkpoint(path) and not os.path.isfile(path):
        return path, tf_checkpoint.read(path)
    return path, checkpoints.read(path)


def _relative(path, folder):
    return os.path.relpath(path, folder) if os.path.dirname(path) == folder else path


class CheckpointState:
    """What a folder's `checkpoint` index says: the latest checkpoint and the kept ones."""

    def __init__(self, model_checkpoint_path, all_model_checkpoint_paths):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = all_model_checkpoint_paths

    def __repr__(self):
        return f"<CheckpointState latest={self.model_checkpoint_path!r}>"


_INDEX_LINE = re.compile(r'^\s*(model_checkpoint_path|all_model_checkpoint_paths):\s*"(.*)"\s*$')


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The CheckpointState of a folder, or None when it has no `checkpoint` index."""
    index = os.path.join(os.fspath(checkpoint_dir), latest_filename or INDEX)
    if not os.path.isfile(index):
        return None
    latest, kept = None, []
    with open(index, errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            match = _INDEX_LINE.match(line)
            if match is None:
                raise errors.DataLossError(f"{index!r} line {number} is not a checkpoint index "
                                           f"entry: {line.strip()[:60]!r}")
            path = match.group(2)
            path = path if os.path.isabs(path) else os.path.join(os.fspath(checkpoint_dir), path)
            if match.group(1) == "model_checkpoint_path":
                latest = path
            else:
                kept.append(path)
    if latest is None:
        raise errors.DataLossError(f"{index!r} names no model_checkpoint_path")
    return CheckpointState(latest, kept)


def _checkpoint_file(ckpt_dir_or_file):
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        found = latest_checkpoint(path)
        if found is None:
            raise errors.NotFoundError(f"no checkpoint in folder {path!r}")
        path = found
    return _existing(path)


def list_variables(ckpt_dir_or_file):
    """[(name, shape)] of the variables in a checkpoint (a file, or a folder's newest)."""
    return load_checkpoint(ckpt_dir_or_file).variables()


def load_variable(ckpt_dir_or_file, name):
    """The saved value of variable `name` in a checkpoint (a file, or a folder's newest)."""
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


def load_checkpoint(ckpt_dir_or_file):
    """A CheckpointReader of a checkpoint (a file or prefix, or a folder's newest): ours,
    or TensorFlow's where TensorFlow is installed."""
    path, entries = _entries(_checkpoint_file(ckpt_dir_or_file))
    return CheckpointReader(path, entries)


class CheckpointReader:
    """TF1's checkpoint reader: names, shapes and dtypes before any value is loaded."""

    def __init__(self, path, entries):
        self.path, self._entries = path, entries

    def variables(self):
        return sorted((key, list(entry.shape)) for key, entry in self._entries.items())

    def get_variable_to_shape_map(self):
        return {key: list(entry.shape) for key, entry in self._entries.items()}

    def get_variable_to_dtype_map(self):
        return {key: entry.dtype for key, entry in self._entries.items()}

    def has_tensor(self, name):
        return name in self._entries

    def get_tensor(self, name):
        key = name[:-2] if name.endswith(":0") else name
        if key not in self._entries:
            raise errors.NotFoundError(f"variable {key!r} is not in checkpoint {self.path!r} "
                                       f"(it holds {sorted(self._entries)})")
        return self._entries[key].load()


def init_from_checkpoint(ckpt_dir_or_file, assignment_map):
    """TF1's train.init_from_checkpoint: the variables named in `assignment_map` take
    their initial values from the checkpoint, when their initializers run.

    Keys are checkpoint names or scopes ("old_scope/"), values variables, their names,
    or scopes ("new_scope/"); "/" maps the whole checkpoint onto the variables' names."""
    reader = load_checkpoint(ckpt_dir_or_file)
    by_name = {v.op.name: v for v in global_variables()}
    pairs = []
    for source, target in assignment_map.items():
        target_name = target if isinstance(target, str) else target.op.name
        if source.endswith("/") or source == "/":
            prefix = "" if source == "/" else source
            into = "" if target_name in ("/", "") else target_name
            for key, _ in reader.variables():
                if key.startswith(prefix) and into + key[len(prefix):] in by_name:
                    pairs.append((key, by_name[into + key[len(prefix):]]))
        else:
            if not reader.has_tensor(source):
                raise ValueError(f"tensor {source!r} is not in checkpoint {reader.path!r}")
            variable = target if not isinstance(target, str) else by_name.get(target)
            if variable is None:
                raise ValueError(f"variable {target!r} does not exist in the graph")
            pairs.append((source, variable))
    for key, variable in pairs:
        value = reader.get_tensor(key)
        if not compatible(variable.shape, value.shape):
            raise ValueError(f"checkpoint tensor {key!r} has shape {fmt(value.shape)}, "
                             f"variable {variable.op.name!r} has {fmt(variable.shape)}")
        variable.initialize_from(value.astype(variable.dtype))


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the folder's newest checkpoint (pass it to Saver.restore), or None."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None or not checkpoint_exists(state.model_checkpoint_path):
        return None
    return state.model_checkpoint_path


def checkpoint_exists(checkpoint_prefix):
    """True if a checkpoint was saved under this prefix (or .npz path)."""
    path = os.fspath(checkpoint_prefix)
    return os.path.isfile(path) or os.path.isfile(path + ".npz") or \
        tf_checkpoint.is_tensorflow_checkpoint(path)
