"""TFRecord files and tf.train.Example protos, readable by TensorFlow both ways.

A TFRecord file is a sequence of records, each framed as

    uint64 length | uint32 masked CRC-32C of length | data | uint32 masked CRC-32C of data

(little-endian), optionally inside one GZIP or ZLIB stream. The CRC-32C comes from the
`crc32c` package (C code) when it is installed, else from the tensorboard package's
pure-Python one (correct, but about 1 MB/s). A record whose length or data does not match
its CRC, or a file that ends inside a record, raises DataLossError naming the file and the
record's byte offset.

Examples are protobuf messages. Their schema (TF's example.proto and feature.proto, same
package, names and field numbers, so that bytes written here parse in TF and back) is
declared below and handed to the protobuf library, which does all encoding and decoding;
it lives in a pool of its own, so it never clashes with TensorFlow's copy in the same
process.
"""
import gzip
import io
import os
import struct
import zlib

from . import errors

HINT = ("TFRecords and tf.train.Example need the protobuf package (it comes with "
        "tensorboard): pip install 'graphgrad-tf1[tensorboard]'")
_MASK_DELTA = 0xA282EAD8


class TFRecordCompressionType:
    NONE, ZLIB, GZIP = 0, 1, 2


class TFRecordOptions:
    """How a TFRecord file is compressed: "" (none), "ZLIB" or "GZIP"."""

    compression_type_map = {TFRecordCompressionType.ZLIB: "ZLIB",
                            TFRecordCompressionType.GZIP: "GZIP",
                            TFRecordCompressionType.NONE: ""}

    def __init__(self, compression_type=None, compression_level=None, **others):
        self.compression_type = compression_name(compression_type)
        self.compression_level = compression_level

    @classmethod
    def get_compression_type_string(cls, options):
        return compression_name(options)


def compression_name(value):
    """'' / 'ZLIB' / 'GZIP' from a TFRecordOptions, a TFRecordCompressionType or a name."""
    if value is None:
        return ""
    if isinstance(value, TFRecordOptions):
        return value.compression_type
    if isinstance(value, int):
        return TFRecordOptions.compression_type_map[value]
    name = str(value).upper()
    if name not in ("", "ZLIB", "GZIP"):
        raise ValueError(f"compression_type must be '', 'ZLIB' or 'GZIP', got {value!r}")
    return name


def _crc32c():
    try:
        from crc32c import crc32c
        return crc32c
    except ImportError:
        pass
    try:
        from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import crc32c
        return crc32c
    except ImportError:
        raise ImportError(HINT) from None


def masked_crc(data, crc=None):
    crc = (crc or _crc32c())(data) & 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


# -- writing --------------------------------------------------------------------------------
class TFRecordWriter:
    """Writes records to `path`: into a temporary file beside it, renamed over `path` on
    close(), so that a reader never sees half a file and a crash leaves the old one."""

    def __init__(self, path, options=None):
        self.path = os.fspath(path)
        self._compression = compression_name(options)
        level = getattr(options, "compression_level", None)
        self._temporary = f"{self.path}.tmp{os.getpid()}"
        self._raw = open(self._temporary, "wb")
        if self._compression == "GZIP":
            self._file = gzip.GzipFile(fileobj=self._raw, mode="wb",
                                       compresslevel=9 if level is None else level)
        else:
            self._file = self._raw
        self._zlib = zlib.compressobj(-1 if level is None else level) \
            if self._compression == "ZLIB" else None
        self._crc = _crc32c()

    def write(self, record):
        if self._raw is None:
            raise ValueError(f"TFRecordWriter for {self.path!r} is closed")
        if isinstance(record, str):
            record = record.encode()
        header = struct.pack("<Q", len(record))
        framed = b"".join([header, struct.pack("<I", masked_crc(header, self._crc)), record,
                           struct.pack("<I", masked_crc(record, self._crc))])
        self._file.write(self._zlib.compress(framed) if self._zlib else framed)

    def flush(self):
        if self._zlib is not None:
            self._file.write(self._zlib.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self):
        if self._raw is None:
            return
        if self._zlib is not None:
            self._file.write(self._zlib.flush())
        if self._file is not self._raw:
            self._file.close()
        self._raw.close()
        self._raw = None
        os.replace(self._temporary, self.path)

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if kind is None:
            self.close()
        else:   # an exception while writing: keep the old file, drop the new one
            self._raw.close()
            self._raw = None
            os.remove(self._temporary)
        return False


# -- reading --------------------------------------------------------------------------------
def _open(path, compression):
    try:
        raw = open(path, "rb")
    except FileNotFoundError:
        raise errors.NotFoundError(f"{path}; No such file or directory") from None
    except IsADirectoryError:
        raise errors.InvalidArgumentError(f"{path} is a directory, not a TFRecord file") \
            from None
    if compression == "GZIP":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if compression == "ZLIB":
        with raw:
            try:
                return io.BytesIO(zlib.decompress(raw.read()))
            except zlib.error as exc:
                raise errors.DataLossError(f"{path}: not a ZLIB stream ({exc})") from None
    return raw


