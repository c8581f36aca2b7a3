"""Real TensorFlow for the parity tests: tensorflow.compat.v1 in graph mode, or a skip."""
import pytest


def compat_v1():
    """tensorflow.compat.v1 with eager execution off (skips the test without TF)."""
    real = pytest.importorskip("tensorflow", reason="tensorflow is not installed "
                                                    "(extra 'bench')").compat.v1
    real.disable_eager_execution()
    return real
