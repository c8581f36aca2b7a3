"""tf.app.flags / tf.flags: command-line flags as TF1 programs define them.

    flags.DEFINE_integer("steps", 100, "training steps")
    FLAGS = flags.FLAGS
    ... FLAGS.steps ...

The command line is parsed on first access (or by tf.app.run), with argparse; arguments
that are not flags (a notebook kernel's, a test runner's) are left alone.
"""
import argparse
import sys


class _FlagValues:
    def __init__(self):
        object.__setattr__(self, "_defaults", {})
        object.__setattr__(self, "_helps", {})
        object.__setattr__(self, "_values", None)
        object.__setattr__(self, "_types", {})

    def _define(self, name, default, help_text, kind):
        if name in self._defaults:
            raise ValueError(f"flag --{name} is defined twice")
        self._defaults[name] = default
        self._helps[name] = help_text
        self._types[name] = kind
        object.__setattr__(self, "_values", None)  # parse again with the new flag

    def _parser(self):
        parser = argparse.ArgumentParser(allow_abbrev=False)
        for name, default in self._defaults.items():
            kind = self._types[name]
            if kind is bool:  # --name, --noname, or --name=value (see __call__)
                parser.add_argument(f"--{name}", action="store_true", default=default,
                                    help=self._helps[name])
                parser.add_argument(f"--no{name}", dest=name, action="store_false")
            elif kind is list:
                parser.add_argument(f"--{name}", default=default,
                                    type=lambda text: text.split(","), help=self._helps[name])
            else:
                parser.add_argument(f"--{name}", default=default, type=kind,
                                    help=self._helps[name])
        return parser

    def __call__(self, argv):
        """Parse `argv` (argv[0] is the program); return the arguments that are not flags."""
        args = []
        for arg in argv[1:]:
            name, equals, value = arg[2:].partition("=")
            if arg.startswith("--") and equals and self._types.get(name) is bool:
                arg = f"--{name}" if _as_bool(value) else f"--no{name}"
            args.append(arg)
        values, rest = self._parser().parse_known_args(args)
        object.__setattr__(self, "_values", vars(values))
        return argv[:1] + rest

    def __getattr__(self, name):
        if name not in self._defaults:
            raise AttributeError(f"no flag --{name} is defined; define it with "
                                 f"flags.DEFINE_...({name!r}, default, help)")
        if self._values is None:
            self(sys.argv)
        return self._values[name]

    def __setattr__(self, name, value):
        if self._values is None:
            self(sys.argv)
        self._values[name] = value

    def __contains__(self, name):
        return name in self._defaults

    def flag_values_dict(self):
        return {name: getattr(self, name) for name in self._defaults}


def _as_bool(text):
    if isinstance(text, bool):
        return text
    if text.lower() in ("true", "t", "1", "yes"):
        return True
    if text.lower() in ("false", "f", "0", "no"):
        return False
    raise argparse.ArgumentTypeError(f"expected a boolean, got {text!r}")


FLAGS = _FlagValues()


def DEFINE_string(name, default, help=None):  # noqa: N802 - TF1's names
    FLAGS._define(name, default, help, str)


def DEFINE_integer(name, default, help=None, lower_bound=None, upper_bound=None):  # noqa
    FLAGS._define(name, default, help, int)


def DEFINE_float(name, default, help=None, lower_bound=None, upper_bound=None):  # noqa
    FLAGS._define(name, default, help, float)


def DEFINE_boolean(name, default, help=None):  # noqa: N802
    FLAGS._define(name, default, help, bool)


DEFINE_bool = DEFINE_boolean


def DEFINE_list(name, default, help=None):  # noqa: N802
    FLAGS._define(name, default, help, list)