def read_records(path, compression=""):
    """(byte offset, record bytes) for each record of the TFRecord file at `path`."""
    path = os.fspath(path)
    crc = _crc32c()
    offset = 0
    with _open(path, compression_name(compression)) as handle:
        while True:
            try:
                header = handle.read(12)
            except (OSError, EOFError) as exc:   # a damaged GZIP stream
                raise errors.DataLossError(f"{path}: corrupted compressed data at record "
                                           f"offset {offset} ({exc})") from None
            if not header:
                return
            if len(header) < 12:
                raise _damaged(path, offset, "truncated record: the file ends inside its header")
            length, length_crc = struct.unpack("<QI", header)
            if masked_crc(header[:8], crc) != length_crc:
                raise _damaged(path, offset, "corrupted record: its length fails its CRC")
            body = handle.read(length + 4)
            if len(body) < length + 4:
                raise _damaged(path, offset, f"truncated record: it announces {length} "
                                             f"bytes, the file ends first")
            data = body[:length]
            if masked_crc(data, crc) != struct.unpack("<I", body[length:])[0]:
                raise _damaged(path, offset, "corrupted record: its data fails its CRC")
            yield offset, data
            offset += 16 + length


def _damaged(path, offset, what):
    return errors.DataLossError(f"{path}: {what} (record at byte offset {offset})")


def tf_record_iterator(path, options=None):
    """The records of a TFRecord file, as bytes (tf.python_io.tf_record_iterator)."""
    for _, record in read_records(path, options):
        yield record


# -- Example protos -------------------------------------------------------------------------
_messages = None


def messages():
    """{name: message class} for Example, SequenceExample, Features, Feature, ..."""
    global _messages
    if _messages is None:
        _messages = _build_messages()
    return _messages


def _build_messages():
    try:
        from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    except ImportError:
        raise ImportError(HINT) from None
    field = descriptor_pb2.FieldDescriptorProto
    repeated, optional = field.LABEL_REPEATED, field.LABEL_OPTIONAL
    proto = descriptor_pb2.FileDescriptorProto(name="tensorflow/core/example/example.proto",
                                               package="tensorflow", syntax="proto3")

    def message(name, fields, nested=()):
        found = proto.message_type.add(name=name)
        _add_fields(found, fields)
        for entry_name, value_type in nested:   # map<string, value_type> entries
            entry = found.nested_type.add(name=entry_name)
            entry.options.map_entry = True
            _add_fields(entry, [("key", 1, optional, field.TYPE_STRING, None, None),
                                ("value", 2, optional, field.TYPE_MESSAGE, value_type, None)])
        return found

    # proto3, as TF's: repeated numbers are packed, as in TF's files
    message("BytesList", [("value", 1, repeated, field.TYPE_BYTES, None, None)])
    message("FloatList", [("value", 1, repeated, field.TYPE_FLOAT, None, None)])
    message("Int64List", [("value", 1, repeated, field.TYPE_INT64, None, None)])
    message("Feature", [("bytes_list", 1, optional, field.TYPE_MESSAGE, ".tensorflow.BytesList", 0),
                        ("float_list", 2, optional, field.TYPE_MESSAGE, ".tensorflow.FloatList", 0),
                        ("int64_list", 3, optional, field.TYPE_MESSAGE, ".tensorflow.Int64List", 0)]
            ).oneof_decl.add(name="kind")
    message("Features", [("feature", 1, repeated, field.TYPE_MESSAGE,
                          ".tensorflow.Features.FeatureEntry", None)],
            [("FeatureEntry", ".tensorflow.Feature")])
    message("FeatureList", [("feature", 1, repeated, field.TYPE_MESSAGE, ".tensorflow.Feature",
                             None)])
    message("FeatureLists", [("feature_list", 1, repeated, field.TYPE_MESSAGE,
                              ".tensorflow.FeatureLists.FeatureListEntry", None)],
            [("FeatureListEntry", ".tensorflow.FeatureList")])
    message("Example", [("features", 1, optional, field.TYPE_MESSAGE, ".tensorflow.Features",
                         None)])
    message("SequenceExample", [
        ("context", 1, optional, field.TYPE_MESSAGE, ".tensorflow.Features", None),
        ("feature_lists", 2, optional, field.TYPE_MESSAGE, ".tensorflow.FeatureLists", None)])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    names = ["BytesList", "FloatList", "Int64List", "Feature", "Features", "FeatureList",
             "FeatureLists", "Example", "SequenceExample"]
    return {name: message_factory.GetMessageClass(
        pool.FindMessageTypeByName("tensorflow." + name)) for name in names}


def _add_fields(message, fields):
    for name, number, label, kind, type_name, oneof in fields:
        added = message.field.add(name=name, number=number, label=label, type=kind)
        if type_name:
            added.type_name = type_name
        if oneof is not None:
            added.oneof_index = oneof
