"""Control flow as TF1 programs write it: cond, while_loop and map_fn, differentiable.

Each is one op in the graph that runs function bodies (autograd.functions) in the
session: `If` runs only the branch that `pred` selects; `While` runs its condition and
body until the condition is false, keeping each iteration's loop values (its trace) for
the backward pass; `MapFn` runs its body once per element. Their gradients are ops that
run the bodies' gradient functions: the backward pass of a loop is itself a loop, walking
the iterations in reverse and summing what flows into the tensors the body captured.
"""
import functools

import numpy as np

from .. import dtypes, errors, nest
from ..function_graph import FunctionBody, as_body_tensor, trace_function
from ..graph import get_default_graph
from ..registry import convert_to_tensor, define_op
from ..shapes import Shape, compatible, fmt
from .fill import zeros
from .shaping import zeros_like
from .state import is_handle, variable_spec


class LoopTrace:
    """The loop values at the start of every iteration of one run of a While op."""

    __slots__ = ("iterations",)

    def __init__(self, iterations):
        self.iterations = iterations


def _common_shape(a, b):
    """The most specific shape both fit (dimensions that differ become unknown)."""
    if a is None or b is None or len(a) != len(b):
        return None
    return Shape([x if x == y else None for x, y in zip(a, b)])


def _gradient_spec(tensor):
    """(shape, dtype) of the gradient of `tensor` (a variable handle's: the variable's)."""
    if is_handle(tensor):
        return variable_spec(tensor)
    return tensor.shape, tensor.dtype


def _zero_gradient(graph, tensor):
    """Zeros shaped like the gradient of `tensor` (of the body `graph`, or captured)."""
    inner = graph.capture(tensor)
    with graph.as_default():
        if is_handle(inner):
            shape, dtype = _gradient_spec(inner)
            return zeros(list(shape), dtype)
        return zeros_like(inner)


def _zeros_like_value(value):
    return np.zeros_like(value.read() if hasattr(value, "read") else value)


def _outputs(values, count):
    return values[0] if count == 1 else tuple(values)


def _spec_shape(*inputs, out_specs, **attrs):
    return list(out_specs)


def _captured_variables(op):
    """The reads of an op that runs function bodies: the variables its bodies captured
    (the last inputs are the captured outer tensors)."""
    outer = op.attrs["outer"]
    first = len(op.inputs) - len(outer)
    return [first + k for k, tensor in enumerate(outer) if is_handle(tensor)]


def _changed_variables(op):
    """The writes of an op that runs function bodies: the captured variables an op of a
    body changes (an assign_add inside a loop, as TF1 runs it). The writes are staged in
    the run's transaction, as any op's, and published when the run commits."""
    bodies = [op.attrs[key] for key in ("cond_body", "body") if key in op.attrs]
    bodies += list(op.attrs.get("branches", ()))
    written = set().union(*(body.written_captures() for body in bodies))
    outer = op.attrs["outer"]
    first = len(op.inputs) - len(outer)
    return [first + k for k, tensor in enumerate(outer) if tensor in written]


def _flat_upstream(op, dys, indices):
    """The upstream gradient of each output in `indices`, zeros where none arrived."""
    return [dys[i] if dys[i] is not None else zeros_like(op.outputs[i]) for i in indices]


# -- cond -----------------------------------------------------------------------------------
def _if_forward(ctx, pred, *inputs, branches, n_args, outer, out_specs):
    body = branches[0] if bool(np.asarray(pred)) else branches[1]
    args, captured = inputs[:n_args], inputs[n_args:]
    return _outputs(ctx.run(body, list(args), dict(zip(outer, captured))),
                    len(out_specs))


def _if_grad(op, *dys):
    """An If over the two branches' gradient bodies, with the same predicate."""
    pred, n_args = op.inputs[0], op.attrs["n_args"]
    args, outer = list(op.inputs[1:1 + n_args]), list(op.inputs[1 + n_args:])
    branches = op.attrs["branches"]
    wrt = [branch.inputs + outer for branch in branches]  # each branch's own arguments
    pieces = [branch.gradient(w) for branch, w in zip(branches, wrt)]
    floating = pieces[0][1]
    wanted = [i for i in range(n_args + len(outer))
              if any(p[2][i] is not None for p in pieces)]
    bodies = []
    for (body, _, positions), w in zip(pieces, wrt):
        outputs = [body.outputs[positions[i]] if positions[i] is not None else
                   _zero_gradient(body.graph, w[i]) for i in wanted]
        bodies.append(FunctionBody(body.graph, body.inputs, outputs))
    upstream = _flat_upstream(op, dys, floating)
    inputs = args + outer
    grads = _build_if(pred, args + upstream, bodies,
                      [_gradient_spec(inputs[i]) for i in wanted], op.name + "_grad")
    result = [None] * len(op.inputs)
    for index, grad in zip(wanted, grads):
        result[1 + index] = grad
    return result


