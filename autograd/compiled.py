"""Compiled kernels, optional: numba, for the loops numpy has no primitive for.

A few ops are bound by loops that numpy can only spell as many small whole-array steps: a
convolution over few channels (im2col copies, then a matrix product that BLAS runs far
below its peak), a pooling window's maximum. numba compiles such loops, parallel over
the batch. It is an extra (`pip install graphgrad-tf1[fast]`, which scripts/setup.sh
installs): without it, or with AUTOGRAD_KERNELS=numpy in the environment, or in a
`Session(kernels="numpy")`, every op runs its numpy kernel, which stays the reference that the
compiled ones are tested against.

- `jit(...)` compiles a function on its first call and caches the machine code on disk
  (so a machine compiles each kernel once); kernel modules are imported only when a plan
  first wants them (so `import autograd` stays fast, and never imports numba).
- `fastest(key, candidates)` is how an op's `specialize` picks among its kernels: on the
  op's first run each candidate is timed on the real inputs and the fastest is kept, for
  this op and every later op with the same key (the static facts that decide the cost:
  shapes, strides, dtype). Nothing is tested on later calls.
- Parallel kernels run on the session's intra-op threads, one kernel at a time (numba's
  portable thread pool runs one parallel region at a time; inter-op threads wait here as
  they would for BLAS's threads).
"""
import contextlib
import functools
import os
import threading
import time

DISABLE_VARIABLE = "AUTOGRAD_KERNELS"   # "numpy": no compiled kernels
_switch = threading.local()
_parallel_lock = threading.Lock()
_decisions = {}                         # key -> index of the fastest candidate
_decisions_lock = threading.Lock()
MEASURE_REPEATS = 3


@functools.lru_cache(maxsize=None)
def _numba():
    """The numba module, or None where it is not installed (or fails to import)."""
    try:
        import numba
    except Exception:  # noqa: BLE001 - a broken install is as good as none
        return None
    if "NUMBA_THREADING_LAYER" not in os.environ:
        # NOTE: the workqueue pool is fork-safe and always present (OpenMP needs libgomp);
        # it is not reentrant, which the lock in `kernel` takes care of
        numba.config.THREADING_LAYER = "workqueue"
    return numba


def installed():
    """Whether numba can be imported here."""
    return _numba() is not None


KINDS = ("fastest", "numpy", "compiled")


def available():
    """Whether ops may use compiled kernels now: numba installed, and not switched off by
    AUTOGRAD_KERNELS=numpy or by an enclosing `use("numpy")` (a session's kernels=)."""
    return _kind() != "numpy" and installed()


def _kind():
    kind = getattr(_switch, "kind", None)
    if kind is None:
        return "numpy" if os.environ.get(DISABLE_VARIABLE, "").lower() == "numpy" \
            else "fastest"
    return kind


@contextlib.contextmanager
def use(kind):
    """Within this block (on this thread) ops choose their kernels as `kind` says:
    "fastest" (the default: the faster of numpy's and the compiled one, measured),
    "numpy" (the reference kernels only) or "compiled" (a compiled kernel wherever an op
    has one, unmeasured: for tests and for comparing kernels). None leaves the choice
    as it is. Sessions take it as `Session(kernels=...)` and apply it to their plans."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kernels must be one of {', '.join(map(repr, KINDS))}, "
                         f"got {kind!r}")
    saved = getattr(_switch, "kind", None)
    _switch.kind = kind if kind is not None else saved
    try:
        yield
    finally:
        _switch.kind = saved


def jit(parallel=False):
    """Decorator for a kernel module's functions (imported only where `available()`):
    numba's nopython mode without the GIL, cached on disk, compiled on first call. Fast
    math is limited to reassociation and fused multiply-adds, so that sums vectorise
    while NaN and infinity keep their meaning; results match numpy's to float rounding."""
    numba = _numba()
    if numba is None:
        raise ImportError("compiled kernels need numba: pip install numba (or the 'fast' "
                          "extra); without it every op runs its numpy kernel")
    return numba.njit(parallel=parallel, nogil=True, cache=True,
                      fastmath={"reassoc", "contract"})


def call(kernel, threads, *args):
    """Run a parallel kernel on `threads` threads (at most numba's pool), one at a time."""
    numba = _numba()
    with _parallel_lock:
        numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
        return kernel(*args)


def specialized(numpy_kernel, compiled_kernel):
    """An op's `specialize` rule: its numpy kernel, or (where compiled kernels are
    available and the op computes in float32 or float64) the faster of that and the
    compiled one. `compiled_kernel()` returns the latter; it is called only then, so
    that the module holding it (which imports numba) loads only when wanted."""
    def specialize(op):
        if not available() or op.outputs[0].dtype.name not in ("float32", "float64"):
            return numpy_kernel
        if _kind() == "compiled":
            return compiled_kernel()
        return fastest(functools.partial(_cost_key, op.type),
                       [numpy_kernel, compiled_kernel()])
    return specialize


def _cost_key(op_type, *args, **attrs):
    """What decides which kernel is faster: the op, its arrays' shapes and dtypes (a shape
    argument's values), its attrs and the threads it may use (a context's)."""
    facts = [op_type]
    for arg in args:
        if hasattr(arg, "threads"):
            facts.append(("threads", arg.threads))
        elif getattr(arg, "ndim", None) == 1 and arg.dtype.kind in "iu":
            facts.append(tuple(int(v) for v in arg))
        elif hasattr(arg, "shape"):
            facts.append((arg.shape, arg.dtype.str))
    return tuple(facts) + tuple(sorted(attrs.items()))


def fastest(key, candidates):
    """A kernel that runs the fastest of `candidates` (callables taking the same
    arguments). The first call times each on its arguments (after one untimed call, which
    compiles or loads what needs it) unless an op with the same key already did; `key`
    is a function of the first call's arguments (the shapes and settings that decide the
    cost, known only then where the batch size is not static)."""
    chosen = None

    def run(*args, **kwargs):
        nonlocal chosen
        if chosen is None:
            chosen = candidates[_decide(key(*args, **kwargs), candidates, args, kwargs)]
        return chosen(*args, **kwargs)
    return run


def _decide(key, candidates, args, kwargs):
    with _decisions_lock:
        found = _decisions.get(key)
    if found is not None:
        return found
    best, best_seconds = 0, float("inf")
    for index, candidate in enumerate(candidates):
        candidate(*args, **kwargs)
        seconds = float("inf")
        for _ in range(MEASURE_REPEATS):
            start = time.perf_counter()
            candidate(*args, **kwargs)
            seconds = min(seconds, time.perf_counter() - start)
        if seconds < best_seconds:
            best, best_seconds = index, seconds
    with _decisions_lock:
        return _decisions.setdefault(key, best)


def decisions():
    """{key: index of the kernel chosen} so far in this process (for tests, benchmarks)."""
    with _decisions_lock:
        return dict(_decisions)
