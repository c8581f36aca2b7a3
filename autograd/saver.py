"""Saving and restoring variable values as numpy .npz files (no pickle, atomic writes)."""
import os
import tempfile

import numpy as np

from . import errors
from .shapes import compatible, fmt
from .variables import global_variables


class Saver:
    """Writes the values of `var_list` (default: all variables) from a session to an .npz
    file and reads them back. Keys are the variables' op names (e.g. `layer1/weights`)."""

    def __init__(self, var_list=None, max_to_keep=None):
        if var_list is None:
            var_list = global_variables()
        if isinstance(var_list, dict):
            self._vars = dict(var_list)
        else:
            self._vars = {v.op.name: v for v in var_list}
        if not self._vars:
            raise ValueError("Saver has no variables to save: create them before the Saver")

    def save(self, sess, save_path, global_step=None):
        """Write the variables' current values; returns the path written (ending .npz).

        The file is written to a temporary name and renamed into place, so a crash never
        leaves a half-written checkpoint behind.
        """
        path = os.fspath(save_path)
        if global_step is not None:
            step = global_step if isinstance(global_step, int) else sess.run(global_step)
            path = f"{path}-{int(step)}"
        if not path.endswith(".npz"):
            path += ".npz"
        values = sess.run({key: var.value() for key, var in self._vars.items()})
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".ckpt-", suffix=".npz")
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez(out, **{key: np.asarray(v) for key, v in values.items()})
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
        return path

    def restore(self, sess, save_path):
        """Load every variable from `save_path`; checks all of them before changing any."""
        path = os.fspath(save_path)
        if not os.path.exists(path) and os.path.exists(path + ".npz"):
            path += ".npz"
        if not os.path.exists(path):
            raise errors.NotFoundError(f"checkpoint {path!r} does not exist (Saver.save returns "
                                       f"the path to pass here)")
        loaded = {}
        with np.load(path, allow_pickle=False) as archive:
            for key, var in self._vars.items():
                if key not in archive.files:
                    raise errors.NotFoundError(f"variable {key!r} is not in checkpoint {path!r} "
                                               f"(it holds {sorted(archive.files)})")
                try:
                    value = archive[key]
                except ValueError as exc:
                    raise errors.InvalidArgumentError(
                        f"checkpoint entry {key!r} in {path!r} cannot be read without "
                        f"unpickling (object arrays are refused): {exc}") from None
                if not compatible(var.shape, value.shape):
                    raise errors.InvalidArgumentError(
                        f"checkpoint entry {key!r} has shape {fmt(value.shape)} but the "
                        f"variable has shape {fmt(var.shape)}")
                loaded[key] = value
        sess.load_variables({self._vars[key]: value for key, value in loaded.items()})