If = define_op("If", forward=_if_forward, shape=_spec_shape, grad=_if_grad, context=True,
               reads=_captured_variables, writes=_changed_variables)


def _build_if(pred, args, bodies, specs, name):
    outer = list(dict.fromkeys(bodies[0].captures() + bodies[1].captures()))
    out = If(pred, *args, *outer, branches=tuple(bodies), n_args=len(args), outer=tuple(outer),
             out_specs=tuple(specs), name=name)
    return [out] if len(specs) == 1 else list(out)


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """`true_fn()` if `pred` else `false_fn()`, computing only the branch taken. Both must
    return the same structure of tensors with the same dtypes (TF1's fn1/fn2 work too)."""
    true_fn, false_fn = true_fn or fn1, false_fn or fn2
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("cond needs two callables, true_fn and false_fn")
    pred = convert_to_tensor(pred)
    if pred.dtype != dtypes.bool or (pred.shape is not None and len(pred.shape) != 0):
        raise TypeError(f"cond's pred must be a scalar bool tensor, got {pred!r}")
    outer_graph = get_default_graph()
    results, bodies = [], []
    for kind, function in (("cond (true branch)", true_fn), ("cond (false branch)", false_fn)):
        graph, _, result = trace_function(outer_graph, kind, lambda args, f=function: f(), [])
        results.append(result)
        bodies.append(FunctionBody(graph, [], [as_body_tensor(graph, r)
                                               for r in nest.flatten(result)]))
    nest.assert_same_structure(results[0], results[1], "cond's branches")
    specs = []
    for a, b in zip(bodies[0].outputs, bodies[1].outputs):
        if a.dtype != b.dtype:
            raise TypeError(f"cond's branches return {a.dtype.name} and {b.dtype.name} for "
                            f"the same output; cast one of them")
        specs.append((_common_shape(a.shape, b.shape), a.dtype))
    return nest.pack_sequence_as(results[0],
                                 _build_if(pred, [], bodies, specs, name or "cond"))


# -- case: a chain of conds -----------------------------------------------------------------
def _case_check_shape(*predicates, exclusive, has_default):
    return (), dtypes.bool


def _case_check_forward(*predicates, exclusive, has_default):
    """Passes the first predicate on, after TF's run-time checks of the others."""
    true = [i for i, p in enumerate(predicates) if bool(p)]
    if exclusive and len(true) > 1:
        raise errors.InvalidArgumentError(f"case: more than one condition is true "
                                          f"(conditions {true}) with exclusive=True")
    if not has_default and not true:
        raise errors.InvalidArgumentError("case: none of the conditions is true, and there "
                                          "is no default")
    return np.asarray(predicates[0], dtype=bool)


