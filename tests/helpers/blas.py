"""The BLAS kernel the course's exact digits need.

A float32 matmul sums its terms in an order that depends on OpenBLAS's kernel for the CPU.
The course's TF run (Eigen on AVX2) and OpenBLAS's AVX2 kernel ("Haswell") give the same
last digits on the blood-fat regression; the AVX-512 kernel ("SkylakeX") differs in the
last few float32 ulps. Subprocesses that check the exact printed digits ask for the AVX2
kernel where the CPU has AVX2 (requesting it elsewhere could crash OpenBLAS).
"""
import os
import pathlib


def cpu_has_avx2():
    try:
        flags = pathlib.Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return " avx2" in flags and " fma" in flags


def avx2_blas_env(env=None):
    """`env` (default: os.environ) with OpenBLAS told to use its AVX2 kernels, or None
    when this CPU has no AVX2."""
    if not cpu_has_avx2():
        return None
    return dict(os.environ if env is None else env, OPENBLAS_CORETYPE="Haswell")
