"""The dataflow executor (several inter-op threads) against the sequential one: the same
results bit for bit, the same transactions, errors and interrupts, and the knobs, traces
and schedule drawings that show it."""
import signal
import threading
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd as ag
import autograd.tf1 as tf
from autograd import costs as cost_model
from autograd import plan as plan_module
from autograd import workers


@pytest.fixture
def every_step_heavy(monkeypatch):
    """Make the cost model hand every memory-bound step to the pool, however small, so
    that small test graphs exercise the dataflow executor."""
    monkeypatch.setattr(cost_model, "HEAVY_US", 0)
    monkeypatch.setattr(cost_model, "PARALLEL_US", 0)


def _config(inter):
    return ag.ConfigProto(inter_op_parallelism_threads=inter, intra_op_parallelism_threads=1)


def _random_graph(seed, n):
    """A random graph over (n, n) values: elementwise ops, products, broadcasts, a seeded
    random op, two variables read and updated under control dependencies, and the
    gradients of a loss. Returns the fetches."""
    rng = np.random.default_rng(seed)
    x = ag.placeholder(ag.float64, [n, n], name="x")
    v = ag.Variable(rng.normal(size=(n, n)), name="v")
    u = ag.Variable(rng.normal(size=(n,)), name="u")
    pool = [x, v * 1.0, x + u, ag.random_normal([n, n], seed=int(rng.integers(1000)),
                                                  dtype=ag.float64)]
    unary = [ag.tanh, ag.sigmoid, ag.square, ag.abs, ag.negative, lambda t: t * 0.5]
    binary = [ag.add, ag.multiply, ag.subtract, ag.maximum,
              lambda a, b: ag.matmul(a, b) / n, lambda a, b: a + ag.reduce_sum(b, 0)]
    updates = []
    for _ in range(int(rng.integers(4, 14))):
        kind = rng.integers(3)
        if kind == 0:
            pool.append(unary[rng.integers(len(unary))](pool[rng.integers(len(pool))]))
        elif kind == 1:
            a, b = (pool[i] for i in rng.integers(len(pool), size=2))
            pool.append(binary[rng.integers(len(binary))](a, b))
        else:
            with ag.control_dependencies([pool[-1]]):
                target, amount = (v, pool[-1] * 0.01) if rng.integers(2) else \
                    (u, ag.reduce_mean(pool[-1], 0) * 0.01)
                updates.append(ag.assign_add(target, amount))
    loss = ag.add_n([ag.reduce_sum(t) for t in pool[4:]] or [ag.reduce_sum(pool[0])])
    grads = [g for g in ag.gradients(loss, [x, v, u]) if g is not None]
    return [loss] + grads + pool[4:], updates, x, (v, u)


def _runs(config, seed, n, runs=3):
    graph = ag.Graph()
    with graph.as_default():
        fetches, updates, x, variables = _random_graph(seed, n)
        feed = {x: np.random.default_rng(seed + 1).normal(size=(n, n))}
        with ag.Session(config=config) as sess:
            sess.run(ag.global_variables_initializer())
            results = [sess.run([fetches, updates], feed) for _ in range(runs)]
            return results, sess.run(list(variables))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), n=st.integers(1, 6))
def test_dataflow_results_are_bitwise_those_of_the_sequential_executor(every_step_heavy,
                                                                        seed, n):
    sequential, final_sequential = _runs(_config(1), seed, n)
    dataflow, final_dataflow = _runs(_config(2), seed, n)
    for one, other in zip(sequential, dataflow):
        for a, b in zip(one[0], other[0]):
            assert np.array_equal(a, b, equal_nan=True)
    for a, b in zip(final_sequential, final_dataflow):
        assert np.array_equal(a, b)


def test_the_dataflow_executor_really_uses_a_worker(every_step_heavy):
    x = ag.placeholder(ag.float32, [None, 64])
    branches = [ag.reduce_sum(ag.tanh(x * float(i))) for i in range(6)]
    metadata = ag.RunMetadata()
    with ag.Session(config=_config(2)) as sess:
        feed = {x: np.ones((256, 64), np.float32)}
        sess.run(branches, feed)  # first run: measures the costs
        expected = sess.run(branches, feed)
        for _ in range(20):  # the worker is used only when it is idle at that moment
            got = sess.run(branches, feed, run_metadata=metadata,
                           options=ag.RunOptions(trace_level=ag.RunOptions.FULL_TRACE))
            assert got == expected
            if len({s.thread_id for s in metadata.node_stats()}) > 1:
                break
    assert {s.thread_id for s in metadata.node_stats()} == {0, 1}


def _slow_op(seconds, finished):
    def forward(x):
        time.sleep(seconds)
        finished.append(time.monotonic())
        return x
    return ag.define_op("TestSleep", forward=forward, shape=lambda x: (x.shape, x.dtype))


