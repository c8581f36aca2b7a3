"""Peak memory of evaluating the TF tutorial CNN on all 10,000 test images in one run,
ours against TF1 (each in its own process), and our speed at batch 100 with the default
workspace against an unbounded one (the chunked im2col must not cost speed).

    python -m benchmarks.memory

TF's figure from the conv-speed issue: 2.6 GB; ours was 7.9 GB before im2col went chunked.
"""
import argparse
import json
import statistics
import subprocess
import sys
import time

from . import frameworks
from .common import blas_report, clean_blas_environment, peak_memory_mb
from .course import installed
from .specs import TUTORIAL_CNN

UNBOUNDED = 1 << 50


def evaluate_all(framework):
    """Peak MB and seconds of one prediction run over the 10,000 test images."""
    import nn
    data = nn.datasets.read_data_sets(one_hot=True, reshape=False)
    _, predict = frameworks.BUILDERS[framework](TUTORIAL_CNN)
    start = time.perf_counter()
    predictions = predict(data.test.images)
    seconds = time.perf_counter() - start
    accuracy = float((predictions == data.test.labels.argmax(1)).mean())
    return {"peak_mb": peak_memory_mb(), "seconds": seconds, "accuracy_untrained": accuracy}


def batch_speed(rounds=7):
    """Images/s predicting batches of 100, default workspace vs unbounded, interleaved."""
    import autograd as ag
    import nn
    data = nn.datasets.read_data_sets(one_hot=True, reshape=False)
    images = data.test.images[:100]
    predictors = {"default workspace": frameworks.build_ours(TUTORIAL_CNN)[1],
                  "unbounded workspace": frameworks.build_ours(
                      TUTORIAL_CNN, workspace_bytes=UNBOUNDED)[1]}
    rates = {name: [] for name in predictors}
    for predict in predictors.values():
        predict(images)
    for number in range(rounds):
        names = list(predictors)[number % 2:] + list(predictors)[:number % 2]
        for name in names:
            start = time.perf_counter()
            for _ in range(5):
                predictors[name](images)
            rates[name].append(500 / (time.perf_counter() - start))
    default_mb = ag.Session().workspace_bytes / 2 ** 20
    return {name: statistics.median(values) for name, values in rates.items()}, default_mb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(evaluate_all(args.child)))
        return
    print(blas_report())
    print("\nevaluating the TF tutorial CNN on 10,000 images in one run (own process each)")
    for framework in [n for n in installed() if n in ("ours", "tf1")]:
        done = subprocess.run([sys.executable, "-m", "benchmarks.memory", "--child",
                               framework], capture_output=True, text=True)
        if done.returncode:
            print(f"  {frameworks.MODULES[framework] or framework}: failed: "
                  f"{done.stderr.strip().splitlines()[-1]}")
            continue
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"  {framework:<6} peak {figures['peak_mb']:7.0f} MB  "
              f"{figures['seconds']:6.1f} s")
    rates, default_mb = batch_speed()
    print(f"\nours at batch 100, images/s (interleaved; default workspace {default_mb:.0f} MiB)")
    for name, rate in rates.items():
        print(f"  {name:<22} {rate:8.0f}")


if __name__ == "__main__":
    clean_blas_environment()
    main()
