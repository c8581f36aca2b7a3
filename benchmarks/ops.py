"""Where a training step's time goes: per-op times of the course's models, from traced runs.

    python -m benchmarks.ops                        # the convolutional models
    python -m benchmarks.ops --models cnn --kernels numpy,compiled

Each model's step is built once per kernel set (numpy: the reference kernels only;
fastest: numba's where they are measured faster; compiled: numba's wherever an op has
one), warmed up past the kernel trials, then run in alternating rounds (each round: a
few untimed-by-op steps, then one traced step, per kernel set); the table gives each op's
median milliseconds per traced step (ops of one type and layer summed), their total, and
the untraced steps/s for scale.
"""
import argparse
import statistics
import time

from . import frameworks
from .common import blas_report, clean_blas_environment
from .specs import ALL

WARMUP, ROUNDS, TIMED = 5, 15, 45


def profiles(model, kernel_sets):
    """{kernels: ({op label: median ms per step}, steps/s)} of one model's step on each of
    `kernel_sets`, all built in this process and measured in alternating rounds (the
    machine's speed drifts by tens of percent over minutes: runs one after the other
    would compare the drift)."""
    import autograd as ag
    import nn
    spec = ALL[model]
    data = nn.datasets.read_data_sets(one_hot=True)
    images, labels = data.train.next_batch(spec.batch)
    if spec.image:
        images = images.reshape(-1, 28, 28, 1)
    steps = {kernels: frameworks.build_ours(spec, kernels=kernels)[0]
             for kernels in kernel_sets}
    warmup = WARMUP + (ag.compiled.trial_runs() if ag.compiled.available() else 0)
    for step in steps.values():
        for _ in range(warmup):
            step(images, labels, 0)
    seconds = dict.fromkeys(kernel_sets, 0.0)
    samples = {kernels: {} for kernels in kernel_sets}
    for _ in range(ROUNDS):
        for kernels, step in steps.items():
            start = time.perf_counter()
            for _ in range(TIMED // ROUNDS):
                step(images, labels, 0)
            seconds[kernels] += time.perf_counter() - start
            for label, ms in _traced(ag, step, step.feeds(images, labels)).items():
                samples[kernels].setdefault(label, []).append(ms)
    return {kernels: ({label: statistics.median(ms) for label, ms in samples[kernels].items()},
                      ROUNDS * (TIMED // ROUNDS) / seconds[kernels])
            for kernels in kernel_sets}


def _traced(ag, step, feeds):
    """{op label: ms} of one traced run of `step`."""
    metadata = ag.RunMetadata()
    step.session.run(step.fetch, feeds, run_metadata=metadata,
                     options=ag.RunOptions(trace_level=ag.RunOptions.FULL_TRACE))
    per_step = {}
    for stat in metadata.node_stats():
        label = _label(stat)
        per_step[label] = per_step.get(label, 0.0) + stat.all_end_rel_micros / 1e3
    return per_step


def _label(stat):
    """Convolutions and pooling by layer (their cost depends on it); the rest by type."""
    if stat.op_type.startswith(("Conv2D", "MaxPool")):
        parts = stat.node_name.split("/")
        return f"{stat.op_type} ({parts[1] if parts[0] == 'gradients' else parts[0]})"
    return stat.op_type


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="cnn,big_cnn,tutorial_cnn")
    parser.add_argument("--kernels", default="numpy,fastest")
    parser.add_argument("--top", type=int, default=14, help="ops shown per model")
    args = parser.parse_args(argv)
    print(blas_report())
    kernel_sets = args.kernels.split(",")
    for model in args.models.split(","):
        results = profiles(model, kernel_sets)
        first = results[kernel_sets[0]][0]
        labels = sorted(set().union(*(r[0] for r in results.values())),
                        key=lambda label: -first.get(label, 0.0))
        print(f"\n{model}: median ms per traced step")
        print(f"  {'op':<44}" + "".join(f"{k:>12}" for k in kernel_sets))
        for label in labels[:args.top]:
            print(f"  {label:<44}" + "".join(
                f"{results[k][0].get(label, 0.0):12.2f}" for k in kernel_sets))
        rest = labels[args.top:]
        print(f"  {'(the other ' + str(len(rest)) + ' op types)':<44}" + "".join(
            f"{sum(results[k][0].get(label, 0.0) for label in rest):12.2f}"
            for k in kernel_sets))
        print(f"  {'sum of op times':<44}" + "".join(
            f"{sum(results[k][0].values()):12.2f}" for k in kernel_sets))
        print(f"  {'untraced steps/s':<44}" + "".join(
            f"{results[k][1]:12.1f}" for k in kernel_sets))


if __name__ == "__main__":
    clean_blas_environment()
    main()
