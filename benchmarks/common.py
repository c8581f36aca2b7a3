"""Timing helpers shared by the benchmarks: medians over repeats, a noise figure, and the
BLAS environment every benchmark runs in."""
import os
import statistics
import sys
import time


def median_seconds(function, repeats=7, number=1):
    """Median wall time of `number` calls of `function`, over `repeats` repeats; also the
    relative spread (max-min over median) as a measure of how noisy the machine was."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            function()
        samples.append((time.perf_counter() - start) / number)
    middle = statistics.median(samples)
    return middle, (max(samples) - min(samples)) / middle


def row(label, value, unit, target=None, ok=None, note=""):
    """One printed line of a benchmark table."""
    verdict = "" if ok is None else ("  PASS" if ok else "  MISS")
    goal = f"  (target {target})" if target else ""
    print(f"  {label:<54} {value:>10.3f} {unit:<6}{goal}{verdict}{note}")


def paired_ratio(ours, baseline, repeats=15, number=20):
    """Median of per-repeat time ratios ours/baseline, the two timed back to back in each
    repeat so that slow drifts of a shared machine cancel. Returns (ratio, ours seconds,
    baseline seconds, spread of the ratios)."""
    ratios, ours_times, base_times = [], [], []
    for _ in range(repeats):
        a = _timed(ours, number)
        b = _timed(baseline, number)
        ratios.append(a / b)
        ours_times.append(a)
        base_times.append(b)
    ratio = statistics.median(ratios)
    spread = (max(ratios) - min(ratios)) / ratio
    return ratio, statistics.median(ours_times), statistics.median(base_times), spread


def _timed(function, number):
    start = time.perf_counter()
    for _ in range(number):
        function()
    return (time.perf_counter() - start) / number


BLAS_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def peak_memory_mb():
    """This process's peak resident memory. VmHWM, where Linux has it: getrusage's maxrss
    survives fork and exec, so a child started by a big parent would report the parent's."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clean_blas_environment():
    """Run again without OpenBLAS's core-type overrides, for every framework alike, and
    with OpenMP's idle threads asleep.

    The overrides must be gone before numpy loads OpenBLAS, so the benchmark re-executes
    itself (they make OpenBLAS pick an older kernel: half the matmul speed on AVX-512
    machines, and a user's machine does not set them). OMP_WAIT_POLICY=PASSIVE (unless
    the caller set a policy) must be in place before any OpenMP runtime loads: PyTorch's
    and numba's libgomp otherwise keep their threads spinning after each parallel region,
    which in an interleaved comparison slows whichever framework runs next (measured: our
    numpy-kernel CNN step ran 79 steps/s beside an idle TF1 and 34 beside PyTorch)."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    found = [name for name in BLAS_OVERRIDES if name in os.environ]
    if not found:
        return
    environment = {k: v for k, v in os.environ.items() if k not in BLAS_OVERRIDES}
    print(f"unsetting {', '.join(found)} and starting again", flush=True)
    module = sys.modules["__main__"].__spec__.name
    os.execve(sys.executable, [sys.executable, "-m", module] + sys.argv[1:], environment)


def blas_report():
    """The BLAS (and OpenMP) libraries loaded so far: kernel, version and threads."""
    import threadpoolctl
    lines = ["BLAS in use:"]
    for library in threadpoolctl.threadpool_info():
        kernel = library.get("architecture") or library.get("internal_api")
        lines.append(f"  {library['internal_api']} {library.get('version') or ''} "
                     f"({library['filepath'].split('/')[-1]}): kernel {kernel}, "
                     f"{library['num_threads']} threads")
    overrides = [f"{n}={os.environ[n]}" for n in BLAS_OVERRIDES if n in os.environ]
    lines.append("  overrides: " + (", ".join(overrides) if overrides else "none")
                 + f"; OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}")
    return "\n".join(lines)
