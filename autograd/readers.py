"""Readers: records out of files named by a queue (TF1's tf.TextLineReader and kin).

    filenames = tf.train.string_input_producer(["a.csv", "b.csv"])   # a queue of names
    reader = tf.TextLineReader(skip_header_lines=1)
    key, value = reader.read(filenames)    # one line per run: key b"a.csv:2", value b"..."

A reader takes the next file name from the queue when it has read everything in its
current file, and raises OutOfRangeError once that queue is closed and empty. Its
position (current file, records read) lives in each session, as a queue's contents do;
reads on one reader are served one at a time. Keys name where a record came from, as
TF's do: "file:line" (1-based), "file:record number" (0-based), "file:byte offset" for
TFRecords, the file name for whole files.
"""
import threading

import numpy as np

from . import dtypes, errors, records
from .queues import QueueBase, state_of
from .registry import define_op


class ReaderSpec:
    def __init__(self, kind, records_of, name):
        self.kind, self.records_of, self.name = kind, records_of, name

    def __repr__(self):
        return f"{self.kind} {self.name!r}"


class ReaderState:
    """One reader's position in one session."""

    def __init__(self, spec):
        self.spec = spec
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        self.position = None   # the records still to read of the current file
        self.produced, self.completed = 0, 0

    def cancel(self):
        pass   # a reader waits only on its queue, which the session cancels

    def read(self, queue, count, op):
        """Up to `count` (key, value) pairs, taking new files from `queue` as needed;
        fewer only when the queue is closed and empty (none: OutOfRangeError)."""
        found = []
        with self.lock:
            while len(found) < count:
                if self.position is None:
                    try:
                        element = queue.dequeue(1, False, op)[0]
                    except errors.OutOfRangeError:
                        if found:
                            break
                        raise
                    self.position = iter(self.spec.records_of(_path(element[0])))
                record = next(self.position, None)
                if record is None:
                    self.position = None
                    self.completed += 1
                    continue
                found.append(record)
                self.produced += 1
        return found


def _path(value):
    value = value.item() if isinstance(value, np.ndarray) else value
    return value.decode() if isinstance(value, bytes) else str(value)


def _bytes(values):
    return dtypes.string_array(v if isinstance(v, bytes) else str(v).encode() for v in values)


# -- the formats ------------------------------------------------------------------------------
def lines(skip_header_lines):
    def records_of(path):
        with _opened(path) as handle:
            for number, line in enumerate(handle, start=1):
                if number > skip_header_lines:
                    yield f"{path}:{number}", line.rstrip(b"\n").rstrip(b"\r")
    return records_of


def _whole_file(path):
    with _opened(path) as handle:
        yield path, handle.read()


def fixed_length(record_bytes, header_bytes, footer_bytes, hop_bytes):
    step = hop_bytes or record_bytes

    def records_of(path):
        with _opened(path) as handle:
            data = handle.read()
        end = len(data) - footer_bytes
        start, number = header_bytes, 0
        while start + record_bytes <= end:
            yield f"{path}:{number}", data[start:start + record_bytes]
            start, number = start + step, number + 1
    return records_of


def tf_records(compression):
    def records_of(path):
        for offset, record in records.read_records(path, compression):
            yield f"{path}:{offset}", record
    return records_of


def _identity(work):
    yield work, work.encode()


def _opened(path):
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise errors.NotFoundError(f"{path}; No such file or directory") from None
    except IsADirectoryError:
        raise errors.InvalidArgumentError(f"{path} is a directory, not a file") from None


# -- the ops ----------------------------------------------------------------------------------
def _reader_forward(ctx, *, reader):
    return np.array(reader.name.encode(), dtype=object)


READER_OPS = {kind: define_op(kind + "V2", forward=_reader_forward, context=True,
                              shape=lambda **_: ((), dtypes.string), default_name=default)
              for kind, default in [("TextLineReader", "TextLineReader"),
                                    ("WholeFileReader", "WholeFileReader"),
                                    ("FixedLengthRecordReader", "FixedLengthRecordReader"),
                                    ("TFRecordReader", "TFRecordReader"),
                                    ("IdentityReader", "IdentityReader")]}


def _state(ctx, reader):
    return ctx.resource(reader, lambda: ReaderState(reader))


def _read_shape(reader_handle, queue_handle, *, reader, queue, count):
    shape = () if count is None else (None,)
    return [(shape, dtypes.string), (shape, dtypes.string)]


def _read_forward(ctx, reader_handle, queue_handle, *, reader, queue, count):
    found = _state(ctx, reader).read(state_of(ctx, queue), count or 1, ctx.op)
    keys, values = _bytes([k for k, _ in found]), _bytes([v for _, v in found])
    if count is None:
        return keys.reshape(()), values.reshape(())
    return keys, values


