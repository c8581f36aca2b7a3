"""Turning records into tensors: CSV lines, raw bytes, numbers written as text, and
tf.train.Example protos (TF1's decode_csv, decode_raw, string_to_number, parse_example).

Each is an op whose kernel parses every record of its input in the session; errors name
the record and field, as TF's do, so that a bad line in a file of thousands is found.
"""
import csv
import glob

import numpy as np

from . import dtypes, errors, records
from .graph import Tensor
from .registry import constant_value, convert_to_tensor, define_op
from .shapes import Shape, make_shape
from .sparse import SparseTensor

_CSV_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.string)


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def _strings(array):
    """A string tensor's values as a flat list of Python str (text or UTF-8 bytes)."""
    return [_text(v) for v in np.asarray(array, dtype=object).reshape(-1)]


# -- decode_csv -------------------------------------------------------------------------------
def _csv_shape(records_, *, defaults, delimiter, quoted, na_value, columns):
    return [(records_.shape, dtype) for dtype, _ in defaults]


def _csv_forward(records_, *, defaults, delimiter, quoted, na_value, columns):
    lines = _strings(records_)
    out = [[] for _ in defaults]
    for number, line in enumerate(lines):
        fields = next(csv.reader([line], delimiter=delimiter,
                                 quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE))
        if columns is not None:
            fields = [fields[c] if c < len(fields) else "" for c in columns]
        if len(fields) != len(defaults):
            raise errors.InvalidArgumentError(
                f"Expect {len(defaults)} fields but have {len(fields)} in record {number} "
                f"({line!r})")
        for index, (field, (dtype, default)) in enumerate(zip(fields, defaults)):
            if field == "" or field == na_value:
                if default is None:
                    raise errors.InvalidArgumentError(
                        f"Field {index} is required but missing in record {number}! "
                        f"({line!r})")
                out[index].append(default)
                continue
            out[index].append(_number(field, dtype, f"Field {index} in record {number}"))
    shape = np.shape(records_)
    return tuple(dtypes.string_array(values, shape) if dtype == dtypes.string
                 else np.array(values, dtype=dtype).reshape(shape)
                 for values, (dtype, _) in zip(out, defaults))


def _number(text, dtype, where):
    if dtype == dtypes.string:
        return text.encode()
    try:
        value = int(text.strip()) if dtype.kind == "i" else float(text.strip())
    except ValueError:
        kind = "int" if dtype.kind == "i" else "float"
        raise errors.InvalidArgumentError(f"{where} is not a valid {kind}: {text}") from None
    if dtype.kind == "i" and not np.iinfo(dtype).min <= value <= np.iinfo(dtype).max:
        raise errors.InvalidArgumentError(f"{where} is out of range for {dtype.name}: {text}")
    return value


DecodeCSV = define_op("DecodeCSV", forward=_csv_forward, shape=_csv_shape)


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, name=None,
               na_value="", select_cols=None):
    """One tensor per column of the CSV lines `records` (any shape), each of the dtype
    of its entry in `record_defaults`: `[value]` fills an empty field, `[]` (or an empty
    tensor) makes the field required."""
    defaults = [_csv_default(index, d) for index, d in enumerate(record_defaults)]
    if len(field_delim) != 1:
        raise ValueError(f"field_delim must be one character, got {field_delim!r}")
    columns = None if select_cols is None else [int(c) for c in select_cols]
    if columns is not None and (columns != sorted(set(columns)) or len(columns) != len(defaults)):
        raise ValueError("select_cols must be increasing and have one entry per record "
                         "default")
    out = DecodeCSV(convert_to_tensor(records, dtypes.string), defaults=tuple(defaults),
                    delimiter=field_delim, quoted=bool(use_quote_delim), na_value=na_value,
                    columns=None if columns is None else tuple(columns), name=name)
    return [out] if len(defaults) == 1 else list(out)


