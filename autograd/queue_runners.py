"""Threads that keep queues full, and the Coordinator that stops them together.

    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)
    try:
        while not coord.should_stop():
            sess.run(train_op)
    except tf.errors.OutOfRangeError:
        print("done: the epochs are over")
    finally:
        coord.request_stop()
    coord.join(threads)

A QueueRunner runs its enqueue ops in threads, each in a loop, until the coordinator
says stop. When every loop has run out of input (OutOfRangeError: the producer's epochs
are over) it closes its queue, so consumers drain the rest and then get OutOfRangeError
themselves. Any other failure in a thread is handed to the coordinator, and `join`
raises it in the main thread. When the session closes, blocked runs end with
CancelledError and the threads end quietly.
"""
import contextlib
import sys
import threading
import time

from . import errors
from .default_session import get_default_session
from .graph import GraphKeys, get_default_graph


class Coordinator:
    """Stops a group of threads together, and reports the first failure among them."""

    def __init__(self, clean_stop_exception_types=None):
        self._clean_stop = tuple(clean_stop_exception_types or (errors.OutOfRangeError,))
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._exc_info = None
        self._threads = set()
        self._joined = False

    def should_stop(self):
        return self._stopped.is_set()

    def request_stop(self, ex=None):
        """Ask every thread to stop. With `ex` (an exception or an exc_info triple),
        remember it, unless it is a clean stop (OutOfRangeError) or one is already kept;
        `join` raises it."""
        with self._lock:
            if ex is not None and not self._joined and self._exc_info is None:
                info = ex if isinstance(ex, tuple) else (type(ex), ex, ex.__traceback__)
                if not issubclass(info[0], self._clean_stop):
                    self._exc_info = info
            self._stopped.set()

    def clear_stop(self):
        with self._lock:
            self._joined, self._exc_info = False, None
            self._stopped.clear()

    def wait_for_stop(self, timeout=None):
        """True once a stop was requested; waits up to `timeout` seconds (None: forever)."""
        return self._stopped.wait(timeout)

    def register_thread(self, thread):
        with self._lock:
            self._threads.add(thread)

    @contextlib.contextmanager
    def stop_on_exception(self):
        """In a thread's body: an exception inside stops the coordinator (and is kept)."""
        try:
            yield
        except BaseException:   # noqa: B036 - handed to the coordinator, as TF's does
            self.request_stop(sys.exc_info())

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False):
        """Wait for a stop request, then for the threads (the given ones and those
        registered) to end; re-raise the exception a thread reported, if any.
        Threads still running `stop_grace_period_secs` after the stop are reported
        with RuntimeError (unless `ignore_live_threads`)."""
        with self._lock:
            threads = set(threads or ()) | self._threads
        while not self._stopped.wait(0.1):   # short waits: Ctrl-C gets through
            if not any(t.is_alive() for t in threads):
                break
        deadline = time.monotonic() + stop_grace_period_secs
        for thread in threads:
            while thread.is_alive() and time.monotonic() < deadline:
                thread.join(min(0.1, max(deadline - time.monotonic(), 0)))
        with self._lock:
            self._joined = True
            self._threads.clear()
            info = self._exc_info
        if info is not None:
            raise info[1].with_traceback(info[2])
        alive = [t.name for t in threads if t.is_alive()]
        if alive and not ignore_live_threads:
            raise RuntimeError(f"Coordinator stopped with threads still running: "
                               f"{', '.join(alive)}")

    @property
    def joined(self):
        return self._joined

    def raise_requested_exception(self):
        with self._lock:
            info = self._exc_info
        if info is not None:
            raise info[1].with_traceback(info[2])

    def loop(self, timer_interval_secs, target, args=None, kwargs=None):
        """Start a thread calling `target` every `timer_interval_secs` until stop."""
        thread = LooperThread(self, timer_interval_secs, target, args, kwargs)
        thread.start()
        return thread


class LooperThread(threading.Thread):
    """Calls `target(*args, **kwargs)` every `timer_interval_secs` until the coordinator
    stops (at once when the interval is None, in a loop)."""

    def __init__(self, coord, timer_interval_secs, target=None, args=None, kwargs=None):
        super().__init__(daemon=True)
        self._coord, self._interval = coord, timer_interval_secs
        self._target_call = target
        self._args, self._kwargs = args or (), kwargs or {}
        coord.register_thread(self)

    def run(self):
        with self._coord.stop_on_exception():
            if self._interval is None:
                while not self._coord.should_stop():
                    self.run_loop()
            else:
                while not self._coord.wait_for_stop(self._interval):
                    self.run_loop()

    def run_loop(self):
        if self._target_call is not None:
            self._target_call(*self._args, **self._kwargs)


