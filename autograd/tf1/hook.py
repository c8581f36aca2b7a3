"""`import tensorflow` answered by this facade, for one run or one notebook kernel.

    python -m autograd.tf1 program.py [args]      # the program's own lines unchanged
    %load_ext autograd.tf1                          # in a notebook, before `import tensorflow`

A finder placed first on `sys.meta_path` maps `tensorflow` to `autograd.tf1` and
`tensorflow.X.Y` to `autograd.tf1.X.Y` (`tensorflow.compat.v1` is the facade itself), so
`from tensorflow.examples.tutorials.mnist import input_data`,
`from tensorflow.python.framework import ops` and `from tensorflow.contrib import rnn`
resolve here. A module the facade lacks fails with a message that says so: the finder
never lets an import fall through to an installed TensorFlow, which would mix two
engines' graphs in one program.
"""
import importlib
import importlib.abc
import importlib.util
import sys

FACADE = "autograd.tf1"


def facade_name(fullname):
    """The facade module standing for the TensorFlow module `fullname`."""
    parts = fullname.split(".")[1:]
    if parts[:2] == ["compat", "v1"]:
        parts = parts[2:]
    return ".".join([FACADE] + parts)


class _Alias(importlib.abc.Loader):
    """Loads a TensorFlow module name as the facade module already imported for it."""

    def __init__(self, module):
        self.module = module

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        """Nothing to run: the facade module is complete."""


class TensorFlowFinder(importlib.abc.MetaPathFinder):
    """Answers every `tensorflow` and `tensorflow.*` import with the facade."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "tensorflow" and not fullname.startswith("tensorflow."):
            return None
        name = facade_name(fullname)
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise
            raise ModuleNotFoundError(
                f"No module named {fullname!r}: this program runs on autograd.tf1, the TF1 "
                f"facade of this engine, which has no {name!r} (the README's 'Running TF1 "
                f"programs' table lists what is covered)", name=fullname) from None
        return importlib.util.spec_from_loader(fullname, _Alias(module),
                                               is_package=hasattr(module, "__path__"))


_FINDER = TensorFlowFinder()


def install():
    """Answer `import tensorflow` with the facade from now on in this process (a real
    TensorFlow imported before stays where it was imported)."""
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)


def uninstall():
    """Stop answering `import tensorflow`; forget the modules the hook gave out."""
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name in [n for n, m in sys.modules.items()
                 if (n == "tensorflow" or n.startswith("tensorflow."))
                 and getattr(m, "__name__", "").startswith(FACADE)]:
        del sys.modules[name]


def installed():
    """True while the hook answers `import tensorflow`."""
    return _FINDER in sys.meta_path
