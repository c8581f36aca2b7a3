"""tf.keras.utils.to_categorical and tf.keras.preprocessing.sequence.pad_sequences."""
import types

import numpy as np


def to_categorical(y, num_classes=None, dtype="float32"):
    """One-hot rows for integer class labels (Keras's shape rules: a trailing 1 drops)."""
    y = np.asarray(y, dtype=int)
    shape = y.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    y = y.ravel()
    num_classes = int(y.max()) + 1 if num_classes is None else num_classes
    out = np.zeros((len(y), num_classes), dtype=dtype)
    out[np.arange(len(y)), y] = 1
    return out.reshape(shape + (num_classes,))


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """Lists of ids as one [n, maxlen] array: padded with `value` and cut, at the start
    ("pre", Keras's default) or the end ("post")."""
    if padding not in ("pre", "post") or truncating not in ("pre", "post"):
        raise ValueError('padding and truncating must be "pre" or "post"')
    lengths = [len(s) for s in sequences]
    maxlen = max(lengths, default=0) if maxlen is None else maxlen
    out = np.full((len(sequences), maxlen), value, dtype=dtype)
    for row, sequence in enumerate(sequences):
        if not len(sequence):
            continue
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        if padding == "post":
            out[row, :len(kept)] = kept
        else:
            out[row, maxlen - len(kept):] = kept
    return out


sequence = types.SimpleNamespace(pad_sequences=pad_sequences)
