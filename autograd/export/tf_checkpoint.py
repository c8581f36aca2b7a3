"""TensorFlow's own checkpoints (`model.ckpt.index` + `model.ckpt.data-00000-of-00001`),
read with TensorFlow's reader where TensorFlow is installed: their format (a table of
protos over sharded data) is TensorFlow's to parse, so nothing here decodes it.

A Saver restores from one as from ours, and `python -m autograd.tools.convert_checkpoint`
turns one into ours, so that a TF-trained model restores where TensorFlow is not
installed.
"""
import os

import numpy as np

from .. import errors

HINT = ("reading a TensorFlow checkpoint (.index + .data files) needs TensorFlow's reader: "
        "pip install tensorflow-cpu (the 'bench' extra), or convert the checkpoint once "
        "where TensorFlow is installed: python -m autograd.tools.convert_checkpoint "
        "model.ckpt model.npz")

# what TensorFlow stores beside the variables, never a variable's value
_BOOKKEEPING = ("_CHECKPOINTABLE_OBJECT_GRAPH",)


def is_tensorflow_checkpoint(prefix):
    """True when `prefix` names a checkpoint TensorFlow wrote (its .index file exists)."""
    return os.path.isfile(os.fspath(prefix) + ".index")


class Entry:
    """One variable of a TensorFlow checkpoint: dtype and shape, and `load()`."""

    __slots__ = ("key", "dtype", "shape", "_reader")

    def __init__(self, key, dtype, shape, reader):
        self.key, self.dtype, self.shape, self._reader = key, dtype, tuple(shape), reader

    def load(self):
        return np.asarray(self._reader.get_tensor(self.key))


def read(prefix):
    """{name: Entry} of the variables in TensorFlow's checkpoint `prefix`; ImportError
    with a hint when TensorFlow is missing, DataLossError when the files are damaged."""
    try:
        import tensorflow as real
    except ImportError as exc:
        raise ImportError(f"{os.fspath(prefix)!r} is a TensorFlow checkpoint: {HINT}") from exc
    try:
        reader = real.train.load_checkpoint(os.fspath(prefix))
        shapes = reader.get_variable_to_shape_map()
        types = reader.get_variable_to_dtype_map()
    except (real.errors.OpError, ValueError) as exc:
        raise errors.DataLossError(f"TensorFlow cannot read checkpoint {os.fspath(prefix)!r}: "
                                   f"{exc}") from None
    return {key: Entry(key, np.dtype(types[key].as_numpy_dtype), shapes[key], reader)
            for key in sorted(shapes) if key not in _BOOKKEEPING}


def convert(prefix, out_path):
    """Write TensorFlow's checkpoint `prefix` as one of ours at `out_path`; its names."""
    from .. import checkpoints
    entries = read(prefix)
    arrays = {key: entry.load() for key, entry in entries.items()}
    checkpoints.write(os.fspath(out_path), arrays)
    return sorted(arrays)
