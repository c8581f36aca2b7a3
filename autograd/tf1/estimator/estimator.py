"""The Estimator: a model function trained, evaluated and used in graphs of its own, with
the model kept in model_dir between calls (see the package's docstring)."""
import collections
import inspect
import logging
import os
import tempfile
import time

import autograd as ag
import optim
from autograd import monitored
from nn import running_metrics

from . import export

_log = logging.getLogger("tensorflow")


class ModeKeys:
    TRAIN, EVAL, PREDICT = "train", "eval", "infer"


class EstimatorSpec(collections.namedtuple("EstimatorSpec", [
        "mode", "predictions", "loss", "train_op", "eval_metric_ops", "export_outputs",
        "training_chief_hooks", "training_hooks", "scaffold", "evaluation_hooks",
        "prediction_hooks"])):
    """What a model_fn returns: what to fetch in each mode."""

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metric_ops=None,
                export_outputs=None, training_chief_hooks=None, training_hooks=None,
                scaffold=None, evaluation_hooks=None, prediction_hooks=None):
        if mode == ModeKeys.TRAIN and (loss is None or train_op is None):
            raise ValueError("Missing train_op: in TRAIN mode the EstimatorSpec needs loss and "
                             "train_op" if train_op is None else "Missing loss.")
        if mode == ModeKeys.EVAL and loss is None:
            raise ValueError("Missing loss: in EVAL mode the EstimatorSpec needs a loss")
        if mode == ModeKeys.PREDICT and predictions is None:
            raise ValueError("Missing predictions: in PREDICT mode the EstimatorSpec needs "
                             "predictions")
        for name, value in (eval_metric_ops or {}).items():
            if not (isinstance(value, tuple) and len(value) == 2):
                raise TypeError(f"eval_metric_ops[{name!r}] must be a (value, update_op) "
                                f"pair, as tf.metrics.* return")
        return super().__new__(cls, mode, predictions, loss, train_op, dict(
            eval_metric_ops or {}), export_outputs, list(training_chief_hooks or []),
            list(training_hooks or []), scaffold, list(evaluation_hooks or []),
            list(prediction_hooks or []))


class RunConfig:
    """Where and how an Estimator runs: model_dir, random seed, how often it saves."""

    def __init__(self, model_dir=None, tf_random_seed=None, save_summary_steps=100,
                 save_checkpoints_steps=None, save_checkpoints_secs=None,
                 session_config=None, keep_checkpoint_max=5,
                 keep_checkpoint_every_n_hours=10000, log_step_count_steps=100,
                 train_distribute=None, device_fn=None, protocol=None, eval_distribute=None,
                 experimental_distribute=None, experimental_max_worker_delay_secs=None,
                 session_creation_timeout_secs=7200):
        if save_checkpoints_steps is not None and save_checkpoints_secs is not None:
            raise ValueError("Can not provide both save_checkpoints_secs and "
                             "save_checkpoints_steps")
        if save_checkpoints_steps is None and save_checkpoints_secs is None:
            save_checkpoints_secs = 600
        self.model_dir, self.tf_random_seed = model_dir, tf_random_seed
        self.save_summary_steps = save_summary_steps
        self.save_checkpoints_steps = save_checkpoints_steps
        self.save_checkpoints_secs = save_checkpoints_secs
        self.session_config, self.keep_checkpoint_max = session_config, keep_checkpoint_max
        self.log_step_count_steps = log_step_count_steps
        self.is_chief, self.num_worker_replicas, self.task_type = True, 1, "worker"

    def replace(self, **changes):
        fields = dict(model_dir=self.model_dir, tf_random_seed=self.tf_random_seed,
                      save_summary_steps=self.save_summary_steps,
                      save_checkpoints_steps=self.save_checkpoints_steps,
                      save_checkpoints_secs=self.save_checkpoints_secs,
                      session_config=self.session_config,
                      keep_checkpoint_max=self.keep_checkpoint_max,
                      log_step_count_steps=self.log_step_count_steps)
        if "save_checkpoints_steps" in changes and "save_checkpoints_secs" not in changes:
            fields["save_checkpoints_secs"] = None
        fields.update(changes)
        return RunConfig(**fields)


