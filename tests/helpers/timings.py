"""Run times that the test session reports at its end (see conftest.py)."""
NOTEBOOK_SECONDS = {}
