"""Keras 2.2's API (tf.keras in TF 1.13-1.15) on this engine's graph and sessions:
layers, Sequential and functional models, compile / fit / evaluate / predict with
Keras's progress bar, callbacks, optimizers and losses by name, the MNIST loader.
See nn.keras.models for how a model runs."""
import types

from . import backend, callbacks, datasets, layers, losses, models, optimizers, utils  # noqa: F401
from .layers import Input  # noqa: F401
from .models import Model, Sequential, load_model, model_from_json  # noqa: F401

regularizers = types.SimpleNamespace(l1=layers.l1, l2=layers.l2, l1_l2=layers.l1_l2,
                                     L1L2=layers.L1L2)
activations = types.SimpleNamespace(get=layers.get_activation, **{
    name: function for name, function in layers.ACTIVATIONS.items() if name})
initializers = types.SimpleNamespace(get=layers.initializer, **layers.INITIALIZERS)
preprocessing = types.SimpleNamespace(sequence=utils.sequence)
constraints = types.SimpleNamespace(
    Constraint=layers.Constraint, MaxNorm=layers.MaxNorm, NonNeg=layers.NonNeg,
    UnitNorm=layers.UnitNorm, MinMaxNorm=layers.MinMaxNorm, max_norm=layers.MaxNorm,
    non_neg=layers.NonNeg, unit_norm=layers.UnitNorm, min_max_norm=layers.MinMaxNorm,
    get=layers.get_constraint)
metrics = types.SimpleNamespace(**losses.METRICS)
