"""tf.keras: Keras 2.2's API as TF 1.13-1.15 bundled it, from nn.keras."""
from nn.keras import (Input, Model, Sequential, activations, backend,  # noqa: F401
                      callbacks, constraints, datasets, initializers, layers, losses,
                      metrics, models, optimizers, preprocessing, regularizers, utils)
