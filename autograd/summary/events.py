"""TensorBoard event records, written with the `tensorboard` package's own event writer
and protos (the optional 'tensorboard' extra): summaries, the graph and traced runs."""
import base64
import io
import wave
import time

import numpy as np

HINT = ("TensorBoard event files need the tensorboard package: pip install tensorboard (or "
        "install this package with its 'tensorboard' extra). Until then FileWriter writes "
        "the graph drawing and CSV files, which summary.plot(logdir) draws.")


def available():
    try:
        import tensorboard.summary.writer.event_file_writer  # noqa: F401
    except ImportError:
        return False
    return True


class EventLog:
    """One run's events file (events.out.tfevents.*), appended record by record."""

    def __init__(self, logdir):
        from tensorboard.summary.writer.event_file_writer import EventFileWriter
        self._writer = EventFileWriter(logdir)

    def _add(self, step=None, **fields):
        from tensorboard.compat.proto import event_pb2
        event = event_pb2.Event(wall_time=time.time(), **fields)
        if step is not None:
            event.step = int(step)
        self._writer.add_event(event)

    def add_summary(self, data, step):
        """`data`: a parsed summary ({kind: {tag: entry}}) as the summary ops make."""
        self._add(step, summary=summary_proto(data))

    def add_graph(self, graph):
        from ..export.tensorflow import display_graph_def
        self._add(graph_def=display_graph_def(graph).SerializeToString())

    def add_run_metadata(self, run_metadata, tag, step):
        from tensorboard.compat.proto import event_pb2
        tagged = event_pb2.TaggedRunMetadata(
            tag=tag, run_metadata=run_metadata_proto(run_metadata).SerializeToString())
        self._add(step, tagged_run_metadata=tagged)

    def flush(self):
        self._writer.flush()

    def close(self):
        self._writer.close()


def summary_proto(data):
    from tensorboard.compat.proto import summary_pb2
    values = []
    for tag, value in data.get("scalars", {}).items():
        values.append(summary_pb2.Summary.Value(tag=tag, simple_value=value))
    for tag, h in data.get("histograms", {}).items():
        values.append(summary_pb2.Summary.Value(tag=tag, histo=_histogram_proto(h)))
    for tag, images in data.get("images", {}).items():
        for index, entry in enumerate(images):
            name = f"{tag}/image" if len(images) == 1 else f"{tag}/image/{index}"
            values.append(summary_pb2.Summary.Value(tag=name, image=_image_proto(entry)))
    for tag, strings in data.get("texts", {}).items():
        values.append(_text_value(tag, strings))
    for tag, clips in data.get("audios", {}).items():
        for index, entry in enumerate(clips):
            name = f"{tag}/audio" if len(clips) == 1 else f"{tag}/audio/{index}"
            values.append(summary_pb2.Summary.Value(tag=name, audio=_audio_proto(entry)))
    return summary_pb2.Summary(value=values)


def _histogram_proto(h):
    from tensorboard.compat.proto import summary_pb2
    if not h["counts"]:
        return summary_pb2.HistogramProto(num=h["count"])
    return summary_pb2.HistogramProto(
        min=h["min"], max=h["max"], num=h["count"], sum=h["sum"],
        sum_squares=h["sum_squares"], bucket_limit=h["edges"][1:], bucket=h["counts"])


def decode_image(entry):
    """The uint8 array an image summary entry holds."""
    return np.frombuffer(base64.b64decode(entry["data"]), np.uint8).reshape(entry["shape"])


def png_bytes(image):
    """PNG-encode a (height, width, 1|3|4) uint8 image (Pillow, a tensorboard dependency)."""
    from PIL import Image
    pixels = image[:, :, 0] if image.shape[2] == 1 else image
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def _image_proto(entry):
    from tensorboard.compat.proto import summary_pb2
    image = decode_image(entry)
    return summary_pb2.Summary.Image(height=image.shape[0], width=image.shape[1],
                                     colorspace=image.shape[2],
                                     encoded_image_string=png_bytes(image))


def wav_bytes(entry):
    """A WAV file (Python's wave module) of an audio summary entry."""
    samples = base64.b64decode(entry["pcm16"])
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(entry["channels"])
        out.setsampwidth(2)
        out.setframerate(int(entry["sample_rate"]))
        out.writeframes(samples)
    return buffer.getvalue()


def _audio_proto(entry):
    from tensorboard.compat.proto import summary_pb2
    frames = len(base64.b64decode(entry["pcm16"])) // (2 * entry["channels"])
    return summary_pb2.Summary.Audio(sample_rate=entry["sample_rate"],
                                     num_channels=entry["channels"], length_frames=frames,
                                     encoded_audio_string=wav_bytes(entry),
                                     content_type="audio/wav")


def _text_value(tag, strings):
    from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2
    tensor = tensor_pb2.TensorProto(
        dtype=types_pb2.DT_STRING, string_val=[s.encode() for s in strings],
        tensor_shape=tensor_shape_pb2.TensorShapeProto(
            dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=len(strings))]))
    metadata = summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="text"))
    return summary_pb2.Summary.Value(tag=tag, metadata=metadata, tensor=tensor)


def run_metadata_proto(run_metadata):
    """TF's RunMetadata proto of a traced run (autograd.tracing)."""
    from tensorboard.compat.proto import config_pb2, step_stats_pb2
    proto = config_pb2.RunMetadata()
    for device in run_metadata.step_stats.dev_stats:
        stats = proto.step_stats.dev_stats.add(device=device.device)
        for node in device.node_stats:
            stats.node_stats.append(step_stats_pb2.NodeExecStats(
                node_name=node.node_name, all_start_micros=node.all_start_micros,
                op_start_rel_micros=node.op_start_rel_micros,
                op_end_rel_micros=node.op_end_rel_micros,
                all_end_rel_micros=node.all_end_rel_micros,
                timeline_label=node.timeline_label, thread_id=node.thread_id))
    return proto
