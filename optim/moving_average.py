"""ExponentialMovingAverage: shadow copies of variables that follow them slowly, for
evaluating with averaged weights (TF1's tf.train.ExponentialMovingAverage).

    ema = ExponentialMovingAverage(0.999)
    with tf.control_dependencies([train_step]):
        train = ema.apply(tf.trainable_variables())   # shadow -= (1 - decay)(shadow - var)
    ...
    saver = tf.train.Saver(ema.variables_to_restore())  # load the averages as the weights
"""
import autograd as ag


class ExponentialMovingAverage:
    """shadow = decay * shadow + (1 - decay) * variable at each run of apply()'s op; with
    num_updates the decay is min(decay, (1 + num_updates) / (10 + num_updates)), so the
    average starts fast."""

    def __init__(self, decay, num_updates=None, zero_debias=False,
                 name="ExponentialMovingAverage"):
        if zero_debias:
            raise ValueError("zero_debias is not supported")
        self._decay, self._num_updates, self._name = decay, num_updates, name
        self._averages = {}

    @property
    def name(self):
        return self._name

    def apply(self, var_list=None):
        """Create a shadow variable for each of `var_list` (default: the trainable ones),
        starting at its initial value, and return one op updating them all."""
        var_list = ag.trainable_variables() if var_list is None else list(var_list)
        for var in var_list:
            if var.dtype.kind != "f":
                raise TypeError(f"ExponentialMovingAverage needs float variables, "
                                f"{var.op.name!r} is {var.dtype.name}")
            if var not in self._averages:
                # NOTE: made outside any control dependencies in force (TF's init_scope):
                # else initializing the shadow would also run, say, the training step
                with ag.control_dependencies(None), ag.name_scope(None), \
                        ag.name_scope(var.op.name + "/"):
                    shadow = ag.Variable(var.initialized_value(), trainable=False,
                                         name=self._name)
                ag.add_to_collection(ag.GraphKeys.MOVING_AVERAGE_VARIABLES, var)
                self._averages[var] = shadow
        with ag.name_scope(self._name):
            decay = ag.convert_to_tensor(self._decay, ag.float32)
            if self._num_updates is not None:
                steps = ag.cast(self._num_updates, ag.float32)
                decay = ag.minimum(decay, (1.0 + steps) / (10.0 + steps))
            updates = []
            for var in var_list:
                shadow = self._averages[var]
                rate = ag.cast(1.0 - decay, var.dtype)
                updates.append(shadow.assign_sub((shadow - var) * rate))
            return ag.group(*updates, name=self._name)

    def average(self, var):
        """The shadow variable of `var` (None if apply() has not seen it)."""
        return self._averages.get(var)

    def average_name(self, var):
        """The name of `var`'s shadow in checkpoints: `<var op name>/<this name>`."""
        return f"{var.op.name}/{self._name}"

    def variables_to_restore(self, moving_avg_variables=None):
        """{checkpoint name: variable} that restores each averaged variable from its
        shadow's value and every other variable as itself, for Saver(var_list=...)."""
        averaged = self._averages if moving_avg_variables is None else {
            v: self._averages[v] for v in moving_avg_variables if v in self._averages}
        mapping = {}
        for var in ag.global_variables():
            if var in self._averages.values():
                continue
            mapping[self.average_name(var) if var in averaged else var.op.name] = var
        return mapping
