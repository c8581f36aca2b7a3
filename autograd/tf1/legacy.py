"""Names from before TF 1.0 that 2015-2016 tutorials still use (tf.mul, tf.pack,
tf.scalar_summary, tf.train.SummaryWriter, ...), each warning once with its TF 1.x
name, and the TF2 entry points (eager execution, GradientTape) that say what to write
instead in a graph engine."""
import warnings

import autograd as ag
from autograd import summary

from .helpers import TF1DeprecationWarning


def _renamed(old, new, function):
    def legacy(*args, **kwargs):
        warnings.warn(f"tf.{old} was removed in TensorFlow 1.0; use tf.{new} (this facade "
                      f"still accepts the old name)", TF1DeprecationWarning, stacklevel=2)
        return function(*args, **kwargs)
    legacy.__name__, legacy.__doc__ = old, f"The pre-1.0 name of tf.{new}."
    return legacy


mul = _renamed("mul", "multiply", ag.multiply)
sub = _renamed("sub", "subtract", ag.subtract)
neg = _renamed("neg", "negative", ag.negative)
pack = _renamed("pack", "stack", ag.stack)
unpack = _renamed("unpack", "unstack", ag.unstack)
SummaryWriter = _renamed("train.SummaryWriter", "summary.FileWriter", summary.FileWriter)
merge_summary = _renamed("merge_summary", "summary.merge", summary.merge)
merge_all_summaries = _renamed("merge_all_summaries", "summary.merge_all", summary.merge_all)


def _old_summary(old, new, function):
    def legacy(tag, values, *args, collections=None, name=None, **kwargs):
        warnings.warn(f"tf.{old} was removed in TensorFlow 1.0; use tf.summary.{new}",
                      TF1DeprecationWarning, stacklevel=2)
        return function(tag, values, *args, collections=collections, **kwargs)
    legacy.__name__, legacy.__doc__ = old, f"The pre-1.0 name of tf.summary.{new}."
    return legacy


scalar_summary = _old_summary("scalar_summary", "scalar", summary.scalar)
histogram_summary = _old_summary("histogram_summary", "histogram", summary.histogram)
audio_summary = _old_summary("audio_summary", "audio", summary.audio)


def image_summary(tag, tensor, max_images=3, collections=None, name=None):
    """The pre-1.0 name of tf.summary.image (max_images is its max_outputs)."""
    warnings.warn("tf.image_summary was removed in TensorFlow 1.0; use tf.summary.image",
                  TF1DeprecationWarning, stacklevel=2)
    return summary.image(tag, tensor, max_outputs=max_images, collections=collections)


EAGER = ("this engine runs TF1 graphs; there is no eager mode. Build the computation as a "
         "graph and run it in a Session, and for derivatives use tf.gradients(y, xs) where "
         "TF2 code uses a GradientTape")


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """Refused: this engine builds and runs graphs (TF1), never eagerly."""
    raise RuntimeError(EAGER)


enable_v2_behavior = enable_eager_execution


def executing_eagerly():
    """False: every op here builds a graph node."""
    return False


def disable_eager_execution():
    """Nothing to do: graphs are the only mode."""


class GradientTape:
    """Refused: the graph's gradients come from tf.gradients(y, xs)."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError(EAGER)
