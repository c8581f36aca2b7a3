"""FileWriter: one run's log directory. With the tensorboard package installed it writes
standard event files (`tensorboard --logdir` reads them); always, it also writes the graph
drawing and CSV files that summary.plot(logdir) draws without a server."""
import csv
import json
import os
import warnings

import numpy as np

from . import events

_hinted = []


class FileWriter:
    """Writes into `logdir`: events.out.tfevents.* (graph, scalars, histograms, images,
    text, traced runs), graph.dot/.svg/.png, scalars.csv, histograms.csv, texts.csv and
    images/*.png."""

    SCALARS, HISTOGRAMS, TEXTS = "scalars.csv", "histograms.csv", "texts.csv"

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
                 filename_suffix=None, session=None, **draw_options):
        self.logdir = os.fspath(logdir)
        os.makedirs(self.logdir, exist_ok=True)
        self._draw_options = draw_options
        self._events = events.EventLog(self.logdir) if events.available() else None
        if self._events is None and not _hinted:
            _hinted.append(True)
            warnings.warn(events.HINT, RuntimeWarning, stacklevel=2)
        if graph is not None:
            self.add_graph(graph)

    def add_graph(self, graph, global_step=None):
        """The graph for TensorBoard's graph tab, and graph.dot (graph.svg / graph.png
        when Graphviz's dot is installed)."""
        from ..drawing import dot_available, draw, warn_no_dot
        if self._events is not None:
            self._events.add_graph(graph)
        drawing = draw(graph, **self._draw_options)
        with open(os.path.join(self.logdir, "graph.dot"), "w") as out:
            out.write(drawing.source)
        if dot_available():
            for fmt in ("svg", "png"):
                drawing.render(os.path.join(self.logdir, "graph"), format=fmt, cleanup=True)
        else:
            warn_no_dot()
            with open(os.path.join(self.logdir, "graph.txt"), "w") as out:
                out.write(drawing.text + "\n")

    def add_summary(self, summary, global_step=None):
        """Write the values of an evaluated summary (the result of sess.run on a summary
        op) at `global_step`."""
        data = json.loads(summary.decode() if isinstance(summary, bytes) else str(summary))
        if self._events is not None:
            self._events.add_summary(data, global_step)
        step = "" if global_step is None else int(global_step)
        rows = [[step, tag, value] for tag, value in data.get("scalars", {}).items()]
        self._append(self.SCALARS, ["step", "tag", "value"], rows)
        rows = [[step, tag, h["count"], h["min"], h["max"], h["mean"], h["std"],
                 json.dumps(h["counts"]), json.dumps(h["edges"])]
                for tag, h in data.get("histograms", {}).items()]
        self._append(self.HISTOGRAMS, ["step", "tag", "count", "min", "max", "mean", "std",
                                       "counts", "edges"], rows)
        rows = [[step, tag, text] for tag, texts in data.get("texts", {}).items()
                for text in texts]
        self._append(self.TEXTS, ["step", "tag", "text"], rows)
        for tag, images in data.get("images", {}).items():
            self._save_images(tag, step, images)
        for tag, clips in data.get("audios", {}).items():
            self._save_audio(tag, step, clips)

    def add_run_metadata(self, run_metadata, tag, global_step=None):
        """A traced run (RunMetadata from Session.run with FULL_TRACE): TensorBoard shows
        it on the graph tab under `tag`; run_metadata_<tag>.csv lists each op's thread,
        start and duration."""
        if self._events is not None:
            self._events.add_run_metadata(run_metadata, tag, global_step)
        stats = run_metadata.node_stats()
        origin = min((s.all_start_micros for s in stats), default=0)
        rows = [[s.node_name, s.op_type, s.thread_id, s.all_start_micros - origin,
                 s.all_end_rel_micros] for s in stats]
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in tag)
        self._append(f"run_metadata_{safe}.csv", ["op", "type", "thread", "start_us",
                                                  "duration_us"], rows)

    def _save_images(self, tag, step, images):
        folder = os.path.join(self.logdir, "images")
        os.makedirs(folder, exist_ok=True)
        for index, entry in enumerate(images):
            image = events.decode_image(entry)
            base = os.path.join(folder, f"{tag.replace('/', '_')}_step{step}_{index}")
            try:
                with open(base + ".png", "wb") as out:
                    out.write(events.png_bytes(image))
            except ImportError:  # no Pillow: keep the pixels anyway
                np.save(base + ".npy", image)

    def _save_audio(self, tag, step, clips):
        folder = os.path.join(self.logdir, "audio")
        os.makedirs(folder, exist_ok=True)
        for index, entry in enumerate(clips):
            name = f"{tag.replace('/', '_')}_step{step}_{index}.wav"
            with open(os.path.join(folder, name), "wb") as out:
                out.write(events.wav_bytes(entry))

    def _append(self, filename, header, rows):
        if not rows:
            return
        path = os.path.join(self.logdir, filename)
        new = not os.path.exists(path)
        with open(path, "a", newline="") as out:
            writer = csv.writer(out)
            if new:
                writer.writerow(header)
            writer.writerows(rows)

    def flush(self):
        """Push buffered event records to disk (the CSV files are written at once)."""
        if self._events is not None:
            self._events.flush()

    def close(self):
        if self._events is not None:
            self._events.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
