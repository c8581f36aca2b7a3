"""Queues: order, blocking, closing, deadlines, threads, Ctrl-C, and one state per session."""
import os
import signal
import threading
import time

import numpy as np
import pytest

import autograd as ag
from autograd import errors


def _later(seconds, function):
    timer = threading.Timer(seconds, function)
    timer.start()
    return timer


def test_fifo_order_many_and_up_to():
    q = ag.FIFOQueue(10, [ag.float32, ag.int32], shapes=[[2], []])
    put = q.enqueue_many(([[1, 2], [3, 4], [5, 6]], [1, 2, 3]))
    one, many, rest = q.dequeue(), q.dequeue_many(1), q.dequeue_up_to(5)
    with ag.Session() as sess:
        sess.run(put)
        assert sess.run(q.size()) == 3
        x, y = sess.run(one)
        assert x.tolist() == [1, 2] and y == 1
        assert sess.run(many)[1].tolist() == [2]
        sess.run(q.close())
        x, y = sess.run(rest)   # the last, smaller batch of a closed queue
        assert x.tolist() == [[5, 6]] and y.tolist() == [3]
        assert sess.run(q.is_closed())
        with pytest.raises(errors.OutOfRangeError, match=r"is closed and has insufficient "
                           r"elements \(requested 5, current size 0\)"):
            sess.run(rest)
        with pytest.raises(errors.CancelledError, match="is closed"):
            sess.run(put)
    assert many[0].shape == (1, 2) and rest[0].shape.as_list() == [None, 2]


def test_dequeue_blocks_until_another_thread_enqueues():
    q = ag.FIFOQueue(2, ag.int32, shapes=[[]])
    put = q.enqueue(7)
    with ag.Session() as sess:
        _later(0.2, lambda: sess.run(put))
        start = time.monotonic()
        assert sess.run(q.dequeue()) == 7
        assert time.monotonic() - start >= 0.15


def test_enqueue_blocks_while_full_and_dequeue_many_waits_for_enough():
    q = ag.FIFOQueue(2, ag.int32, shapes=[[]])
    put = q.enqueue_many([[1, 2, 3, 4, 5]])   # more than fits: goes in as room appears
    batch = q.dequeue_many(5)
    with ag.Session() as sess:
        worker = threading.Thread(target=sess.run, args=(put,))
        worker.start()
        assert sess.run(batch).tolist() == [1, 2, 3, 4, 5]
        worker.join(5)
        assert not worker.is_alive()


def test_timeout_raises_deadline_exceeded_and_gives_back_what_it_took():
    q = ag.FIFOQueue(5, ag.int32, shapes=[[]])
    with ag.Session() as sess:
        sess.run(q.enqueue_many([[1, 2]]))
        with pytest.raises(errors.DeadlineExceededError, match="timeout_in_ms"):
            sess.run(q.dequeue_many(3), options=ag.RunOptions(timeout_in_ms=100))
        assert sess.run(q.dequeue_many(2)).tolist() == [1, 2]   # nothing was lost


