"""tf.keras.datasets.mnist.load_data(): the bundled MNIST as Keras returns it.

`((x_train, y_train), (x_test, y_test))`: uint8 images [n, 28, 28] and uint8 labels. A
`path` to a Keras `mnist.npz` (arrays x_train, y_train, x_test, y_test) reads that file
instead, without pickle.
"""
import os
import types

import numpy as np

from .. import datasets as _datasets


def _load_mnist(path="mnist.npz"):
    if path != "mnist.npz" or os.path.isfile(path):
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{path}: no such file (a Keras mnist.npz); leave path "
                                    f"out to read the bundled MNIST")
        with np.load(path, allow_pickle=False) as data:
            return ((data["x_train"], data["y_train"]), (data["x_test"], data["y_test"]))
    folder = _datasets.find_files()
    arrays = {key: _datasets.read_idx(folder / name, kind=key.split("_")[1])
              for key, name in _datasets.FILES.items()}
    return ((arrays["train_images"], arrays["train_labels"]),
            (arrays["test_images"], arrays["test_labels"]))


mnist = types.SimpleNamespace(load_data=_load_mnist)
