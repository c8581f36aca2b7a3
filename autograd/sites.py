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
    """`file.py:12`, relative to the working directory when the file lies under it; in
    Jupyter or IPython, a cell's code as `In [7], line 2`, the way tracebacks name it."""
    filename, lineno = location
    cell = _notebook_cell(filename)
    if cell is not None:
        return f"In [{cell}], line {lineno}"
    try:
        rel = os.path.relpath(filename)
        if not rel.startswith(".."):
            filename = rel
    except ValueError:
        pass
    return f"{filename}:{lineno}"


def in_notebook_cell(filename):
    """True when code compiled under `filename` is an IPython (Jupyter) cell."""
    return _notebook_cell(filename) is not None


def _notebook_cell(filename):
    """The execution count of the IPython cell compiled under `filename`, or None (a
    file, or no IPython running). IPython keeps that map for its own tracebacks."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    shell = ipython.get_ipython() if hasattr(ipython, "get_ipython") else None
    found = getattr(getattr(shell, "compile", None), "_filename_map", None)
    return found.get(filename) if isinstance(found, dict) else None
