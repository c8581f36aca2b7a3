"""TF1's cluster model on Ray: ClusterSpec, Server, sessions whose variables live on
parameter-server tasks, and what happens when a task goes away."""
import importlib.metadata
import os
import pathlib
import re
import subprocess
import sys
import threading

import numpy as np
import pytest

import autograd as ag
import autograd.tf1 as tf
from autograd import errors

ROOT = pathlib.Path(__file__).resolve().parents[1]
def _ray_installed():
    try:
        importlib.metadata.version("ray")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


needs_ray = pytest.mark.skipif(not _ray_installed(),
                               reason="ray is not installed (the 'distributed' extra)")


# -- the cluster spec (no Ray needed) ------------------------------------------------------
def test_cluster_spec_reads_dense_and_sparse_jobs():
    cluster = tf.train.ClusterSpec({"ps": ["ps0:2222"], "worker": {1: "w1:2222", 3: "w3:2222"}})
    assert cluster.jobs == ["ps", "worker"]
    assert cluster.num_tasks("worker") == 2 and cluster.task_indices("worker") == [1, 3]
    assert cluster.task_address("worker", 3) == "w3:2222"
    assert cluster.job_tasks("worker") == [None, "w1:2222", None, "w3:2222"]
    assert cluster.as_dict() == {"ps": ["ps0:2222"], "worker": {1: "w1:2222", 3: "w3:2222"}}
    assert tf.train.ClusterSpec(cluster) == cluster
    assert cluster.fingerprint() == tf.train.ClusterSpec(cluster.as_dict()).fingerprint()
    with pytest.raises(ValueError, match="no task 2 in job 'worker'"):
        cluster.task_address("worker", 2)
    with pytest.raises(ValueError, match="its jobs: ps, worker"):
        cluster.num_tasks("chief")
    with pytest.raises(TypeError, match="list of addresses"):
        tf.train.ClusterSpec({"ps": "ps0:2222"})


def test_replica_device_setter_puts_variables_on_the_ps_tasks_in_turn():
    cluster = tf.train.ClusterSpec({"ps": ["a:1", "b:1"], "worker": ["c:1"]})
    with tf.Graph().as_default():
        with tf.device(tf.train.replica_device_setter(cluster=cluster)):
            v0, v1, v2 = (tf.Variable(0.0, name=f"v{i}") for i in range(3))
            total = v0 + v1
    assert [v.device for v in (v0, v1, v2)] == ["/job:ps/task:0", "/job:ps/task:1",
                                               "/job:ps/task:0"]
    assert total.op.device == "/job:worker"


def test_a_greedy_strategy_balances_the_ps_tasks_by_bytes():
    """TF's GreedyLoadBalancingStrategy with byte_size_load_fn: the big embedding alone on
    one task, the small variables on the other."""
    cluster = tf.train.ClusterSpec({"ps": ["a:1", "b:1"], "worker": ["c:1"]})
    strategy = tf.contrib.training.GreedyLoadBalancingStrategy(
        2, tf.contrib.training.byte_size_load_fn)
    with tf.Graph().as_default():
        with tf.device(tf.train.replica_device_setter(cluster=cluster, ps_strategy=strategy)):
            big = tf.Variable(np.zeros((1000, 64), np.float32), name="embedding")
            small = [tf.Variable(np.zeros(64, np.float32), name=f"b{i}") for i in range(3)]
    assert big.device == "/job:ps/task:0"
    assert {v.device for v in small} == {"/job:ps/task:1"}


def test_the_drawing_shows_the_partition_and_its_send_recv_edges():
    """draw(color_by="device"): each task its colour, and the edges between two tasks
    (the variable read on the worker, the optimizer's update of it) marked Send/Recv."""
    cluster = tf.train.ClusterSpec({"ps": ["a:1"], "worker": ["b:1"]})
    with tf.Graph().as_default():
        with tf.device(tf.train.replica_device_setter(cluster=cluster)):
            w = tf.Variable(np.zeros((3, 2), np.float32), name="w")
            x = tf.placeholder(tf.float32, [None, 3], name="x")
            loss = tf.reduce_sum(tf.square(tf.matmul(x, w)))
            train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        source = ag.draw(train, color_by="device").source
        plain = ag.draw(train).source
    edges = [line for line in source.splitlines() if "->" in line and "Send/Recv" in line]
    assert len(edges) == 2 and any("updates w" in line for line in edges)
    assert "built for /job:ps/task:0" in source and "between two tasks" in source
    assert "Send/Recv" not in plain


def test_without_ray_the_server_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ImportError, match="pip install 'ray"):
        tf.train.Server(tf.train.ClusterSpec({"ps": ["localhost:2222"]}), "ps", 0)


# -- one process serving every task of a cluster ------------------------------------------
@pytest.fixture(scope="module")
def cluster():
    """A ps and two worker tasks, all served here (a local Ray cluster)."""
    spec = tf.train.ClusterSpec({"ps": ["localhost:2222"],
                                 "worker": ["localhost:2223", "localhost:2224"]})
    servers = {"ps": tf.train.Server(spec, "ps", 0)}
    servers.update({f"worker{i}": tf.train.Server(spec, "worker", i) for i in range(2)})
    yield spec, servers
    for server in servers.values():
        server.stop()


def _model(spec):
    """w (on the ps) trained towards x by plain gradient descent, a global step, and a
    local counter (no device: each session's own)."""
    with tf.device(tf.train.replica_device_setter(cluster=spec)):
        w = tf.Variable(np.zeros(3, np.float32), name="w")
        step = tf.train.get_or_create_global_step()
        x = tf.placeholder(tf.float32, [3])
        loss = tf.reduce_sum(tf.square(w - x))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    return w, step, x, train


@needs_ray
def test_variables_on_the_ps_are_shared_by_every_session_of_the_cluster(cluster):
    spec, servers = cluster
    with tf.Graph().as_default():
        w, step, x, train = _model(spec)
        counter = tf.Variable(0, name="counter")   # local: no ps device
        count = tf.assign_add(counter, 1)
        with tf.Session(servers["worker0"].target) as sess:
            assert sess.is_distributed()
            sess.run(tf.global_variables_initializer())
            for _ in range(5):
                sess.run([train, count], {x: np.ones(3, np.float32)})
            trained = sess.run(w)
            np.testing.assert_allclose(trained, 1 - 0.8 ** 5, rtol=1e-6)
        with tf.Session(servers["worker1"].target) as other:
            np.testing.assert_array_equal(other.run(w), trained)
            assert other.run(step) == 5
            assert other.uninitialized_variable_names([counter]) == ["counter"]
            assert other.value_of(w).tolist() == trained.tolist()
        with tf.Session() as local:   # not a cluster session: its own variables
            assert local.uninitialized_variable_names([w]) == ["w"]