def _csv_default(index, default):
    """(dtype, fill value or None) for one entry of decode_csv's record_defaults."""
    if isinstance(default, Tensor):
        value = constant_value(default)
        if value is None:
            raise ValueError(f"record_defaults[{index}] must be a constant")
        dtype = default.dtype
    else:
        value = np.asarray(default)
        dtype = dtypes.string if value.dtype.kind in "USO" else (
            dtypes.python_value_dtype(value) if value.size else dtypes.float32)
    if dtype not in _CSV_TYPES:
        raise TypeError(f"record_defaults[{index}] has dtype {dtypes.name_of(dtype)}; "
                        f"decode_csv supports float32, float64, int32, int64 and string")
    flat = np.asarray(value, dtype=object).reshape(-1)
    if flat.size > 1:
        raise ValueError(f"record_defaults[{index}] must hold at most one value, got "
                         f"{flat.size}")
    if flat.size == 0:
        return dtype, None
    if dtype == dtypes.string:
        return dtype, flat[0] if isinstance(flat[0], bytes) else str(flat[0]).encode()
    return dtype, np.asarray(flat[0]).astype(dtype).item()


# -- decode_raw, string_to_number ------------------------------------------------------------
def _raw_shape(data, *, out_type, little_endian):
    return (None if data.shape is None else Shape(list(data.shape) + [None])), out_type


