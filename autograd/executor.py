"""Running a compiled plan: the one loop over its steps, with observers.

`execute` runs every step of a plan. Without a worker pool it walks the steps in plan
order, which is one dataflow order (each step's inputs come before it), so each value's
last reader is known when the plan is compiled and freed right after it (`Step.frees`).
With a pool, a step starts as soon as the steps it depends on have finished (its inputs'
producers, its control inputs, and the earlier ops on the same variable): the calling
thread keeps the bookkeeping, only heavy steps go to an idle worker, and only when the
caller has another step to run meanwhile, so light graphs pay no hand-offs. Steps then
finish out of order, so a value is freed when its count of readers still to run reaches
zero: the same rule. Either way a step is computed by `Step.run`, the same kernels on
the same inputs, so the results are bitwise identical.

Observers (autograd.observers) are called before and after each step on the thread that
runs it; with none, the loop does nothing else. With `trace`, the loop yields a
TraceStep after each step (Session.step walks it op by op); Session.run drains it.
"""
import collections
import contextvars
import queue

from . import errors
from .plan import TraceStep


def execute(plan, values, observers=(), trace=False, pool=None, interrupted=()):
    """Run the plan's steps over `values` (a slot list, feeds in place); a generator.

    A kernel failure is re-raised as an OpError naming the op, where it was created and
    the shapes it was given; an exception that is no Exception (KeyboardInterrupt) is
    raised as it is."""
    if pool is None:
        yield from _in_plan_order(plan, values, observers, trace)
    else:
        _as_inputs_are_ready(plan, values, observers, pool, interrupted)


def _in_plan_order(plan, values, observers, trace):
    if not observers and not trace:
        # NOTE: Step.run with no observers, unrolled into the loop: this is the hot path
        # of every cached run (about 0.2 us an op), where a call per step shows
        for step in plan.steps:
            kernel, inputs, out, frees, _ = step
            args = inputs(values)
            try:
                result = kernel(*args)
            except KERNEL_ERRORS as exc:
                raise kernel_error(step.op, args, exc) from cause(exc)
            if out.__class__ is int:
                values[out] = result
            elif out:
                for s, r in zip(out, result):
                    values[s] = r
            for s in frees:
                values[s] = None
        return
    for step in plan.steps:
        try:
            args, result = step.run(values, observers)
        except KERNEL_ERRORS as exc:
            # a step's inputs are freed only after it ran (and its observers with it)
            raise kernel_error(step.op, step.inputs(values), exc) from cause(exc)
        if trace:
            yield TraceStep(step.op, args, step.output_values(result))
        for s in step.frees:
            values[s] = None


# What a kernel raises when its inputs are wrong: these become an OpError naming the op.
# Anything else (a TimeoutError or a user's exception from a signal handler that landed
# while a kernel ran) reaches the caller with its own type.
KERNEL_ERRORS = (ValueError, TypeError, IndexError, KeyError, ArithmeticError,
                 AttributeError, AssertionError, errors.OpError)


def _as_inputs_are_ready(plan, values, observers, pool, interrupted):
    """Run the steps as their inputs become ready, handing heavy ones to `pool`'s idle
    threads. Stops at the first failure (after the steps already handed out have
    finished: no kernel is still running when this returns)."""
    schedule, costs = plan.schedule, plan.costs
    pending, readers = list(schedule.waiting), list(schedule.readers)
    ready = collections.deque(schedule.ready)
    finished = queue.SimpleQueue()
    running, done, failure = 0, 0, None
    try:
        while done < len(plan.steps):
            while ready and failure is None:
                index = ready.popleft()
                if ready and costs.heavy[index] and pool.try_submit(
                        _job(plan, values, index, observers, finished)):
                    running += 1
                    continue
                failure = _run_here(plan, values, index, observers)
                done += 1
                if failure is None:
                    _release(schedule, values, index, pending, readers, ready)
            if done == len(plan.steps) or (failure is not None and running == 0):
                break
            index, exc = _wait(finished, interrupted if failure is None else ())
            running, done = running - 1, done + 1
            if exc is not None:
                failure = failure or (index, exc)
            elif failure is None:
                _release(schedule, values, index, pending, readers, ready)
    except BaseException:  # Ctrl-C: let the steps already handed out finish first
        for _ in range(running):
            finished.get()
        raise
    if failure is not None:
        index, exc = failure
        if not isinstance(exc, KERNEL_ERRORS):
            raise exc
        step = plan.steps[index]
        raise kernel_error(step.op, step.inputs(values), exc) from cause(exc)


def _job(plan, values, index, observers, finished):
    context = contextvars.copy_context()   # the run's deadline (autograd.waiting)

    def job():
        try:
            context.run(plan.steps[index].run, values, observers)
        except BaseException as exc:  # noqa: B036 - handed to the coordinating thread
            finished.put((index, exc))
        else:
            finished.put((index, None))
    return job


def _run_here(plan, values, index, observers):
    try:
        plan.steps[index].run(values, observers)
    except Exception as exc:
        return index, exc
    return None


def _release(schedule, values, index, pending, readers, ready):
    """A step completed: release the steps waiting on it, free inputs nobody else reads."""
    for dependent in schedule.dependents[index]:
        pending[dependent] -= 1
        if pending[dependent] == 0:
            ready.append(dependent)
    for slot in schedule.inputs[index]:
        readers[slot] -= 1
        if readers[slot] == 0 and slot not in schedule.keep:
            values[slot] = None


def _wait(finished, interrupted):
    """The next (step, exception or None) a worker reports; a pending Ctrl-C raises."""
    while True:
        try:
            return finished.get(timeout=0.05)
        except queue.Empty:
            if interrupted:
                raise KeyboardInterrupt from None


def run_to_end(plan, values, observers=(), pool=None, interrupted=()):
    """Run every step of the plan (execute, drained)."""
    for _ in execute(plan, values, observers, False, pool, interrupted):
        pass


def kernel_error(op, inputs, exc):
    """The OpError a kernel's failure becomes: the op, its creation site, its inputs."""
    given = ", ".join(f"{getattr(v, 'shape', ())} {getattr(v, 'dtype', type(v).__name__)}"
                      for v in inputs)
    where = f"{op.describe()}"
    if isinstance(exc, errors.OpError):
        return type(exc)(f"{exc.message}\n  (raised by {where})", op)
    return errors.InvalidArgumentError(
        f"{where} failed: {type(exc).__name__}: {exc}. Its inputs had shapes/dtypes "
        f"[{given}].", op)


def cause(exc):
    """What kernel_error's error is raised from: an OpError is not chained to its own
    message again (the traceback shows it once); any other exception is the cause."""
    return None if isinstance(exc, errors.OpError) else exc
