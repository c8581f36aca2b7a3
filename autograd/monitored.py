"""Managed training: MonitoredTrainingSession, its hooks, and the older Supervisor.

    global_step = tf.train.get_or_create_global_step()
    train_op = optimizer.minimize(loss, global_step=global_step)
    hooks = [tf.train.StopAtStepHook(last_step=1000)]
    with tf.train.MonitoredTrainingSession(checkpoint_dir="ckpt", hooks=hooks) as sess:
        while not sess.should_stop():
            sess.run(train_op)

The monitored session does what every TF1 training loop wrote by hand: it finalizes the
graph, restores the latest checkpoint of `checkpoint_dir` (or runs the initializers),
starts the queue runners, saves checkpoints and summaries as it goes, and stops cleanly
when a hook asks or the input runs out (OutOfRangeError ends the `with` block quietly).
Hooks see every run: `before_run` may add fetches and feeds, `after_run` gets their
values.
"""
import collections
import logging
import os
import time

import numpy as np

from . import errors
from .graph import GraphKeys, get_default_graph
from .ops.state import group
from .queue_runners import Coordinator, start_queue_runners
from .saver import Saver, latest_checkpoint
from .session import Session
from .summary import FileWriter, merge_all
from .summary.handmade import Summary
from .variables import global_variables_initializer, local_variables_initializer

_log = logging.getLogger("tensorflow")
USE_DEFAULT = object()
WORKER_POLL_SECONDS = 0.5     # how often a worker asks whether the chief has initialized
RECOVERY_WAIT_SECONDS = 300   # how long a monitored session waits for a lost task


def _global_step(graph):
    """The graph's global step variable (collection GLOBAL_STEP, or named global_step)."""
    found = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if found:
        return found[0]
    for variable in graph.get_collection(GraphKeys.GLOBAL_VARIABLES):
        if variable.op.name == "global_step":
            return variable
    return None


def _step_tensor(graph, hook):
    step = _global_step(graph)
    if step is None:
        raise RuntimeError(f"Global step should be created to use {hook}: call "
                           f"tf.train.get_or_create_global_step() before building the "
                           f"optimizer, and pass it to minimize(global_step=...)")
    return step.value() if hasattr(step, "value") else step


# -- what hooks see -------------------------------------------------------------------------
class SessionRunArgs(collections.namedtuple("SessionRunArgs", "fetches feed_dict options")):
    """What a hook's before_run adds to the run: fetches, feeds, options."""

    def __new__(cls, fetches, feed_dict=None, options=None):
        return super().__new__(cls, fetches, feed_dict, options)


class SessionRunValues(collections.namedtuple("SessionRunValues",
                                              "results options run_metadata")):
    """What after_run gets: the values of the fetches the hook asked for."""


class SessionRunContext:
    """The run a hook is called around: the caller's arguments, the session, and a way
    to ask the monitored session to stop."""

    def __init__(self, original_args, session):
        self.original_args, self.session = original_args, session
        self._stop_requested = False

    def request_stop(self):
        self._stop_requested = True

    @property
    def stop_requested(self):
        return self._stop_requested


class SessionRunHook:
    """Base class of hooks: override what you need (each does nothing here)."""

    def begin(self):
        """Before the graph is finalized: may add ops."""

    def after_create_session(self, session, coord):
        """The session exists and its variables are initialized or restored."""

    def before_run(self, run_context):
        """Return SessionRunArgs to add fetches/feeds to this run, or None."""
        return None

    def after_run(self, run_context, run_values):
        """run_values.results holds the values of the fetches before_run asked for."""

    def end(self, session):
        """Training ended normally (not after an exception)."""


class SecondOrStepTimer:
    """Triggers every `every_secs` seconds or every `every_steps` steps (one of them)."""

    def __init__(self, every_secs=None, every_steps=None):
        if (every_secs is None) == (every_steps is None):
            raise ValueError("exactly one of every_secs and every_steps must be given")
        self._every_secs, self._every_steps = every_secs, every_steps
        self._last_time, self._last_step = None, None

    def should_trigger_for_step(self, step):
        if self._last_step is None:
            return True
        if self._last_step == step:
            return False
        if self._every_secs is not None:
            return time.monotonic() >= self._last_time + self._every_secs
        return step >= self._last_step + self._every_steps

    def update_last_triggered_step(self, step):
        """Note a trigger at `step`; returns (seconds, steps) since the last one."""
        now = time.monotonic()
        elapsed = (None, None) if self._last_time is None else (
            now - self._last_time, step - self._last_step)
        self._last_time, self._last_step = now, step
        return elapsed

    def last_triggered_step(self):
        return self._last_step


_writers = {}


def _writer_for(logdir):
    """One FileWriter per folder, shared by the hooks that write there (TF's cache)."""
    key = os.path.abspath(logdir)
    if key not in _writers:
        _writers[key] = FileWriter(logdir)
    return _writers[key]


# -- the hooks --------------------------------------------------------------------------------
class StopAtStepHook(SessionRunHook):
    """Asks to stop once the global step reaches `last_step` (or after `num_steps` more)."""

    def __init__(self, num_steps=None, last_step=None):
        if (num_steps is None) == (last_step is None):
            raise ValueError("StopAtStepHook needs exactly one of num_steps and last_step")
        self._num_steps, self._last_step = num_steps, last_step

    def begin(self):
        self._step = _step_tensor(get_default_graph(), "StopAtStepHook")

    def after_create_session(self, session, coord):
        if self._last_step is None:
            self._last_step = int(session.run(self._step)) + self._num_steps

    def before_run(self, run_context):
        return SessionRunArgs(self._step)

    def after_run(self, run_context, run_values):
        if run_values.results + 1 >= self._last_step:
            # the value fetched was read before this run's update: read it again
            if run_context.session.run(self._step) >= self._last_step:
                run_context.request_stop()


class CheckpointSaverListener:
    """Called around each checkpoint a CheckpointSaverHook writes."""

    def begin(self):
        pass

    def before_save(self, session, global_step_value):
        pass

    def after_save(self, session, global_step_value):
        """Return True to stop training."""

    def end(self, session, global_step_value):
        pass


class CheckpointSaverHook(SessionRunHook):
    """Saves a checkpoint when the session starts, every `save_secs` or `save_steps`,
    and at the end."""

    def __init__(self, checkpoint_dir, save_secs=None, save_steps=None, saver=None,
                 checkpoint_basename="model.ckpt", scaffold=None, listeners=None):
        if saver is not None and scaffold is not None:
            raise ValueError("CheckpointSaverHook takes a saver or a scaffold, not both")
        self._dir, self._saver, self._scaffold = checkpoint_dir, saver, scaffold
        self._path = os.path.join(checkpoint_dir, checkpoint_basename)
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)
        self._listeners = list(listeners or [])

    def begin(self):
        self._step = _step_tensor(get_default_graph(), "CheckpointSaverHook")
        for listener in self._listeners:
            listener.begin()

    def after_create_session(self, session, coord):
        step = int(session.run(self._step))
        self._save(session, step)
        self._timer.update_last_triggered_step(step)

    def before_run(self, run_context):
        return SessionRunArgs(self._step)

    def after_run(self, run_context, run_values):
        if self._timer.should_trigger_for_step(run_values.results + 1):
            step = int(run_context.session.run(self._step))
            if self._timer.should_trigger_for_step(step):
                self._timer.update_last_triggered_step(step)
                if self._save(run_context.session, step):
                    run_context.request_stop()

    def end(self, session):
        step = int(session.run(self._step))
        if step != self._timer.last_triggered_step():
            self._save(session, step)
        for listener in self._listeners:
            listener.end(session, step)

    def _save(self, session, step):
        _log.info("Saving checkpoints for %d into %s.", step, self._path)
        for listener in self._listeners:
            listener.before_save(session, step)
        self._get_saver().save(session, self._path, global_step=step)
        return any([bool(listener.after_save(session, step)) for listener in self._listeners])

    def _get_saver(self):
        if self._saver is not None:
            return self._saver
        if self._scaffold is not None:
            return self._scaffold.saver
        savers = get_default_graph().get_collection(GraphKeys.SAVERS)
        if not savers:
            raise RuntimeError("CheckpointSaverHook found no saver: pass saver= or "
                               "scaffold=, or add one to the SAVERS collection")
        return savers[0]