@needs_ray
def test_concurrent_workers_lose_no_update(cluster):
    """Two workers' sessions add to the same ps variables at once: each run's change is
    added to whatever the ps holds by then, so every one counts."""
    spec, servers = cluster
    with tf.Graph().as_default():
        with tf.device(tf.train.replica_device_setter(cluster=spec)):
            total = tf.Variable(np.zeros(4), name="total")
            step = tf.train.get_or_create_global_step()
            add = tf.group(tf.assign_add(total, np.ones(4)), tf.assign_add(step, 1))
        sessions = [tf.Session(servers[f"worker{i}"].target) for i in range(2)]
        sessions[0].run(tf.global_variables_initializer())

        def work(sess):
            for _ in range(40):
                sess.run(add)
        threads = [threading.Thread(target=work, args=(s,)) for s in sessions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sessions[1].run(step) == 80
        np.testing.assert_array_equal(sessions[0].run(total), np.full(4, 80.0))
        for sess in sessions:
            sess.close()


@needs_ray
def test_a_run_that_fails_midway_changes_nothing_on_the_ps(cluster):
    spec, servers = cluster
    with tf.Graph().as_default():
        w, step, x, train = _model(spec)
        with tf.device("/job:worker/task:0"):
            checked = tf.check_numerics(x, "x")
        with tf.control_dependencies([checked]):
            guarded = tf.group(train)
        with tf.Session(servers["worker0"].target) as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(guarded, {x: np.ones(3, np.float32)})
            before = sess.run([w, step])
            with pytest.raises(errors.InvalidArgumentError):
                sess.run(guarded, {x: np.array([1, np.nan, 1], np.float32)})
            after = sess.run([w, step])
    np.testing.assert_array_equal(before[0], after[0])
    assert before[1] == after[1] == 1


@needs_ray
def test_a_lost_ps_fails_runs_and_a_monitored_session_recovers_from_its_checkpoint(
        cluster, tmp_path):
    spec, servers = cluster
    with tf.Graph().as_default():
        w, step, x, train = _model(spec)
        with tf.train.MonitoredTrainingSession(master=servers["worker0"].target,
                                               is_chief=True, checkpoint_dir=str(tmp_path),
                                               save_checkpoint_steps=3) as sess:
            for _ in range(3):
                sess.run(train, {x: np.ones(3, np.float32)})
            saved = sess.run(w)
            servers["ps"].stop()     # the ps process goes away, with its variables
            with pytest.raises(errors.UnavailableError, match="/job:ps/task:0"):
                sess._sess.run(train, {x: np.ones(3, np.float32)})
            servers["ps"] = tf.train.Server(spec, "ps", 0)   # and comes back, empty
            sess.run(train, {x: np.ones(3, np.float32)})    # recreated: restored, trained
            assert sess.run(step) == 4
            np.testing.assert_allclose(sess.run(w), 1 - 0.8 * (1 - saved), rtol=1e-6)


@needs_ray
def test_a_worker_waits_for_the_chief_to_initialize(cluster):
    spec, servers = cluster
    with tf.Graph().as_default():
        with tf.device(tf.train.replica_device_setter(cluster=spec)):
            fresh = tf.Variable(np.arange(3.0), name="never_initialized_yet")
        scaffold = tf.train.Scaffold()
        creator = tf.train.WorkerSessionCreator(scaffold, servers["worker1"].target,
                                                max_wait_secs=1)
        with pytest.raises(errors.DeadlineExceededError, match="is_chief=True"):
            creator.create_session()
        with tf.Session(servers["worker0"].target) as chief:
            chief.run(fresh.initializer)
        worker = tf.train.WorkerSessionCreator(scaffold, servers["worker1"].target,
                                               max_wait_secs=5).create_session()
        np.testing.assert_array_equal(worker.run(fresh), np.arange(3.0))


@needs_ray
def test_a_task_is_served_once(cluster):
    spec, _ = cluster
    with pytest.raises(ValueError, match="already served by another process"):
        tf.train.Server(spec, "worker", 1)
    with pytest.raises(ValueError, match="no task 5"):
        tf.train.Server(spec, "worker", 5, start=False)


# -- the program users run: one process per task -------------------------------------------
def _launch(*args, timeout=240):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "local_cluster.py"), *args],
                          capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


@needs_ray
def test_mnist_replica_trains_on_a_local_cluster_of_three_processes():
    """TF's mnist_replica.py, import line changed: 1 ps + 2 worker processes share the
    training's 400 global steps and reach the accuracy one worker reaches alone."""
    program = str(ROOT / "tests" / "tf1_programs" / "distributed" / "mnist_replica.py")
    out = _launch("--ps", "1", "--workers", "2", program, "--train_steps", "400")
    results = re.findall(r"result worker (\d) local steps (\d+) global step (\d+) "
                         r"validation accuracy ([\d.]+)", out)
    assert sorted(r[0] for r in results) == ["0", "1"], out[-3000:]
    steps = [int(r[1]) for r in results]
    assert min(steps) > 0                         # both trained: the work was shared
    # the global step counts every run of both workers: no update was lost on the ps
    assert max(int(r[2]) for r in results) == sum(steps) >= 400
    # one worker alone reaches 0.962 in 400 steps; two, with stale gradients, 0.954-0.962
    assert all(float(r[3]) >= 0.945 for r in results)


