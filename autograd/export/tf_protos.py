"""TensorFlow's protos and the values in them, both ways: numpy arrays <-> TensorProto,
shapes <-> TensorShapeProto, dtypes <-> DataType, Python values <-> AttrValue.

The proto classes are the copies the `tensorboard` package ships (the same messages
TensorFlow reads and writes); no TensorFlow is needed, and nothing here decodes the wire
format itself.
"""
import numpy as np

from .. import dtypes, errors

HINT = ("reading and writing TensorFlow protos needs the tensorboard package: pip install "
        "tensorboard (or install this package with its 'tensorboard' extra)")


def protos():
    """The tensorboard package's proto modules, by name (ImportError with a hint)."""
    try:
        from tensorboard.compat.proto import (attr_value_pb2, graph_pb2, meta_graph_pb2,
                                              node_def_pb2, saver_pb2, tensor_pb2,
                                              tensor_shape_pb2, types_pb2, variable_pb2)
    except ImportError as exc:
        raise ImportError(HINT) from exc
    return _Protos(attr_value_pb2, graph_pb2, meta_graph_pb2, node_def_pb2, saver_pb2,
                   tensor_pb2, tensor_shape_pb2, types_pb2, variable_pb2)


class _Protos:
    def __init__(self, attr_value, graph, meta_graph, node_def, saver, tensor, tensor_shape,
                 types, variable):
        self.attr_value, self.graph, self.meta_graph = attr_value, graph, meta_graph
        self.node_def, self.saver, self.tensor = node_def, saver, tensor
        self.tensor_shape, self.types, self.variable = tensor_shape, types, variable


_DTYPES = {"float16": "DT_HALF", "float32": "DT_FLOAT", "float64": "DT_DOUBLE",
           "int8": "DT_INT8", "int16": "DT_INT16", "int32": "DT_INT32", "int64": "DT_INT64",
           "uint8": "DT_UINT8", "uint16": "DT_UINT16", "uint32": "DT_UINT32",
           "uint64": "DT_UINT64", "complex64": "DT_COMPLEX64", "complex128": "DT_COMPLEX128",
           "bool": "DT_BOOL", "string": "DT_STRING", "resource": "DT_RESOURCE",
           "variant": "DT_VARIANT"}
_FROM_TF = {tf: name for name, tf in _DTYPES.items()}

# the TensorProto field that holds each dtype's values when there is no tensor_content
_VALUE_FIELDS = {"float16": "half_val", "float32": "float_val", "float64": "double_val",
                 "int64": "int64_val", "uint32": "uint32_val", "uint64": "uint64_val",
                 "bool": "bool_val", "string": "string_val", "complex64": "scomplex_val",
                 "complex128": "dcomplex_val"}


def tf_dtype(dtype):
    """TF's DataType enum value for a dtype of ours."""
    dtype = np.dtype(dtype)
    name = "string" if dtype.kind in "US" else dtypes.name_of(dtype)
    return protos().types.DataType.Value(_DTYPES.get(name, "DT_INVALID"))


def parse(message_class, data, what):
    """A `message_class` from `data` in the binary wire format or the text format (files
    like `.pbtxt`); DataLossError naming `what` (a file, "the data") when it is neither."""
    from google.protobuf import message, text_format
    name = message_class.DESCRIPTOR.name
    try:
        return message_class.FromString(data)
    except message.DecodeError as binary_error:
        try:
            return text_format.Parse(data.decode("utf-8"), message_class())
        except (UnicodeDecodeError, text_format.ParseError):
            raise errors.DataLossError(f"{what} is damaged: not a {name}, in binary or text "
                                       f"form: {binary_error}") from None


def serialize(message, as_text=False):
    """A message's bytes: the binary wire format, or the text format."""
    if not as_text:
        return message.SerializeToString()
    from google.protobuf import text_format
    return text_format.MessageToString(message).encode()


def from_tf_dtype(value):
    """Our dtype for TF's DataType enum value (reference types `DT_FLOAT_REF` as their
    base type); TypeError for one we do not have."""
    tf_name = protos().types.DataType.Name(value)
    name = _FROM_TF.get(tf_name[:-4] if tf_name.endswith("_REF") else tf_name)
    if name is None:
        raise TypeError(f"TensorFlow's dtype {tf_name} has no counterpart here")
    return dtypes.as_dtype(name)


def tensor_proto(array):
    """A TensorProto of a numpy array (text as UTF-8 `string_val`)."""
    array = np.array(array, order="C")  # (not ascontiguousarray: it makes 0-d arrays 1-d)
    proto = protos().tensor.TensorProto(dtype=tf_dtype(array.dtype),
                                        tensor_shape=shape_proto(array.shape))
    if array.dtype.kind in "USO":
        proto.string_val.extend(s.encode() if isinstance(s, str) else bytes(s)
                                for s in array.ravel().tolist())
    else:
        proto.tensor_content = array.astype(array.dtype.newbyteorder("<")).tobytes()
    return proto


