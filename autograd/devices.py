"""Device strings as TF1 writes them: `/job:ps/replica:0/task:1/device:GPU:0`.

This engine runs every op on the CPU, with numpy; device scopes are recorded on each op
(`op.device`), drawn (`draw(color_by="device")`) and kept for distributed runs, which
place ops by their job and task. A spec is parsed into its fields and written back in
TF's canonical order; an inner `device()` scope fills in or overrides the fields of the
outer one, as TF's merge does.
"""
import re
import warnings

_FIELD = re.compile(r"^(job|replica|task|device|cpu|gpu|CPU|GPU):(.*)$")


def parse(spec):
    """{field: value} of a device string ("/gpu:0", "/job:ps/task:1", "/device:CPU:0")."""
    fields = {}
    for part in (spec or "").strip("/").split("/"):
        if not part:
            continue
        if part.count(":") == 2 and part.lower().startswith("device:"):
            _, kind, index = part.split(":")
            part = f"{kind}:{index}"
        found = _FIELD.match(part)
        if found is not None and found.group(1).lower() in ("cpu", "gpu") and not (
                found.group(2).isdigit() or found.group(2) == "*"):
            found = None
        if found is None:
            raise ValueError(f"cannot parse device specification {spec!r}: {part!r} is not "
                             f"job:NAME, replica:N, task:N, device:TYPE:N, cpu:N or gpu:N")
        key, value = found.groups()
        if key.lower() in ("cpu", "gpu"):
            fields["device"] = f"{key.upper()}:{value}"
        elif key in ("replica", "task"):
            if not value.isdigit():
                raise ValueError(f"cannot parse device specification {spec!r}: {key} must be "
                                 f"a number, got {value!r}")
            fields[key] = value
        else:
            fields[key] = value
    return fields


def canonical(fields):
    """The device string of `fields`, in TF's order (job, replica, task, device)."""
    order = (("job", "/job:"), ("replica", "/replica:"), ("task", "/task:"),
             ("device", "/device:"))
    return "".join(prefix + fields[key] for key, prefix in order if key in fields)


def merge(outer, inner):
    """The device of an op in scope `inner` nested in `outer` (both strings)."""
    fields = parse(outer)
    fields.update(parse(inner))
    return canonical(fields)


_NOTED = set()


def note_accelerator(spec):
    """Say once per device that it is recorded but the op runs on the CPU."""
    device = parse(spec).get("device", "")
    if not device.startswith("CPU") and device and device not in _NOTED:
        _NOTED.add(device)
        warnings.warn(f"device {device!r} is recorded on the ops built in its scope, but this "
                      f"engine runs every op on the CPU (numpy)", stacklevel=4)


# the op types a replica_device_setter puts on the parameter servers (TF's default list,
# whose names it matches: a device function sees the op's type as TF spells it)
PS_OPS = ("Variable", "VariableV2", "AutoReloadVariable", "MutableHashTable",
          "MutableHashTableV2", "MutableHashTableOfTensors", "MutableHashTableOfTensorsV2",
          "MutableDenseHashTable", "MutableDenseHashTableV2", "VarHandleOp",
          "BoostedTreesEnsembleResourceHandleOp")


def replica_device_setter(ps_tasks=0, ps_device="/job:ps", worker_device="/job:worker",
                          merge_devices=True, cluster=None, ps_ops=None, ps_strategy=None):
    """A device function for `device()`: variables go to the parameter-server tasks in
    turn (`/job:ps/task:0`, `/task:1`, ...), every other op to `worker_device`; fields an
    op already has from an inner scope win. None when there is no parameter server."""
    if cluster is not None:
        jobs = cluster.as_dict() if hasattr(cluster, "as_dict") else dict(cluster)
        ps_tasks = len(jobs.get("ps", ()))
    if not ps_tasks:
        return None
    kinds = tuple(PS_OPS if ps_ops is None else ps_ops)
    turns = iter(range(1 << 62))
    strategy = ps_strategy or (lambda op: next(turns) % ps_tasks)

    def place(op):
        current = parse(op.device)
        if op.type in kinds and ps_device:
            fields = parse(ps_device)
            if fields.get("job") and current.get("job", fields["job"]) == fields["job"]:
                fields["task"] = str(strategy(op))
        else:
            fields = parse(worker_device)
        fields.update(current)
        return canonical(fields)
    return place


class GreedyLoadBalancingStrategy:
    """A `ps_strategy` for replica_device_setter: each variable goes to the parameter
    server task with the least load so far, its load being `load_fn(op)` (TF 1.x's
    tf.contrib.training strategy; with `byte_size_load_fn`, balance by bytes)."""

    def __init__(self, num_tasks, load_fn):
        if num_tasks < 1:
            raise ValueError(f"num_tasks must be at least 1, got {num_tasks}")
        self._loads = [0] * int(num_tasks)
        self._load_fn = load_fn

    def __call__(self, op):
        task = min(range(len(self._loads)), key=self._loads.__getitem__)
        self._loads[task] += self._load_fn(op)
        return task


def byte_size_load_fn(op):
    """The bytes of the variable `op` creates (its VarHandleOp's shape and dtype); a
    variable of unknown shape counts as 0."""
    shape, dtype = op.attrs.get("shape"), op.attrs.get("dtype")
    if shape is None or dtype is None or any(d is None for d in shape):
        return 0
    count = 1
    for d in shape:
        count *= int(d)
    return count * dtype.itemsize
