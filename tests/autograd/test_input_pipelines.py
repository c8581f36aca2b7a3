"""Producers, batching, queue runners, the Coordinator, and managed training sessions."""
import logging
import threading
import time

import numpy as np
import pytest

import autograd as ag
from autograd import errors, monitored
from autograd import input_producers as inputs
from autograd.queue_runners import Coordinator, QueueRunner, start_queue_runners


def _drain(sess, fetch):
    found = []
    try:
        while True:
            found.append(sess.run(fetch))
    except errors.OutOfRangeError:
        return found


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def _started(sess):
    coord = Coordinator()
    sess.run([ag.global_variables_initializer(), ag.local_variables_initializer()])
    return coord, start_queue_runners(sess, coord)


def test_string_input_producer_gives_num_epochs_then_out_of_range():
    queue = inputs.string_input_producer(["a", "b", "c"], num_epochs=2, shuffle=False)
    name = queue.dequeue()
    with ag.Session() as sess:
        coord, threads = _started(sess)
        assert [_text(v) for v in _drain(sess, name)] == ["a", "b", "c"] * 2
        coord.request_stop()
        coord.join(threads)
    with pytest.raises(ValueError, match="at least one string"):
        inputs.string_input_producer([])


def test_shuffled_epochs_are_seeded_by_the_graph_seed():
    def epochs():
        ag.reset_default_graph()
        ag.set_random_seed(7)
        queue = inputs.range_input_producer(10, num_epochs=3)
        with ag.Session() as sess:
            coord, threads = _started(sess)
            found = [int(v) for v in _drain(sess, queue.dequeue())]
            coord.request_stop()
            coord.join(threads)
        return found
    first, second = epochs(), epochs()
    assert first == second and sorted(first) == sorted(list(range(10)) * 3)
    assert first[:10] != list(range(10))


def test_slice_input_producer_keeps_rows_together():
    x = np.arange(12).reshape(6, 2)
    y = np.arange(6) * 10
    row, label = inputs.slice_input_producer([x, y], num_epochs=1, shuffle=True, seed=1)
    with ag.Session() as sess:
        coord, threads = _started(sess)
        pairs = _drain(sess, [row, label])
        coord.request_stop()
        coord.join(threads)
    assert len(pairs) == 6 and all(row[0] * 5 == label for row, label in pairs)


def test_batch_variants():
    values = ag.constant(np.arange(10, dtype=np.float32))
    producer = inputs.input_producer(values, num_epochs=1, shuffle=False)
    item = producer.dequeue()
    whole = inputs.batch([item], 4, allow_smaller_final_batch=True)
    with ag.Session() as sess:
        coord, threads = _started(sess)
        batches = [b.tolist() for b in _drain(sess, whole)]
        coord.request_stop()
        coord.join(threads)
    assert batches == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_dynamic_pad_and_enqueue_many_and_maybe_batch():
    ragged = ag.placeholder(ag.int32, [None])
    padded = inputs.batch([ragged], 2, dynamic_pad=True, capacity=4)
    rows = ag.constant([[1, 2], [3, 4], [5, 6]])
    keep = ag.constant([True, False, True])
    kept = inputs.maybe_batch([rows], keep, 2, enqueue_many=True)
    with ag.Session() as sess:
        enqueue = sess.graph.get_collection(ag.GraphKeys.QUEUE_RUNNERS)[0].enqueue_ops[0]
        sess.run(enqueue, {ragged: [1, 2, 3]})
        sess.run(enqueue, {ragged: [4]})
        assert sess.run(padded).tolist() == [[1, 2, 3], [4, 0, 0]]
        keep_enqueue = sess.graph.get_collection(ag.GraphKeys.QUEUE_RUNNERS)[1].enqueue_ops[0]
        sess.run(keep_enqueue)
        assert sess.run(kept).tolist() == [[1, 2], [5, 6]]
    with pytest.raises(ValueError, match="fully defined"):
        inputs.batch([ragged], 2)


def test_coordinator_join_reraises_a_thread_failure():
    coord = Coordinator()

    def work():
        with coord.stop_on_exception():
            raise ValueError("broken input")
    thread = threading.Thread(target=work)
    coord.register_thread(thread)
    thread.start()
    with pytest.raises(ValueError, match="broken input"):
        coord.join()
    clean = Coordinator()
    clean.request_stop(errors.OutOfRangeError("epochs are over"))
    clean.join([])   # OutOfRangeError is a clean stop: nothing raised


def test_a_failing_enqueue_reaches_the_coordinator():
    queue = ag.FIFOQueue(5, ag.float32, shapes=[[]])
    bad = ag.placeholder_with_default(ag.constant(1.0), [])
    enqueue = queue.enqueue(ag.check_numerics(bad / 0.0, "division"))
    ag.add_to_collection(ag.GraphKeys.QUEUE_RUNNERS, QueueRunner(queue, [enqueue]))
    with ag.Session() as sess:
        coord = Coordinator()
        threads = start_queue_runners(sess, coord)
        with pytest.raises(errors.InvalidArgumentError, match="division"):
            coord.join(threads, stop_grace_period_secs=5)


def test_runner_threads_end_when_the_session_closes():
    queue = inputs.string_input_producer(["a"])   # forever: only closing stops it
    sess = ag.Session()
    threads = start_queue_runners(sess)
    assert sess.run(queue.dequeue()) in (b"a", "a")
    sess.close()
    for thread in threads:
        thread.join(5)
    assert not any(t.is_alive() for t in threads)


