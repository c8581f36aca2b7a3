"""Start a local cluster for a TF1 distributed program, run it once per task, stop it all.

    .venv/bin/python scripts/local_cluster.py --ps 1 --workers 2 \\
        tests/tf1_programs/distributed/mnist_replica.py --train_steps 600

starts a Ray head on this machine, then the program once per task with TF's flags
(--job_name, --task_index, --ps_hosts, --worker_hosts) and RAY_ADDRESS pointing at the
head; each task's output goes to <logdir>/<job>_<task>.log and is echoed with its task's
name. When every worker has exited, the parameter servers (which serve until stopped,
as TF's do) are stopped and the Ray head with them. Ctrl-C stops everything.

On a real cluster of several machines, start Ray there instead (`ray start --head` on
one machine, `ray start --address=HEAD:6379` on the others) and run the program on each
with RAY_ADDRESS=HEAD:6379 and its task's flags: the same ClusterSpec in every process
names the tasks, and Ray carries the tensors.
"""
import argparse
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _ray_command():
    found = pathlib.Path(sys.executable).with_name("ray")
    if found.exists():
        return str(found)
    if shutil.which("ray"):
        return shutil.which("ray")
    sys.exit("local_cluster: Ray is not installed: pip install 'ray>=2.9' (or "
             "scripts/setup.sh dev,distributed)")


def start_head(port, temp_dir, cpus):
    """`ray start --head --block` on this machine, as our child (stopping it stops this
    cluster only, never another Ray on the machine); returns (process, address)."""
    command = [_ray_command(), "start", "--head", "--block", f"--port={port}",
               f"--num-cpus={cpus}", "--include-dashboard=false", f"--temp-dir={temp_dir}",
               "--object-store-memory=268435456", "--disable-usage-stats"]
    head = subprocess.Popen(command, env=_local_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return head, f"127.0.0.1:{port}"
        if head.poll() is not None or time.monotonic() > deadline:
            head.kill()
            sys.exit(f"local_cluster: 'ray start' did not come up on port {port}")
        time.sleep(0.2)


def stop_head(head):
    head.send_signal(signal.SIGTERM)
    try:
        head.wait(timeout=30)
    except subprocess.TimeoutExpired:
        head.kill()


def _local_env():
    """This machine's cluster is reachable from this machine only: Ray's token
    authentication (for clusters of several machines) is left off."""
    return dict(os.environ, RAY_AUTH_MODE="disabled")


def _echo(process, name, log_path, quiet):
    """Copy a task's output to its log file and, until `quiet` is set (the parameter
    servers being stopped), to our stdout, each line marked with the task."""
    with open(log_path, "w") as log:
        for line in process.stdout:
            log.write(line)
            log.flush()
            if not quiet.is_set():
                print(f"[{name}] {line}", end="", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ps", type=int, default=1, help="parameter server tasks")
    parser.add_argument("--workers", type=int, default=2, help="worker tasks")
    parser.add_argument("--port", type=int, default=6389, help="the Ray head's port")
    parser.add_argument("--logdir", default=None, help="where the tasks' logs go")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="stop everything after this many seconds")
    parser.add_argument("program", help="the TF1 program to run once per task")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="its own flags")
    options = parser.parse_args(argv)
    logdir = pathlib.Path(options.logdir or tempfile.mkdtemp(prefix="cluster_logs_"))
    logdir.mkdir(parents=True, exist_ok=True)
    temp_dir = tempfile.mkdtemp(prefix="ray_")
    ps_hosts = ",".join(f"localhost:{2222 + i}" for i in range(options.ps))
    worker_hosts = ",".join(f"localhost:{2222 + options.ps + i}"
                            for i in range(options.workers))
    head, address = start_head(options.port, temp_dir, max(2, os.cpu_count() or 2))
    env = dict(_local_env(), RAY_ADDRESS=address, PYTHONPATH=str(ROOT),
               PYTHONUNBUFFERED="1")
    tasks = {}
    echoes = []
    stopping = threading.Event()
    try:
        for job, count in (("ps", options.ps), ("worker", options.workers)):
            for index in range(count):
                name = f"{job}{index}"
                command = [sys.executable, options.program, *options.args,
                           f"--job_name={job}", f"--task_index={index}",
                           f"--ps_hosts={ps_hosts}", f"--worker_hosts={worker_hosts}"]
                process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                           stderr=subprocess.STDOUT, text=True)
                tasks[name] = process
                echo = threading.Thread(target=_echo, daemon=True,
                                        args=(process, name, logdir / f"{job}_{index}.log",
                                              stopping))
                echo.start()
                echoes.append(echo)
        deadline = time.monotonic() + options.timeout
        failed = []
        for name, process in tasks.items():
            if name.startswith("worker"):
                code = process.wait(timeout=max(1, deadline - time.monotonic()))
                if code != 0:
                    failed.append(f"{name} exited with {code}")
        print(f"local_cluster: workers done; logs in {logdir}", flush=True)
        return 1 if failed else 0
    except subprocess.TimeoutExpired:
        print("local_cluster: timed out", file=sys.stderr)
        return 1
    finally:
        stopping.set()
        for process in tasks.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in tasks.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for echo in echoes:
            echo.join(timeout=5)
        stop_head(head)
        shutil.rmtree(temp_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
