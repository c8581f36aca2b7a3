"""tf.contrib: the subset that TF 1.x tutorials and courses used.

Provided: layers, rnn, slim, framework, learn (the MNIST loader, VocabularyProcessor),
metrics (streaming_*), seq2seq (sequence_loss), distributions (Normal, Bernoulli,
Categorical, kl_divergence), training (placement strategies for parameter servers).
Any other name fails with an AttributeError that says it is not provided and, from
REPLACEMENTS below, what TF 1.15's core has instead.
"""
from . import (distributions, framework, layers, learn, metrics, rnn, seq2seq, slim,  # noqa: F401
               training)

from .replacements import REPLACEMENTS, missing  # noqa: E402


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise missing("contrib", name, REPLACEMENTS)
