"""The course's models: training speed against PyTorch, TF1 and hand-written numpy, peak
memory, and (with --accuracy) the course's results after the full schedules.

    python -m benchmarks.course                          # every model, ~10 minutes
    python -m benchmarks.course --models cnn,tutorial_cnn --load
    python -m benchmarks.course --models cnn --accuracy  # + the full training schedule
    python -m benchmarks.course --threads --models cnn,big_cnn  # 1 vs 2 inter-op threads

Speed: every framework's training step is built in this one process from the same
weights and batches, then timed in alternating rounds (the order rotates each round,
warm-up excluded); steps/s is the median over rounds. Timing each framework in its own
short process catches TF's warm-up and the machine's drift instead. OpenBLAS's core-type
overrides (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE) are removed before numpy loads, for every
framework alike, and the BLAS kernel in use is printed. --load adds the same table with
one competing CPU-bound process (`yes > /dev/null`).

Memory and accuracy: each framework trains in its own child process, so that peak
memories (data included) do not mix.
"""
import argparse
import contextlib
import importlib.util
import json
import statistics
import subprocess
import sys
import time

import numpy as np

from . import frameworks
from .common import blas_report, clean_blas_environment, peak_memory_mb
from .specs import ALL

TRAIN_EXAMPLES = 55000
ROUNDS, ROUND_SECONDS, WARMUP_STEPS = 7, 0.6, 3
NAMES = {"ours": "ours", "ours_numpy": "ours, numpy k.", "torch": "PyTorch", "tf1": "TF1 graph",
         "numpy": "numpy by hand"}


def _batches(data, spec, count, seed=0):
    images = data.train.images if not spec.image else data.train.images.reshape(-1, 28, 28, 1)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(images))
    position = 0
    for _ in range(count):
        if position + spec.batch > len(order):
            order, position = rng.permutation(len(images)), 0
        index = order[position:position + spec.batch]
        position += spec.batch
        yield images[index], data.train.labels[index]


def installed():
    """The frameworks this machine can run."""
    return [name for name, module in frameworks.MODULES.items()
            if module is None or importlib.util.find_spec(module)]


def interleaved(model, names, rounds=ROUNDS, builders=None):
    """{framework: steps/s} for one model: all built here, timed in alternating rounds.
    `builders` maps extra names to builders (spec -> (step, predict))."""
    import nn
    spec = ALL[model]
    data = nn.datasets.read_data_sets(one_hot=True)
    batches = list(_batches(data, spec, 64))
    builders = {**frameworks.BUILDERS, **(builders or {})}
    steps = {name: builders[name](spec)[0] for name in names}
    counters = {name: 0 for name in names}

    def run(name, count):
        start = time.perf_counter()
        for _ in range(count):
            images, labels = batches[counters[name] % len(batches)]
            steps[name](images, labels, counters[name])
            counters[name] += 1
        return time.perf_counter() - start

    per_round = {}
    for name in names:  # warm-up, and how many steps make a round of ROUND_SECONDS
        run(name, WARMUP_STEPS + (_kernel_trial_runs() if name == "ours" else 0))
        per_step = run(name, WARMUP_STEPS) / WARMUP_STEPS
        per_round[name] = max(2, int(ROUND_SECONDS / per_step))
    rates = {name: [] for name in names}
    for number in range(rounds):
        order = names[number % len(names):] + names[:number % len(names)]
        for name in order:
            rates[name].append(per_round[name] / run(name, per_round[name]))
    return {name: statistics.median(values) for name, values in rates.items()}


def _kernel_trial_runs():
    """The runs over which our ops try their kernels (autograd.compiled): warm-up too."""
    import autograd as ag
    return ag.compiled.trial_runs() if ag.compiled.available() else 0


