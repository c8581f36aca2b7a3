"""TF1's ClusterSpec: which jobs a cluster has and the address of each of their tasks.

`ClusterSpec({"ps": ["ps0:2222"], "worker": ["w0:2222", "w1:2222"]})`, or a job's tasks as
{index: address} for sparse clusters, or another ClusterSpec. The addresses name the tasks
(as in TF, every process of a cluster is given the same spec); the transport is Ray's,
so they are not dialled.
"""
import hashlib


class ClusterSpec:
    """The jobs of a cluster and their tasks' addresses (TF 1.x's tf.train.ClusterSpec)."""

    def __init__(self, cluster):
        if isinstance(cluster, ClusterSpec):
            cluster = cluster.as_dict()
        if not isinstance(cluster, dict):
            raise TypeError(f"ClusterSpec takes a dict {{job name: [addresses] or {{task "
                            f"index: address}}}} or a ClusterSpec, got {type(cluster).__name__}")
        self._jobs = {}
        for job, tasks in cluster.items():
            if not isinstance(job, str) or not job:
                raise ValueError(f"job names must be non-empty strings, got {job!r}")
            if isinstance(tasks, dict):
                if not all(isinstance(i, int) and i >= 0 for i in tasks):
                    raise ValueError(f"job {job!r}: task indices must be integers >= 0, got "
                                     f"{sorted(tasks, key=str)}")
                self._jobs[job] = {int(i): str(a) for i, a in sorted(tasks.items())}
            elif isinstance(tasks, (list, tuple)):
                self._jobs[job] = {i: str(a) for i, a in enumerate(tasks)}
            else:
                raise TypeError(f"job {job!r}: tasks must be a list of addresses or a dict "
                                f"{{index: address}}, got {type(tasks).__name__}")

    @property
    def jobs(self):
        return sorted(self._jobs)

    def as_dict(self):
        """{job: [addresses]} for dense jobs, {job: {index: address}} for sparse ones."""
        out = {}
        for job, tasks in self._jobs.items():
            dense = list(tasks) == list(range(len(tasks)))
            out[job] = list(tasks.values()) if dense else dict(tasks)
        return out

    def num_tasks(self, job_name):
        return len(self._tasks(job_name))

    def task_indices(self, job_name):
        return list(self._tasks(job_name))

    def task_address(self, job_name, task_index):
        tasks = self._tasks(job_name)
        if task_index not in tasks:
            raise ValueError(f"no task {task_index} in job {job_name!r} (it has "
                             f"{list(tasks)})")
        return tasks[task_index]

    def job_tasks(self, job_name):
        """The addresses of the job's tasks, None for indices a sparse job lacks."""
        tasks = self._tasks(job_name)
        return [tasks.get(i) for i in range(max(tasks) + 1)] if tasks else []

    def check_task(self, job_name, task_index):
        """Raise a ValueError saying what exists unless the cluster has this task."""
        if job_name not in self._jobs:
            raise ValueError(f"job {job_name!r} is not in the cluster (its jobs: "
                             f"{', '.join(self.jobs)})")
        self.task_address(job_name, task_index)

    def fingerprint(self):
        """A short name for this cluster, the same in every process given the same spec
        (its tasks' Ray actors live in a namespace of this name)."""
        text = repr(sorted((job, sorted(tasks.items())) for job, tasks in self._jobs.items()))
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def _tasks(self, job_name):
        if job_name not in self._jobs:
            raise ValueError(f"no job {job_name!r} in the cluster (its jobs: "
                             f"{', '.join(self.jobs)})")
        return self._jobs[job_name]

    def __bool__(self):
        return bool(self._jobs)

    def __eq__(self, other):
        return isinstance(other, ClusterSpec) and self._jobs == other._jobs

    def __hash__(self):
        return hash(self.fingerprint())

    def __repr__(self):
        return f"ClusterSpec({self.as_dict()!r})"