CaseCheck = define_op("CaseCheck", forward=_case_check_forward, shape=_case_check_shape)


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The result of the first `fn` whose `pred` is true, else of `default`, computing only
    that branch: a chain of conds. Without a default, the last pair's fn stands in for it
    and a run where no condition holds fails; with `exclusive`, so does one where several
    hold (TF1's checks)."""
    pairs = list(pred_fn_pairs.items() if isinstance(pred_fn_pairs, dict) else pred_fn_pairs)
    if not pairs:
        raise ValueError("case needs at least one (predicate, function) pair")
    for pred, fn in pairs:
        if not callable(fn):
            raise TypeError(f"case: {fn!r} paired with {pred!r} is not callable")
    predicates = [convert_to_tensor(p) for p, _ in pairs]
    for pred in predicates:
        if pred.dtype != dtypes.bool or (pred.shape is not None and len(pred.shape) != 0):
            raise TypeError(f"case: each predicate must be a scalar bool tensor, got {pred!r}")
    has_default = default is not None
    fns = [fn for _, fn in pairs] + ([default] if has_default else [])
    with get_default_graph().name_scope(name):
        first = CaseCheck(*predicates, exclusive=bool(exclusive), has_default=has_default)
        return _chain([first] + predicates[1:], fns)


def _chain(predicates, fns):
    """cond(p0, f0, lambda: cond(p1, f1, ... the last fn))."""
    if len(fns) == 1:
        return fns[0]()
    return cond(predicates[0], fns[0], lambda: _chain(predicates[1:], fns[1:]))


# -- while_loop -----------------------------------------------------------------------------
def _while_forward(ctx, *inputs, cond_body, body, n_vars, outer, maximum_iterations,
                   back_prop, out_specs, record=True):
    values, captured = list(inputs[:n_vars]), dict(zip(outer, inputs[n_vars:]))
    iterations, count = [], 0
    while maximum_iterations is None or count < maximum_iterations:
        if not bool(np.asarray(ctx.run(cond_body, values, captured)[0])):
            break
        if record:
            iterations.append(values)
        values = ctx.run(body, values, captured)
        for value, (shape, _), placeholder in zip(values, out_specs, body.inputs):
            if not compatible(shape, np.shape(value)):
                raise errors.InvalidArgumentError(
                    f"while_loop: loop variable {placeholder.op.name} has shape "
                    f"{fmt(np.shape(value))} after iteration {count + 1}, but "
                    f"{fmt(shape)} was declared (shape_invariants)")
        count += 1
    return tuple(values) + (LoopTrace(iterations),)


def _while_specialize(op):
    """The loop keeps each iteration's values only when a gradient of it exists in the
    graph (its trace output has a consumer, WhileGrad); otherwise it runs in constant
    memory. Decided when a plan is compiled: a gradient built later gets plans of its own."""
    record = op.attrs["back_prop"] and bool(op.outputs[-1].consumers())
    return functools.partial(_while_forward, record=record)


def _while_grad(op, *dys):
    """WhileGrad walks the recorded iterations backwards through the body's gradient;
    with back_prop=False nothing flows back through the loop, as in TF."""
    if not op.attrs["back_prop"]:
        return [None] * len(op.inputs)
    n_vars = op.attrs["n_vars"]
    loop_vars, outer = list(op.inputs[:n_vars]), list(op.inputs[n_vars:])
    body = op.attrs["body"]
    gbody, floating, positions = body.gradient(body.inputs + outer)
    graded_outer = [i for i in range(len(outer)) if positions[n_vars + i] is not None]
    specs = [(loop_vars[i].shape, loop_vars[i].dtype) for i in floating] + \
        [_gradient_spec(outer[i]) for i in graded_outer]
    upstream = _flat_upstream(op, dys, floating)
    grads = WhileGrad(op.outputs[-1], *upstream, *outer, gbody=gbody, floating=tuple(floating),
                      positions=tuple(positions), n_vars=n_vars, outer=tuple(outer),
                      graded_outer=tuple(graded_outer), out_specs=tuple(specs),
                      name=op.name + "_grad")
    grads = [grads] if len(specs) == 1 else list(grads)
    result = [None] * len(op.inputs)
    for slot, grad in zip(list(floating) + [n_vars + i for i in graded_outer], grads):
        result[slot] = grad
    return result


def _while_grad_forward(ctx, trace, *inputs, gbody, floating, positions, n_vars, outer,
                        graded_outer, out_specs):
    upstream = list(inputs[:len(floating)])
    captured_values = inputs[len(floating):]
    captured = dict(zip(outer, captured_values))
    totals = [None] * len(graded_outer)
    for values in reversed(trace.iterations):
        out = ctx.run(gbody, list(values) + upstream, captured)
        upstream = [out[positions[i]] if positions[i] is not None else
                    _zeros_like_value(values[i]) for i in floating]
        for k, i in enumerate(graded_outer):
            part = out[positions[n_vars + i]]
            totals[k] = part if totals[k] is None else totals[k] + part
    totals = [t if t is not None else _zeros_like_value(captured_values[i])
              for t, i in zip(totals, graded_outer)]
    return _outputs(upstream + totals, len(out_specs))


While = define_op("While", forward=_while_forward, shape=_spec_shape, grad=_while_grad,
                  context=True, reads=_captured_variables, writes=_changed_variables,
                  specialize=_while_specialize)
def _while_grad_grad(op, *dys):
    raise TypeError("Second-order gradient for while loops not supported: as in TF1, a "
                    "gradient of a while_loop's gradient cannot be built (unroll the loop "
                    "in Python to differentiate twice)")


WhileGrad = define_op("WhileGrad", forward=_while_grad_forward, shape=_spec_shape,
                      grad=_while_grad_grad, context=True, reads=_captured_variables)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
               return_same_structure=False):
    """Repeat `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` is true; return the
    final loop variables (same structure as `loop_vars`). Differentiable when back_prop:
    each iteration's values are kept for the backward loop."""
    if not callable(cond) or not callable(body):
        raise TypeError("while_loop needs two callables, cond and body")
    structure = loop_vars
    flat = [convert_to_tensor(v) for v in nest.flatten(loop_vars)]
    invariants = nest.flatten_up_to(loop_vars, shape_invariants) \
        if shape_invariants is not None else [None] * len(flat)
    specs = [(t.shape if inv is None else _as_shape(inv), t.dtype)
             for t, inv in zip(flat, invariants)]
    outer_graph = get_default_graph()

    def call(function):
        return lambda args: function(*_as_args(structure, args))
    cond_graph, cond_args, test = trace_function(outer_graph, "while_loop (condition)",
                                                 call(cond), specs)
    test = as_body_tensor(cond_graph, test)
    if test.dtype != dtypes.bool:
        raise TypeError(f"while_loop's cond must return a bool tensor, got {test!r}")
    if test.shape is not None and len(test.shape) != 0:
        raise ValueError(f"Shape must be rank 0 but is rank {len(test.shape)} for while_loop's "
                         f"cond: it returns {test!r}; reduce it to one bool (tf.reduce_all "
                         f"or tf.reduce_any)")
    body_graph, body_args, result = trace_function(outer_graph, "while_loop (body)",
                                                   call(body), specs)
    result = result if isinstance(result, (list, tuple)) or len(flat) > 1 else [result]
    outputs = [as_body_tensor(body_graph, r) for r in nest.flatten(result)]
    if len(outputs) != len(flat):
        raise ValueError(f"while_loop's body returned {len(outputs)} values for "
                         f"{len(flat)} loop variables")
    for var, arg, out in zip(flat, body_args, outputs):
        if out.dtype != var.dtype:
            raise TypeError(f"while_loop: loop variable {var.name} is {var.dtype.name} but "
                            f"the body returns {out.dtype.name} for it")
        if arg.shape is not None and (out.shape is None or len(out.shape) != len(arg.shape)
                                      or not all(a is None or a == b for a, b in
                                                 zip(arg.shape, out.shape))):
            raise ValueError(f"Input tensor {var.name!r} enters the loop with shape "
                             f"{fmt(arg.shape)}, but has shape {fmt(out.shape)} after one "
                             f"iteration. To allow the shape to vary across iterations, use "
                             f"the `shape_invariants` argument of tf.while_loop to specify a "
                             f"less-specific shape.")
    cond_body = FunctionBody(cond_graph, cond_args, [test])
    loop_body = FunctionBody(body_graph, body_args, outputs)
    outer = list(dict.fromkeys(cond_body.captures() + loop_body.captures()))
    out = While(*flat, *outer, cond_body=cond_body, body=loop_body, n_vars=len(flat),
                outer=tuple(outer), back_prop=bool(back_prop),
                maximum_iterations=None if maximum_iterations is None else
                int(maximum_iterations),
                out_specs=tuple(specs) + (((), dtypes.variant),), name=name or "while")
    finals = list(out[:-1])
    if len(finals) == 1 and not return_same_structure and (
            not nest.is_sequence(structure) or len(structure) == 1):
        return finals[0]  # TF1 unpacks a single loop variable given in a list
    return nest.pack_sequence_as(structure, finals)