def _raw_forward(data, *, out_type, little_endian):
    chunks = [v if isinstance(v, bytes) else str(v).encode()
              for v in np.asarray(data, dtype=object).reshape(-1)]
    lengths = {len(c) for c in chunks}
    if len(lengths) > 1:
        raise errors.InvalidArgumentError(
            f"DecodeRaw requires input strings to all be the same size, but element 0 has "
            f"size {len(chunks[0])} != {sorted(lengths)[-1]}")
    width = np.dtype(out_type).itemsize
    size = lengths.pop() if lengths else 0
    if size % width:
        raise errors.InvalidArgumentError(
            f"Input to DecodeRaw has length {size} that is not a multiple of {width}, the "
            f"size of {out_type.name}")
    order = "<" if little_endian else ">"
    kind = np.dtype(out_type).newbyteorder(order) if width > 1 else np.dtype(out_type)
    flat = np.frombuffer(b"".join(chunks), dtype=kind).astype(out_type)
    return flat.reshape(np.shape(data) + (size // width,))


DecodeRaw = define_op("DecodeRaw", forward=_raw_forward, shape=_raw_shape)


def decode_raw(input_bytes=None, out_type=None, little_endian=True, name=None, bytes=None):
    """The bytes of each string reinterpreted as numbers of `out_type` (a new last axis)."""
    data = input_bytes if input_bytes is not None else bytes
    return DecodeRaw(convert_to_tensor(data, dtypes.string), out_type=dtypes.as_dtype(out_type),
                     little_endian=bool(little_endian), name=name)


def _to_number_forward(text, *, out_type):
    values = []
    for item in _strings(text):
        try:
            values.append(int(item) if out_type.kind == "i" else float(item))
        except ValueError:
            raise errors.InvalidArgumentError(
                f"StringToNumberOp could not correctly convert string: {item}") from None
    return np.array(values, dtype=out_type).reshape(np.shape(text))


StringToNumber = define_op("StringToNumber", forward=_to_number_forward,
                           shape=lambda text, *, out_type: (text.shape, out_type))


def string_to_number(string_tensor, out_type=dtypes.float32, name=None):
    out_type = dtypes.as_dtype(out_type)
    if out_type not in (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64):
        raise TypeError(f"string_to_number gives float32, float64, int32 or int64, not "
                        f"{dtypes.name_of(out_type)}")
    return StringToNumber(convert_to_tensor(string_tensor, dtypes.string), out_type=out_type,
                          name=name)


def _matching_forward(pattern):
    found = sorted({path for p in _strings(pattern) for path in glob.glob(p)})
    return dtypes.string_array([p.encode() for p in found], (len(found),))


MatchingFiles = define_op("MatchingFiles", forward=_matching_forward,
                          shape=lambda pattern: ((None,), dtypes.string))


def matching_files(pattern, name=None):
    """The sorted file names that match the glob `pattern` (or any of several)."""
    return MatchingFiles(convert_to_tensor(pattern, dtypes.string), name=name)


# -- Examples ---------------------------------------------------------------------------------
class FixedLenFeature:
    """A feature with exactly prod(shape) values in every Example (or `default_value`)."""

    def __init__(self, shape, dtype, default_value=None):
        self.shape, self.dtype = make_shape(shape), dtypes.as_dtype(dtype)
        self.default_value = default_value


class VarLenFeature:
    """A feature with any number of values: parsed as a SparseTensor."""

    def __init__(self, dtype):
        self.dtype = dtypes.as_dtype(dtype)


class FixedLenSequenceFeature:
    """A feature with any number of values, each of `shape`: parsed as a dense tensor
    padded with `default_value` along a new axis (needs allow_missing=True for Examples)."""

    def __init__(self, shape, dtype, allow_missing=False, default_value=None):
        self.shape, self.dtype = make_shape(shape), dtypes.as_dtype(dtype)
        self.allow_missing, self.default_value = allow_missing, default_value


_LIST_OF = {dtypes.float32: "float_list", dtypes.int64: "int64_list",
            dtypes.string: "bytes_list"}


def _values_of(example, key, dtype, record):
    """The values of feature `key` of one Example (a protobuf repeated field, read as a
    sequence), [] for a feature with no values, None when it is absent."""
    features = example.features.feature
    if key not in features:
        return None
    feature = features[key]
    kind = feature.WhichOneof("kind")
    if kind is None:
        return ()
    if kind != _LIST_OF[dtype]:
        raise errors.InvalidArgumentError(
            f"Name: {record}, Feature: {key}. Data types don't match. Data type: "
            f"{kind.replace('_list', '')} but expected type: {dtypes.name_of(dtype)}")
    return getattr(feature, kind).value


def _array(values, dtype, shape):
    """One array of `dtype` from a flat list of Python values (bytes stay exact)."""
    if dtype == dtypes.string:
        return dtypes.string_array(values, shape)
    return np.array(values, dtype=dtype).reshape(shape)


def _parse_shape(serialized, *, specs, single):
    batch = [] if single else [serialized.shape[0] if serialized.shape is not None else None]
    out = []
    for _, feature in specs:
        if isinstance(feature, VarLenFeature):
            out += [((None, len(batch) + 1), dtypes.int64), ((None,), feature.dtype),
                    ((len(batch) + 1,), dtypes.int64)]
        elif isinstance(feature, FixedLenSequenceFeature):
            out.append((Shape(batch + [None] + list(feature.shape)), feature.dtype))
        else:
            out.append((Shape(batch + list(feature.shape)), feature.dtype))
    return out[0] if len(out) == 1 else out


def _parse_forward(serialized, *, specs, single):
    message = records.messages()["Example"]
    raw = np.asarray(serialized, dtype=object).reshape(-1)
    examples = []
    for number, data in enumerate(raw):
        try:
            examples.append(message.FromString(data if isinstance(data, bytes)
                                               else str(data).encode()))
        except Exception as exc:   # the protobuf library's DecodeError
            raise errors.InvalidArgumentError(
                f"Could not parse example input, value {number}: {exc}") from None
    out = []
    for key, feature in specs:
        found = [_values_of(e, key, feature.dtype, n) for n, e in enumerate(examples)]
        if isinstance(feature, VarLenFeature):
            out += _sparse_parts(found, feature.dtype, single)
        elif isinstance(feature, FixedLenSequenceFeature):
            out.append(_sequences(found, key, feature, single))
        else:
            out.append(_dense(found, key, feature, single))
    return out[0] if len(out) == 1 else tuple(out)


def _dense(found, key, feature, single):
    shape = tuple(feature.shape)
    size = int(np.prod(shape, dtype=np.int64))
    flat = []
    for number, values in enumerate(found):
        if values is None:
            if feature.default_value is None:
                raise errors.InvalidArgumentError(
                    f"Name: {number}, Feature: {key} (data type: "
                    f"{dtypes.name_of(feature.dtype)}) is required but could not be found.")
            values = np.broadcast_to(np.asarray(feature.default_value), shape).ravel().tolist()
        elif len(values) != size:
            raise errors.InvalidArgumentError(
                f"Name: {number}, Key: {key}, Index: 0. Number of "
                f"{dtypes.name_of(feature.dtype)} values != expected. Values size: "
                f"{len(values)} but output shape: {list(feature.shape)}")
        flat.extend(values)
    return _array(flat, feature.dtype, shape if single else (len(found),) + shape)


def _sequences(found, key, feature, single):
    shape = tuple(feature.shape)
    step = max(int(np.prod(shape, dtype=np.int64)), 1)
    if not feature.allow_missing and any(v is None for v in found):
        raise errors.InvalidArgumentError(f"Feature: {key} is required but could not be "
                                          f"found (FixedLenSequenceFeature without "
                                          f"allow_missing=True)")
    lengths = [0 if v is None else len(v) // step for v in found]
    longest = max(lengths, default=0)
    fill = b"" if feature.dtype == dtypes.string else (feature.default_value or 0)
    out = np.full((len(found), longest) + shape, fill,
                  dtype=object if feature.dtype == dtypes.string else feature.dtype)
    for row, (values, length) in enumerate(zip(found, lengths)):
        if length:
            out[row, :length] = _array(list(values), feature.dtype, (length,) + shape)
    return out[0] if single else out


def _sparse_parts(found, dtype, single):
    indices, values, longest = [], [], 0
    for row, found_values in enumerate(found):
        count = 0 if found_values is None else len(found_values)
        longest = max(longest, count)
        indices.extend([column] if single else [row, column] for column in range(count))
        if count:
            values.extend(found_values)
    rank = 1 if single else 2
    shape = [longest] if single else [len(found), longest]
    return [np.array(indices, dtype=np.int64).reshape(-1, rank),
            _array(values, dtype, (len(values),)), np.array(shape, dtype=np.int64)]


ParseExample = define_op("ParseExample", forward=_parse_forward, shape=_parse_shape)


def parse_example(serialized, features, name=None, example_names=None):
    """{key: tensor} for a batch (1-D string tensor) of serialized Examples: dense
    [batch, ...] tensors for FixedLenFeature, SparseTensors for VarLenFeature."""
    return _parse(serialized, features, False, name)


def parse_single_example(serialized, features, name=None, example_names=None):
    """{key: tensor} for one serialized Example (a scalar string tensor)."""
    return _parse(serialized, features, True, name)


def _parse(serialized, features, single, name):
    serialized = convert_to_tensor(serialized, dtypes.string)
    expected = 0 if single else 1
    if serialized.shape is not None and len(serialized.shape) != expected:
        raise ValueError(f"{'parse_single_example' if single else 'parse_example'} needs "
                         f"a {'scalar' if single else '1-D'} string tensor of serialized "
                         f"Examples, got shape {serialized.shape}")
    specs = []
    for key in sorted(features):
        feature = features[key]
        if not isinstance(feature, (FixedLenFeature, VarLenFeature, FixedLenSequenceFeature)):
            raise TypeError(f"features[{key!r}] must be a FixedLenFeature, VarLenFeature or "
                            f"FixedLenSequenceFeature, got {feature!r}")
        if feature.dtype not in _LIST_OF:
            raise TypeError(f"features[{key!r}]: an Example holds float32, int64 or string "
                            f"values, not {dtypes.name_of(feature.dtype)}")
        specs.append((key, feature))
    op = ParseExample.create([serialized], {"specs": tuple(specs), "single": single},
                             name or "ParseExample")
    outputs, parsed = list(op.outputs), {}
    for key, feature in specs:
        if isinstance(feature, VarLenFeature):
            parsed[key] = SparseTensor(*outputs[:3])
            outputs = outputs[3:]
        else:
            parsed[key] = outputs.pop(0)
    return parsed
