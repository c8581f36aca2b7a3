"""Summary ops: each evaluates to a serialized summary (a JSON string in a 0-d string
array) that FileWriter.add_summary writes; merge combines several into one."""
import base64
import json

import numpy as np

from .. import dtypes
from ..graph import GraphKeys, get_default_graph
from ..registry import convert_to_tensor, define_op

SUMMARIES = GraphKeys.SUMMARIES
HISTOGRAM_BINS = 30
KINDS = ("scalars", "histograms", "images", "texts", "audios")


def _summary_shape(*inputs, **attrs):
    return (), dtypes.string


def _serialized(kind, tag, entry):
    return np.array(json.dumps({kind: {tag: entry}}))


def _scalar_forward(value, tag):
    return _serialized("scalars", tag, float(np.asarray(value).reshape(-1)[0]))


def _histogram_forward(values, tag):
    values = np.asarray(values, dtype=np.float64).ravel()
    finite = values[np.isfinite(values)]
    counts, edges = np.histogram(finite, bins=HISTOGRAM_BINS) if finite.size else ([], [])
    stats = {"count": int(values.size), "min": float(finite.min()) if finite.size else None,
             "max": float(finite.max()) if finite.size else None,
             "mean": float(finite.mean()) if finite.size else None,
             "std": float(finite.std()) if finite.size else None,
             "sum": float(finite.sum()), "sum_squares": float(np.square(finite).sum()),
             "counts": [int(c) for c in counts], "edges": [float(e) for e in edges]}
    return _serialized("histograms", tag, stats)


def to_uint8(image):
    """TF1's rule for float images: all values >= 0: scaled so the largest is 255;
    otherwise scaled so the largest magnitude is 127, with 0 at 128. uint8 is kept."""
    image = np.asarray(image)
    if image.dtype == np.uint8:
        return image
    image = np.nan_to_num(image.astype(np.float64))
    if image.min() >= 0:
        scale = 255.0 / image.max() if image.max() > 0 else 0.0
        return np.clip(np.round(image * scale), 0, 255).astype(np.uint8)
    scale = 127.0 / max(abs(image.min()), abs(image.max()))
    return np.clip(np.round(image * scale + 128), 0, 255).astype(np.uint8)


def _image_forward(images, tag, max_outputs):
    """Up to max_outputs images of a [batch, height, width, 1|3|4] tensor, as uint8."""
    entries = [{"shape": list(image.shape), "data": base64.b64encode(
        to_uint8(image).tobytes()).decode()} for image in np.asarray(images)[:max_outputs]]
    return _serialized("images", tag, entries)


def _audio_forward(audio, sample_rate, tag, max_outputs):
    """Up to max_outputs clips of a [batch, frames] or [batch, frames, channels] float
    tensor in [-1, 1], as 16-bit PCM samples."""
    clips = np.asarray(audio, dtype=np.float64)[:max_outputs]
    if clips.ndim == 2:
        clips = clips[:, :, None]
    rate = float(np.asarray(sample_rate).reshape(-1)[0])
    entries = [{"sample_rate": rate, "channels": int(clip.shape[1]),
                "pcm16": base64.b64encode((np.clip(clip, -1, 1) * 32767).round()
                                          .astype("<i2").tobytes()).decode()}
               for clip in clips]
    return _serialized("audios", tag, entries)


def _text_forward(*value, tag, text=None):
    """The strings of `text` (given when building), or of the string tensor fed in."""
    strings = text if text is not None else [str(v) for v in
                                             np.asarray(value[0]).ravel().tolist()]
    return _serialized("texts", tag, list(strings))


def _merge_forward(*serialized):
    merged = {kind: {} for kind in KINDS}
    for text in serialized:
        for kind, entries in json.loads(str(text)).items():
            merged[kind].update(entries)
    return np.array(json.dumps(merged))


ScalarSummary = define_op("ScalarSummary", forward=_scalar_forward, shape=_summary_shape)
HistogramSummary = define_op("HistogramSummary", forward=_histogram_forward,
                             shape=_summary_shape)
