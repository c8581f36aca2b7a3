"""Summaries, as in TF1: summary ops evaluated in a run, and a FileWriter per run folder.

    loss_summary = summary.scalar("loss", loss)
    merged = summary.merge_all()
    writer = summary.FileWriter("logs/run1", sess.graph)
    writer.add_summary(sess.run(merged, feed), step)

Then `tensorboard --logdir logs` (with the tensorboard package installed: standard event
files), or `summary.plot("logs")` with no server (the CSV files every writer keeps).
"""
from .handmade import Summary  # noqa: F401
from .ops import (SUMMARIES, audio, histogram, image, merge, merge_all, scalar,  # noqa: F401
                  text)
from .reading import plot, read_scalars  # noqa: F401
from .writer import FileWriter  # noqa: F401

__all__ = ["scalar", "histogram", "image", "text", "audio", "merge", "merge_all",
           "FileWriter", "plot", "read_scalars", "SUMMARIES", "Summary"]