class SummarySaverHook(SessionRunHook):
    """Runs the summary op every `save_steps` steps (or `save_secs`) and writes it."""

    def __init__(self, save_steps=None, save_secs=None, output_dir=None, summary_writer=None,
                 scaffold=None, summary_op=None):
        if (scaffold is None) == (summary_op is None):
            raise ValueError("SummarySaverHook needs exactly one of scaffold and summary_op")
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)
        self._output_dir, self._writer = output_dir, summary_writer
        self._scaffold, self._summary_op = scaffold, summary_op

    def begin(self):
        if self._writer is None and self._output_dir:
            self._writer = _writer_for(self._output_dir)
        self._step = _step_tensor(get_default_graph(), "SummarySaverHook")
        self._next_step = None

    def _op(self):
        return self._summary_op if self._summary_op is not None else self._scaffold.summary_op

    def before_run(self, run_context):
        self._request = self._next_step is None or self._timer.should_trigger_for_step(
            self._next_step)
        fetches = {"global_step": self._step}
        if self._request and self._op() is not None:
            fetches["summary"] = self._op()
        return SessionRunArgs(fetches)

    def after_run(self, run_context, run_values):
        step = int(run_values.results["global_step"])
        if self._next_step is None or self._request:
            self._timer.update_last_triggered_step(step)
        if "summary" in run_values.results and self._writer is not None:
            self._writer.add_summary(run_values.results["summary"], step)
        self._next_step = step + 1

    def end(self, session):
        if self._writer is not None:
            self._writer.flush()


class LoggingTensorHook(SessionRunHook):
    """Logs the values of `tensors` (a list or {tag: tensor}) every N steps or seconds,
    on the "tensorflow" logger at INFO (tf.logging.set_verbosity(tf.logging.INFO))."""

    def __init__(self, tensors, every_n_iter=None, every_n_secs=None, at_end=False,
                 formatter=None):
        if not at_end and (every_n_iter is None) == (every_n_secs is None):
            raise ValueError("LoggingTensorHook needs exactly one of every_n_iter and "
                             "every_n_secs (or at_end=True)")
        if not isinstance(tensors, dict):
            tensors = {getattr(t, "name", str(t)): t for t in tensors}
        self._tensors, self._formatter, self._at_end = tensors, formatter, at_end
        self._timer = None if at_end and every_n_iter is None and every_n_secs is None else \
            SecondOrStepTimer(every_secs=every_n_secs, every_steps=every_n_iter)

    def begin(self):
        graph = get_default_graph()
        # a name without ":" names the op's first output, as TF's hook reads it
        self._fetches = {tag: graph.as_graph_element(t if ":" in t else t + ":0")
                         if isinstance(t, str) else t for tag, t in self._tensors.items()}
        self._iteration = 0

    def before_run(self, run_context):
        self._should = self._timer is not None and self._timer.should_trigger_for_step(
            self._iteration)
        return SessionRunArgs(self._fetches) if self._should else None

    def after_run(self, run_context, run_values):
        if self._should:
            elapsed, _ = self._timer.update_last_triggered_step(self._iteration)
            self._log(run_values.results, elapsed)
        self._iteration += 1

    def end(self, session):
        if self._at_end:
            self._log(session.run(self._fetches), None)

    def _log(self, values, elapsed):
        if self._formatter is not None:
            _log.info(self._formatter(values))
            return
        text = ", ".join(f"{tag} = {values[tag]}" for tag in self._tensors)
        _log.info(text + ("" if elapsed is None else f" ({elapsed:.3f} sec)"))


class NanLossDuringTrainingError(RuntimeError):
    def __str__(self):
        return "NaN loss during training."