# -- synchronous replicas ------------------------------------------------------------------
def _sync_model(spec=None, replicas=2):
    setter = tf.train.replica_device_setter(cluster=spec) if spec is not None else None
    with tf.device(setter):
        w = tf.Variable(np.zeros(2, np.float32), name="w")
        step = tf.train.get_or_create_global_step()
        x = tf.placeholder(tf.float32, [2])
        loss = tf.reduce_sum(tf.square(w - x))
        opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1),
                                             replicas_to_aggregate=replicas,
                                             total_num_replicas=replicas)
        train = opt.minimize(loss, global_step=step)
    return w, step, x, opt, train


def _replicas(sessions, train, x, targets, steps):
    def replica(sess, target):
        for _ in range(steps):
            sess.run(train, {x: np.full(2, target, np.float32)})
    threads = [threading.Thread(target=replica, args=pair) for pair in zip(sessions, targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)


def test_sync_replicas_average_each_steps_gradients_in_one_process():
    """Two replicas pulling towards 0 and 2 make, averaged, the steps of one pulling
    towards 1: w = 1 - 0.8^5 after five updates, and one global step per update."""
    with tf.Graph().as_default():
        w, step, x, opt, train = _sync_model()
        hook = opt.make_session_run_hook(is_chief=True)
        with tf.train.MonitoredTrainingSession(hooks=[hook]) as sess:
            raw = sess._sess
            _replicas([raw, raw], train, x, (0.0, 2.0), 5)
            np.testing.assert_allclose(raw.run(w), 1 - 0.8 ** 5, rtol=1e-6)
            assert raw.run(step) == 5


@needs_ray
def test_sync_replicas_across_workers_of_a_cluster(cluster):
    """The same with the aggregator on the ps task, beside the global step, and the two
    replicas in two workers' sessions (the chief's runs the update)."""
    spec, servers = cluster
    with tf.Graph().as_default():
        w, step, x, opt, train = _sync_model(spec)
        chief = tf.train.MonitoredTrainingSession(
            master=servers["worker0"].target, is_chief=True,
            hooks=[opt.make_session_run_hook(is_chief=True)])
        other = tf.train.MonitoredTrainingSession(
            master=servers["worker1"].target, is_chief=False,
            hooks=[opt.make_session_run_hook(is_chief=False)])
        _replicas([chief._sess, other._sess], train, x, (0.0, 2.0), 5)
        np.testing.assert_allclose(other._sess.run(w), 1 - 0.8 ** 5, rtol=1e-6)
        assert chief._sess.run(step) == 5
        chief.close()
        other.close()


def test_sync_replicas_checks_its_arguments():
    with tf.Graph().as_default():
        opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), 2)
        with pytest.raises(ValueError, match="after apply_gradients"):
            opt.get_chief_queue_runner()
        w = tf.Variable(1.0)
        with pytest.raises(ValueError, match="Global step is required"):
            opt.minimize(tf.square(w))
    with pytest.raises(ValueError, match="at least 1"):
        tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), 0)


@needs_ray
@pytest.mark.slow   # (the cluster test above covers the same ground in one process)
def test_mnist_replica_with_sync_replicas_on_three_processes():
    program = str(ROOT / "tests" / "tf1_programs" / "distributed" / "mnist_replica.py")
    out = _launch("--ps", "1", "--workers", "2", program, "--train_steps", "200",
                  "--sync_replicas")
    results = re.findall(r"result worker (\d) local steps (\d+) global step (\d+) "
                         r"validation accuracy ([\d.]+)", out)
    assert len(results) == 2, out[-3000:]
    # every step of each worker made it into an update: none was dropped as stale
    assert all(int(r[1]) == int(r[2]) for r in results)
    assert all(float(r[3]) >= 0.94 for r in results)
