"""tf.logging: TF1's log functions, on Python's logging (logger "tensorflow")."""
import logging as _logging
import sys

DEBUG, INFO, WARN, ERROR, FATAL = (_logging.DEBUG, _logging.INFO, _logging.WARNING,
                                   _logging.ERROR, _logging.CRITICAL)
class _StderrHandler(_logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (a notebook's, a test's capture)."""

    def emit(self, record):
        self.stream = sys.stderr
        super().emit(record)


_logger = _logging.getLogger("tensorflow")
if not _logger.handlers:
    _handler = _StderrHandler()
    _handler.setFormatter(_logging.Formatter("%(levelname)s:tensorflow:%(message)s"))
    _logger.addHandler(_handler)
    _logger.setLevel(WARN)
    _logger.propagate = False


def set_verbosity(level):
    _logger.setLevel(level)


def get_verbosity():
    return _logger.getEffectiveLevel()


def debug(msg, *args):
    _logger.debug(msg, *args)


def info(msg, *args):
    _logger.info(msg, *args)


def warning(msg, *args):
    _logger.warning(msg, *args)


warn = warning


def error(msg, *args):
    _logger.error(msg, *args)


def fatal(msg, *args):
    _logger.critical(msg, *args)


def log(level, msg, *args):
    _logger.log(level, msg, *args)


_counts = {}


def log_every_n(level, msg, n, *args):
    """Log on the first call from a place and every n-th after."""
    import inspect
    caller = inspect.stack()[1]
    key = (caller.filename, caller.lineno)
    count = _counts.get(key, 0)
    _counts[key] = count + 1
    if count % n == 0:
        _logger.log(level, msg, *args)