class NanTensorHook(SessionRunHook):
    """Stops training (raising NanLossDuringTrainingError, or asking to stop) when the
    loss becomes NaN."""

    def __init__(self, loss_tensor, fail_on_nan_loss=True):
        self._loss, self._fail = loss_tensor, fail_on_nan_loss

    def before_run(self, run_context):
        return SessionRunArgs(self._loss)

    def after_run(self, run_context, run_values):
        if np.isnan(run_values.results):
            if self._fail:
                _log.error("Model diverged with loss = NaN.")
                raise NanLossDuringTrainingError
            _log.warning("Model diverged with loss = NaN.")
            run_context.request_stop()


class StepCounterHook(SessionRunHook):
    """Measures global steps per second; logs it and writes it as a summary."""

    def __init__(self, every_n_steps=100, every_n_secs=None, output_dir=None,
                 summary_writer=None):
        if (every_n_steps is None) == (every_n_secs is None):
            raise ValueError("StepCounterHook needs exactly one of every_n_steps and "
                             "every_n_secs")
        self._timer = SecondOrStepTimer(every_secs=every_n_secs, every_steps=every_n_steps)
        self._output_dir, self._writer = output_dir, summary_writer
        self.steps_per_second = None

    def begin(self):
        if self._writer is None and self._output_dir:
            self._writer = _writer_for(self._output_dir)
        self._step = _step_tensor(get_default_graph(), "StepCounterHook")

    def before_run(self, run_context):
        return SessionRunArgs(self._step)

    def after_run(self, run_context, run_values):
        step = int(run_values.results)
        if self._timer.should_trigger_for_step(step):
            seconds, steps = self._timer.update_last_triggered_step(step)
            if seconds:
                self.steps_per_second = steps / seconds
                _log.info("global_step/sec: %g", self.steps_per_second)
                if self._writer is not None:
                    self._writer.add_summary(Summary(value=[Summary.Value(
                        tag="global_step/sec", simple_value=self.steps_per_second)]), step)


class FinalOpsHook(SessionRunHook):
    """Runs `final_ops` when training ends; their values are in final_ops_values."""

    def __init__(self, final_ops, final_ops_feed_dict=None):
        self._final_ops, self._feed = final_ops, final_ops_feed_dict
        self.final_ops_values = None

    def end(self, session):
        if self._final_ops is not None:
            self.final_ops_values = session.run(self._final_ops, feed_dict=self._feed)


class FeedFnHook(SessionRunHook):
    """Adds `feed_fn()` (a feed dict) to every run."""

    def __init__(self, feed_fn):
        self.feed_fn = feed_fn

    def before_run(self, run_context):
        return SessionRunArgs(fetches=None, feed_dict=self.feed_fn())


# -- the session's setup ----------------------------------------------------------------------
class Scaffold:
    """What a monitored session needs to create and save a model: the init ops, the
    saver, the summary op. Each left None gets TF's default when the graph is finalized."""

    def __init__(self, init_op=None, init_feed_dict=None, init_fn=None, ready_op=None,
                 ready_for_local_init_op=None, local_init_op=None, summary_op=None,
                 saver=None, copy_from_scaffold=None):
        self.init_op, self.init_feed_dict, self._init_fn = init_op, init_feed_dict, init_fn
        self.ready_op, self.ready_for_local_init_op = ready_op, ready_for_local_init_op
        self.local_init_op, self.summary_op, self.saver = local_init_op, summary_op, saver

    @property
    def init_fn(self):
        return None if self._init_fn is None else (lambda sess: self._init_fn(self, sess))

    def finalize(self):
        graph = get_default_graph()
        if graph.finalized:
            return self
        if self.init_op is None:
            self.init_op = _first(graph, GraphKeys.INIT_OP) or global_variables_initializer()
        if self.local_init_op is None:
            self.local_init_op = _first(graph, GraphKeys.LOCAL_INIT_OP) or group(
                local_variables_initializer(), name="local_init")
        if self.summary_op is None:
            self.summary_op = _first(graph, GraphKeys.SUMMARY_OP) or merge_all()
        if self.saver is None:
            self.saver = _first(graph, GraphKeys.SAVERS)
            if self.saver is None and graph.get_collection(GraphKeys.GLOBAL_VARIABLES):
                self.saver = Saver()   # a model without variables has nothing to save
                graph.add_to_collection(GraphKeys.SAVERS, self.saver)
        graph.finalize()
        return self


