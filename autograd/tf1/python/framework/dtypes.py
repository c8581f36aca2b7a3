"""tensorflow.python.framework.dtypes: the dtype names and `as_dtype`."""
from autograd import (bool, complex64, complex128, double, float16, float32,  # noqa: F401,A004
                      float64, half, int8, int16, int32, int64, resource, string, uint8,
                      uint16, uint32, uint64)
from autograd import dtypes as _dtypes

as_dtype = _dtypes.as_dtype
DType = type(float32)
