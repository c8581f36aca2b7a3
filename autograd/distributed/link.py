"""A session's link to the tasks that hold its graph's variables.

`Session(server.target)` runs every op in its own process, as between-graph replication
does; the variables placed on another task (their VarHandleOp's device names another job
or task, as `replica_device_setter` places them on the parameter servers) live there:
- before a run, the values of those the run uses are read, one call per task;
- a run that changes some commits them there, one call per task, before it publishes
  anything locally. An assignment sends the new value; an update (assign_add, an
  optimizer's step) sends the change, which the task adds to whatever it holds by then,
  so that the updates of workers running at the same time add up and none is lost
  (TF's asynchronous training). Each task applies a commit whole, before any other read;
  a run whose variables live on several tasks commits to each separately, as TF does.
A task that died or does not answer makes the run fail with UnavailableError, one that
was restarted since (and so lost its variables) with AbortedError; the run publishes
nothing locally either way.
"""
import numpy as np

from .. import devices, errors
from ..graph import replaced
from . import runtime
from .server import parse_target


class RemoteVariables:
    """The variables of one session that live on other tasks of its cluster."""

    def __init__(self, target):
        self.namespace, self.job, self.task = parse_target(target)
        runtime.connect()
        self._actors = {}
        self._incarnations = {}
        self._homes = {}
        self._layouts = {}
        self.bytes_read = self.bytes_sent = 0

    def home(self, cell):
        """(job, task) of the task that holds `cell`'s variable, None if this one does."""
        found = self._homes.get(cell)
        if found is None:
            found = self._homes[cell] = self.home_of_device(cell.op.device) or ()
        return found or None

    def home_of_device(self, device):
        """(job, task) of the task a device string names, None if it is this one (or
        names no job)."""
        fields = devices.parse(device)
        job, task = fields.get("job"), int(fields.get("task", 0))
        return None if job is None or (job, task) == (self.job, self.task) else (job, task)

    def call(self, home, method, *args):
        """Call one method of a task's actor (e.g. its gradient aggregators)."""
        return self._call([home], method, {home: args}, spread=True)[0]

    def fetch(self, plan):
        """Read the current values of the remote variables `plan` uses into their cells."""
        groups, _ = self._layout(plan)
        if groups:
            self.refresh(groups)

    def refresh(self, groups):
        """{home: [cells]}: read each task's values of its cells, one call per task."""
        homes = list(groups)
        answers = self._call(homes, "read", {h: [c.name for c in groups[h]] for h in homes})
        for home, values in zip(homes, answers):
            for cell in groups[home]:
                value = _value(values[cell.name])
                self.bytes_read += 0 if value is None else value.nbytes
                with cell.lock:
                    if value is not cell.value:
                        cell.publish(value)

    def refresh_cells(self, cells):
        """Read the current values of those of `cells` that live on other tasks."""
        groups = self._by_home(cells)
        if groups:
            self.refresh(groups)

    def _by_home(self, cells):
        """{home: [cells]} for those of `cells` that live on other tasks."""
        groups = {}
        for cell in cells:
            home = self.home(cell)
            if home:
                groups.setdefault(home, []).append(cell)
        return groups

    def commit(self, plan, accesses):
        """Send the run's staged writes of remote variables to their tasks (see module)."""
        _, replacing = self._layout(plan)
        updates = {}
        for access in accesses:
            home = self.home(access.cell)
            if home is None or access.staged is None:
                continue
            cell, new = access.cell, access.staged
            base = cell.value
            if cell.op in replacing or base is None or new.dtype.kind not in "iuf":
                update = ("set", new)
            else:
                update = ("add", new - base)
            self.bytes_sent += new.nbytes
            updates.setdefault(home, {})[cell.name] = update
        self._send(updates)

    def store(self, cells_and_values):
        """Set remote variables to values (Saver.restore, Variable.load) before they are
        published locally."""
        updates = {}
        for cell, value in cells_and_values:
            home = self.home(cell)
            if home:
                updates.setdefault(home, {})[cell.name] = ("set", value)
        self._send(updates)

    def _send(self, updates):
        if not updates:
            return
        homes = list(updates)
        answers = self._call(homes, "commit", updates)
        missing = [name for names in answers for name in names]
        if missing:
            raise errors.FailedPreconditionError(
                f"Attempting to use uninitialized variable {missing[0]!r} on its parameter "
                f"server: the chief initializes the variables (or restores a checkpoint) "
                f"before the workers update them")

    def _layout(self, plan):
        """({home: [cells]} of the plan's remote variables, the handle ops it assigns)."""
        found = self._layouts.get(plan)
        if found is None:
            replacing = {t.op for step in plan.steps for t in replaced(step.op)}
            found = self._layouts[plan] = (self._by_home(plan.variables), replacing)
        return found

    def _actor(self, home):
        """The task's actor, looked up (and greeted) when not known: a task that was
        restarted since this session last spoke to it has lost the variables it held,
        so the session's runs are aborted (a monitored session then recreates the
        session, restoring the latest checkpoint)."""
        actor = self._actors.get(home)
        if actor is None:
            actor = runtime.find(self.namespace, *home)
            incarnation = runtime.call(actor.ping.remote(), runtime.task_name(*home))
            known = self._incarnations.setdefault(home, incarnation)
            if known != incarnation:
                raise errors.AbortedError(
                    f"task {runtime.task_name(*home)} was restarted and lost the variables "
                    f"it held: create the session again (a MonitoredTrainingSession does, "
                    f"restoring the latest checkpoint)")
            self._actors[home] = actor
        return actor

    def _call(self, homes, method, arguments, spread=False):
        """Call `method` on each home's task with its argument (or, with `spread`, its
        tuple of arguments), all at once; a task that is unavailable is looked up again
        next time (it may have been restarted)."""
        try:
            return runtime.call([getattr(self._actor(h), method).remote(
                *(arguments[h] if spread else (arguments[h],))) for h in homes],
                self._what(homes))
        except errors.UnavailableError:
            self._actors.clear()
            raise

    def _what(self, homes):
        names = ", ".join(runtime.task_name(*h) for h in homes)
        return f"task {names}" if len(homes) == 1 else f"tasks {names}"

    def close(self):
        self._actors.clear()
        self._layouts.clear()


def _value(received):
    """A variable's value as cells hold them: a read-only array (Ray hands back 0-d
    arrays as numpy scalars), or None."""
    if received is None:
        return None
    value = np.asarray(received)
    if value.flags.writeable:
        value.flags.writeable = False
    return value
