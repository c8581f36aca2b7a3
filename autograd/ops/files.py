"""read_file and write_file: a file's bytes as a string tensor, and back (TF1's
tf.read_file / tf.write_file, the first step of an image or record pipeline)."""
import os

import numpy as np

from .. import dtypes, errors
from ..registry import convert_to_tensor, define_op


def _read_shape(filename):
    if filename.dtype != dtypes.string:
        raise TypeError(f"read_file needs a string filename, got {filename.dtype.name}")
    return (), dtypes.string


def _read_forward(filename):
    path = _path(filename)
    try:
        with open(path, "rb") as handle:
            return np.bytes_(handle.read())
    except FileNotFoundError:
        raise errors.NotFoundError(f"{path}; No such file or directory") from None
    except IsADirectoryError:
        raise errors.InvalidArgumentError(f"{path} is a directory, not a file") from None


def _path(filename):
    value = np.asarray(filename).item()
    return value.decode() if isinstance(value, bytes) else str(value)


ReadFile = define_op("ReadFile", forward=_read_forward, shape=_read_shape)


def _write_shape(filename, contents):
    return []


def _write_forward(filename, contents):
    """Written to a temporary file beside it, then renamed: never half a file."""
    path = _path(filename)
    data = np.asarray(contents).item()
    data = data if isinstance(data, bytes) else str(data).encode()
    temporary = f"{path}.tmp{os.getpid()}"
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
    return ()


WriteFile = define_op("WriteFile", forward=_write_forward, shape=_write_shape)


def read_file(filename, name=None):
    """The bytes of the file `filename` (a scalar string tensor)."""
    return ReadFile(convert_to_tensor(filename, dtypes.string), name=name)


def write_file(filename, contents, name=None):
    """An op that writes `contents` (bytes or text) to the file `filename`."""
    return WriteFile(convert_to_tensor(filename, dtypes.string),
                     convert_to_tensor(contents, dtypes.string), name=name)
