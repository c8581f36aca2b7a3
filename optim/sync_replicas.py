"""SyncReplicasOptimizer: synchronous data-parallel training, as TF 1.x wrote it.

    opt = tf.train.SyncReplicasOptimizer(tf.train.AdamOptimizer(0.01),
                                         replicas_to_aggregate=2, total_num_replicas=2)
    train_op = opt.minimize(loss, global_step=global_step)
    hook = opt.make_session_run_hook(is_chief)   # for a MonitoredTrainingSession

Each replica's `train_op` sends its gradients, tagged with the global step it read, to
an aggregator beside the global step (on its parameter server), then waits for the
chief; the chief's queue runner averages `replicas_to_aggregate` gradients of the step,
applies them with the wrapped optimizer (one update, one global step) and announces the
next step. Gradients from an older step are dropped (autograd.distributed.aggregation).
"""
import threading

import autograd as ag


class SyncReplicasOptimizer:
    """Wraps `opt`; gradients of `replicas_to_aggregate` replicas make one update."""

    def __init__(self, opt, replicas_to_aggregate, total_num_replicas=None,
                 variable_averages=None, variables_to_average=None, use_locking=False,
                 name="sync_replicas"):
        if total_num_replicas is None:
            total_num_replicas = replicas_to_aggregate
        if replicas_to_aggregate < 1 or total_num_replicas < 1:
            raise ValueError(f"replicas_to_aggregate ({replicas_to_aggregate}) and "
                             f"total_num_replicas ({total_num_replicas}) must be at least 1")
        if variable_averages is not None:
            raise ValueError("variable_averages is not supported: average the variables "
                             "with tf.train.ExponentialMovingAverage after training")
        self._opt = opt
        self._replicas_to_aggregate = int(replicas_to_aggregate)
        self._total_num_replicas = int(total_num_replicas)
        self._name = name
        self._init_tokens = self._chief_queue_runner = None

    def compute_gradients(self, *args, **kwargs):
        return self._opt.compute_gradients(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """The replicas' train op; builds the chief's update beside it."""
        if global_step is None:
            raise ValueError("Global step is required to check staleness")
        pairs = [(ag.convert_to_tensor(g), v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            raise ValueError("No gradients provided for any variable")
        aggregation = ag.distributed.aggregation
        attrs = dict(aggregator=self._name, home=global_step.device,
                     replicas=self._replicas_to_aggregate)
        with ag.name_scope(name or self._name):
            step = ag.identity(global_step.value(), name="read_global_step")
            train_op = aggregation.SyncReplicasPush(step, *[g for g, _ in pairs], **attrs,
                                                    name="push_and_wait")
            take = aggregation.SyncReplicasTake(
                shapes=tuple(tuple(g.shape) for g, _ in pairs),
                dtypes=tuple(g.dtype for g, _ in pairs), **attrs, name="take_average")
            averages = [ag.placeholder(g.dtype, g.shape, name="average")
                        for g, _ in pairs]
            taken_step = ag.placeholder(ag.int64, [], name="taken_step")
            update = self._opt.apply_gradients(
                [(average, v) for average, (_, v) in zip(averages, pairs)], global_step)
            # (a run of its own, after the update's run has committed it: the replicas
            # it releases must read the updated variables)
            announce = aggregation.SyncReplicasAnnounce(taken_step + 1, **attrs,
                                                        name="announce_next_step")
            self._init_tokens = aggregation.SyncReplicasAnnounce(step, **attrs,
                                                                 name="init_tokens")
            self.local_step_init_op = self.chief_init_op = ag.no_op(name="local_step_init")
            self.ready_for_local_init_op = ag.no_op(name="ready_for_local_init")
        self._chief_queue_runner = _ChiefQueueRunner(take, averages, update, taken_step,
                                                     announce)
        return train_op.op

    def minimize(self, loss, global_step=None, var_list=None, name=None):
        return self.apply_gradients(self.compute_gradients(loss, var_list), global_step,
                                    name)

    def get_chief_queue_runner(self):
        """What the chief runs beside training: take, average, apply, announce."""
        if self._chief_queue_runner is None:
            raise ValueError("get_chief_queue_runner() should be called after "
                             "apply_gradients().")
        return self._chief_queue_runner

    def get_init_tokens_op(self, num_tokens=-1):
        """The chief runs it once before training: replicas may push for the current
        global step from then on."""
        if self._init_tokens is None:
            raise ValueError("get_init_tokens_op() should be called after "
                             "apply_gradients().")
        return self._init_tokens

    def make_session_run_hook(self, is_chief, num_tokens=-1):
        """A hook that, on the chief, announces the first step and starts the chief's
        queue runner when the session is created."""
        return _SyncReplicasHook(self, is_chief)

    def get_slot(self, *args, **kwargs):
        return self._opt.get_slot(*args, **kwargs)

    def get_slot_names(self, *args, **kwargs):
        return self._opt.get_slot_names(*args, **kwargs)

    def variables(self):
        return self._opt.variables()


class _ChiefQueueRunner:
    """A queue runner (create_threads) whose thread, until the coordinator stops or the
    session closes, takes the average of a step's gradients, applies it, and announces
    the next step, each in a run of its own: the update's run holds the variables' locks
    only while it applies (never while it waits), and the replicas it releases read what
    it committed."""

    def __init__(self, take, averages, update, taken_step, announce):
        self._take, self._averages, self._update = take, averages, update
        self._taken_step, self._announce = taken_step, announce

    def create_threads(self, sess, coord=None, daemon=False, start=False):
        thread = threading.Thread(target=self._run, args=(sess, coord), daemon=daemon,
                                  name="sync_replicas_chief")
        if start:
            thread.start()
        return [thread]

    def _run(self, sess, coord):
        try:
            while coord is None or not coord.should_stop():
                step, *averages = sess.run(self._take)
                sess.run(self._update, dict(zip(self._averages, averages)))
                sess.run(self._announce, {self._taken_step: step})
        except (ag.errors.CancelledError, RuntimeError):
            pass          # the session closed: training is over
        except Exception as exc:  # noqa: BLE001 - reported to the coordinator
            if coord is None:
                raise
            coord.request_stop(exc)


class _SyncReplicasHook(ag.monitored.SessionRunHook):
    def __init__(self, optimizer, is_chief):
        self._optimizer, self._is_chief = optimizer, is_chief

    def after_create_session(self, session, coord):
        if self._is_chief:
            session.run(self._optimizer.get_init_tokens_op())
            self._optimizer.get_chief_queue_runner().create_threads(
                session, coord=coord, daemon=True, start=True)