def _first(graph, key):
    found = graph.get_collection(key)
    return found[0] if found else None


class ChiefSessionCreator:
    """Creates the session: restores the latest checkpoint of `checkpoint_dir` (or
    `checkpoint_filename_with_path`) when there is one, else runs the init op."""

    def __init__(self, scaffold=None, master="", config=None, checkpoint_dir=None,
                 checkpoint_filename_with_path=None):
        self._scaffold = scaffold or Scaffold()
        self._master, self._config, self._dir = master, config, checkpoint_dir
        self._path = checkpoint_filename_with_path

    def create_session(self):
        scaffold = self._scaffold.finalize()
        sess = Session(self._master, config=self._config)
        path = self._path or (latest_checkpoint(self._dir) if self._dir else None)
        if path is not None and scaffold.saver is not None:
            scaffold.saver.restore(sess, path)
            _log.info("Restoring parameters from %s", path)
        else:
            sess.run(scaffold.init_op, feed_dict=scaffold.init_feed_dict)
            if scaffold.init_fn is not None:
                scaffold.init_fn(sess)
        if scaffold.local_init_op is not None:
            sess.run(scaffold.local_init_op)
        return sess


class WorkerSessionCreator(ChiefSessionCreator):
    """A non-chief worker's session. With a cluster target (`master=server.target`) it
    waits, as TF's does, until the chief has initialized (or restored) the variables that
    live on other tasks, then runs only the local init op. In one process, where each
    session keeps its own variables, it starts from the chief's latest checkpoint when
    there is one, else initializes its own."""

    def __init__(self, scaffold=None, master="", config=None, max_wait_secs=30 * 60,
                 checkpoint_dir=None):
        super().__init__(scaffold, master, config, checkpoint_dir)
        self._max_wait_secs = max_wait_secs

    def create_session(self):
        if not self._master:
            return super().create_session()
        scaffold = self._scaffold.finalize()
        sess = Session(self._master, config=self._config)
        variables = get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES)
        deadline = time.monotonic() + self._max_wait_secs
        while True:
            waiting = sess.uninitialized_variable_names(variables)
            if not waiting:
                break
            if time.monotonic() > deadline:
                sess.close()
                raise errors.DeadlineExceededError(
                    f"the chief did not initialize {', '.join(waiting[:3])}"
                    f"{' and more' if len(waiting) > 3 else ''} within "
                    f"{self._max_wait_secs} s (max_wait_secs): is a chief worker "
                    f"(is_chief=True) running?")
            _log.info("Waiting for the chief to initialize %s", ", ".join(waiting[:3]))
            time.sleep(WORKER_POLL_SECONDS)
        if scaffold.local_init_op is not None:
            sess.run(scaffold.local_init_op)
        return sess


