"""Our own ops in a saved GraphDef, for those TensorFlow has no form of (a gradient's
SumToShape, an optimizer's update, a queue): the NodeDef keeps our op type, and one attr,
`_autograd`, says where its OpDef is defined and holds its attrs, so that a second
program (`import_meta_graph`) finds the same OpDef again and rebuilds the same op.

Only OpDefs defined in this package's own modules (autograd, nn, optim) are looked up,
by importing that module and finding the OpDef of that type among its names: a saved
graph never names code to run. Attrs are written as tagged JSON; an op whose attrs hold
something else (a Python function, a function body) is not written this way.
"""
import base64
import importlib
import json

import numpy as np

from .. import dtypes
from ..registry import OpDef
from ..shapes import Shape

ATTR = "_autograd"
_PACKAGES = ("autograd", "nn", "optim")


class NotSerializable(TypeError):
    """An op attr that has no saved form (a Python function, a graph)."""


def is_native(node_def):
    return ATTR in node_def.attr


def findable(op_def):
    """True when a second program can find `op_def` again from what a node records."""
    module = op_def.module or ""
    return module.split(".")[0] in _PACKAGES


def encode(op):
    """The `_autograd` attr's text for `op`; NotSerializable when an attr has no form."""
    if not findable(op.op_def):
        raise NotSerializable(f"{op.describe()}: its op type {op.type!r} is defined in "
                              f"{op.op_def.module!r}, outside this package")
    try:
        attrs = {key: _encode(value) for key, value in op.attrs.items()}
    except NotSerializable as exc:
        raise NotSerializable(f"{op.describe()}: {exc}") from None
    return json.dumps({"module": op.op_def.module, "attrs": attrs}, sort_keys=True)


def build(node):
    """Rebuild the Operation an ImportedNode written by `encode` stands for."""
    record = json.loads(node.attr(ATTR))
    op_def = _find(record["module"], node.type)
    attrs = {key: _decode(value) for key, value in record["attrs"].items()}
    return op_def.create(node.inputs, attrs, node.name)


def _find(module_name, type_name):
    if module_name.split(".")[0] not in _PACKAGES:
        raise ValueError(f"op type {type_name!r} names module {module_name!r}, outside this "
                         f"package: it is not imported")
    module = importlib.import_module(module_name)
    found = [v for v in vars(module).values()
             if isinstance(v, OpDef) and v.type == type_name and v.module == module_name]
    if len(found) != 1:
        raise ValueError(f"op type {type_name!r} is not defined in {module_name} "
                         f"(found {len(found)}); the graph was saved by another version")
    return found[0]


def _encode(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (np.bool_, np.integer, np.floating)):
        return {"scalar": value.item(), "dtype": value.dtype.name}
    if isinstance(value, np.dtype):
        return {"dtype": dtypes.name_of(value) if value.kind not in "US" else "string"}
    if isinstance(value, Shape):
        return {"shape": list(value)}
    if isinstance(value, np.ndarray):
        return _encode_array(value)
    if isinstance(value, bytes):
        return {"bytes": base64.b64encode(value).decode()}
    if isinstance(value, slice):
        return {"slice": [_encode(value.start), _encode(value.stop), _encode(value.step)]}
    if isinstance(value, tuple):
        return {"tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"dict": {k: _encode(v) for k, v in value.items()}}
    raise NotSerializable(f"attr value {value!r} has no saved form")


def _encode_array(array):
    if array.dtype.kind in "USO":
        return {"strings": [_encode(v if not isinstance(v, np.str_) else str(v))
                            for v in array.ravel().tolist()],
                "shape": list(array.shape), "text": array.dtype.kind == "U"}
    return {"array": base64.b64encode(np.ascontiguousarray(array).tobytes()).decode(),
            "dtype": array.dtype.str, "shape": list(array.shape)}


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "scalar" in value:
        return np.dtype(value["dtype"]).type(value["scalar"])
    if "dtype" in value and len(value) == 1:
        return dtypes.as_dtype(value["dtype"])
    if "shape" in value and len(value) == 1:
        return Shape(value["shape"])
    if "array" in value:
        raw = base64.b64decode(value["array"])
        array = np.frombuffer(raw, dtype=np.dtype(value["dtype"])).reshape(value["shape"])
        array = array.copy()
        array.flags.writeable = False
        return array
    if "strings" in value:
        items = [_decode(v) for v in value["strings"]]
        if value["text"]:
            array = np.array(items, dtype=str).reshape(value["shape"])
        else:
            array = dtypes.string_array(items, tuple(value["shape"]))
        array.flags.writeable = False
        return array
    if "bytes" in value:
        return base64.b64decode(value["bytes"])
    if "slice" in value:
        return slice(*[_decode(v) for v in value["slice"]])
    if "tuple" in value:
        return tuple(_decode(v) for v in value["tuple"])
    if "dict" in value:
        return {k: _decode(v) for k, v in value["dict"].items()}
    raise ValueError(f"unreadable attr record {value!r}")