def tensor_array(proto):
    """The numpy array a TensorProto holds: from `tensor_content`, or from its typed value
    field, where TF repeats the last value given to fill the shape."""
    dtype = from_tf_dtype(proto.dtype)
    shape = shape_of(proto.tensor_shape)
    if shape is None or None in shape:
        raise ValueError("a constant tensor must have a fully known shape")
    size = int(np.prod(shape, dtype=np.int64))
    name = dtypes.name_of(dtype) if dtype.kind not in "US" else "string"
    if name == "string":
        values = list(proto.string_val)
        if len(values) < size:
            values += values[-1:] * (size - len(values)) if values else [b""] * size
        return dtypes.string_array([text_or_bytes(v) for v in values[:size]], shape)
    if proto.tensor_content:
        flat = np.frombuffer(proto.tensor_content, dtype=dtype.newbyteorder("<"))
        if flat.size != size:
            raise ValueError(f"tensor_content holds {flat.size} values for shape {shape}")
        return flat.astype(dtype).reshape(shape)
    field = _VALUE_FIELDS.get(name, "int_val")
    values = np.asarray(getattr(proto, field))
    if name == "float16":
        values = values.astype(np.uint16).view(np.float16)
    elif name.startswith("complex"):
        values = values[0::2] + 1j * values[1::2]
    if values.size == 0:
        return np.zeros(shape, dtype)
    if values.size < size:
        values = np.concatenate([values, np.repeat(values[-1:], size - values.size)])
    return values[:size].astype(dtype).reshape(shape)


def text_or_bytes(value):
    """A string tensor's element as TF1 programs see it: text when it is UTF-8."""
    try:
        return value.decode()
    except UnicodeDecodeError:
        return value


def shape_proto(shape):
    """A TensorShapeProto (None: unknown rank; None dims: -1)."""
    tensor_shape = protos().tensor_shape
    if shape is None:
        return tensor_shape.TensorShapeProto(unknown_rank=True)
    return tensor_shape.TensorShapeProto(dim=[
        tensor_shape.TensorShapeProto.Dim(size=-1 if d is None else int(d)) for d in shape])


def shape_of(proto):
    """A TensorShapeProto as a tuple of dims (None for -1), or None for unknown rank."""
    if proto.unknown_rank:
        return None
    return tuple(None if d.size < 0 else int(d.size) for d in proto.dim)


class Type:
    """Marks a value to be written as a `type` attr (TF's T, dtype, DstT, ...)."""

    def __init__(self, dtype):
        self.dtype = dtypes.as_dtype(dtype)


class ShapeAttr:
    """Marks a value to be written as a `shape` attr (None: unknown rank)."""

    def __init__(self, dims):
        self.dims = None if dims is None else tuple(dims)


def attr_value(value):
    """An AttrValue for a Python value: bool, int, float, str/bytes, Type, ShapeAttr, an
    array (a tensor), or a list of ints, floats, strings, Types or ShapeAttrs."""
    attr = protos().attr_value.AttrValue
    if isinstance(value, (bool, np.bool_)):
        return attr(b=bool(value))
    if isinstance(value, (int, np.integer)):
        return attr(i=int(value))
    if isinstance(value, (float, np.floating)):
        return attr(f=float(value))
    if isinstance(value, str):
        return attr(s=value.encode())
    if isinstance(value, bytes):
        return attr(s=value)
    if isinstance(value, np.ndarray):
        return attr(tensor=tensor_proto(value))
    if isinstance(value, ShapeAttr):
        return attr(shape=shape_proto(value.dims))
    if isinstance(value, Type):
        return attr(type=tf_dtype(value.dtype))
    if isinstance(value, (list, tuple)):
        return attr(list=_list_value(value))
    raise TypeError(f"no AttrValue for {value!r}")


def _list_value(values):
    lists = protos().attr_value.AttrValue.ListValue
    if all(isinstance(v, Type) for v in values):
        return lists(type=[tf_dtype(v.dtype) for v in values])
    if all(isinstance(v, ShapeAttr) for v in values):
        return lists(shape=[shape_proto(v.dims) for v in values])
    if all(isinstance(v, (str, bytes)) for v in values):
        return lists(s=[v.encode() if isinstance(v, str) else v for v in values])
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
        return lists(i=[int(v) for v in values])
    if all(isinstance(v, (int, float, np.number)) for v in values):
        return lists(f=[float(v) for v in values])
    raise TypeError(f"no AttrValue list for {values!r}")


def attr_python(attr):
    """The Python value an AttrValue holds: str, int, float, bool, a dtype, a shape tuple
    (None: unknown rank), an array, or a list of those; None when unset."""
    kind = attr.WhichOneof("value")
    if kind == "s":
        return text_or_bytes(attr.s)
    if kind in ("i", "f", "b"):
        return getattr(attr, kind)
    if kind == "type":
        return from_tf_dtype(attr.type)
    if kind == "shape":
        return shape_of(attr.shape)
    if kind == "tensor":
        return tensor_array(attr.tensor)
    if kind == "list":
        found = attr.list
        for field, convert in (("s", text_or_bytes), ("i", int), ("f", float), ("b", bool),
                               ("type", from_tf_dtype), ("shape", shape_of),
                               ("tensor", tensor_array)):
            items = getattr(found, field)
            if len(items):
                return [convert(v) for v in items]
        return []
    if kind == "func":
        return attr.func.name
    return None