# -- managed sessions ---------------------------------------------------------------------
def _model():
    x = ag.constant(np.linspace(-1, 1, 20, dtype=np.float32).reshape(20, 1))
    w = ag.Variable(ag.zeros([1, 1]), name="w")
    loss = ag.reduce_mean(ag.square(ag.matmul(x, w) - 3 * x))
    step = ag.Variable(0, dtype=ag.int64, trainable=False, name="global_step")
    ag.add_to_collection(ag.GraphKeys.GLOBAL_STEP, step)
    grad, = ag.gradients(loss, [w])
    train = ag.group(ag.assign_sub(w, 0.5 * grad), ag.assign_add(step, 1))
    return loss, train, step


class _Recorder(monitored.SessionRunHook):
    def __init__(self):
        self.calls = []

    def begin(self):
        self.calls.append("begin")

    def after_create_session(self, session, coord):
        self.calls.append("created")

    def before_run(self, run_context):
        self.calls.append("before")

    def after_run(self, run_context, run_values):
        self.calls.append("after")

    def end(self, session):
        self.calls.append("end")


def test_monitored_training_stops_saves_and_restores(tmp_path):
    loss, train, step = _model()
    recorder = _Recorder()
    hooks = [monitored.StopAtStepHook(last_step=12), recorder]
    with monitored.MonitoredTrainingSession(checkpoint_dir=str(tmp_path), hooks=hooks,
                                            save_checkpoint_steps=5) as sess:
        runs = 0
        while not sess.should_stop():
            sess.run(train)
            runs += 1
        with pytest.raises(RuntimeError, match="after should_stop"):
            sess.run(train)
    assert runs == 12
    assert recorder.calls[:3] == ["begin", "created", "before"] and recorder.calls[-1] == "end"
    assert ag.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-12")
    ag.reset_default_graph()
    loss, train, step = _model()
    with monitored.MonitoredTrainingSession(
            checkpoint_dir=str(tmp_path),
            hooks=[monitored.StopAtStepHook(num_steps=3)]) as sess:
        assert sess.run(step) == 12
        while not sess.should_stop():
            sess.run(train)
    assert ag.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-15")


def test_out_of_range_ends_the_monitored_session_quietly():
    queue = inputs.string_input_producer(["a", "b"], num_epochs=1, shuffle=False)
    name = queue.dequeue()
    seen = []
    with monitored.MonitoredSession() as sess:
        while not sess.should_stop():
            seen.append(sess.run(name))
    assert len(seen) == 2


def test_hooks_feed_log_and_catch_nan():
    loss, train, step = _model()
    scale = ag.placeholder_with_default(ag.constant(1.0), [])
    scaled = loss * scale
    final = monitored.FinalOpsHook([scaled, loss])
    hooks = [monitored.FeedFnHook(lambda: {scale: 2.0}), final,
             monitored.LoggingTensorHook({"loss": loss}, every_n_iter=2),
             monitored.StopAtStepHook(last_step=4)]
    logged = []
    collect = logging.Handler(logging.INFO)
    collect.emit = logged.append
    logger = logging.getLogger("tensorflow")
    old = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(collect)
    try:
        with monitored.MonitoredSession(hooks=hooks) as sess:
            while not sess.should_stop():
                _, fed, plain = sess.run([train, scaled, loss])
                assert fed == pytest.approx(2 * plain)   # the hook's feed reached the run
    finally:
        logger.setLevel(old)
        logger.removeHandler(collect)
    assert sum("loss = " in r.getMessage() for r in logged) == 2   # steps 0 and 2
    assert final.final_ops_values[0] == pytest.approx(final.final_ops_values[1])  # no feed
    ag.reset_default_graph()
    nan = ag.placeholder_with_default(ag.constant(np.nan), [])
    nothing = ag.no_op()
    with pytest.raises(monitored.NanLossDuringTrainingError), \
            monitored.MonitoredSession(hooks=[monitored.NanTensorHook(nan)]) as sess:
        sess.run(nothing)


def test_supervisor_managed_session(tmp_path):
    loss, train, step = _model()
    sv = monitored.Supervisor(logdir=str(tmp_path), save_model_secs=0)
    with sv.managed_session() as sess:
        for _ in range(5):
            sess.run(train)
        sv.saver.save(sess, sv.save_path, global_step=step)
        raise errors.OutOfRangeError("the input is over")   # a clean end
    assert ag.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-5")
    ag.reset_default_graph()
    loss, train, step = _model()
    sv = monitored.Supervisor(logdir=str(tmp_path), save_model_secs=0)
    with pytest.raises(KeyError), sv.managed_session() as sess:
        assert sess.run(step) == 5   # restored
        raise KeyError("a real failure")


def test_timer_triggers_by_steps_and_seconds():
    steps = monitored.SecondOrStepTimer(every_steps=3)
    assert steps.should_trigger_for_step(0)
    steps.update_last_triggered_step(0)
    assert not steps.should_trigger_for_step(2) and steps.should_trigger_for_step(3)
    seconds = monitored.SecondOrStepTimer(every_secs=0.05)
    seconds.update_last_triggered_step(0)
    assert not seconds.should_trigger_for_step(1)
    time.sleep(0.06)
    assert seconds.should_trigger_for_step(1)
