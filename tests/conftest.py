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
def rng():
    return np.random.default_rng(1234)
