"""tf.contrib: the parts TF1 tutorials import that this engine has (rnn)."""
from . import rnn  # noqa: F401
