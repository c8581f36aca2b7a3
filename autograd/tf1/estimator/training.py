"""tf.estimator.train_and_evaluate on one machine: train, and evaluate after checkpoints.

Training saves checkpoints as its RunConfig says; after a save, once `throttle_secs`
have passed since the last evaluation, the model as saved is evaluated on
`eval_spec.input_fn` (its own graph and session, as TF's evaluator), and once more at the
end. Returns (the last evaluation's results, export results: none here).
"""
import collections
import time

from autograd import monitored


class TrainSpec(collections.namedtuple("TrainSpec", "input_fn max_steps hooks")):
    def __new__(cls, input_fn, max_steps=None, hooks=None):
        if max_steps is not None and max_steps <= 0:
            raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
        return super().__new__(cls, input_fn, max_steps, tuple(hooks or ()))


class EvalSpec(collections.namedtuple("EvalSpec", "input_fn steps name hooks exporters "
                                                  "start_delay_secs throttle_secs")):
    def __new__(cls, input_fn, steps=100, name=None, hooks=None, exporters=None,
                start_delay_secs=120, throttle_secs=600):
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        return super().__new__(cls, input_fn, steps, name, tuple(hooks or ()),
                               exporters, start_delay_secs, throttle_secs)


class _EvaluateAfterSaving(monitored.CheckpointSaverListener):
    def __init__(self, estimator, spec):
        self.estimator, self.spec, self.results = estimator, spec, None
        self._last = None

    def after_save(self, session, global_step_value):
        now = time.monotonic()
        if self._last is not None and now - self._last < self.spec.throttle_secs:
            return False
        self._last = now
        self.results = self.estimator.evaluate(self.spec.input_fn, steps=self.spec.steps,
                                               hooks=self.spec.hooks, name=self.spec.name)
        return False


def train_and_evaluate(estimator, train_spec, eval_spec):
    """Train `estimator` by `train_spec`, evaluating by `eval_spec` along the way."""
    listener = _EvaluateAfterSaving(estimator, eval_spec)
    estimator.train(train_spec.input_fn, max_steps=train_spec.max_steps,
                    hooks=list(train_spec.hooks), saving_listeners=[listener])
    final = estimator.evaluate(eval_spec.input_fn, steps=eval_spec.steps,
                               hooks=list(eval_spec.hooks), name=eval_spec.name)
    return final, []
