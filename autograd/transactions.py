"""Variables' values in a session, and runs as transactions over them.

Each variable has one `VariableCell` per session. Its value is a read-only array that is
replaced, never changed in place, so a reader in another thread always sees a whole old
value or a whole new one, never a torn mix.

A run that may change variables is a `Transaction`: its writes are staged in per-run
`VariableAccess` objects (what kernels receive for a handle input) and published together
by `commit()`, or dropped by `abort()`. Nothing the run does is visible to others before
the commit, so a failed or interrupted run has nothing to undo and cannot undo anybody
else's work.

Two ways to keep concurrent writers apart:
- `Session.run` locks the cells it may write before its first op, in one global order
  (the variables' creation order), so two runs never deadlock and no update is lost.
- `Session.step` can be suspended for as long as its caller likes, so it takes no lock
  while running: at commit it locks, checks that nobody published to its variables since
  it began, and otherwise publishes nothing and raises AbortedError (optimistic).
"""
import sys
import threading

import numpy as np

from . import errors
from .shapes import compatible, fmt
from .sites import format_location

LOCK_POLL_SECONDS = 0.05   # how often a blocked writer checks for Ctrl-C


class VariableCell:
    """One variable's storage in one session: its current value and a writer lock."""

    __slots__ = ("op", "name", "shape", "dtype", "value", "version", "spare", "lock")

    def __init__(self, handle_op):
        self.op = handle_op
        self.name = handle_op.name
        self.shape = handle_op.attrs["shape"]
        self.dtype = handle_op.attrs["dtype"]
        self.value = None
        self.version = 0
        self.spare = None
        # NOTE: an RLock knows its owner, so a run interrupted between taking the lock and
        # noting that it took it can still tell, and release it (Transaction.release)
        self.lock = threading.RLock()

    def read(self):
        """The committed value (read-only); FailedPreconditionError before initialization."""
        value = self.value
        if value is None:
            raise errors.FailedPreconditionError(
                f"Attempting to use uninitialized variable {self.name!r} (created at "
                f"{format_location(self.op.location)}). Run "
                f"sess.run(tf.global_variables_initializer()) once (with autograd itself: "
                f"ag.global_variables_initializer()), after building every variable "
                f"(optimizer slots included) and before using them.", self.op)
        return value

    def publish(self, new):
        """Make `new` the value (call with the lock held). The old array becomes the spare
        buffer for the next update once no reader holds it any more."""
        old = self.value
        if old is new:   # published already: a commit interrupted and finished again
            return
        self.value = new
        self.version += 1
        self.spare = old

    def take_spare(self, like):
        """The old value's memory, to write the next value into, if nothing else holds it
        (call with the lock held); else None."""
        spare, self.spare = self.spare, None
        # NOTE: a reader in another thread (or a view it made, or a fetched result not yet
        # copied) keeps a reference to the array; 2 = `spare` here plus getrefcount's own.
        if spare is None or sys.getrefcount(spare) > 2 or not spare.flags.owndata:
            return None
        if spare.shape != like.shape or spare.dtype != like.dtype:
            return None
        spare.flags.writeable = True
        return spare

    def prepare(self, value):
        """`value` as this variable's next value: a read-only copy of the right dtype,
        checked against the static shape."""
        array = np.array(value, dtype=self.dtype, copy=True)
        if not compatible(self.shape, array.shape):
            raise errors.InvalidArgumentError(
                f"cannot assign a value of shape {fmt(array.shape)} to variable "
                f"{self.name!r} of shape {fmt(self.shape)}", self.op)
        array.flags.writeable = False
        return array


