"""Variables as graph edges, and runs as transactions: threads, Ctrl-C, abandoned steps.

Threaded tests assert final counts and whole values, never timings.
"""
import gc
import os
import signal
import tempfile
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import errors, transactions


# -- variables are edges --------------------------------------------------------------------
def test_every_op_touching_a_variable_takes_its_handle_as_an_input():
    import optim
    w = ag.Variable(np.ones((3, 2), np.float32), name="w")
    x = ag.placeholder(ag.float32, [None, 3])
    loss = ag.reduce_sum(ag.square(ag.matmul(x, w)))
    optim.AdamOptimizer(0.1).minimize(loss)
    handles = {v.handle for v in ag.global_variables()}
    names = {v.op.name for v in ag.global_variables()}
    touching = [op for op in ag.get_default_graph().get_operations()
                if any(t in handles for t in op.inputs)]
    kinds = {op.type for op in touching}
    assert {"ReadVariableOp", "AssignVariableOp", "ResourceApplyAdam"} <= kinds
    for op in ag.get_default_graph().get_operations():  # no op names a variable in its attrs
        assert not any(isinstance(value, str) and value in names for value in op.attrs.values())


def test_a_read_inside_control_dependencies_sees_the_assignment():
    v = ag.Variable(1.0)
    set5 = ag.assign(v, 5.0)
    with ag.control_dependencies([set5]):
        read_after = v * 2.0
    with ag.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(read_after) == 10.0


def test_gradient_with_respect_to_a_variable_sums_over_all_its_reads():
    v = ag.Variable(3.0)
    y = v * v + 2.0 * v          # three separate reads of v
    grad, = ag.gradients(y, [v])
    with ag.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(grad) == 8.0


def test_fetching_a_variable_handle_by_name_gives_its_value():
    ag.Variable([1.0, 2.0], name="weights")
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        assert list(sess.run("weights:0")) == [1.0, 2.0]  # as TF1 programs fetch weights


# -- runs are transactions ------------------------------------------------------------------
def _failing_after(op_before, name="fails"):
    """A tensor that runs `op_before`, then fails (a bad reshape of a fed vector)."""
    x = ag.placeholder(ag.float32, [None], name=name)
    with ag.control_dependencies([op_before]):
        return x, ag.reduce_sum(ag.reshape(x, [2, 2]))


def test_a_failed_run_keeps_exactly_the_values_before_it():
    a, b = ag.Variable(1.0), ag.Variable(10.0)
    x, bad = _failing_after(ag.group(a.assign_add(1.0), b.assign(0.0)))
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        with pytest.raises(errors.InvalidArgumentError, match="Reshape"):
            sess.run(bad, {x: [1.0, 2.0, 3.0]})
        assert sess.run([a, b]) == [1.0, 10.0]


def test_a_failing_run_in_one_thread_never_undoes_another_threads_updates():
    counter, scratch = ag.Variable(0.0), ag.Variable(0.0)
    increment = counter.assign_add(1.0)
    x, bad = _failing_after(scratch.assign_add(1.0))
    sess = ag.Session()
    sess.run(ag.global_variables_initializer())

    def fail_repeatedly():
        for _ in range(300):
            with pytest.raises(errors.InvalidArgumentError):
                sess.run(bad, {x: [1.0]})

    failing = threading.Thread(target=fail_repeatedly)
    failing.start()
    for _ in range(300):
        sess.run(increment)
    failing.join()
    assert sess.run([counter, scratch]) == [300.0, 0.0]


