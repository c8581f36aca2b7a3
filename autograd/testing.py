"""Test helpers that nn, optim and user code reuse: finite-difference gradient checks."""
import numpy as np

from . import dtypes
from .gradients import gradients
from .graph import Graph
from .ops.shaping import zeros_like
from .ops.reduce import add_n, reduce_sum
from .ops.state import placeholder
from .registry import constant
from .session import Session


def _directional(session, scalar, xs, point, direction, eps):
    """Central difference of `scalar` at `point` along `direction`."""
    plus = {x: p + eps * d for x, p, d in zip(xs, point, direction)}
    minus = {x: p - eps * d for x, p, d in zip(xs, point, direction)}
    return (session.run(scalar, plus) - session.run(scalar, minus)) / (2 * eps)


def _dot(grads, direction):
    return float(sum(np.sum(g * d) for g, d in zip(grads, direction)))


def _check(session, scalar, grads, xs, point, rng, eps, rtol, atol, what):
    analytic = session.run(grads, dict(zip(xs, point)))
    for _ in range(2):
        direction = [rng.standard_normal(p.shape) for p in point]
        numeric = _directional(session, scalar, xs, point, direction, eps)
        exact = _dot(analytic, direction)
        if not abs(numeric - exact) <= atol + rtol * max(abs(numeric), abs(exact)):
            raise AssertionError(f"{what} gradient mismatch along a random direction: "
                                 f"finite differences give {numeric!r}, gradients() gives "
                                 f"{exact!r}")


def check_gradients(function, inputs, order=2, eps=1e-6, rtol=1e-5, atol=1e-7, seed=0):
    """Check `gradients()` of `function` against central differences, in float64.

    `function` maps tensors to a tensor; `inputs` are the arrays to check at. The output
    is reduced to a scalar with random weights, its gradient compared with finite
    differences along random directions, and (order=2) the same is done for the gradient
    of a random projection of the gradient: second derivatives. Raises AssertionError.
    """
    rng = np.random.default_rng(seed)
    point = [np.asarray(x, dtype=np.float64) for x in inputs]
    graph = Graph()
    with graph.as_default():
        xs = [placeholder(dtypes.float64, p.shape, name=f"x{i}") for i, p in enumerate(point)]
        y = function(*xs)
        with Session(graph=graph) as session:
            shape = np.shape(session.run(y, dict(zip(xs, point))))
            weights = constant(rng.standard_normal(shape))
            scalar = reduce_sum(y * weights)
            grads = [g if g is not None else zeros_like(x)
                     for g, x in zip(gradients(scalar, xs), xs)]
            _check(session, scalar, grads, xs, point, rng, eps, rtol, atol, "first-order")
            if order >= 2:
                projections = [reduce_sum(g * constant(rng.standard_normal(p.shape)))
                               for g, p in zip(grads, point)]
                second_scalar = add_n(projections)
                second = [g if g is not None else zeros_like(x)
                          for g, x in zip(gradients(second_scalar, xs), xs)]
                _check(session, second_scalar, second, xs, point, rng, eps, rtol, atol,
                       "second-order")
