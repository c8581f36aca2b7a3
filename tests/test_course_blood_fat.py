"""The course's blood-fat linear regression prints the numbers the course's TF run printed."""
import pathlib
import runpy
import subprocess
import sys

import numpy as np
import pytest

from helpers.blas import avx2_blas_env

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "blood_fat.py"

# Printed by TensorFlow 1.x in the course (ML with TensorFlow deck, linear regression).
COURSE_LOSSES = [1230281.8, 47094.402, 47081.83, 47069.746, 47057.695, 47045.66, 47033.69,
                 47021.734, 47009.824, 46997.938]
COURSE_W, COURSE_B = [1.2922349, 5.5893784], 1.1374356
COURSE_PREDICTIONS = [177.53676, 457.00565, 229.22615, 508.69504]


def _parse(lines):
    losses = [float(line.split()[-1]) for line in lines if line.startswith("Epoch:")]
    numbers = [float(t) for line in lines[10:] for t in
               line.replace("[", " ").replace("]", " ").replace("b=", " ").split()
               if t[0].isdigit()]
    return losses, numbers[:3], numbers[3:]


def test_blood_fat_regression_matches_the_course_run_to_float32_rounding(capsys):
    """With whatever BLAS kernel this machine picks: equal to a few float32 ulps."""
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    losses, fitted, predictions = _parse(capsys.readouterr().out.splitlines())
    # NOTE: each loss is a float32 sum of 25 terms, and 10,000 steps of float32 updates
    # follow; another summation order moves the last digit by a few ulps (6e-8 each).
    np.testing.assert_allclose(losses, COURSE_LOSSES, rtol=1e-6)
    np.testing.assert_allclose(fitted, COURSE_W + [COURSE_B], rtol=1e-6)
    np.testing.assert_allclose(predictions, COURSE_PREDICTIONS, rtol=1e-6)


def test_blood_fat_regression_prints_the_course_digits_with_the_avx2_kernel():
    """With OpenBLAS's AVX2 kernel (TF's summation order here): W, b and the predictions
    digit for digit, the losses to the last printed digit or so."""
    env = avx2_blas_env()
    if env is None:
        pytest.skip("this CPU has no AVX2: the exact-digit run needs OpenBLAS's AVX2 kernel")
    done = subprocess.run([sys.executable, str(EXAMPLE)], env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    losses, fitted, predictions = _parse(done.stdout.splitlines())
    np.testing.assert_allclose(losses, COURSE_LOSSES, rtol=4e-7)
    np.testing.assert_allclose(fitted, COURSE_W + [COURSE_B], rtol=1e-7)
    np.testing.assert_allclose(predictions, COURSE_PREDICTIONS, rtol=1e-7)
