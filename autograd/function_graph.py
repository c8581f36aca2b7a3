"""Function bodies: the graphs inside cond, while_loop and map_fn (TF2's functional
control flow, under TF1's names).

A FuncGraph is built by calling the user's Python function once, with the function's
arguments as placeholders. Tensors it uses from the enclosing graph are *captured*: the
body gets a placeholder for each, and the op that calls the body takes the outer tensor
as an ordinary input, so that the dataflow (and the gradient) crosses the boundary like
any edge. This module only builds bodies (it stands beside the ops, below execution): a
FunctionBody is run by the op that calls it, in that op's session, through
`OpContext.run` (each session compiles and caches one plan per body); its gradient is
another FunctionBody in the same FuncGraph, built by `gradients()` (which also makes
gradients of gradients work).
"""
from . import dtypes
from .gradients import carries_gradient, gradients
from .graph import Graph, Tensor, effects
from .ops.shaping import zeros_like
from .ops.state import CapturedHandle, Placeholder, VarHandleOp, is_handle
from .registry import convert_to_tensor


class FuncGraph(Graph):
    """The graph of a function body, inside `outer` (whose tensors it captures)."""

    def __init__(self, outer, name):
        super().__init__()
        self.outer, self.name = outer, name
        self.seed = outer.seed
        self.captured = {}   # outer tensor -> the placeholder standing for it here

    def captures_from(self, graph):
        return graph is self.outer or self.outer.captures_from(graph)

    def capture(self, tensor):
        if tensor.graph is self:
            return tensor
        found = self.captured.get(tensor)
        if found is None:
            if tensor.graph is not self.outer:  # from further out: through the outer body
                return self.capture(self.outer.capture(tensor))
            with self.as_default():
                if is_handle(tensor):
                    shape, dtype = _variable_spec(tensor)
                    found = CapturedHandle(dtype=dtype, shape=shape,
                                           name="captured_" + _short(tensor))
                else:
                    found = Placeholder(dtype=tensor.dtype, shape=tensor.shape,
                                        name="captured_" + _short(tensor))
            self.captured[tensor] = found
        return found

    def create_op(self, op_def, inputs, attrs, name, output_specs):
        if op_def is VarHandleOp:
            raise ValueError(f"a Variable ({name!r}) was created inside the function of a "
                             f"{self.name}; create variables before it (e.g. call the layer "
                             f"or cell once outside, or build() it) and use them inside")
        return super().create_op(op_def, inputs, attrs, name, output_specs)


def _variable_spec(handle):
    return handle.op.attrs["shape"], handle.op.attrs["dtype"]


def _short(tensor):
    return tensor.op.name.replace("/", "_")


class FunctionBody:
    """Outputs computed in a FuncGraph from its `inputs` (placeholders) and the outer
    tensors it captured. A session computes them (`OpContext.run`); `gradient()` is the
    body of their vector-Jacobian product."""

    def __init__(self, graph, inputs, outputs):
        self.graph, self.inputs, self.outputs = graph, list(inputs), list(outputs)
        self._gradient = None

    def captures(self):
        """The outer tensors this body reads (in capture order)."""
        return list(self.graph.captured)

    def written_captures(self):
        """The outer variable handles that ops of this body change (an assign_add in a
        loop's body): the op that runs the body changes them, and declares it."""
        outer_of = {inner: outer for outer, inner in self.graph.captured.items()}
        return {outer_of[handle] for op in self.graph.get_operations()
                for handle in effects(op)[1] if handle in outer_of}

    def feeds(self, args, captured):
        """{placeholder: value} for one call: `args` (one value per input) and the values
        of the outer tensors in `captured` ({outer tensor: value})."""
        feeds = dict(zip(self.inputs, args))
        for outer, inner in self.graph.captured.items():
            if outer in captured:
                feeds[inner] = captured[outer]
        return feeds

    def gradient(self, wrt):
        """The body of d(outputs)/d(wrt) given one upstream gradient per floating output:
        (FunctionBody with inputs = self.inputs + the upstream gradients, the index of each
        such output, and for each tensor of `wrt` (inputs or outer captures) its gradient
        output's index or None)."""
        if self._gradient is not None and self._gradient[0] == tuple(wrt):
            return self._gradient[1]
        with self.graph.as_default():
            floating = [i for i, o in enumerate(self.outputs) if dtypes.is_floating(o.dtype)]
            upstream = [Placeholder(dtype=self.outputs[i].dtype, shape=self.outputs[i].shape,
                                    name="upstream_gradient") for i in floating]
            inner = [w if w.graph is self.graph else self.graph.capture(w) for w in wrt]
            differentiable = [w for w in inner if carries_gradient(w)]
            grads = gradients([self.outputs[i] for i in floating], differentiable,
                              grad_ys=upstream) if floating and differentiable else []
            by_tensor = dict(zip(differentiable, grads))
            outputs, positions = [], []
            for w in inner:
                grad = by_tensor.get(w)
                if grad is None and carries_gradient(w) and not is_handle(w):
                    grad = zeros_like(w)
                positions.append(None if grad is None else len(outputs))
                if grad is not None:
                    outputs.append(grad)
        result = (FunctionBody(self.graph, self.inputs + upstream, outputs), floating,
                  positions)
        self._gradient = (tuple(wrt), result)
        return result


def trace_function(outer, kind, function, arg_specs):
    """Build a FuncGraph by calling `function` on placeholders shaped by `arg_specs`
    ([(shape, dtype)]); returns (graph, placeholders, whatever `function` returned, with
    its tensors converted in the body graph)."""
    graph = FuncGraph(outer, kind)
    with graph.as_default():
        args = [Placeholder(dtype=dtype, shape=shape, name=f"arg{i}")
                for i, (shape, dtype) in enumerate(arg_specs)]
        result = function(args)
    return graph, args, result


def as_body_tensor(graph, value):
    """A function's result as a tensor of its body graph (numbers become constants,
    outer tensors are captured)."""
    with graph.as_default():
        tensor = convert_to_tensor(value)
        return graph.capture(tensor) if isinstance(tensor, Tensor) else tensor