ImageSummary = define_op("ImageSummary", forward=_image_forward, shape=_summary_shape)
TextSummary = define_op("TextSummary", forward=_text_forward, shape=_summary_shape)
AudioSummary = define_op("AudioSummaryV2", forward=_audio_forward, shape=_summary_shape)
MergeSummary = define_op("MergeSummary", forward=_merge_forward, shape=_summary_shape)


def _tag(name):
    scope = get_default_graph().get_name_scope()
    return f"{scope}/{name}" if scope else name


def _collect(out, collections):
    for key in collections or [SUMMARIES]:
        out.graph.add_to_collection(key, out)
    return out


def scalar(name, tensor, collections=None, family=None):
    """A summary op recording the scalar `tensor` under `name` (run it, then add_summary)."""
    tensor = convert_to_tensor(tensor)
    if tensor.shape is not None and tensor.shape.num_elements() not in (None, 1):
        raise ValueError(f"summary.scalar({name!r}) needs a scalar, got shape {tensor.shape}")
    return _collect(ScalarSummary(tensor, tag=_tag(name), name=name), collections)


def histogram(name, values, collections=None, family=None):
    """A summary op recording the distribution of `values` (count, min, max, mean, std
    and a 30-bin histogram)."""
    values = convert_to_tensor(values)
    return _collect(HistogramSummary(values, tag=_tag(name), name=name), collections)


def image(name, tensor, max_outputs=3, collections=None, family=None):
    """A summary op recording up to `max_outputs` images of a [batch, height, width,
    channels] tensor (channels 1, 3 or 4); float images are scaled as TF1 does."""
    tensor = convert_to_tensor(tensor)
    shape = tensor.shape
    if shape is not None and (len(shape) != 4 or shape[3] not in (None, 1, 3, 4)):
        raise ValueError(f"summary.image({name!r}) needs a [batch, height, width, 1|3|4] "
                         f"tensor, got shape {shape}; reshape first, e.g. tf.reshape(W, "
                         f"[-1, 28, 28, 1])")
    return _collect(ImageSummary(tensor, tag=_tag(name), max_outputs=int(max_outputs),
                                 name=name), collections)


def audio(name, tensor, sample_rate, max_outputs=3, collections=None, family=None):
    """A summary op recording up to `max_outputs` sound clips of a [batch, frames] or
    [batch, frames, channels] float tensor with values in [-1, 1] (TensorBoard's audio
    tab; FileWriter also keeps them as .wav files)."""
    tensor = convert_to_tensor(tensor)
    if tensor.shape is not None and len(tensor.shape) not in (2, 3):
        raise ValueError(f"summary.audio({name!r}) needs a [batch, frames] or [batch, "
                         f"frames, channels] tensor, got shape {tensor.shape}")
    rate = convert_to_tensor(sample_rate, dtypes.float32)
    return _collect(AudioSummary(tensor, rate, tag=_tag(name), max_outputs=int(max_outputs),
                                 name=name), collections)


def text(name, tensor, collections=None):
    """A summary op recording text (TensorBoard's text tab): a Python string or list of
    strings, or a string tensor."""
    if isinstance(tensor, str) or (isinstance(tensor, (list, tuple)) and tensor
                                   and all(isinstance(t, str) for t in tensor)):
        strings = [tensor] if isinstance(tensor, str) else list(tensor)
        out = TextSummary(tag=_tag(name), text=tuple(strings), name=name)
        return _collect(out, collections)
    tensor = convert_to_tensor(tensor)
    return _collect(TextSummary(tensor, tag=_tag(name), name=name), collections)


def merge(inputs, collections=None, name=None):
    """One summary op combining several."""
    return MergeSummary(*inputs, name=name or "Merge/MergeSummary")


def merge_all(key=SUMMARIES, scope=None, name=None):
    """One op combining every summary built so far (None if there is none)."""
    ops = get_default_graph().get_collection(key)
    return merge(ops, name=name or "Merge/MergeSummary") if ops else None
