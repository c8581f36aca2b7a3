"""`timeline(run_metadata)`: a traced run as a picture, one row per thread, one bar per op.

Needs matplotlib (the `notebooks` extra); the trace itself does not.
"""


def timeline(run_metadata, title=None, label_ms=None, width=11):
    """A matplotlib Figure of the ops a traced run executed (see autograd.tracing): time
    across, one row per thread (0: the thread that called `run`), ops coloured by type.
    Ops longer than `label_ms` milliseconds (default: 4% of the run) are named."""
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError("timeline() draws with matplotlib: pip install matplotlib (or "
                          "install this package with the 'notebooks' extra)") from exc
    stats = run_metadata.node_stats()
    if not stats:
        raise ValueError("this RunMetadata holds no trace: pass it to Session.run together "
                         "with options=RunOptions(trace_level=RunOptions.FULL_TRACE)")
    origin = min(s.all_start_micros for s in stats)
    end = max(s.all_start_micros + s.all_end_rel_micros for s in stats)
    total_ms = (end - origin) / 1000
    label_ms = total_ms * 0.04 if label_ms is None else label_ms
    threads = sorted({s.thread_id for s in stats})
    types = sorted({s.op_type for s in stats},
                   key=lambda t: -sum(s.all_end_rel_micros for s in stats if s.op_type == t))
    palette = _palette(len(types))
    colour = dict(zip(types, palette))
    figure = Figure(figsize=(width, 1.6 + 0.7 * len(threads)))
    axes = figure.add_subplot()
    for s in stats:
        row = threads.index(s.thread_id)
        start, length = (s.all_start_micros - origin) / 1000, s.all_end_rel_micros / 1000
        axes.barh(row, max(length, total_ms * 0.002), left=start, height=0.7,
                  color=colour[s.op_type], edgecolor="white", linewidth=0.3)
        if length >= label_ms:
            axes.text(start + length / 2, row, _short_name(s.node_name), ha="center",
                      va="center", fontsize=6, clip_on=True)
    axes.set_yticks(range(len(threads)))
    axes.set_yticklabels(["caller" if t == 0 else f"worker {t}" for t in threads])
    axes.invert_yaxis()
    axes.set_xlabel("milliseconds since the run's first op")
    axes.set_xlim(0, total_ms)
    busy = sum(s.all_end_rel_micros for s in stats) / 1000
    axes.set_title(title or f"{len(stats)} ops in {total_ms:.1f} ms ({busy:.1f} ms of op "
                   f"time on {len(threads)} thread{'s' * (len(threads) > 1)})", fontsize=9)
    shown = types[:10]
    axes.legend(handles=[_patch(colour[t], t) for t in shown], fontsize=7,
                loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    figure.tight_layout()
    return figure


def _short_name(name):
    """'gradients/conv2/Conv2D_grad/Conv2DBackpropInput' -> 'grad\nconv2': the layer's
    scope, marked when the op belongs to the backward pass."""
    parts = name.split("/")
    backward = parts[0].startswith("gradients")
    scope = parts[1 if backward and len(parts) > 2 else 0] if len(parts) > 1 else parts[0]
    return ("grad\n" if backward else "") + scope


def _palette(count):
    from matplotlib import colormaps
    colours = colormaps["tab20"].colors
    return [colours[i % len(colours)] for i in range(count)]


def _patch(colour, label):
    from matplotlib.patches import Patch
    return Patch(facecolor=colour, label=label)