ReaderRead = define_op("ReaderReadV2", forward=_read_forward, shape=_read_shape,
                       context=True, blocking=True)


def _count_forward(ctx, reader_handle, *, reader, what):
    state = _state(ctx, reader)
    return np.int64(state.produced if what == "produced" else state.completed)


ReaderCount = define_op("ReaderNumRecordsProducedV2", forward=_count_forward,
                        shape=lambda handle, **_: ((), dtypes.int64), context=True)


def _reset_forward(ctx, reader_handle, *, reader):
    state = _state(ctx, reader)
    with state.lock:
        state.reset()
    return []


ReaderReset = define_op("ReaderResetV2", forward=_reset_forward,
                        shape=lambda handle, **_: [], context=True)


# -- the reader objects users build -----------------------------------------------------------
class ReaderBase:
    """Reads records from the files a queue names; see the module's docstring."""

    _kind = None
    supports_serialize = False

    def __init__(self, records_of, name=None):
        spec = ReaderSpec(self._kind, records_of, None)
        self._handle = READER_OPS[self._kind](name=name, reader=spec)
        spec.name = self._handle.op.name
        self._spec = spec

    @property
    def reader_ref(self):
        return self._handle

    def read(self, queue, name=None):
        """(key, value): the next record, as two scalar string tensors."""
        return self._read(queue, None, name or "ReaderReadV2")

    def read_up_to(self, queue, num_records, name=None):
        """(keys, values): up to `num_records` records (fewer at the very end)."""
        count = int(num_records)
        if count <= 0:
            raise ValueError(f"read_up_to needs num_records > 0, got {num_records}")
        return self._read(queue, count, name or "ReaderReadUpToV2")

    def _read(self, queue, count, name):
        if not isinstance(queue, QueueBase):
            raise TypeError(f"{self._kind}.read takes the queue of file names (e.g. "
                            f"tf.train.string_input_producer([...])), got {queue!r}")
        if queue.dtypes != [dtypes.string]:
            raise TypeError(f"{self._kind}.read needs a queue of strings (file names); "
                            f"{queue.name!r} holds {[dtypes.name_of(d) for d in queue.dtypes]}")
        op = ReaderRead.create([self._handle, queue.queue_ref],
                               {"reader": self._spec, "queue": queue._spec, "count": count},
                               name)
        return tuple(op.outputs)

    def num_records_produced(self, name=None):
        return ReaderCount(self._handle, reader=self._spec, what="produced", name=name)

    def num_work_units_completed(self, name=None):
        return ReaderCount(self._handle, reader=self._spec, what="completed", name=name)

    def reset(self, name=None):
        return ReaderReset(self._handle, reader=self._spec, name=name)


class TextLineReader(ReaderBase):
    """One record per line of a text file (the newline removed); the first
    `skip_header_lines` lines of each file are skipped."""

    _kind = "TextLineReader"

    def __init__(self, skip_header_lines=None, name=None):
        super().__init__(lines(int(skip_header_lines or 0)), name)


class WholeFileReader(ReaderBase):
    """One record per file: its whole contents (key: the file name)."""

    _kind = "WholeFileReader"

    def __init__(self, name=None):
        super().__init__(_whole_file, name)


class FixedLengthRecordReader(ReaderBase):
    """Records of `record_bytes` bytes each, after `header_bytes` and before
    `footer_bytes` (CIFAR-10's binary files: 1 label byte + 3072 image bytes)."""

    _kind = "FixedLengthRecordReader"

    def __init__(self, record_bytes, header_bytes=None, footer_bytes=None, hop_bytes=None,
                 name=None, encoding=None):
        if int(record_bytes) <= 0:
            raise ValueError(f"record_bytes must be > 0, got {record_bytes}")
        if encoding:
            raise ValueError("FixedLengthRecordReader: compressed files (encoding=) are "
                             "not supported; decompress them first")
        super().__init__(fixed_length(int(record_bytes), int(header_bytes or 0),
                                       int(footer_bytes or 0), int(hop_bytes or 0)), name)


class TFRecordReader(ReaderBase):
    """The records of TFRecord files (`options`: a TFRecordOptions for GZIP/ZLIB)."""

    _kind = "TFRecordReader"

    def __init__(self, name=None, options=None):
        super().__init__(tf_records(records.compression_name(options)), name)


class IdentityReader(ReaderBase):
    """The queue's work items themselves, as key and value."""

    _kind = "IdentityReader"

    def __init__(self, name=None):
        super().__init__(_identity, name)