_QUIET = (errors.CancelledError,)   # the session closed under the thread: not a failure


def _session_closed(exc):
    return isinstance(exc, RuntimeError) and "closed Session" in str(exc)


class QueueRunner:
    """Runs `enqueue_ops` (one thread each) to fill `queue`; closes it when they all run
    out of input, and cancels pending enqueues when the coordinator stops."""

    def __init__(self, queue=None, enqueue_ops=None, close_op=None, cancel_op=None,
                 queue_closed_exception_types=None, queue_runner_def=None, import_scope=None):
        if queue is None or not enqueue_ops:
            raise ValueError("QueueRunner needs a queue and a list of enqueue ops")
        self._queue = queue
        self._enqueue_ops = list(enqueue_ops)
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = cancel_op if cancel_op is not None else queue.close(
            cancel_pending_enqueues=True)
        self._closed_types = tuple(queue_closed_exception_types or (errors.OutOfRangeError,))
        self._lock = threading.Lock()
        self._runs_per_session = {}
        self._exceptions_raised = []

    queue = property(lambda self: self._queue)
    enqueue_ops = property(lambda self: list(self._enqueue_ops))
    close_op = property(lambda self: self._close_op)
    cancel_op = property(lambda self: self._cancel_op)
    queue_closed_exception_types = property(lambda self: self._closed_types)

    @property
    def name(self):
        return self._queue.name

    @property
    def exceptions_raised(self):
        """Exceptions the threads raised when there was no coordinator to report to."""
        return list(self._exceptions_raised)

    def create_threads(self, sess, coord=None, daemon=False, start=False):
        """One thread per enqueue op (plus one that cancels on stop, with a coordinator).
        Does nothing for a session whose threads of this runner still run."""
        with self._lock:
            if self._runs_per_session.get(sess, 0) > 0:
                return []
            self._runs_per_session[sess] = len(self._enqueue_ops)
            self._exceptions_raised = []
        threads = [threading.Thread(target=self._run, args=(sess, op, coord), daemon=daemon,
                                    name=f"QueueRunner:{self.name}:{op.name}")
                   for op in self._enqueue_ops]
        if coord is not None:
            threads.append(threading.Thread(target=self._close_on_stop, args=(sess, coord),
                                            daemon=True, name=f"QueueRunner:{self.name}:stop"))
        for thread in threads:
            if coord is not None:
                coord.register_thread(thread)
            if start:
                thread.start()
        return threads

    def _run(self, sess, enqueue_op, coord):
        decremented = False
        try:
            while coord is None or not coord.should_stop():
                try:
                    sess.run(enqueue_op)
                except self._closed_types:
                    # this thread's input is over; the last one to finish closes the queue
                    with self._lock:
                        self._runs_per_session[sess] -= 1
                        decremented = True
                        last = self._runs_per_session[sess] == 0
                    if last:
                        try:
                            sess.run(self._close_op)
                        except Exception:   # the session closed meanwhile
                            pass
                    return
        except _QUIET:
            return
        except Exception as exc:
            if _session_closed(exc):
                return
            if coord is not None:
                coord.request_stop(exc)
            else:
                with self._lock:
                    self._exceptions_raised.append(exc)
                raise
        finally:
            if not decremented:
                with self._lock:
                    self._runs_per_session[sess] -= 1

    def _close_on_stop(self, sess, coord):
        coord.wait_for_stop()
        try:
            sess.run(self._cancel_op)
        except Exception:   # noqa: S110 - the session may be closed already: nothing to stop
            pass


def add_queue_runner(qr, collection=GraphKeys.QUEUE_RUNNERS):
    """Add a QueueRunner to the graph's collection, for start_queue_runners."""
    get_default_graph().add_to_collection(collection, qr)


def start_queue_runners(sess=None, coord=None, daemon=True, start=True,
                        collection=GraphKeys.QUEUE_RUNNERS):
    """Start the threads of every QueueRunner in the graph's collection for `sess` (the
    default session when None); returns the threads."""
    sess = sess if sess is not None else get_default_session()
    if sess is None:
        raise ValueError("Cannot start queue runners: no default session is registered. "
                         "Use `with sess.as_default()` or pass an explicit session to "
                         "tf.start_queue_runners(sess=sess)")
    threads = []
    for runner in sess.graph.get_collection(collection):
        threads.extend(runner.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads
