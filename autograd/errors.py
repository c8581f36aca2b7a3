"""The errors a run can raise, as in TF1: each names the op and where it was created."""


class OpError(Exception):
    """A failure tied to an operation of the graph; `.op` is that operation (or None)."""

    def __init__(self, message, op=None):
        super().__init__(message)
        self.message = message
        self.op = op


class InvalidArgumentError(OpError):
    """A bad value: a feed of the wrong shape or dtype, an unfed placeholder, a kernel failure."""


class FailedPreconditionError(OpError):
    """The graph is fine but the state is not, e.g. a variable read before its initializer ran."""


class NotFoundError(OpError):
    """A name (of a tensor, an op or a saved variable) that does not exist."""


class AbortedError(OpError):
    """A run gave up because another run changed the same variables meanwhile."""


class DataLossError(OpError):
    """A file (a checkpoint) is truncated, corrupted or not what it claims to be."""


class OutOfRangeError(OpError):
    """An iterator has no element left (the end of a tf.data dataset)."""


class InternalError(OpError):
    """An op broke its own contract, e.g. a kernel whose output contradicts its shape rule."""


__all__ = ["OpError", "InvalidArgumentError", "FailedPreconditionError", "NotFoundError",
           "AbortedError", "DataLossError", "OutOfRangeError", "InternalError"]
