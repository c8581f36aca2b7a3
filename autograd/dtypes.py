"""Dtypes: plain numpy dtypes under TF1's names, and the rules for Python values."""
import builtins

import numpy as np

float16 = half = np.dtype("float16")
float32 = np.dtype("float32")
float64 = double = np.dtype("float64")
int8 = np.dtype("int8")
int16 = np.dtype("int16")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
uint8 = np.dtype("uint8")
uint16 = np.dtype("uint16")
uint32 = np.dtype("uint32")
uint64 = np.dtype("uint64")
complex64 = np.dtype("complex64")
complex128 = np.dtype("complex128")
bool = np.dtype("bool")  # noqa: A001 - TF1's name, shadowing is intended in this namespace

string = np.dtype(str)  # TF1's tf.string: its values are text (str) or bytes (file contents)
resource = np.dtype(object)  # a variable handle (TF's tf.resource); never a user value
# an opaque run-time object that is no variable handle (TF's tf.variant): a while_loop's
# record of its iterations. A dtype of its own, so that `resource` means a handle only.
variant = np.dtype([("variant", object)])

SUPPORTED = (float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32,
             uint64, complex64, complex128, bool, string)
# TF's spellings where numpy's differ: np.dtype("float") and np.dtype(float) are float64
# and "half" is no numpy name; TF has no "int" (numpy would give int64)
_TF_NAMES = {"float": float32, "double": float64, "half": float16, "string": string}
_TF_TYPES = {builtins.float: float32, builtins.bool: bool}
_INT32_MIN, _INT32_MAX = np.iinfo(np.int32).min, np.iinfo(np.int32).max


def as_dtype(dtype):
    """Normalise `dtype` (a dtype, a numpy type or a name like "float32") to a numpy dtype."""
    if isinstance(dtype, str) and dtype == "resource":
        return resource
    if (isinstance(dtype, str) and dtype == "variant") or (
            isinstance(dtype, np.dtype) and dtype == variant):
        return variant
    if isinstance(dtype, str) and dtype in _TF_NAMES:
        return _TF_NAMES[dtype]
    if isinstance(dtype, type) and dtype in _TF_TYPES:
        return _TF_TYPES[dtype]
    if dtype is builtins.int or (isinstance(dtype, str) and dtype == "int"):
        raise TypeError(f"{dtype!r} is not a TF dtype (TF has no plain 'int'): use "
                        f"int32 or int64")
    try:
        result = np.dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"{dtype!r} is not a dtype; use e.g. autograd.float32") from exc
    if result.kind == "U":
        return string
    if result == resource and (dtype is resource or dtype == "resource"):
        return resource
    if result not in SUPPORTED:
        names = ", ".join(d.name for d in SUPPORTED)
        raise TypeError(f"dtype {result.name} is not supported; use one of {names}")
    return result


def is_floating(dtype):
    """True for the dtypes that carry gradients."""
    return dtype.kind == "f"


def name_of(dtype):
    """The dtype's TF1 name: `float32`, ..., `resource` for a variable handle and
    `variant` for an opaque value."""
    if dtype == variant:
        return "variant"
    return "resource" if dtype is resource or dtype.kind == "O" else dtype.name


def is_opaque(dtype):
    """True for the dtypes of values that are no array: handles and variants."""
    return dtype == resource or dtype == variant


def string_array(values, shape=None):
    """A string tensor's value from text or bytes: an object array, which keeps bytes
    exactly (numpy's fixed-width bytes would drop trailing NULs of a binary record)."""
    values = list(values)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out.reshape((len(values),) if shape is None else shape)


def python_value_dtype(array):
    """The dtype TF1 gives a Python value: int -> int32 (int64 if too big), float -> float32."""
    check_numeric(array, "the value given")
    if array.dtype.kind in "iu":
        if array.size and (array.min() < _INT32_MIN or array.max() > _INT32_MAX):
            return int64
        return int32
    if array.dtype.kind == "f":
        return float32
    if array.dtype.kind == "b":
        return bool
    raise TypeError(f"cannot make a tensor from a value of numpy dtype {array.dtype} "
                    f"(kind {array.dtype.kind!r}); pass numbers, lists of numbers or arrays")


def check_numeric(array, what):
    """TypeError for values no tensor can hold: text, and integers beyond int64/uint64
    (numpy keeps those as Python objects)."""
    if array.dtype.kind in "US":
        raise TypeError(f"{what} contains text ({_preview(array)}); give numbers")
    if array.dtype.kind == "O":
        huge = [v for v in array.ravel() if type(v) is int]  # Python ints numpy could not fit
        if huge and len(huge) == array.size:
            biggest = max(huge, key=abs)
            raise TypeError(f"{what} contains the integer {biggest}, too large for int64, "
                            f"the widest integer dtype (-2**63 .. 2**63 - 1)")


def convert_array(array, dtype):
    """Convert `array` to `dtype`, refusing conversions that would silently lose values."""
    if array.dtype == dtype or (dtype.kind == "U" and array.dtype.kind == "S"):
        return array   # a string tensor holds text or bytes (a file's contents) alike
    if array.dtype.kind == "f" and dtype.kind in "iub":
        if not np.all(np.isfinite(array)) or np.any(array != np.round(array)):
            raise TypeError(f"cannot convert the float value {_preview(array)} to {dtype.name} "
                            f"without losing information; use autograd.cast on a tensor")
    if dtype.kind in "iu" and array.dtype.kind in "iuf" and array.size:
        info = np.iinfo(dtype)
        if array.dtype.kind == "f":
            # NOTE: compared as Python floats, exactly: 2**63 (or float32 2**31) equals the
            # dtype's max when numpy rounds that max to the float's precision
            low, high = float(array.min()), float(array.max())
            outside = low < float(info.min) or high >= float(info.max) + 1.0
        else:
            outside = array.min() < info.min or array.max() > info.max
        if outside:
            raise TypeError(f"value {_preview(array)} is out of range for {dtype.name}")
    return array.astype(dtype)


def _preview(array):
    text = np.array2string(np.asarray(array), threshold=6, edgeitems=2)
    return text if len(text) < 60 else text[:57] + "..."