def test_concurrent_assign_adds_are_never_lost():
    v = ag.Variable(0.0)
    increment = v.assign_add(1.0)
    sess = ag.Session()
    sess.run(v.initializer)
    threads = [threading.Thread(target=lambda: [sess.run(increment) for _ in range(250)])
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sess.run(v) == 1000.0


def test_a_fetched_variable_is_never_torn_while_another_thread_writes_it():
    big = ag.Variable(np.zeros(200_000, np.float32))
    fill = ag.placeholder(ag.float32, [])
    write = big.assign(ag.fill([200_000], fill))
    sess = ag.Session()
    sess.run(big.initializer)
    done = threading.Event()

    def writer():
        for i in range(200):
            sess.run(write, {fill: float(i % 2)})
        done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    seen = []
    while not done.is_set():
        value = sess.run(big)
        seen.append(value.min() == value.max())
    thread.join()
    assert seen and all(seen)


def test_two_runs_writing_the_same_variables_in_opposite_orders_do_not_deadlock():
    a, b = ag.Variable(0.0), ag.Variable(0.0)
    with ag.control_dependencies([a.assign_add(1.0)]):
        a_then_b = b.assign_add(1.0)
    with ag.control_dependencies([b.assign_add(1.0)]):
        b_then_a = a.assign_add(1.0)
    sess = ag.Session()
    sess.run(ag.global_variables_initializer())
    threads = [threading.Thread(target=lambda op=op: [sess.run(op) for _ in range(200)])
               for op in (a_then_b, b_then_a)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert sess.run([a, b]) == [400.0, 400.0]


# -- Ctrl-C ---------------------------------------------------------------------------------
def _ctrl_c():
    signal.raise_signal(signal.SIGINT)


def _pressing_ctrl_c(x):
    _ctrl_c()
    return x


CtrlC = ag.define_op("TestCtrlC", forward=_pressing_ctrl_c,
                     shape=lambda x: (x.shape, x.dtype))


def test_ctrl_c_during_a_run_leaves_every_variable_as_it_was(default_sigint):
    a, b = ag.Variable(1.0), ag.Variable(2.0)
    with ag.control_dependencies([a.assign(100.0)]):
        interrupted = b.assign(CtrlC(ag.constant(200.0)))
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        with pytest.raises(KeyboardInterrupt):
            sess.run(interrupted)
        assert sess.run([a, b]) == [1.0, 2.0]
        assert sess.run(a.assign_add(1.0)) == 2.0  # no lock left behind


def test_a_second_ctrl_c_during_the_rollback_cannot_split_it(default_sigint, monkeypatch):
    a, b = ag.Variable(1.0), ag.Variable(2.0)
    with ag.control_dependencies([a.assign(100.0), b.assign(200.0)]):
        interrupted = CtrlC(ag.constant(0.0))
    abort = transactions.Transaction.abort

    def abort_pressing_ctrl_c_again(self):
        _ctrl_c()                 # the impatient second Ctrl-C, in the middle of cleanup
        abort(self)

    monkeypatch.setattr(transactions.Transaction, "abort", abort_pressing_ctrl_c_again)
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        with pytest.raises(KeyboardInterrupt):
            sess.run(interrupted)
        monkeypatch.setattr(transactions.Transaction, "abort", abort)
        assert sess.run([a, b]) == [1.0, 2.0]       # none of the writes
        assert sess.run(a.assign_add(1.0)) == 2.0   # and both locks were released


def test_ctrl_c_during_the_commit_publishes_all_writes_then_stops(default_sigint,
                                                                 monkeypatch):
    a, b, c = ag.Variable(1.0), ag.Variable(2.0), ag.Variable(3.0)
    update = ag.group(a.assign(10.0), b.assign(20.0), c.assign(30.0))
    publish = transactions.VariableCell.publish

    def publish_pressing_ctrl_c(self, new):
        _ctrl_c()
        publish(self, new)

    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        monkeypatch.setattr(transactions.VariableCell, "publish", publish_pressing_ctrl_c)
        with pytest.raises(KeyboardInterrupt):
            sess.run(update)
        monkeypatch.setattr(transactions.VariableCell, "publish", publish)
        assert sess.run([a, b, c]) == [10.0, 20.0, 30.0]  # all of the writes


# -- step: the same path, abandoned safely -----------------------------------------------------
def test_step_and_run_raise_the_same_kernel_error():
    x = ag.placeholder(ag.float32, [None])
    bad = ag.reshape(x, [2, 2], name="bad_reshape")
    with ag.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError) as from_run:
            sess.run(bad, {x: [1.0]})
        with pytest.raises(errors.InvalidArgumentError) as from_step:
            list(sess.step(bad, {x: [1.0]}))
    assert str(from_run.value) == str(from_step.value)


def test_a_completed_step_counts_like_a_run():
    v = ag.Variable(1.0)
    twice = ag.group(v.assign_add(1.0), v.assign_add(1.0))
    with ag.Session() as sess:
        sess.run(v.initializer)
        executed = [trace.op.type for trace in sess.step(twice)]
        assert executed == ["AssignAddVariableOp", "AssignAddVariableOp", "NoOp"]
        assert sess.run(v) == 3.0


@pytest.mark.parametrize("how", ["close", "garbage-collect", "leave"])
def test_an_abandoned_step_changes_nothing_and_blocks_nobody(how):
    v, w = ag.Variable(1.0), ag.Variable(5.0)
    both = ag.group(v.assign(100.0), w.assign(500.0))
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        steps = sess.step(both)
        next(steps)                      # v.assign ran, staged
        assert sess.run(v) == 1.0        # nothing visible before the step completes
        runner = threading.Thread(target=lambda: sess.run(v.assign_add(1.0)))
        runner.start()
        runner.join(timeout=30)
        assert not runner.is_alive()     # other runs go on while the step waits
        if how == "close":
            steps.close()
        elif how == "garbage-collect":
            del steps
            gc.collect()
        assert sess.run([v, w]) == [2.0, 5.0]


def test_a_step_overtaken_by_another_run_publishes_nothing():
    v = ag.Variable(1.0)
    set_both = ag.group(v.assign_add(10.0), ag.no_op())
    with ag.Session() as sess:
        sess.run(v.initializer)
        steps = sess.step(set_both)
        next(steps)
        sess.run(v.assign_add(1.0))      # another run changes v meanwhile
        with pytest.raises(errors.AbortedError, match="discarded"):
            list(steps)
        assert sess.run(v) == 2.0        # the other run counts; the step does not


# -- fetched arrays are the caller's own ----------------------------------------------------
def test_fetched_arrays_never_alias_feeds_or_variables():
    x = ag.placeholder(ag.float32, [4])
    v = ag.Variable(np.zeros(4, np.float32))
    fed = np.arange(4, dtype=np.float32)
    with ag.Session() as sess:
        sess.run(v.initializer)
        same, reshaped, value = sess.run([ag.identity(x), ag.reshape(x, [2, 2]), v], {x: fed})
        for result in (same, reshaped, value):
            result[...] = -1.0
        assert list(fed) == [0, 1, 2, 3] and fed.flags.writeable
        assert list(sess.run(v)) == [0, 0, 0, 0]
        direct = sess.run(x, {x: fed})
        assert direct is not fed and not np.shares_memory(direct, fed)


def test_the_global_default_graph_is_shared_between_threads():
    main = ag.get_default_graph()
    seen = []
    thread = threading.Thread(target=lambda: seen.append(ag.get_default_graph()))
    thread.start()
    thread.join()
    assert seen == [main]


# -- random interleavings against a reference model -----------------------------------------
_ACTIONS = st.one_of(
    st.tuples(st.just("run"), st.integers(0, 2), st.sampled_from([1.0, 10.0])),
    st.tuples(st.just("fail"), st.integers(0, 2)),
    st.tuples(st.just("start_step"), st.integers(0, 2), st.integers(0, 2), st.integers(0, 3)),
    st.tuples(st.just("finish_step"), st.integers(0, 5)),
    st.tuples(st.just("abandon_step"), st.integers(0, 5), st.booleans()),
    st.tuples(st.just("save")),
    st.tuples(st.just("restore")),
)


class _Model:
    """What the variables must hold, and how often each was published (for conflicts)."""

    def __init__(self):
        self.values = [0.0, 0.0, 0.0]
        self.versions = [0, 0, 0]

    def add(self, index, amount):
        self.values[index] += amount
        self.versions[index] += 1


@settings(max_examples=60, deadline=None)
@given(st.lists(_ACTIONS, max_size=25))
def test_random_interleavings_never_lose_or_tear_a_value(actions):
    ag.reset_default_graph()
    variables = [ag.Variable(0.0, dtype=ag.float64, name=f"v{i}") for i in range(3)]
    amount = ag.placeholder(ag.float64, [])
    adds = [v.assign_add(amount) for v in variables]
    x = ag.placeholder(ag.float32, [None])
    fails = []
    for v in variables:
        with ag.control_dependencies([v.assign_add(1000.0)]):
            fails.append(ag.reduce_sum(ag.reshape(x, [2, 2])))
    pairs = {(i, j): ag.group(variables[i].assign_add(1.0), variables[j].assign_add(2.0))
             for i in range(3) for j in range(3)}
    saver = ag.Saver()
    model, saved, pending = _Model(), None, []
    with tempfile.TemporaryDirectory() as folder, ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        for action in actions:
            kind = action[0]
            if kind == "run":
                sess.run(adds[action[1]], {amount: action[2]})
                model.add(action[1], action[2])
            elif kind == "fail":
                with pytest.raises(errors.InvalidArgumentError):
                    sess.run(fails[action[1]], {x: [1.0]})
            elif kind == "start_step":
                _, i, j, advance = action
                steps = sess.step(pairs[(i, j)])
                for _ in range(advance):
                    next(steps, None)
                # a generator begins at its first next(): only then does the step start
                pending.append((steps, i, j, list(model.versions) if advance else None))
            elif kind == "finish_step" and pending:
                steps, i, j, versions = pending.pop(action[1] % len(pending))
                if versions and (model.versions[i], model.versions[j]) != (versions[i],
                                                                           versions[j]):
                    with pytest.raises(errors.AbortedError):
                        list(steps)
                else:
                    list(steps)
                    model.add(i, 1.0)
                    model.add(j, 2.0)
            elif kind == "abandon_step" and pending:
                steps = pending.pop(action[1] % len(pending))[0]
                if action[2]:
                    steps.close()
                del steps
            elif kind == "save":
                saved = (saver.save(sess, os.path.join(folder, "model")), list(model.values))
            elif kind == "restore" and saved:
                saver.restore(sess, saved[0])
                for index, value in enumerate(saved[1]):
                    model.add(index, value - model.values[index])
            assert [float(v) for v in sess.run(variables)] == model.values
        for steps, *_ in pending:
            steps.close()
        assert [float(v) for v in sess.run(variables)] == model.values
