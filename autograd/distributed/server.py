"""tf.train.Server: one task of a cluster, served by this process on Ray.

    cluster = tf.train.ClusterSpec({"ps": ["localhost:2222"],
                                    "worker": ["localhost:2223", "localhost:2224"]})
    server = tf.train.Server(cluster, job_name="ps", task_index=0)
    server.join()                                   # a parameter server serves until stopped

and on a worker, `tf.Session(server.target)` or `MonitoredTrainingSession(master=
server.target, ...)`: variables placed on the ps task (`replica_device_setter`) live there.
"""
import threading

from . import runtime
from .cluster import ClusterSpec

SCHEME = "ray://"


class Server:
    """An in-process server for one task of `server_or_cluster_def` (TF 1.x's signature;
    `protocol` and `config` are accepted and not needed)."""

    def __init__(self, server_or_cluster_def, job_name=None, task_index=None, protocol=None,
                 config=None, start=True):
        cluster = ClusterSpec(server_or_cluster_def)
        if job_name is None:
            if len(cluster.jobs) != 1:
                raise ValueError(f"job_name is needed: the cluster has jobs "
                                 f"{', '.join(cluster.jobs)}")
            job_name = cluster.jobs[0]
        task_index = 0 if task_index is None else int(task_index)
        cluster.check_task(job_name, task_index)
        self.cluster_spec = cluster
        self.job_name, self.task_index = job_name, task_index
        self.namespace = f"graphgrad-{cluster.fingerprint()}"
        self.target = f"{SCHEME}{self.namespace}{runtime.task_name(job_name, task_index)}"
        self._actor = None
        self._stopped = threading.Event()
        if start:
            self.start()

    def start(self):
        """Join the Ray cluster and serve this task (done by the constructor unless
        start=False)."""
        if self._actor is None:
            runtime.connect()
            self._actor = runtime.host(self.namespace, self.job_name, self.task_index)

    def join(self):
        """Serve until the process is stopped (or `stop()` is called from another thread),
        as a parameter server's main program does."""
        self.start()
        while not self._stopped.wait(1.0):
            pass

    def stop(self):
        """Stop serving: the task's actor and the variables it holds go away."""
        self._stopped.set()
        actor, self._actor = self._actor, None
        if actor is not None:
            runtime.ray_module().kill(actor)

    @property
    def server_def(self):
        return {"cluster": self.cluster_spec.as_dict(), "job_name": self.job_name,
                "task_index": self.task_index, "protocol": "ray"}

    @staticmethod
    def create_local_server(config=None, start=True):
        """A one-task cluster in this process (TF's test helper)."""
        return Server({"localhost": ["localhost:0"]}, "localhost", 0, config=config,
                      start=start)

    def __repr__(self):
        return f"<Server {self.target}>"


def parse_target(target):
    """(namespace, job, task) of a target this module made."""
    rest = target[len(SCHEME):]
    namespace, _, device = rest.partition("/")
    fields = dict(part.split(":", 1) for part in device.split("/") if ":" in part)
    if not namespace or "job" not in fields or "task" not in fields:
        raise ValueError(f"cannot read the session target {target!r}: pass server.target "
                         f"of a tf.train.Server")
    return namespace, fields["job"], int(fields["task"])