def _failing_op():
    def forward(x):
        if x[0] < 0:
            raise ValueError("this kernel fails on negative input")
        return x
    return ag.define_op("TestFail", forward=forward, shape=lambda x: (x.shape, x.dtype))


def test_a_kernel_error_names_the_op_and_leaves_no_kernel_running(every_step_heavy):
    finished = []
    Sleep, Fail = _slow_op(0.3, finished), _failing_op()
    x = ag.placeholder(ag.float32, [4])
    v = ag.Variable(np.zeros(4, np.float32))
    slow = Sleep(x)                         # ready at once, and heavy: handed to the worker
    bad = Fail(ag.tanh(x), name="the_bad_one")
    update = ag.assign_add(v, slow + bad)
    with ag.Session(config=_config(2)) as sess:
        sess.run(v.initializer)
        sess.run(update, {x: np.ones(4, np.float32)})  # measures the costs
        before, count = sess.run(v), len(finished)
        with pytest.raises(ag.errors.InvalidArgumentError, match="the_bad_one") as caught:
            sess.run(update, {x: -np.ones(4, np.float32)})
        raised_at = time.monotonic()
        assert "fails on negative input" in str(caught.value)
        assert len(finished) == count + 1 and finished[-1] <= raised_at  # had finished
        assert np.array_equal(sess.run(v), before)
        assert workers.pool(2).idle() == workers.pool(2).size


def test_ctrl_c_during_a_parallel_run_changes_no_variable(every_step_heavy, default_sigint):
    finished = []
    Sleep = _slow_op(0.4, finished)
    x = ag.placeholder(ag.float32, [4])
    v = ag.Variable(np.zeros(4, np.float32))
    update = ag.assign_add(v, Sleep(x + 1.0) + Sleep(x - 1.0))
    with ag.Session(config=_config(2)) as sess:
        sess.run(v.initializer)
        feed = {x: np.ones(4, np.float32)}
        sess.run(update, feed)
        before = sess.run(v)
        timer = threading.Timer(0.1, signal.raise_signal, [signal.SIGINT])
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            sess.run(update, feed)
        stopped = time.monotonic()
        timer.join()
        assert all(t <= stopped for t in finished)
        assert np.array_equal(sess.run(v), before)
        sess.run(update, feed)  # the session still works
        assert np.array_equal(sess.run(v), before + 2.0)