class _MonitoredSession:
    def __init__(self, session_creator, hooks, stop_grace_period_secs):
        self._hooks = list(hooks or [])
        for hook in self._hooks:
            hook.begin()
        self._grace = stop_grace_period_secs
        self._creator = session_creator
        self._sess = session_creator.create_session()
        self._coord = Coordinator()
        self._threads = start_queue_runners(self._sess, self._coord)
        self._stop = False
        self._closed = False
        for hook in self._hooks:
            hook.after_create_session(self._sess, self._coord)

    @property
    def graph(self):
        return self._sess.graph

    def should_stop(self):
        return self._closed or self._stop or self._coord.should_stop()

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Run `fetches` with every hook's before_run/after_run around it."""
        if self.should_stop():
            raise RuntimeError("Run called even after should_stop requested.")
        context = SessionRunContext(SessionRunArgs(fetches, feed_dict, options), self._sess)
        feeds = dict(feed_dict or {})
        wanted = {"caller": fetches}
        for index, hook in enumerate(self._hooks):
            request = hook.before_run(context)
            if request is None:
                continue
            if request.fetches is not None:
                wanted[index] = request.fetches
            for key, value in (request.feed_dict or {}).items():
                if key in feeds:
                    raise RuntimeError(f"Same tensor is fed by a SessionRunHook and user: "
                                       f"{getattr(key, 'name', key)}")
                feeds[key] = value
        try:
            results = self._run_recovering(wanted, feeds or None, options, run_metadata)
        except errors.OutOfRangeError as exc:   # the input is over: a clean stop
            self._coord.request_stop(exc)
            raise
        for index, hook in enumerate(self._hooks):
            hook.after_run(context, SessionRunValues(results.get(index), options,
                                                     run_metadata))
        self._stop = self._stop or context.stop_requested
        return results["caller"]

    def _run_recovering(self, fetches, feeds, options, run_metadata):
        """Run; as TF's monitored session does, a distributed run that fails because a
        task of the cluster went away (UnavailableError) or came back empty
        (AbortedError) recreates the session (the chief
        restores the latest checkpoint into the restarted tasks, a worker waits for it)
        and runs again."""
        while True:
            try:
                return self._sess.run(fetches, feed_dict=feeds, options=options,
                                      run_metadata=run_metadata)
            except (errors.UnavailableError, errors.AbortedError) as exc:
                if not self._sess.is_distributed() or self._threads:
                    raise   # (queue runners' threads hold the old session)
                _log.warning("%s; recreating the session", exc)
                self._recreate()

    def _recreate(self):
        deadline = time.monotonic() + RECOVERY_WAIT_SECONDS
        self._sess.close()
        while True:
            try:
                self._sess = self._creator.create_session()
                break
            except (errors.UnavailableError, errors.AbortedError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(1.0)
        for hook in self._hooks:
            hook.after_create_session(self._sess, self._coord)

    def run_step_fn(self, step_fn):
        """`step_fn(step_context)`: step_context.session (the raw session),
        run_with_hooks(...) and request_stop()."""
        return step_fn(_StepContext(self))

    def close(self):
        self._close(None)

    def _close(self, failure):
        if self._closed:
            return
        self._closed = True
        try:
            if failure is None:
                for hook in self._hooks:
                    hook.end(self._sess)
        finally:
            self._coord.request_stop()
            try:
                self._coord.join(self._threads, stop_grace_period_secs=self._grace,
                                 ignore_live_threads=True)
            finally:
                self._sess.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if kind is not None and issubclass(kind, (errors.OutOfRangeError, StopIteration)):
            kind = None
        self._close(kind)
        return kind is None


class _StepContext:
    def __init__(self, monitored):
        self._monitored = monitored
        self.session = monitored._sess

    def run_with_hooks(self, *args, **kwargs):
        return self._monitored.run(*args, **kwargs)

    def request_stop(self):
        self._monitored._stop = True


class MonitoredSession(_MonitoredSession):
    """A session with hooks, created by `session_creator` (default: ChiefSessionCreator)."""

    def __init__(self, session_creator=None, hooks=None, stop_grace_period_secs=120):
        super().__init__(session_creator or ChiefSessionCreator(), hooks,
                         stop_grace_period_secs)


class SingularMonitoredSession(_MonitoredSession):
    """A MonitoredSession for one process, with access to its raw session."""

    def __init__(self, hooks=None, scaffold=None, master="", config=None, checkpoint_dir=None,
                 stop_grace_period_secs=120, checkpoint_filename_with_path=None):
        super().__init__(ChiefSessionCreator(scaffold, master, config, checkpoint_dir,
                                             checkpoint_filename_with_path),
                         hooks, stop_grace_period_secs)

    def raw_session(self):
        return self._sess


def _every(steps, secs, defaults):
    """(steps, secs) of a saving hook: TF's defaults when neither is given, else the
    given one(s), the other None."""
    if steps is USE_DEFAULT and secs is USE_DEFAULT:
        return defaults
    return (None if steps is USE_DEFAULT else steps), (None if secs is USE_DEFAULT else secs)


def MonitoredTrainingSession(master="", is_chief=True, checkpoint_dir=None,  # noqa: N802
                             scaffold=None, hooks=None, chief_only_hooks=None,
                             save_checkpoint_secs=USE_DEFAULT, save_summaries_steps=USE_DEFAULT,
                             save_summaries_secs=USE_DEFAULT, config=None,
                             stop_grace_period_secs=120, log_step_count_steps=100,
                             max_wait_secs=7200, save_checkpoint_steps=USE_DEFAULT,
                             summary_dir=None):
    """A MonitoredSession set up for training, with TF1's defaults: a checkpoint every
    600 seconds and summaries every 100 steps into `checkpoint_dir` (when given)."""
    save_summaries_steps, save_summaries_secs = _every(save_summaries_steps,
                                                       save_summaries_secs, (100, None))
    save_checkpoint_steps, save_checkpoint_secs = _every(save_checkpoint_steps,
                                                         save_checkpoint_secs, (None, 600))
    scaffold = scaffold or Scaffold()
    all_hooks = list(hooks or [])
    summary_dir = summary_dir or checkpoint_dir
    if not is_chief:
        return MonitoredSession(WorkerSessionCreator(scaffold, master, config,
                                                     checkpoint_dir=checkpoint_dir),
                                all_hooks, stop_grace_period_secs)
    all_hooks += list(chief_only_hooks or [])
    if summary_dir:
        if log_step_count_steps and log_step_count_steps > 0:
            all_hooks.append(StepCounterHook(every_n_steps=log_step_count_steps,
                                             output_dir=summary_dir))
        if save_summaries_steps or save_summaries_secs:
            all_hooks.append(SummarySaverHook(save_steps=save_summaries_steps or None,
                                              save_secs=save_summaries_secs or None,
                                              scaffold=scaffold, output_dir=summary_dir))
    if checkpoint_dir and (save_checkpoint_secs or save_checkpoint_steps):
        all_hooks.append(CheckpointSaverHook(checkpoint_dir, save_secs=save_checkpoint_secs or None,
                                             save_steps=save_checkpoint_steps or None,
                                             scaffold=scaffold))
    return MonitoredSession(ChiefSessionCreator(scaffold, master, config, checkpoint_dir),
                            all_hooks, stop_grace_period_secs)


# -- Supervisor -------------------------------------------------------------------------------
class Supervisor:
    """TF1's older training manager: restores or initializes the model, starts the queue
    runners, and saves a checkpoint every `save_model_secs` and summaries every
    `save_summaries_secs` in background threads, into `logdir`.

        sv = tf.train.Supervisor(logdir="ckpt")
        with sv.managed_session() as sess:
            while not sv.should_stop():
                sess.run(train_op)
    """

    USE_DEFAULT = 0

    def __init__(self, graph=None, ready_op=0, ready_for_local_init_op=0, is_chief=True,
                 init_op=0, init_feed_dict=None, local_init_op=0, logdir=None, summary_op=0,
                 saver=0, global_step=0, save_summaries_secs=120, save_model_secs=600,
                 recovery_wait_secs=30, stop_grace_secs=120, checkpoint_basename="model.ckpt",
                 session_manager=None, summary_writer=0, init_fn=None, local_init_run_options=None):
        self._graph = graph or get_default_graph()
        with self._graph.as_default():
            self._init_op = global_variables_initializer() if init_op == 0 else init_op
            self._local_init_op = group(local_variables_initializer()) \
                if local_init_op == 0 else local_init_op
            self._summary_op = merge_all() if summary_op == 0 else summary_op
            self._saver = (_first(self._graph, GraphKeys.SAVERS) or Saver()) \
                if saver == 0 else saver
            self._global_step = _global_step(self._graph) if global_step == 0 else global_step
        self._graph.finalize()
        self._is_chief, self._init_feed_dict, self._init_fn = is_chief, init_feed_dict, init_fn
        self._logdir = logdir
        self._save_path = os.path.join(logdir, checkpoint_basename) if logdir else None
        self._summary_secs, self._model_secs = save_summaries_secs, save_model_secs
        self._stop_grace = stop_grace_secs
        self._writer = (_writer_for(logdir) if logdir else None) if summary_writer == 0 \
            else summary_writer
        self._coord = Coordinator()
        self._threads = []

    coord = property(lambda self: self._coord)
    saver = property(lambda self: self._saver)
    save_path = property(lambda self: self._save_path)
    summary_writer = property(lambda self: self._writer)
    summary_op = property(lambda self: self._summary_op)
    global_step = property(lambda self: self._global_step)
    init_op = property(lambda self: self._init_op)
    is_chief = property(lambda self: self._is_chief)

    def prepare_or_wait_for_session(self, master="", config=None, wait_for_checkpoint=False,
                                    max_wait_secs=7200, start_standard_services=True):
        """The chief's session restores or initializes the model; a worker's, with a
        cluster target, waits until the chief has (see WorkerSessionCreator)."""
        scaffold = Scaffold(init_op=self._init_op, init_feed_dict=self._init_feed_dict,
                            local_init_op=self._local_init_op, summary_op=self._summary_op,
                            saver=self._saver, init_fn=None if self._init_fn is None else
                            (lambda scaffold, s: self._init_fn(s)))
        if self._is_chief:
            creator = ChiefSessionCreator(scaffold, master, config, self._logdir)
        else:
            creator = WorkerSessionCreator(scaffold, master, config, max_wait_secs,
                                           checkpoint_dir=self._logdir)
        sess = creator.create_session()
        if start_standard_services and self._is_chief:
            self.start_standard_services(sess)
        self.start_queue_runners(sess)
        return sess

    def start_standard_services(self, sess):
        """Threads that save checkpoints and summaries at their intervals."""
        threads = []
        if self._save_path and self._model_secs:
            threads.append(self._coord.loop(self._model_secs, self._save, (sess,)))
        if self._writer is not None and self._summary_op is not None and self._summary_secs:
            threads.append(self._coord.loop(self._summary_secs, self._summarize, (sess,)))
        self._threads.extend(threads)
        return threads

    def _step(self, sess):
        return None if self._global_step is None else int(sess.run(self._global_step))

    def _save(self, sess):
        self._saver.save(sess, self._save_path, global_step=self._step(sess))

    def _summarize(self, sess):
        self._writer.add_summary(sess.run(self._summary_op), self._step(sess))

    def start_queue_runners(self, sess, queue_runners=None):
        threads = []
        for runner in queue_runners or self._graph.get_collection(GraphKeys.QUEUE_RUNNERS):
            threads.extend(runner.create_threads(sess, coord=self._coord, daemon=True,
                                                 start=True))
        self._threads.extend(threads)
        return threads

    def should_stop(self):
        return self._coord.should_stop()

    def request_stop(self, ex=None):
        self._coord.request_stop(ex)

    def stop(self, threads=None, close_summary_writer=True, ignore_live_threads=False):
        self._coord.request_stop()
        try:
            self._coord.join(list(self._threads) + list(threads or []),
                             stop_grace_period_secs=self._stop_grace,
                             ignore_live_threads=ignore_live_threads)
        finally:
            self._threads = []
            if close_summary_writer and self._writer is not None:
                self._writer.flush()

    def loop(self, timer_interval_secs, target, args=None, kwargs=None):
        thread = self._coord.loop(timer_interval_secs, target, args, kwargs)
        self._threads.append(thread)
        return thread

    def summary_computed(self, sess, summary, global_step=None):
        if self._writer is None:
            raise RuntimeError("Writing a summary requires a summary writer (give logdir)")
        self._writer.add_summary(summary, global_step if global_step is not None
                                 else self._step(sess))

    def managed_session(self, master="", config=None, start_standard_services=True,
                        close_summary_writer=True):
        """A context manager giving a ready session; OutOfRangeError inside ends it
        cleanly, any other exception stops the threads and is re-raised."""
        return _Managed(self, master, config, start_standard_services, close_summary_writer)


class _Managed:
    def __init__(self, supervisor, master, config, services, close_writer):
        self._sv, self._args = supervisor, (master, config, services)
        self._close_writer = close_writer

    def __enter__(self):
        master, config, services = self._args
        self._sess = self._sv.prepare_or_wait_for_session(
            master, config, start_standard_services=services)
        return self._sess

    def __exit__(self, kind, exc, tb):
        clean = kind is None or issubclass(kind, errors.OutOfRangeError)
        if not clean:
            self._sv.request_stop(exc)
        try:
            self._sv.stop(close_summary_writer=self._close_writer)
        finally:
            self._sess.close()
        return kind is not None and clean
