"""The errors a run can raise, as in TF1: each names the op and where it was created."""


# TF's status codes (error_code of each class below)
(OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS,
 PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE,
 UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED) = range(17)


class OpError(Exception):
    """A failure tied to an operation of the graph; `.op` is that operation (or None),
    `.error_code` TF's status code of the kind of failure."""

    error_code = UNKNOWN

    def __init__(self, message, op=None, *_tf1_node_def):
        super().__init__(message)
        self.message = message
        self.op = op


class InvalidArgumentError(OpError):
    """A bad value: a feed of the wrong shape or dtype, an unfed placeholder, a kernel failure."""

    error_code = INVALID_ARGUMENT


class FailedPreconditionError(OpError):
    """The graph is fine but the state is not, e.g. a variable read before its initializer ran."""

    error_code = FAILED_PRECONDITION


class NotFoundError(OpError):
    """A name (of a tensor, an op or a saved variable) that does not exist."""

    error_code = NOT_FOUND


class AbortedError(OpError):
    """A run gave up because another run changed the same variables meanwhile."""

    error_code = ABORTED


class DataLossError(OpError):
    """A file (a checkpoint) is truncated, corrupted or not what it claims to be."""

    error_code = DATA_LOSS


class OutOfRangeError(OpError):
    """An iterator has no element left (the end of a tf.data dataset)."""

    error_code = OUT_OF_RANGE


class InternalError(OpError):
    """An op broke its own contract, e.g. a kernel whose output contradicts its shape rule."""

    error_code = INTERNAL


class CancelledError(OpError):
    """A run or an operation was cancelled (a queue closed with cancel_pending_enqueues)."""

    error_code = CANCELLED


class UnknownError(OpError):
    """A failure of no known kind."""


class DeadlineExceededError(OpError):
    """An operation ran past its deadline (RunOptions.timeout_in_ms)."""

    error_code = DEADLINE_EXCEEDED


class AlreadyExistsError(OpError):
    """Something to be created exists already."""

    error_code = ALREADY_EXISTS


class PermissionDeniedError(OpError):
    """Not allowed (a file that cannot be written, say)."""

    error_code = PERMISSION_DENIED


class ResourceExhaustedError(OpError):
    """Out of memory or of another resource."""

    error_code = RESOURCE_EXHAUSTED


class UnimplementedError(OpError):
    """An operation this engine does not implement for these arguments."""

    error_code = UNIMPLEMENTED


class UnavailableError(OpError):
    """A service (a remote task) cannot be reached now."""

    error_code = UNAVAILABLE


class UnauthenticatedError(OpError):
    """Credentials are missing or wrong."""

    error_code = UNAUTHENTICATED


_BY_CODE = {cls.error_code: cls for cls in (
    CancelledError, UnknownError, InvalidArgumentError, DeadlineExceededError, NotFoundError,
    AlreadyExistsError, PermissionDeniedError, ResourceExhaustedError, FailedPreconditionError,
    AbortedError, OutOfRangeError, UnimplementedError, InternalError, UnavailableError,
    DataLossError, UnauthenticatedError)}


def exception_type_from_error_code(error_code):
    """The error class of a TF status code."""
    return _BY_CODE[error_code]


def error_code_from_exception_type(cls):
    """The TF status code of an error class."""
    return cls.error_code


__all__ = ["OpError", "InvalidArgumentError", "FailedPreconditionError", "NotFoundError",
           "AbortedError", "DataLossError", "OutOfRangeError", "InternalError",
           "CancelledError", "UnknownError", "DeadlineExceededError", "AlreadyExistsError",
           "PermissionDeniedError", "ResourceExhaustedError", "UnimplementedError",
           "UnavailableError", "UnauthenticatedError", "exception_type_from_error_code",
           "error_code_from_exception_type", "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
           "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
           "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
           "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"]