def test_tf1_config_knobs_reach_the_session():
    config = tf.ConfigProto(inter_op_parallelism_threads=2, intra_op_parallelism_threads=1,
                            allow_soft_placement=True, log_device_placement=False)
    config.gpu_options.allow_growth = True
    with tf.Graph().as_default():
        a = tf.constant(np.arange(6.0).reshape(2, 3))
        with tf.Session(config=config) as sess:
            assert sess._state.inter_threads == 2 and sess._state.intra_threads == 1
            assert np.array_equal(sess.run(tf.reduce_sum(a, 0)), [3.0, 5.0, 7.0])
    default_inter, default_intra = tf.ConfigProto().threads()
    assert default_intra == workers.available_cores()
    assert default_inter == max(1, workers.available_cores() // 2)


def test_blas_thread_limits_nest_and_restore():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    blas = [c for c in threadpoolctl.ThreadpoolController().lib_controllers
            if c.user_api == "blas"]
    if not blas:
        pytest.skip("no BLAS that threadpoolctl can drive")
    own = workers.blas_threads.own()
    with workers.blas_threads.limit(1):
        assert all(c.num_threads == 1 for c in blas)
        with workers.blas_threads.limit(own + 4):  # a larger limit cannot raise it
            assert all(c.num_threads == 1 for c in blas)
    assert max(c.num_threads for c in blas) == own


def test_traced_runs_record_every_executed_op_once():
    x = ag.placeholder(ag.float32, [None, 3], name="x")
    w = ag.Variable(np.ones((3, 2), np.float32), name="w")
    loss = ag.reduce_sum(ag.matmul(x, w), name="loss")
    train = ag.assign_sub(w, ag.gradients(loss, [w])[0] * 0.1)
    metadata = ag.RunMetadata()
    with ag.Session() as sess:
        sess.run(w.initializer)
        sess.run(train, {x: np.ones((2, 3), np.float32)}, run_metadata=metadata,
                 options=ag.RunOptions(trace_level=ag.RunOptions.FULL_TRACE))
        traced = sess.run(loss, {x: np.ones((2, 3), np.float32)}, run_metadata=ag.RunMetadata())
    names = [s.node_name for s in metadata.node_stats()]
    assert len(names) == len(set(names)) and "MatMul" in names
    assert {"MatMul", "AssignSubVariableOp"} <= {s.op_type for s in metadata.node_stats()}
    starts = [s.all_start_micros for s in metadata.node_stats()]
    assert starts == sorted(starts) and all(s.all_end_rel_micros >= 0
                                            for s in metadata.node_stats())
    assert traced == pytest.approx(6 * 2 * (1 - 0.2))
    untraced = ag.RunMetadata()  # no options: nothing recorded
    with ag.Session() as sess:
        sess.run(w.initializer)
        sess.run(loss, {x: np.ones((2, 3), np.float32)}, run_metadata=untraced)
    assert untraced.node_stats() == []


def test_timeline_draws_one_row_per_thread():
    pytest.importorskip("matplotlib")
    x = ag.placeholder(ag.float32, [None, 3])
    y = ag.reduce_sum(ag.tanh(x))
    metadata = ag.RunMetadata()
    with ag.Session() as sess:
        sess.run(y, {x: np.ones((2, 3), np.float32)}, run_metadata=metadata,
                 options=ag.RunOptions(trace_level=ag.RunOptions.FULL_TRACE))
    figure = ag.timeline(metadata)
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == ["caller"]
    with pytest.raises(ValueError, match="FULL_TRACE"):
        ag.timeline(ag.RunMetadata())


def test_schedule_waves_put_independent_ops_together():
    x = ag.placeholder(ag.float32, [3], name="x")
    a, b = ag.exp(x, name="a"), ag.tanh(x, name="b")
    c = ag.add(a, b, name="c")
    d = ag.negative(c, name="d")
    waves = plan_module.plan_waves([d], [x])
    by_name = {op.name: wave for op, wave in waves.items()}
    assert by_name == {"a": 0, "b": 0, "c": 1, "d": 2}
    drawing = ag.draw(d, feed_dict={x: [1.0, 2.0, 3.0]}, schedule=True)
    assert "wave 0" in drawing.source and "wave 2" in drawing.source
    assert "[wave 1]" in drawing.text
    assert "may run at the same time" in drawing.source


def test_waves_respect_variable_order_and_control_dependencies():
    v = ag.Variable(1.0, name="v")
    read_first = ag.identity(v.read_value(), name="read_first")
    write = ag.assign_add(v, 1.0, name="write")
    with ag.control_dependencies([write]):
        after = ag.identity(v.read_value(), name="after")
    waves = {op.name: w for op, w in plan_module.plan_waves([read_first, after], []).items()}
    first_read = read_first.op.inputs[0].op.name
    assert waves[first_read] < waves["write"] < waves["after"]


def test_a_traced_run_colours_the_drawing_by_compute_time():
    x = ag.placeholder(ag.float32, [None, 200], name="x")
    heavy = ag.matmul(x, ag.ones([200, 200]), name="heavy")
    light = ag.reduce_sum(heavy, name="light")
    metadata = ag.RunMetadata()
    with ag.Session() as sess:
        sess.run(light, {x: np.ones((400, 200), np.float32)}, run_metadata=metadata,
                 options=ag.RunOptions(trace_level=ag.RunOptions.FULL_TRACE))
    drawing = ag.draw(light, run_metadata=metadata)
    lines = {line.split()[0]: line for line in drawing.source.splitlines()
             if "label=" in line and "->" not in line}
    assert "312.5 KB" in lines["heavy"] and "compute time in a traced run" in drawing.source
    assert 'fillcolor="#e6550d"' in lines["heavy"]            # the slowest node: darkest
    assert 'fillcolor="#e6550d"' not in lines["light"] and "4 B" in lines["light"]


def _seeded_training(steps, competitor_at=None):
    """An MLP trained from a seed, its weights after `steps`; with `competitor_at`, a
    process spinning on every core starts at that step (as a busy browser would)."""
    import subprocess
    import sys
    rng = np.random.default_rng(0)
    images = rng.standard_normal((100, 784)).astype(np.float32)
    labels = rng.integers(0, 10, 100)
    graph = tf.Graph()
    competitors = []
    with graph.as_default():
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.int64, [None])
        hidden = tf.layers.dense(x, 200, activation=tf.nn.relu)
        logits = tf.layers.dense(hidden, 10)
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        train = tf.train.MomentumOptimizer(0.05, 0.9).minimize(loss)
        try:
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                for step in range(steps):
                    if step == competitor_at:
                        competitors = [subprocess.Popen([sys.executable, "-c",
                                                         "while True: pass"])
                                       for _ in range(workers.available_cores())]
                        time.sleep(1.0)     # long enough for any load rule to notice
                    sess.run(train, {x: images, y: labels})
                return sess.run(tf.trainable_variables())
        finally:
            for process in competitors:
                process.kill()
                process.wait()


def test_a_seeded_run_repeats_bit_for_bit_when_another_process_loads_the_machine():
    if workers.blas_threads.own() < 2 or workers.available_cores() < 2:
        pytest.skip("needs a BLAS with two threads on two cores to tell the orders apart")
    quiet = _seeded_training(12)
    loaded = _seeded_training(12, competitor_at=4)
    for a, b in zip(quiet, loaded):
        np.testing.assert_array_equal(a, b)
