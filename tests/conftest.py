import signal

import numpy as np
import pytest

import autograd as ag
from autograd import default_session


@pytest.fixture(autouse=True)
def fresh_state():
    """Every test starts with a seeded numpy, an empty default graph and no default session."""
    np.random.seed(0)
    ag.reset_default_graph()
    default_session.clear()
    yield
    default_session.clear()


@pytest.fixture
def default_sigint():
    """Run with Python's own Ctrl-C handler, whatever the test runner installed, and
    whatever the process was started with: a non-interactive shell starts a background
    job (`pytest ... &`) with SIGINT ignored, and then no Ctrl-C would reach the test."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def pytest_terminal_summary(terminalreporter):
    """Each executed notebook's run time, at the end of the test output."""
    from helpers.timings import NOTEBOOK_SECONDS
    if NOTEBOOK_SECONDS:
        terminalreporter.write_sep("-", "notebook run times")
        for name, seconds in sorted(NOTEBOOK_SECONDS.items()):
            terminalreporter.write_line(f"{name}: {seconds:.1f} s")
