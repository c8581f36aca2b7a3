"""Creation sites: the user's file:line where an op was built, for error messages.

Every Operation records where the user's code created it (PyTensor's tag trace), so that
an error raised much later, while a Session runs, can point back at the line to fix.
"""
import contextlib
import os
import sys

_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_INTERNAL_DIRS = tuple(os.path.join(_PACKAGE_ROOT, pkg) + os.sep
                       for pkg in ("autograd", "nn", "optim"))
_INTERNAL_FILES = (contextlib.__file__,)


def user_frame():
    """(filename, lineno) of the first stack frame outside autograd/nn/optim."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_INTERNAL_DIRS) and filename not in _INTERNAL_FILES:
            return filename, frame.f_lineno
        frame = frame.f_back
    return "<unknown>", 0


def format_location(location):
    """`file.py:12`, relative to the working directory when the file lies under it."""
    filename, lineno = location
    try:
        rel = os.path.relpath(filename)
        if not rel.startswith(".."):
            filename = rel
    except ValueError:
        pass
    return f"{filename}:{lineno}"
