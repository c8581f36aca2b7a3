"""Looking at logs without a server: read_scalars(logdir) and plot(logdir)."""
import csv
import os

from .writer import FileWriter


def read_scalars(logdir):
    """{run name: {tag: (steps, values)}} for `logdir` and each run folder inside it."""
    runs = {}
    for folder, _, files in sorted(os.walk(logdir)):
        if FileWriter.SCALARS not in files:
            continue
        run = os.path.relpath(folder, logdir)
        with open(os.path.join(folder, FileWriter.SCALARS), newline="") as handle:
            for row in csv.DictReader(handle):
                steps, values = runs.setdefault(run, {}).setdefault(row["tag"], ([], []))
                steps.append(int(row["step"]) if row["step"] else len(steps))
                values.append(float(row["value"]))
    return runs


def plot(logdir):
    """Draw every scalar over steps, one subplot per tag and one line per run (needs
    matplotlib); returns the matplotlib Figure."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("summary.plot needs matplotlib: pip install matplotlib (or install "
                          "this package with its 'notebooks' extra)") from None
    runs = read_scalars(logdir)
    if not runs:
        raise FileNotFoundError(f"no {FileWriter.SCALARS} found under {logdir!r}")
    tags = sorted({tag for scalars in runs.values() for tag in scalars})
    figure, axes = plt.subplots(len(tags), 1, figsize=(6, 2.6 * len(tags)), squeeze=False)
    for axis, tag in zip(axes[:, 0], tags):
        for run, scalars in runs.items():
            if tag in scalars:
                axis.plot(*scalars[tag], label=run)
        axis.set_title(tag)
        axis.set_xlabel("step")
        if len(runs) > 1:
            axis.legend()
    figure.tight_layout()
    return figure
