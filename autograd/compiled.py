"""Compiled kernels, optional: numba, for the loops numpy has no primitive for.

A few ops are bound by loops that numpy can only spell as many small whole-array steps: a
convolution over few channels (im2col copies, then a matrix product that BLAS runs far
below its peak), a pooling window's maximum. numba compiles such loops, parallel over
the batch. It is an extra (`pip install graphgrad-tf1[fast]`, which scripts/setup.sh
installs): without it, or with AUTOGRAD_KERNELS=numpy in the environment, or in a
`Session(kernels="numpy")`, every op runs its numpy kernel, which stays the reference that the
compiled ones are tested against.

- `jit(...)` compiles a function on its first call and caches the machine code on disk
  (so a machine compiles each kernel once; `run` drops a damaged cache and compiles
  again); kernel modules are imported only when a plan first wants them (so `import
  autograd` stays fast, and never imports numba).
- `fastest(key, candidates)` is how an op's `specialize` picks among its kernels: over
  the op's first runs the candidates take turns, timed in the running graph, and the
  fastest is kept, for this op and every later op with the same key (the facts that
  decide the cost: shapes, strides, dtype, threads). The choice depends on timings, so
  two runs may pick differently and differ at float rounding: `Session(kernels="numpy")`
  gives the same bits every time.
- Parallel kernels run on the session's intra-op threads, one kernel at a time (numba's
  portable thread pool runs one parallel region at a time; inter-op threads wait here as
  they would for BLAS's threads).
"""
import contextlib
import functools
import os
import statistics
import sys
import threading
import time
import warnings

DISABLE_VARIABLE = "AUTOGRAD_KERNELS"   # "numpy": no compiled kernels
_switch = threading.local()
_parallel_lock = threading.Lock()
_decisions = {}                         # key -> index of the fastest candidate
_decisions_lock = threading.Lock()
_most_candidates = 1                    # the most kernels any op's trial chooses among
_kernels = []                           # every kernel jit made (their disk caches)
_proven = set()                         # the kernels that have run once in this process


@functools.lru_cache(maxsize=None)
def _numba():
    """The numba module, or None where it is not installed (or fails to import)."""
    try:
        import numba
    except Exception:  # noqa: BLE001 - a broken install is as good as none
        return None
    if "NUMBA_THREADING_LAYER" not in os.environ and \
            "NUMBA_THREADING_LAYER_PRIORITY" not in os.environ:
        # NOTE: OpenMP's threads, told to sleep when idle, leave the cores to BLAS's
        # between kernels; numba's own pool (the fallback where libgomp is missing) made
        # every op of a CNN step slower, BLAS's included. One kernel runs at a time (the
        # lock in `call`), as the workqueue pool needs.
        if "OMP_WAIT_POLICY" not in os.environ and "torch" in sys.modules:
            warnings.warn(
                "PyTorch was imported before autograd's compiled kernels: its OpenMP "
                "runtime, which numba shares, keeps idle threads spinning, and every op "
                "after a compiled one runs slower (measured: 40% on a CNN step). Set "
                "OMP_WAIT_POLICY=PASSIVE in the environment before starting Python, or "
                "use Session(kernels='numpy').", RuntimeWarning, stacklevel=2)
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        numba.config.THREADING_LAYER_PRIORITY = ["omp", "workqueue", "tbb"]
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