def test_many_threads_enqueue_and_dequeue_each_element_once():
    q = ag.FIFOQueue(4, ag.int32, shapes=[[]])
    value = ag.placeholder(ag.int32, [])
    put, take = q.enqueue(value), q.dequeue()
    got, lock = [], threading.Lock()
    with ag.Session() as sess:
        def produce(base):
            for i in range(100):
                sess.run(put, {value: base + i})

        def consume():
            for _ in range(100):
                item = sess.run(take)
                with lock:
                    got.append(int(item))
        threads = [threading.Thread(target=produce, args=(k * 1000,)) for k in range(3)] + \
                  [threading.Thread(target=consume) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert sorted(got) == sorted(k * 1000 + i for k in range(3) for i in range(100))


def test_random_shuffle_queue_keeps_min_after_dequeue_and_is_seeded():
    def draw():
        ag.reset_default_graph()
        ag.set_random_seed(3)
        q = ag.RandomShuffleQueue(20, 5, ag.int32, shapes=[[]])
        with ag.Session() as sess:
            sess.run(q.enqueue_many([list(range(20))]))
            first = sess.run(q.dequeue_many(15)).tolist()
            with pytest.raises(errors.DeadlineExceededError):   # 5 left: it waits
                sess.run(q.dequeue(), options=ag.RunOptions(timeout_in_ms=50))
            sess.run(q.close())
            return first + sess.run(q.dequeue_many(5)).tolist()   # closed: drains
    a, b = draw(), draw()
    assert a == b and sorted(a) == list(range(20)) and a != list(range(20))


def test_padding_and_priority_queues():
    pad = ag.PaddingFIFOQueue(5, [ag.int32, ag.string], shapes=[[None], []])
    prio = ag.PriorityQueue(5, [ag.string], shapes=[[]])
    with ag.Session() as sess:
        sess.run(pad.enqueue(([1, 2, 3], b"a")))
        sess.run(pad.enqueue(([4], b"b")))
        values, names = sess.run(pad.dequeue_many(2))
        assert values.tolist() == [[1, 2, 3], [4, 0, 0]] and names.tolist() == [b"a", b"b"]
        sess.run(prio.enqueue_many(([3, 1, 2], [b"c", b"a", b"b"])))
        priority, text = sess.run(prio.dequeue_many(3))
        assert priority.tolist() == [1, 2, 3] and text.tolist() == [b"a", b"b", b"c"]
    with pytest.raises(ValueError, match="needs shapes"):
        ag.PaddingFIFOQueue(5, [ag.int32], shapes=None)


def test_bad_elements_are_refused_early_and_clearly():
    q = ag.FIFOQueue(5, [ag.float32, ag.int32], shapes=[[2], []])
    with pytest.raises(ValueError, match="holds 2 components"):
        q.enqueue([1.0])
    with pytest.raises(ValueError, match=r"component 0 .* has shape \(2,\)"):
        q.enqueue(([1.0, 2.0, 3.0], 1))
    fed = ag.placeholder(ag.float32, [None])
    put = q.enqueue((fed, 1))
    with ag.Session() as sess, pytest.raises(errors.InvalidArgumentError,
                                              match="Shape mismatch in tuple component 0"):
        sess.run(put, {fed: [1, 2, 3]})
    with pytest.raises(ValueError, match="min_after_dequeue"):
        ag.RandomShuffleQueue(5, 5, ag.int32)


def test_each_session_has_its_own_queue():
    q = ag.FIFOQueue(5, ag.int32, shapes=[[]])
    put = q.enqueue(1)
    with ag.Session() as a, ag.Session() as b:
        a.run(put)
        assert a.run(q.size()) == 1 and b.run(q.size()) == 0


def test_closing_the_session_ends_a_blocked_run_with_cancelled():
    q = ag.FIFOQueue(5, ag.int32, shapes=[[]])
    take = q.dequeue()
    sess = ag.Session()
    failures = []

    def blocked():
        try:
            sess.run(take)
        except errors.CancelledError as exc:
            failures.append(exc)
    worker = threading.Thread(target=blocked)
    worker.start()
    time.sleep(0.2)
    sess.close()
    worker.join(5)
    assert not worker.is_alive() and len(failures) == 1


def test_close_with_cancel_pending_enqueues():
    q = ag.FIFOQueue(1, ag.int32, shapes=[[]])
    put = q.enqueue(1)
    with ag.Session() as sess:
        sess.run(put)
        failures = []
        worker = threading.Thread(target=lambda: _record(failures, sess.run, put))
        worker.start()
        time.sleep(0.1)
        sess.run(q.close(cancel_pending_enqueues=True))
        worker.join(5)
        assert isinstance(failures[0], errors.CancelledError)
        assert sess.run(q.dequeue()) == 1 and sess.run(q.size()) == 0


def _record(failures, function, *args):
    try:
        function(*args)
    except Exception as exc:
        failures.append(exc)


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                    reason="Ctrl-C reaches the main thread only")
def test_ctrl_c_while_blocked_changes_nothing(default_sigint):
    """A run that updates a variable and waits on a queue is interrupted, twice: the
    variable keeps its value, the queue keeps the element taken so far, no lock stays."""
    q = ag.FIFOQueue(5, ag.float32, shapes=[[]])
    v = ag.Variable(0.0)
    batch = q.dequeue_many(2)
    step = ag.assign_add(v, ag.reduce_sum(batch))
    with ag.Session() as sess:
        sess.run(v.initializer)
        sess.run(q.enqueue(5.0))
        _later(0.2, lambda: os.kill(os.getpid(), signal.SIGINT))
        _later(0.25, lambda: os.kill(os.getpid(), signal.SIGINT))
        with pytest.raises(KeyboardInterrupt):
            try:
                sess.run(step)
            finally:
                time.sleep(0.3)   # the second Ctrl-C lands during the rollback
        assert sess.run(q.size()) == 1 and sess.run(v) == 0.0
        sess.run(q.enqueue(6.0))
        assert sess.run(step) == 11.0    # and the variable's lock was released


def test_queues_and_readers_are_drawn_as_their_own_kinds():
    from autograd.drawing import collect
    from autograd.input_producers import string_input_producer
    files = string_input_producer(["a.csv"])
    _, line = ag.TextLineReader().read(files)
    model, _ = collect.build([line], depth=99)
    kinds = {node.label: node.kind for node in model.nodes.values()}
    assert kinds["fifo_queue"] == "queue" and kinds["TextLineReader"] == "reader"


def test_the_players_trace_shows_the_dequeued_batch():
    """ag.play walks Session.step and writes brief(value) into each node."""
    from autograd.drawing.player import brief
    q = ag.FIFOQueue(5, ag.float32, shapes=[[2]])
    with ag.Session() as sess:
        sess.run(q.enqueue_many([[[1.0, 2.0], [3.0, 4.0]]]))
        batch = q.dequeue_many(2)
        steps = list(sess.step(batch))
    dequeued = [s for s in steps if s.op is batch.op][0]
    assert brief(dequeued.outputs[0]) == "(2, 2) mean 2.5"
    assert brief(np.array([b"a", b"b", b"c"], dtype=object)) == "(3,) b'a', b'b', ..."


def test_a_waiting_op_is_never_handed_to_a_worker_thread():
    """Blocking ops (declared on their OpDef) stay on the calling thread, where Ctrl-C
    and the deadline reach them, however large the batch they move."""
    from autograd.costs import Costs
    q = ag.FIFOQueue(5, ag.float32, shapes=[[1000, 1000]])
    batch = q.dequeue_many(4)
    copy = ag.identity(batch)
    costs = Costs([batch.op, copy.op])
    big = np.zeros((4, 1000, 1000), np.float32)
    costs.measure(0, batch.op, [np.array(b"q", dtype=object)], big)
    costs.measure(1, copy.op, [big], big)
    assert costs.heavy == [False, True]
