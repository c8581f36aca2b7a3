"""What watches a run: observers the executor calls before and after each step.

Kernels stay bare; everything that watches them is an observer with two methods,
`before(step, args)` and `after(step, args, result)`, called on the thread that runs the
step (so several may be called at once by the dataflow executor):

- `FirstRunCheck`: on a step's first run, its outputs are checked against the op's shape
  rule and its cost is measured (autograd.costs); the plan stops asking it once every
  step has been seen;
- `NumericsCheck`: with `check_numerics`, NaN or Inf in any float output (or in a value
  written into a variable) stops the run, naming the op;
- `autograd.tracing.Recorder`: timings of a traced run.

`Session.step` needs no observer: the executor's loop yields after each step.
"""
import numpy as np

from . import dtypes, errors
from .shapes import compatible, fmt


class Observer:
    """Called around every step of a run; override either method."""

    def before(self, step, args):
        """`step` is about to run on `args`."""

    def after(self, step, args, result):
        """`step` ran on `args` and returned `result` (its kernel's return value)."""


class FirstRunCheck(Observer):
    """Checks each step's outputs against its op's static shapes and dtypes, and measures
    its cost, the first time the step runs."""

    def __init__(self, plan):
        self.plan = plan
        self.index = {step.op: i for i, step in enumerate(plan.steps)}

    def after(self, step, args, result):
        index = self.index[step.op]
        if self.plan.costs.costs[index] is None:
            check_outputs(step.op, result)
            self.plan.costs.measure(index, step.op, args, result)

    @property
    def done(self):
        return self.plan.costs.complete


class NumericsCheck(Observer):
    """InvalidArgumentError when a step produces NaN or Inf (or writes it into a
    variable), naming the op and summarizing its inputs."""

    def after(self, step, args, result):
        outputs = result if isinstance(result, tuple) else (result,)
        written = [a.staged for a in args if getattr(a, "staged", None) is not None]
        for index, value in enumerate(list(outputs) + written):
            array = np.asarray(value)
            if array.dtype.kind == "f" and not np.isfinite(array).all():
                what = f"output {index}" if index < len(outputs) else "a variable update"
                given = "; ".join(summarize(v) for v in args) or "no inputs"
                raise errors.InvalidArgumentError(
                    f"check_numerics: {step.op.describe()} produced NaN or Inf in {what} "
                    f"({summarize(array)}). Its inputs: {given}.", step.op)


def check_outputs(op, result):
    """InternalError if a kernel's result contradicts its op's static shapes and dtypes."""
    if not op.outputs:
        return
    if len(op.outputs) == 1:
        results = (result,)
    else:
        results = tuple(result) if isinstance(result, (tuple, list)) else (result,)
        if len(results) != len(op.outputs):
            raise errors.InternalError(
                f"the kernel of {op.describe()} returned {len(results)} values, but its "
                f"shape rule declares {len(op.outputs)} outputs", op)
    for tensor, value in zip(op.outputs, results):
        if dtypes.is_opaque(tensor.dtype):  # a handle or a loop's trace: no array
            continue
        shape, dtype = np.shape(value), np.result_type(value)
        # text or bytes; bytes that may end in NUL (a binary record) in an object array
        same_kind = dtype.kind in "USO" and tensor.dtype.kind == "U"
        if (dtype != tensor.dtype and not same_kind) or not compatible(tensor.shape, shape):
            raise errors.InternalError(
                f"the kernel of {op.describe()} returned {fmt(shape)} {dtype.name} for "
                f"output {tensor.value_index}, but its shape rule says "
                f"{fmt(tensor.shape)} {dtypes.name_of(tensor.dtype)}", op)


def summarize(value):
    """A short description of an array (or a variable handle) for messages and drawings."""
    if hasattr(value, "read"):
        return f"variable {value.name!r}"
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        return f"{array.dtype}"
    head = f"{fmt(array.shape)} {array.dtype.name}"
    if array.size == 0:
        return head + " (empty)"
    if array.size <= 4:
        return head + " = " + np.array2string(array.ravel(), precision=4, separator=", ")
    finite = array[np.isfinite(array)] if array.dtype.kind == "f" else array
    bad = array.size - finite.size
    if finite.size == 0:
        return head + f" all {bad} values NaN/Inf"
    text = (f"{head} min {finite.min():.4g} mean {finite.mean():.4g} "
            f"max {finite.max():.4g}")
    return text + (f" ({bad} NaN/Inf)" if bad else "")