def _as_args(structure, args):
    packed = nest.pack_sequence_as(structure, args)
    return list(packed) if isinstance(packed, (list, tuple)) and \
        not hasattr(packed, "_fields") else [packed]


def _as_shape(value):
    dims = getattr(value, "dims", value)
    return None if dims is None else Shape(list(dims))


# -- map_fn ---------------------------------------------------------------------------------
def _map_forward(ctx, *inputs, body, n_elems, outer, out_specs):
    elems, captured = inputs[:n_elems], dict(zip(outer, inputs[n_elems:]))
    count = len(elems[0])
    if count == 0:
        return _outputs([np.zeros((0,) + tuple(spec[0][1:]), spec[1])
                         for spec in out_specs], len(out_specs))
    rows = [ctx.run(body, [e[i] for e in elems], captured) for i in range(count)]
    return _outputs([np.stack(column) for column in zip(*rows)], len(out_specs))


def _map_grad(op, *dys):
    n_elems = op.attrs["n_elems"]
    elems, outer = list(op.inputs[:n_elems]), list(op.inputs[n_elems:])
    body = op.attrs["body"]
    gbody, floating, positions = body.gradient(body.inputs + outer)
    graded = [i for i in range(len(elems) + len(outer)) if positions[i] is not None]
    specs = [(elems[i].shape, elems[i].dtype) if i < n_elems else
             _gradient_spec(outer[i - n_elems]) for i in graded]
    if not specs:
        return [None] * len(op.inputs)
    upstream = _flat_upstream(op, dys, floating)
    grads = MapFnGrad(*elems, *upstream, *outer, gbody=gbody, n_elems=n_elems,
                      n_upstream=len(upstream), outer=tuple(outer), graded=tuple(graded),
                      positions=tuple(positions), out_specs=tuple(specs),
                      name=op.name + "_grad")
    grads = [grads] if len(specs) == 1 else list(grads)
    result = [None] * len(op.inputs)
    for slot, grad in zip(graded, grads):
        result[slot] = grad
    return result


