"""Python operators on tensors and variables: `a + b`, `x @ w`, `-x`, `x[1:, None]`, ..."""
from .graph import Tensor
from .ops import compare, indexing, linalg, math
from .variables import Variable


def _binary(function, name, reverse=False):
    if reverse:
        def operator(self, other):
            return function(other, self, name=name)
    else:
        def operator(self, other):
            return function(self, other, name=name)
    return operator


def _install(cls):
    pairs = {
        "add": (math.add, "add"), "sub": (math.subtract, "sub"),
        "mul": (math.multiply, "mul"), "truediv": (math.divide, "truediv"),
        "floordiv": (math.floordiv, "floordiv"), "mod": (math.mod, "mod"),
        "pow": (math.pow, "pow"), "matmul": (linalg.matmul, "matmul"),
    }
    for key, (function, name) in pairs.items():
        setattr(cls, f"__{key}__", _binary(function, name))
        setattr(cls, f"__r{key}__", _binary(function, name, reverse=True))
    for key, function in {"lt": compare.less, "le": compare.less_equal,
                          "gt": compare.greater, "ge": compare.greater_equal,
                          "and": compare.logical_and, "or": compare.logical_or}.items():
        setattr(cls, f"__{key}__", _binary(function, None))
    cls.__neg__ = lambda self: math.negative(self, name="neg")
    cls.__abs__ = lambda self: math.abs(self)
    cls.__invert__ = lambda self: compare.logical_not(self)
    cls.__getitem__ = indexing.getitem


for _cls in (Tensor, Variable):
    _install(_cls)
Variable.__hash__ = object.__hash__
Variable.__array_ufunc__ = None
