"""python -m autograd.tf1 program.py [args]: run a TF1 program unchanged on this engine.

`import tensorflow as tf` (and the `tensorflow.*` paths tutorials use) resolve to the
facade for this run only (see autograd.tf1.hook); the program sees `sys.argv` as
`[program.py, args...]`, as if run with `python program.py args`.
"""
import runpy
import sys

from .hook import install

USAGE = "usage: python -m autograd.tf1 program.py [args...]"


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE + "\nRuns a TensorFlow 1.x program unchanged: `import tensorflow` "
              "resolves to autograd.tf1.")
        return 0 if argv else 2
    install()
    sys.argv = list(argv)
    runpy.run_path(argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
