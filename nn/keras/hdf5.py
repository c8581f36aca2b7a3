"""Keras's HDF5 weight files (save_weights / load_weights with a .h5 name), in Keras 2's
layout so that real Keras reads ours and we read its: root attributes layer_names,
backend and keras_version; a group per layer with attribute weight_names
(b"dense/kernel:0", ...) and one dataset per weight under that name. Written to a
temporary file and renamed, so a failed save leaves the old file."""
import json
import os

import numpy as np

from . import backend

HINT = ("HDF5 files need h5py: pip install h5py (this package's 'keras' extra), or save "
        "weights to a name without .h5")
KERAS_VERSION = "2.2.4-tf"


def _h5py():
    try:
        import h5py
    except ImportError:
        raise ImportError(HINT) from None
    return h5py


def save_weights(layers, filepath):
    h5py = _h5py()
    temporary = f"{filepath}.tmp{os.getpid()}"
    with h5py.File(temporary, "w") as f:
        _write_weights(f, layers)
    os.replace(temporary, filepath)


def save_model(model, filepath, architecture, training):
    """Keras's whole-model file: model_config (and training_config) attributes, the
    weights in a model_weights group."""
    h5py = _h5py()
    temporary = f"{filepath}.tmp{os.getpid()}"
    with h5py.File(temporary, "w") as f:
        f.attrs["keras_version"] = KERAS_VERSION.encode()
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = architecture.encode()
        if training is not None:
            f.attrs["training_config"] = json.dumps(training).encode()
        _write_weights(f.create_group("model_weights"), model._weighted_layers())
    os.replace(temporary, filepath)


def read_model(filepath):
    """(architecture JSON, training config or None) of a whole-model file."""
    h5py = _h5py()
    with h5py.File(filepath, "r") as f:
        if "model_config" not in f.attrs:
            raise ValueError(f"{filepath} holds no model config: it is a weights file "
                             f"(use load_weights)")
        text = f.attrs["model_config"]
        training = f.attrs.get("training_config")
    return _text(text), None if training is None else json.loads(_text(training))


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


def _write_weights(f, layers):
    """Keras's weight layout into the HDF5 file or group `f`."""
    values = iter(backend.batch_get_value([w for layer in layers for w in layer.weights]))
    f.attrs["layer_names"] = [layer.name.encode("utf8") for layer in layers]
    f.attrs["backend"] = b"tensorflow"
    f.attrs["keras_version"] = KERAS_VERSION.encode()
    for layer in layers:
        group = f.create_group(layer.name)
        names = [w.name.encode("utf8") for w in layer.weights]
        group.attrs["weight_names"] = names
        for name in names:
            group.create_dataset(name.decode(), data=next(values))


def load_weights(layers, filepath, group=None):
    """Each layer with weights gets the next saved layer's weights, in order (Keras's
    topological loading); counts and shapes are checked before anything changes."""
    h5py = _h5py()
    with h5py.File(filepath, "r") as file:
        f = file[group] if group is not None else file
        names = [n.decode() if isinstance(n, bytes) else n for n in f.attrs["layer_names"]]
        saved = [[np.asarray(f[name][w.decode() if isinstance(w, bytes) else w])
                  for w in f[name].attrs["weight_names"]] for name in names]
    saved = [values for values in saved if values]
    if len(saved) != len(layers):
        raise ValueError(f"You are trying to load a weight file containing {len(saved)} "
                         f"layers into a model with {len(layers)} layers.")
    pairs = []
    for layer, values in zip(layers, saved):
        if len(values) != len(layer.weights):
            raise ValueError(f"Layer {layer.name!r} expects {len(layer.weights)} weights, "
                             f"but the saved weights have {len(values)} elements.")
        for variable, value in zip(layer.weights, values):
            if tuple(variable.shape) != value.shape:
                raise ValueError(f"Layer {layer.name!r}: weight {variable.name} has shape "
                                 f"{tuple(variable.shape)}, the file has {value.shape}")
            pairs.append((variable, value))
    backend.batch_set_value(pairs)