class VariableAccess:
    """What a kernel receives for the handle of a variable its run may change.

    `read()` gives the run's view of the value (its own staged write if it made one);
    `buffer()` gives a writeable array shaped like the value that nothing else uses (the
    memory of an old value when it is free: updates then allocate nothing); `write(array)`
    stages the new value, published when the run commits.
    """

    __slots__ = ("cell", "staged", "lent", "version", "recycle")

    def __init__(self, cell, recycle):
        self.cell = cell
        self.staged = None
        self.lent = None
        self.version = cell.version
        self.recycle = recycle

    @property
    def name(self):
        return self.cell.name

    def read(self):
        staged = self.staged
        return staged if staged is not None else self.cell.read()

    def buffer(self):
        like = self.read()
        spare = self.cell.take_spare(like) if self.recycle else None
        self.lent = spare if spare is not None else np.empty_like(like)
        return self.lent

    def write(self, value):
        """Stage `value` (copied, unless it is the array buffer() lent) and return it."""
        if value is self.lent and value is not None:
            self.lent = None  # shaped like the current value, which was checked
            value.flags.writeable = False
            self.staged = value
        else:
            self.staged = self.cell.prepare(value)
        return self.staged

    def __repr__(self):
        return f"<VariableAccess {self.name!r}>"


def acquire(lock, interrupted):
    """Take `lock`, raising KeyboardInterrupt if Ctrl-C is pressed while waiting."""
    if lock.acquire(False):
        return
    while not lock.acquire(timeout=LOCK_POLL_SECONDS):
        if interrupted:
            raise KeyboardInterrupt


class Transaction:
    """The variables one run may change (`written`: (slot, cell) pairs in lock order)."""

    # Invariants, whatever is raised between any two lines (a second Ctrl-C, or an
    # exception from a signal handler):
    # - every lock this thread took is in `locked`, or is `claiming` (taken, not yet noted),
    #   and release() frees exactly the ones this thread owns, however often it is called;
    # - once `publishing` is set the run's writes are final: abort() finishes publishing
    #   them (each publish is idempotent) instead of dropping them, so a commit is never
    #   half-applied.
    __slots__ = ("accesses", "locked", "claiming", "publishing")

    def __init__(self):
        self.accesses = []
        self.locked = []
        self.claiming = None
        self.publishing = False

    @classmethod
    def begin(cls, written, values, interrupted=(), lock=True):
        """A transaction holding the locks of `written` (see lock())."""
        txn = cls()
        try:
            txn.lock(written, values, interrupted, lock)
        except BaseException:
            txn.abort()
            raise
        return txn

    def lock(self, written, values, interrupted=(), lock=True):
        """Lock the cells (unless `lock` is False: optimistic) and put one VariableAccess
        per written variable into the run's slot list `values`."""
        for slot, cell in written:
            if lock:
                self._take(cell, interrupted)
            access = VariableAccess(cell, recycle=lock)
            values[slot] = access
            self.accesses.append(access)

    def _take(self, cell, interrupted):
        self.claiming = cell
        acquire(cell.lock, interrupted)
        self.locked.append(cell)
        self.claiming = None

    def commit(self, interrupted=()):
        """Publish every staged write, then release the locks. An optimistic transaction
        first locks and checks that no other run published to the same variables."""
        staged = [a for a in self.accesses if a.staged is not None]
        try:
            if not self.locked:
                for access in staged:
                    self._take(access.cell, interrupted)
                changed = [a.name for a in staged if a.cell.version != a.version]
                if changed:
                    raise errors.AbortedError(
                        f"another run changed {', '.join(map(repr, changed))} while this "
                        f"step was in progress; the step's writes were discarded (run it "
                        f"again)")
            self.publishing = True
            self._publish()
        finally:
            self.release()

    def _publish(self):
        for access in self.accesses:
            if access.staged is not None:
                access.cell.publish(access.staged)

    def abort(self):
        """The run failed or was stopped: drop its staged writes (or, if its commit had
        begun, finish publishing them) and release the locks."""
        try:
            if self.publishing:
                self._publish()
            else:
                for access in self.accesses:
                    access.staged = None
        finally:
            self.release()

    def release(self):
        """Release the locks this thread holds for this transaction (safe to repeat)."""
        for cell in reversed(self.locked + ([self.claiming] if self.claiming else [])):
            if cell.lock._is_owned():   # noqa: SLF001 - the RLock's own owner test
                cell.lock.release()
        self.locked, self.claiming = [], None


def publish_all(cells_and_values, interrupted=()):
    """Set several variables at once (Saver.restore, Variable.load), all or none."""
    txn = Transaction()
    try:
        for cell, _ in cells_and_values:
            acquire(cell.lock, interrupted)
            txn.locked.append(cell)
        for cell, value in cells_and_values:
            cell.publish(value)
    finally:
        txn.release()
