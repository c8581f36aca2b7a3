"""Ctrl-C that cannot split a commit or a rollback.

Python raises KeyboardInterrupt between any two bytecodes of the main thread, so a second
Ctrl-C could land in the middle of the code that publishes a run's writes, or that drops
them after the first Ctrl-C. This module's SIGINT handler makes both atomic:

- while a run's ops execute, the first Ctrl-C raises KeyboardInterrupt at once, as usual
  (nothing is published yet, so stopping anywhere is safe), and in the same step switches
  to deferring, so that a second Ctrl-C cannot interrupt the rollback that follows;
- while a run locks, commits or rolls back, Ctrl-C is only recorded, and raised as soon as
  that work is complete.

The handler is installed once, the first time a run needs it, and again if something
replaced it (Jupyter does, around each cell). Outside runs it simply calls the handler it
replaced, so Ctrl-C behaves as it always did.
"""
import _signal
import signal
import threading

_MAIN = threading.main_thread()
NEVER = ()  # the `interrupted` flag of a section that Ctrl-C cannot reach (other threads)


class _State:
    depth = 0          # nested deferred sections in the main thread
    raising = False    # True while ops execute: Ctrl-C may raise at once
    pending = []       # signals received while deferring (a list: truthy when non-empty)
    previous = None    # the handler this module's handler replaced


def _handler(signum, frame):
    if _State.depth > 0:
        if not _State.raising:
            _State.pending.append(signum)
            return
        _State.raising = False  # the rollback that this interrupt starts is protected
    _State.previous(signum, frame)


def _install():
    """True when our handler is in place (it cannot be for SIG_IGN/SIG_DFL)."""
    # NOTE: _signal.getsignal, not signal.getsignal: the latter builds an enum per call
    # (about 2 us), which a training step would pay every run.
    current = _signal.getsignal(signal.SIGINT)
    if current is _handler:
        return True
    if not callable(current):
        return False
    _State.previous = current
    signal.signal(signal.SIGINT, _handler)
    return True


class deferred_interrupts:  # noqa: N801 - used like a function: `with deferred_interrupts():`
    """`with deferred_interrupts() as section:` defers Ctrl-C inside the block.

    `section.interrupted` is truthy once a Ctrl-C is pending (code that waits checks it);
    `section.executing(True)` lets Ctrl-C raise at once again (while ops run) and
    `section.executing(False)` defers again. A signal still pending when the block ends is
    delivered then, unless a KeyboardInterrupt is already on its way out.
    """

    __slots__ = ("active", "saved", "interrupted")

    def __enter__(self):
        self.active = threading.current_thread() is _MAIN and _install()
        if not self.active:
            self.interrupted = NEVER
            return self
        self.saved = _State.raising
        _State.raising = False
        self.interrupted = _State.pending
        # NOTE: one line, and no call between the two: nothing (a signal handler, a
        # tracer) can raise after the section counts itself and before `with` will exit it
        _State.depth += 1; return self  # noqa: E702

    def executing(self, allowed):
        if self.active:
            _State.raising = allowed

    def __exit__(self, kind, exc, tb):
        if not self.active:
            return False
        # NOTE: never below zero: a section whose exit comes late (its frame collected
        # after the counter was put back, as the fault harness does) must not leave a
        # negative count, which would defer every later Ctrl-C for good
        _State.depth = max(_State.depth - 1, 0)
        _State.raising = self.saved and kind is None
        if _State.depth or not _State.pending:
            return False
        _State.pending.clear()
        if kind is not None and issubclass(kind, KeyboardInterrupt):
            return False
        _State.previous(signal.SIGINT, None)
        return False
