"""How much of TF 1.15's public `tf.compat.v1` API the facade has, module by module.

    python scripts/tf1_names.py             # counts from the cached list (no TF needed)
    python scripts/tf1_names.py --missing nn   # the missing names of one module
    python scripts/tf1_names.py --refresh   # rebuild the list from an installed TensorFlow

The list (scripts/tf1_names.txt, one "module name" a line) is read from TensorFlow's
`tf.compat.v1`, the TF1 API as TF 1.15 froze it, for the modules TF1 programs use.
Private names, submodules and the few names that exist only to build TF itself are left
out. A name counts as present when `autograd.tf1` resolves it by attribute access.
"""
import argparse
import pathlib
import sys
import types

LIST = pathlib.Path(__file__).with_name("tf1_names.txt")
MODULES = ["", "nn", "train", "image", "metrics", "sparse", "linalg", "math", "layers",
           "losses", "summary", "data", "errors", "random", "strings", "io", "gfile",
           "app", "flags", "logging", "initializers", "distributions", "graph_util",
           "python_io", "saved_model", "test", "nn.rnn_cell", "estimator", "keras"]


def refresh():
    """Write the list from an installed TensorFlow's tf.compat.v1."""
    import tensorflow.compat.v1 as tf
    lines = []
    for module in MODULES:
        found = _resolve(tf, module)
        try:
            listed = sorted(dir(found)) if found is not None else []
        except ImportError:  # TF2's lazy loaders fail for some v1 modules (keras)
            listed = []
        for name in listed:
            try:
                value = getattr(found, name, None)
            except ImportError:
                continue
            if name.startswith("_") or isinstance(value, types.ModuleType):
                continue
            lines.append(f"{module or 'tf'} {name}")
    LIST.write_text("\n".join(lines) + "\n")
    print(f"wrote {len(lines)} names to {LIST}")


def _resolve(root, dotted):
    for part in [p for p in dotted.split(".") if p]:
        try:
            root = getattr(root, part, None)
        except ImportError:  # TF2's lazy loaders fail for some v1 modules (keras)
            return None
        if root is None:
            return None
    return root


def names():
    """{module: [names]} from the cached list."""
    table = {}
    for line in LIST.read_text().splitlines():
        module, name = line.split()
        table.setdefault(module, []).append(name)
    return table


def coverage():
    """[(module, present names, missing names)] for the facade."""
    import autograd.tf1 as facade
    rows = []
    for module, wanted in names().items():
        home = _resolve(facade, "" if module == "tf" else module)
        present = [n for n in wanted if home is not None and hasattr(home, n)]
        rows.append((module, present, [n for n in wanted if n not in present]))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refresh", action="store_true", help="rebuild the list from TF")
    parser.add_argument("--missing", metavar="MODULE", help="list a module's missing names")
    args = parser.parse_args(argv)
    if args.refresh:
        refresh()
        return
    rows = coverage()
    if args.missing is not None:
        found = [missing for module, _, missing in rows if module == args.missing]
        print("\n".join(found[0]) if found else f"no module {args.missing!r} in the list")
        return
    total_present = total = 0
    for module, present, missing in rows:
        total_present, total = total_present + len(present), total + len(present) + len(missing)
        print(f"tf.{module if module != 'tf' else ''}".rstrip(".").ljust(22) +
              f"{len(present):5d} / {len(present) + len(missing):5d}")
    print(f"{'all':22s}{total_present:5d} / {total:5d}  ({100 * total_present / total:.1f}%)")


if __name__ == "__main__":
    sys.exit(main())