class Estimator:
    """Trains, evaluates and predicts with `model_fn`; the model lives in `model_dir`."""

    def __init__(self, model_fn, model_dir=None, config=None, params=None,
                 warm_start_from=None):
        if not callable(model_fn):
            raise TypeError(f"model_fn must be a function, got {model_fn!r}")
        config = config or RunConfig()
        model_dir = model_dir or config.model_dir
        if model_dir is None:
            model_dir = tempfile.mkdtemp()
            _log.warning("Using temporary folder as model directory: %s", model_dir)
        self._model_fn, self._params = model_fn, dict(params or {})
        self._model_dir = os.fspath(model_dir)
        self._config = config.replace(model_dir=self._model_dir)

    model_dir = property(lambda self: self._model_dir)
    config = property(lambda self: self._config)
    params = property(lambda self: dict(self._params))
    model_fn = property(lambda self: self._model_fn)

    # -- the three calls -------------------------------------------------------------------
    def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
        """Train until `input_fn` runs out, for `steps` more steps, or until global step
        `max_steps`; resumes from model_dir's newest checkpoint."""
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        if max_steps is not None and max_steps <= 0:
            raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
        if max_steps is not None and self._saved_step() >= max_steps:
            _log.info("Skipping training since max_steps has already saved.")
            return self
        with ag.Graph().as_default():
            global_step = self._begin()
            features, labels = self._inputs(input_fn, ModeKeys.TRAIN)
            spec = self._call_model_fn(features, labels, ModeKeys.TRAIN)
            all_hooks = list(hooks or []) + spec.training_hooks + [
                monitored.NanTensorHook(spec.loss),
                monitored.LoggingTensorHook({"loss": spec.loss, "step": global_step},
                                            every_n_iter=self._config.log_step_count_steps)]
            if steps is not None or max_steps is not None:
                all_hooks.insert(0, monitored.StopAtStepHook(steps, max_steps))
            chief = spec.training_chief_hooks
            if saving_listeners:
                chief = chief + [monitored.CheckpointSaverHook(
                    self._model_dir, save_secs=self._config.save_checkpoints_secs,
                    save_steps=self._config.save_checkpoints_steps,
                    listeners=saving_listeners, scaffold=spec.scaffold)]
            with monitored.MonitoredTrainingSession(
                    checkpoint_dir=self._model_dir, scaffold=spec.scaffold, hooks=all_hooks,
                    chief_only_hooks=chief,
                    save_checkpoint_secs=None if saving_listeners else
                    self._config.save_checkpoints_secs,
                    save_checkpoint_steps=None if saving_listeners else
                    self._config.save_checkpoints_steps,
                    save_summaries_steps=self._config.save_summary_steps,
                    config=self._config.session_config,
                    log_step_count_steps=self._config.log_step_count_steps) as sess:
                loss = None
                while not sess.should_stop():
                    _, loss = sess.run([spec.train_op, spec.loss])
        _log.info("Loss for final step: %s.", loss)
        return self

    def evaluate(self, input_fn, steps=None, hooks=None, checkpoint_path=None, name=None):
        """{metric: value, "loss": mean loss, "global_step": step} over `input_fn`'s data
        (or `steps` batches), for the newest checkpoint."""
        checkpoint = checkpoint_path or self.latest_checkpoint()
        if checkpoint is None:
            raise ValueError(f"Could not find trained model in model_dir: {self._model_dir}, "
                             f"running initialization to evaluate. (Train first.)")
        with ag.Graph().as_default():
            global_step = self._begin()
            features, labels = self._inputs(input_fn, ModeKeys.EVAL)
            spec = self._call_model_fn(features, labels, ModeKeys.EVAL)
            metrics = dict(spec.eval_metric_ops)
            metrics["loss"] = running_metrics.mean(spec.loss)
            values = {name_: value for name_, (value, _) in metrics.items()}
            values["global_step"] = global_step
            updates = [update for _, update in metrics.values()]
            final = monitored.FinalOpsHook(values)
            all_hooks = list(hooks or []) + spec.evaluation_hooks + [final]
            creator = monitored.ChiefSessionCreator(
                scaffold=spec.scaffold, checkpoint_filename_with_path=checkpoint,
                config=self._config.session_config)
            with monitored.MonitoredSession(creator, all_hooks) as sess:
                done = 0
                while not sess.should_stop() and (steps is None or done < steps):
                    sess.run(updates)
                    done += 1
        results = dict(final.final_ops_values)
        _log.info("Saving dict for global step %d: %s", results["global_step"],
                  ", ".join(f"{k} = {v}" for k, v in sorted(results.items())))
        self._write_eval_summary(results, name)
        return results

    def predict(self, input_fn, predict_keys=None, hooks=None, checkpoint_path=None,
                yield_single_examples=True):
        """A generator of predictions, one example at a time (or one batch, with
        yield_single_examples=False), until input_fn runs out."""
        checkpoint = checkpoint_path or self.latest_checkpoint()
        if checkpoint is None:
            raise ValueError(f"Could not find trained model in model_dir: "
                             f"{self._model_dir}. (Train first.)")
        with ag.Graph().as_default():
            self._begin()
            features, _ = self._inputs(input_fn, ModeKeys.PREDICT)
            spec = self._call_model_fn(features, None, ModeKeys.PREDICT)
            predictions = spec.predictions
            if isinstance(predictions, dict) and predict_keys is not None:
                missing = set(predict_keys) - set(predictions)
                if missing:
                    raise ValueError(f"Expected to find {sorted(missing)} in predictions "
                                     f"{sorted(predictions)}")
                predictions = {k: predictions[k] for k in predict_keys}
            creator = monitored.ChiefSessionCreator(
                scaffold=spec.scaffold, checkpoint_filename_with_path=checkpoint,
                config=self._config.session_config)
            with monitored.MonitoredSession(creator, list(hooks or []) +
                                            spec.prediction_hooks) as sess:
                while not sess.should_stop():
                    batch = sess.run(predictions)
                    if not yield_single_examples:
                        yield batch
                        continue
                    for row in _rows(batch):
                        yield row

    def export_savedmodel(self, export_dir_base, serving_input_receiver_fn,
                          assets_extra=None, as_text=False, checkpoint_path=None,
                          strip_default_attrs=False):
        """Write the trained model (the newest checkpoint) as a SavedModel, tagged SERVING,
        in a new folder of export_dir_base named by the time; returns its path (bytes).
        model_fn runs in PREDICT mode on the receiver's features; its export_outputs (by
        default its predictions) become the signatures."""
        checkpoint = checkpoint_path or self.latest_checkpoint()
        if checkpoint is None:
            raise ValueError(f"Couldn't find trained model at {self._model_dir}.")
        with ag.Graph().as_default():
            self._begin()
            receiver = serving_input_receiver_fn()
            spec = self._call_model_fn(receiver.features, None, ModeKeys.PREDICT)
            signatures = export.signature_defs(receiver, spec)
            with ag.Session(config=self._config.session_config) as sess:
                ag.Saver().restore(sess, checkpoint)
                folder = _new_export_folder(export_dir_base)
                builder = ag.saved_model.SavedModelBuilder(folder)
                builder.add_meta_graph_and_variables(sess, [ag.saved_model.SERVING],
                                                     signature_def_map=signatures)
                return builder.save(as_text)

    export_saved_model = export_savedmodel

    # -- the model's variables --------------------------------------------------------------
    def latest_checkpoint(self):
        return ag.latest_checkpoint(self._model_dir)

    def get_variable_names(self):
        return [name for name, _ in ag.list_variables(self._model_dir)]

    def get_variable_value(self, name):
        return ag.load_variable(self._model_dir, name)

    # -- helpers ---------------------------------------------------------------------------
    def _saved_step(self):
        checkpoint = self.latest_checkpoint()
        if checkpoint is None:
            return 0
        try:
            return int(ag.load_variable(checkpoint, "global_step"))
        except ag.errors.NotFoundError:
            return 0

    def _begin(self):
        if self._config.tf_random_seed is not None:
            ag.set_random_seed(self._config.tf_random_seed)
        return optim.get_or_create_global_step()

    def _inputs(self, input_fn, mode):
        kwargs = {}
        accepted = inspect.signature(input_fn).parameters
        if "params" in accepted:
            kwargs["params"] = self._params
        if "config" in accepted:
            kwargs["config"] = self._config
        if "mode" in accepted:
            kwargs["mode"] = mode
        result = input_fn(**kwargs)
        if isinstance(result, ag.data.Dataset):
            result = result.make_one_shot_iterator().get_next()
        if isinstance(result, (tuple, list)) and len(result) == 2:
            return result
        return result, None

    def _call_model_fn(self, features, labels, mode):
        accepted = inspect.signature(self._model_fn).parameters
        kwargs = {"features": features}
        if "labels" in accepted:
            kwargs["labels"] = labels
        elif labels is not None:
            raise ValueError("model_fn does not take labels, but input_fn returns labels.")
        for name, value in (("mode", mode), ("params", self._params),
                            ("config", self._config)):
            if name in accepted:
                kwargs[name] = value
        spec = self._model_fn(**kwargs)
        if not isinstance(spec, EstimatorSpec):
            raise ValueError(f"model_fn should return an EstimatorSpec, got {type(spec)}")
        return spec

    def _write_eval_summary(self, results, name):
        folder = os.path.join(self._model_dir, "eval" if not name else f"eval_{name}")
        writer = ag.summary.FileWriter(folder)
        scalars = [ag.summary.Summary.Value(tag=tag, simple_value=float(value))
                   for tag, value in sorted(results.items()) if tag != "global_step"
                   and getattr(value, "ndim", 0) == 0]
        writer.add_summary(ag.summary.Summary(value=scalars), int(results["global_step"]))
        writer.flush()


def _new_export_folder(base):
    """export_dir_base/<seconds since the epoch>, one that does not exist yet."""
    stamp = int(time.time())
    while os.path.exists(os.path.join(os.fspath(base), str(stamp))):
        stamp += 1
    return os.path.join(os.fspath(base), str(stamp))


def _rows(batch):
    """One prediction per example: dicts of rows, or rows of an array."""
    if isinstance(batch, dict):
        count = len(next(iter(batch.values())))
        for index in range(count):
            yield {key: value[index] for key, value in batch.items()}
    else:
        yield from batch
