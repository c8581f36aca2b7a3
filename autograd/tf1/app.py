"""tf.app: run(main) parses the flags, then calls main(argv) and exits with its result."""
import sys

from . import flags  # noqa: F401 - tf.app.flags


def run(main=None, argv=None):
    """Parse the command line's flags into tf.app.flags.FLAGS and call `main` (default:
    the __main__ module's main) with the remaining arguments; exit with what it returns."""
    argv = flags.FLAGS(sys.argv if argv is None else list(argv))
    main = main or sys.modules["__main__"].main
    sys.exit(main(argv))
