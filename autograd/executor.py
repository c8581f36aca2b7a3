"""Running a compiled plan: one op at a time in plan order, or as soon as inputs are ready.

`execute` is the one sequential loop, shared by Session.run and Session.step (which walks
it op by op). `execute_dataflow` runs the same steps on the session's worker pool: a step
starts once the steps it depends on have finished (its inputs' producers, its control
inputs, and the earlier ops on the same variable), the calling thread keeps the
bookkeeping, and only heavy steps are handed to an idle worker, and only when the caller
has another step to run meanwhile, so light graphs pay no hand-offs. Both compute the same
kernels on the same inputs, so their results are bitwise identical.
"""
import collections
import queue

from . import errors
from .plan import TraceStep


def execute(plan, values, trace=False):
    """Run the plan's steps over `values` (a list of slots, feeds already in place).

    A generator, so that Session.run (which drains it) and Session.step (which yields a
    TraceStep after each op when `trace`) share every line of it. A kernel failure is
    re-raised as an OpError naming the op, where it was created and the shapes it was
    given.
    """
    op = args = None
    try:
        for kernel, gather, out, frees, op in plan.steps:
            args = gather(values)
            result = kernel(*args)
            if out.__class__ is int:
                values[out] = result
            elif out:
                for s, r in zip(out, result):
                    values[s] = r
            if trace:
                yield TraceStep(op, args, _as_list(result, out))
            for s in frees:
                values[s] = None
    except Exception as exc:
        if op is None:
            raise
        raise kernel_error(op, args, exc) from exc


def execute_dataflow(plan, values, pool, interrupted=()):
    """Run the plan's steps as their inputs become ready, handing heavy ones to `pool`'s
    idle threads. Stops at the first failure (after the steps already handed out have
    finished: no kernel is still running when this returns) and re-raises it as
    `execute` would."""
    schedule = plan.schedule
    pending, readers = list(schedule.waiting), list(schedule.readers)
    ready = collections.deque(schedule.ready)
    finished = queue.SimpleQueue()
    running, done, failure = 0, 0, None
    try:
        while done < len(plan.steps):
            while ready and failure is None:
                index = ready.popleft()
                if ready and schedule.heavy[index] and pool.try_submit(
                        _job(plan, values, index, finished)):
                    running += 1
                    continue
                failure = _run_step(plan, values, index)
                done += 1
                if failure is None:
                    _finish(plan, values, index, pending, readers, ready)
            if done == len(plan.steps) or (failure is not None and running == 0):
                break
            index, exc = _wait(finished, interrupted if failure is None else ())
            running, done = running - 1, done + 1
            if exc is not None:
                failure = failure or (index, exc)
            elif failure is None:
                _finish(plan, values, index, pending, readers, ready)
    except BaseException:  # Ctrl-C: let the steps already handed out finish first
        for _ in range(running):
            finished.get()
        raise
    if failure is not None:
        index, exc = failure
        if not isinstance(exc, Exception):
            raise exc
        kernel, gather, _, _, op = plan.steps[index]
        raise kernel_error(op, gather(values), exc) from exc


def _job(plan, values, index, finished):
    def job():
        try:
            _compute(plan, values, index)
        except BaseException as exc:  # noqa: B036 - handed to the coordinating thread
            finished.put((index, exc))
        else:
            finished.put((index, None))
    return job


def _compute(plan, values, index):
    kernel, gather, out, _, _ = plan.steps[index]
    result = kernel(*gather(values))
    if out.__class__ is int:
        values[out] = result
    elif out:
        for s, r in zip(out, result):
            values[s] = r


def _run_step(plan, values, index):
    try:
        _compute(plan, values, index)
    except Exception as exc:
        return index, exc
    return None


def _finish(plan, values, index, pending, readers, ready):
    """A step completed: release the steps waiting on it, free inputs nobody else reads."""
    schedule = plan.schedule
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


def _as_list(result, out):
    if out.__class__ is int:
        return [result]
    return list(result) if out else []


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
