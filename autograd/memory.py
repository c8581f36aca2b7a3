"""Keeping freed memory in the process, so that a training step does not page-fault.

Every step of a training loop allocates the same arrays again (activations, gradients),
and glibc's malloc serves arrays above its mmap threshold (128 KiB at first) with fresh
pages from the kernel and gives freed memory back at once: each step then pays a page
fault per 4 KiB of every such array, which cost the course's CNN a quarter of its step.
TensorFlow and PyTorch keep freed blocks in their own allocators; numpy uses malloc, so
the first Session asks glibc (mallopt) to serve blocks up to 32 MiB from its heap and to
keep up to 256 MiB of freed heap memory for reuse.

The peak memory of a run does not change; the process just does not shrink right after
it. Set GRAPHGRAD_MALLOC=default in the environment to leave malloc as it is. On other C
libraries (macOS, musl) nothing happens.
"""
import ctypes
import ctypes.util
import os
import threading

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3   # glibc's mallopt parameters
MMAP_THRESHOLD = 32 << 20                     # glibc's largest allowed value
TRIM_THRESHOLD = 256 << 20

_done = []
_lock = threading.Lock()


def keep_freed_memory():
    """Tune glibc's malloc once per process (see the module docstring); True if done."""
    with _lock:
        if _done:
            return _done[0]
        _done.append(_tune())
        return _done[0]


def _tune():
    if os.environ.get("GRAPHGRAD_MALLOC", "").lower() == "default":
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and \
        bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