def check_kind(kind):
    """Raise a ValueError naming the choices unless `kind` is one of KINDS or None."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kernels must be one of {', '.join(map(repr, KINDS))} (or None: "
                         f"AUTOGRAD_KERNELS, else 'fastest'), got {kind!r}")


@contextlib.contextmanager
def use(kind):
    """Within this block (on this thread) ops choose their kernels as `kind` says:
    "fastest" (the default: the faster of numpy's and the compiled one, measured),
    "numpy" (the reference kernels only) or "compiled" (a compiled kernel wherever an op
    has one, unmeasured: for tests and for comparing kernels). None leaves the choice
    as it is. Sessions take it as `Session(kernels=...)` and apply it to their plans."""
    check_kind(kind)
    saved = getattr(_switch, "kind", None)
    _switch.kind = kind if kind is not None else saved
    try:
        yield
    finally:
        _switch.kind = saved


def jit(parallel=False, exact=False):
    """Decorator for a kernel module's functions (imported only where `available()`):
    numba's nopython mode without the GIL, cached on disk, compiled on first call. Fast
    math is limited to reassociation and fused multiply-adds, so that sums vectorise
    while NaN and infinity keep their meaning; results match numpy's to float rounding.
    With `exact`, no fast math at all: a kernel doing numpy's operations in numpy's order
    then gives its very bits, so that which kernel a trial keeps changes no result (an
    elementwise update has no sum to reorder, and vectorises without it). Division
    follows numpy (x / 0 is inf or NaN), not Python: a ZeroDivisionError check would keep
    a loop that divides from vectorising."""
    numba = _numba()
    if numba is None:
        raise ImportError("compiled kernels need numba: pip install numba (or the 'fast' "
                          "extra); without it every op runs its numpy kernel")
    compile_ = numba.njit(parallel=parallel, nogil=True, cache=True, error_model="numpy",
                          fastmath=set() if exact else {"reassoc", "contract"})

    def register(function):
        kernel = compile_(function)
        _kernels.append(kernel)
        return kernel
    return register


def run(kernel, *args):
    """Call a compiled kernel. Its first call in a process loads its machine code from
    numba's disk cache; a cache that was damaged (a write cut short, a full disk) fails
    that load, and is then dropped and the kernel compiled again, once."""
    if kernel in _proven:
        return kernel(*args)
    try:
        result = kernel(*args)
    except Exception:  # noqa: BLE001 - whatever the load raised; a real error comes again
        for each in _kernels:   # helpers a kernel calls have caches of their own
            each._cache.flush()
        result = kernel(*args)
    _proven.add(kernel)
    return result


def call(kernel, threads, *args):
    """Run a parallel kernel on `threads` threads (at most numba's pool), one at a time."""
    numba = _numba()
    with _parallel_lock:
        numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
        return run(kernel, *args)


def specialized(numpy_kernel, *compiled_kernels):
    """An op's `specialize` rule: its numpy kernel, or (where compiled kernels are
    available and the op computes in float32 or float64) the fastest of that and the
    compiled ones (an op with a context: each on the session's intra-op threads, and on
    one; without, the compiled kernels run on the calling thread). Each of
    `compiled_kernels` is a function returning a kernel; they are called only then, so
    that the module holding them (which imports numba) loads only when wanted."""
    global _most_candidates
    _most_candidates = max(_most_candidates, 1 + 2 * len(compiled_kernels))

    def specialize(op):
        if not available() or _computed_in(op) not in ("float32", "float64"):
            return numpy_kernel
        kernels = [make() for make in compiled_kernels]
        if _kind() == "compiled":
            return kernels[0]
        candidates = [numpy_kernel]
        for kernel in kernels:   # a context's threads may be too many: try one as well
            candidates += [kernel, _on_one_thread(kernel)] if op.op_def.context else [kernel]
        return fastest(functools.partial(_cost_key, op.type), candidates)
    return specialize


def _computed_in(op):
    """The dtype an op computes in: its first output's, or (an update, which has none) its
    last input's (the gradient)."""
    return (op.outputs[0] if op.outputs else op.inputs[-1]).dtype.name


def _on_one_thread(kernel):
    """`kernel` (which takes an OpContext first) on one thread whatever the session's
    count: where other threads keep the cores busy, one may beat several."""
    def run(ctx, *args, **attrs):
        return kernel(_OneThread(ctx), *args, **attrs)
    return run


class _OneThread:
    __slots__ = ("_context",)
    threads = 1

    def __init__(self, context):
        self._context = context

    def __getattr__(self, name):
        return getattr(self._context, name)


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
    arguments), as measured where it runs: its first calls take the candidates in turn
    (one untimed call each, which compiles or loads what needs it, then up to
    TRIAL_ROUNDS timed ones), and from then on the one with the lowest median runs alone. Timing in
    the running graph, between its other ops, counts what a benchmark of the kernel alone
    would miss (on a 2-core machine BLAS's and numba's threads take turns for the cores).
    `key(*args)` names what decides the cost (shapes, strides, dtype, threads); an op
    whose key was decided before uses that decision without a trial."""
    trial = chosen = None

    def run(*args, **kwargs):
        nonlocal trial, chosen
        if chosen is not None:
            return chosen(*args, **kwargs)
        if trial is None:
            trial = _Trial(key(*args, **kwargs), len(candidates))
        if trial.decided is not None:
            chosen = candidates[trial.decided]
            return chosen(*args, **kwargs)
        index = trial.next()
        start = time.perf_counter()
        result = candidates[index](*args, **kwargs)
        trial.record(index, time.perf_counter() - start)
        return result
    return run


TRIAL_ROUNDS = 4   # timed calls of each candidate at most
DROP_FACTOR = 1.5  # a candidate this much slower than the best after a round leaves


class _Trial:
    """One op's trial of its kernels: whose turn it is, their times, then the decision.
    The first round is a warm-up; after each timed round the clearly slower candidates
    leave, so that a trial among very different kernels costs little."""

    __slots__ = ("key", "live", "turn", "rounds", "samples", "decided")

    def __init__(self, key, count):
        self.key, self.live, self.turn, self.rounds = key, list(range(count)), 0, 0
        self.samples = [[] for _ in range(count)]
        with _decisions_lock:
            self.decided = _decisions.get(key)

    def next(self):
        return self.live[self.turn % len(self.live)]

    def record(self, index, seconds):
        if self.rounds:
            self.samples[index].append(seconds)
        self.turn += 1
        if self.turn < len(self.live):
            return
        self.turn, self.rounds = 0, self.rounds + 1
        if self.rounds == 1:
            return
        medians = {i: statistics.median(self.samples[i]) for i in self.live}
        best = min(medians.values())
        self.live = [i for i in self.live if medians[i] <= DROP_FACTOR * best]
        if len(self.live) == 1 or self.rounds > TRIAL_ROUNDS:
            with _decisions_lock:
                self.decided = _decisions.setdefault(self.key, min(self.live, key=medians.get))


def trial_runs(candidates=None):
    """How many runs of an op a trial among `candidates` kernels (by default: the most
    that any op defined so far has) takes at most; a benchmark's warm-up covers them."""
    return (candidates or _most_candidates) * (TRIAL_ROUNDS + 1)


def decisions():
    """{key: index of the kernel chosen} so far in this process (for tests, benchmarks)."""
    with _decisions_lock:
        return dict(_decisions)