def _map_grad_forward(ctx, *inputs, gbody, n_elems, n_upstream, outer, graded, positions,
                      out_specs):
    elems = inputs[:n_elems]
    upstream = inputs[n_elems:n_elems + n_upstream]
    captured_values = inputs[n_elems + n_upstream:]
    captured = dict(zip(outer, captured_values))
    per_element = [[] for _ in graded]
    totals = [None] * len(graded)
    for i in range(len(elems[0])):
        out = ctx.run(gbody, [e[i] for e in elems] + [u[i] for u in upstream], captured)
        for k, index in enumerate(graded):
            part = out[positions[index]]
            if index < n_elems:
                per_element[k].append(part)
            else:
                totals[k] = part if totals[k] is None else totals[k] + part
    results = []
    for k, index in enumerate(graded):
        if index < n_elems:
            results.append(np.stack(per_element[k]) if per_element[k] else
                           np.zeros_like(elems[index]))
        else:
            results.append(totals[k] if totals[k] is not None else
                           _zeros_like_value(captured_values[index - n_elems]))
    return _outputs(results, len(out_specs))


MapFn = define_op("MapFn", forward=_map_forward, shape=_spec_shape, grad=_map_grad,
                  context=True, reads=_captured_variables, writes=_changed_variables)
MapFnGrad = define_op("MapFnGrad", forward=_map_grad_forward, shape=_spec_shape,
                      context=True, reads=_captured_variables)


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True,
           swap_memory=False, infer_shape=True, name=None):
    """`fn` applied to each element of `elems` along its first axis (a nest of tensors
    with that axis in common); the results stacked."""
    structure = elems
    flat = [convert_to_tensor(e) for e in nest.flatten(elems)]
    if any(t.shape is not None and len(t.shape) == 0 for t in flat):
        raise ValueError("map_fn's elems must have a first axis to map over")
    specs = [(None if t.shape is None else Shape(list(t.shape)[1:]), t.dtype) for t in flat]
    graph, args, result = trace_function(
        get_default_graph(), "map_fn",
        lambda args: fn(nest.pack_sequence_as(structure, args)), specs)
    outputs = [as_body_tensor(graph, r) for r in nest.flatten(result)]
    body = FunctionBody(graph, args, outputs)
    count = flat[0].shape[0] if flat[0].shape is not None else None
    out_specs = tuple((None if o.shape is None else Shape([count] + list(o.shape)), o.dtype)
                      for o in outputs)
    out = MapFn(*flat, *body.captures(), body=body, n_elems=len(flat),
                outer=tuple(body.captures()), out_specs=out_specs, name=name or "map")
    flat_out = [out] if len(out_specs) == 1 else list(out)
    return nest.pack_sequence_as(result, flat_out)
