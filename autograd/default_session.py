"""The default-session stack: what `tensor.eval()` and `op.run()` run in.

Kept apart from the Session class so that the graph module can use it without importing
the session module (the session builds on the graph, never the other way round).
"""
import threading


class _SessionStack(threading.local):
    def __init__(self):
        self.stack = []


_sessions = _SessionStack()


class DefaultSession:
    """Context manager making `session` the default one inside the block (per thread)."""

    __slots__ = ("session",)

    def __init__(self, session):
        self.session = session

    def __enter__(self):
        _sessions.stack.append(self.session)
        return self.session

    def __exit__(self, *exc):
        if _sessions.stack and _sessions.stack[-1] is self.session:
            _sessions.stack.pop()


def get_default_session():
    """The innermost session entered with `with sess:` / as_default(), or None."""
    return _sessions.stack[-1] if _sessions.stack else None


def remove(session):
    """Take `session` off this thread's stack wherever it is (InteractiveSession.close)."""
    if session in _sessions.stack:
        _sessions.stack.remove(session)


def clear():
    """Empty this thread's stack (used by test fixtures)."""
    _sessions.stack.clear()


def session_for(element, session, verb):
    """The session to `eval`/`run` `element` in: the one given, else the default one."""
    session = session if session is not None else get_default_session()
    name = element.name
    if session is None:
        raise ValueError(f"Cannot {verb} {name!r}: no default session is registered. Use "
                         f"`with sess.as_default():` (or `with autograd.Session() as sess:`), "
                         f"an InteractiveSession, or pass session=sess.")
    if element.graph is not session.graph:
        raise ValueError(f"Cannot {verb} {name!r}: it belongs to another graph than the "
                         f"session's. Create the session with Session(graph=that_graph).")
    return session