@contextlib.contextmanager
def competing_process():
    """One CPU-bound process running alongside (`yes > /dev/null`)."""
    process = subprocess.Popen(["yes"], stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        yield
    finally:
        process.kill()
        process.wait()


def thread_builders():
    """Our step with 1 and with 2 inter-op threads (intra-op: the machine's cores)."""
    import autograd as ag

    def build(inter):
        config = ag.ConfigProto(inter_op_parallelism_threads=inter)
        return lambda spec: frameworks.build_ours(spec, config=config)
    return {"inter-op 1": build(1), "inter-op 2": build(2)}


def print_threads_table(results):
    print("\nours with 1 and 2 inter-op threads (steps/s, interleaved in one process)")
    for model, rates in results.items():
        print(f"  {model:<14}" + "".join(f"{name:>12}: {rate:8.1f}" for name, rate in
                                          rates.items())
              + f"   ratio {rates['inter-op 2'] / rates['inter-op 1']:.2f}x")


def print_table(title, results, names):
    print(f"\n{title} (steps/s, interleaved in one process)")
    peers = [n for n in ("ours_numpy", "torch", "tf1") if n in names]
    header = "  " + f"{'model':<14}" + "".join(f"{NAMES[n]:>15}" for n in names)
    print(header + "".join(f"{'ours/' + NAMES[n]:>18}" for n in peers))
    for model, rates in results.items():
        line = "  " + f"{model:<14}" + "".join(f"{rates[n]:>15,.1f}" for n in names)
        print(line + "".join(f"{rates['ours'] / rates[n]:>17.2f}x" for n in peers))


# -- child processes: peak memory and accuracy ----------------------------------------------
def run_one(model, framework, steps, measure_accuracy):
    """Train in this process; return figures as a dict (printed as JSON by the child)."""
    import nn
    spec = ALL[model]
    data = nn.datasets.read_data_sets(one_hot=True, validation_size=5000)
    train_step, predict = frameworks.BUILDERS[framework](spec)
    start = time.perf_counter()
    for step, (images, labels) in enumerate(_batches(data, spec, steps)):
        train_step(images, labels, step)
    seconds = time.perf_counter() - start
    result = {"steps": steps, "seconds": seconds,
              "seconds_per_epoch": seconds / (steps * spec.batch / TRAIN_EXAMPLES),
              "peak_mb": peak_memory_mb()}
    if measure_accuracy:
        images = data.test.images if not spec.image else \
            data.test.images.reshape(-1, 28, 28, 1)
        hits = sum(int(np.sum(predict(images[i:i + 500]) ==
                              data.test.labels[i:i + 500].argmax(1)))
                   for i in range(0, len(images), 500))
        result["accuracy"] = hits / len(images)
    return result


def _child(model, framework, steps, accuracy=False):
    command = [sys.executable, "-m", "benchmarks.course", "--child", model, framework,
               str(steps)] + (["--accuracy"] if accuracy else [])
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(ALL))
    parser.add_argument("--load", action="store_true",
                        help="also time with one competing CPU-bound process")
    parser.add_argument("--accuracy", action="store_true",
                        help="train ours on the full schedule and report test accuracy")
    parser.add_argument("--quick", action="store_true", help="with --accuracy: a tenth")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--threads", action="store_true",
                        help="only compare ours with 1 and 2 inter-op threads")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        model, framework, steps = args.child
        print(json.dumps(run_one(model, framework, int(steps), args.accuracy)))
        return
    names = installed()
    missing = sorted(set(frameworks.MODULES) - set(names))
    print(blas_report())
    if missing:
        print(f"not installed, skipped: {', '.join(missing)} (scripts/setup.sh dev,fast,bench)")
    models = args.models.split(",")
    if args.threads:
        extra = thread_builders()
        print_threads_table({m: interleaved(m, list(extra), args.rounds, extra)
                             for m in models})
        if args.load:
            with competing_process():
                print("one competing CPU-bound process:")
                print_threads_table({m: interleaved(m, list(extra), args.rounds, extra)
                                     for m in models})
        return
    results = {model: interleaved(model, names, args.rounds) for model in models}
    print_table("quiet machine", results, names)
    if args.load:
        with competing_process():
            loaded = {model: interleaved(model, names, args.rounds) for model in models}
        print_table("one competing CPU-bound process", loaded, names)
    print("\npeak memory of a training process, data included (MB)")
    for model in models:
        figures = {n: _child(model, n, 20) for n in names}
        print(f"  {model:<14}" + "".join(
            f"{NAMES[n]:>15}: {figures[n].get('peak_mb', float('nan')):6.0f}" for n in names))
    if args.accuracy:
        for model in models:
            spec = ALL[model]
            steps = spec.steps // 10 if args.quick else spec.steps
            ours = _child(model, "ours", steps, accuracy=True)
            if "error" in ours:
                print(f"  {model}: failed: {ours['error']}")
                continue
            verdict = "PASS" if ours["accuracy"] >= spec.target else "MISS"
            print(f"  {model}: {steps} steps, test accuracy {ours['accuracy']:.2%} (target "
                  f"{spec.target:.1%}: {verdict}), {ours['seconds_per_epoch']:.1f} s/epoch")


if __name__ == "__main__":
    clean_blas_environment()
    main()
