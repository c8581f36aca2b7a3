"""Session options, under TF1's names: `ConfigProto(inter_op_parallelism_threads=...,
intra_op_parallelism_threads=...)`, passed as `Session(config=...)`.

- inter_op_parallelism_threads: how many ops may run at once (1: one after another, in
  plan order). 0 picks half the machine's cores: the other half is the BLAS threads'
  (on 2 cores, running two ops at once measured slower than one op on both cores).
- intra_op_parallelism_threads: how many threads one kernel's matrix products may use
  (the BLAS's threads), the same in every run whatever the machine's load, so that a
  seeded run's numbers repeat. 0 picks from the machine's cores.
The inter-op threads come from one pool per process (autograd.workers).

The other fields TF1 programs set (device placement, GPU options) are accepted, so such
programs run; on this CPU-only engine they change nothing.
"""
from .workers import available_cores


class GPUOptions:
    """Accepted for TF1 programs (`config.gpu_options.allow_growth = True`); no effect."""

    def __init__(self, allow_growth=False, per_process_gpu_memory_fraction=1.0,
                 visible_device_list=""):
        self.allow_growth = allow_growth
        self.per_process_gpu_memory_fraction = per_process_gpu_memory_fraction
        self.visible_device_list = visible_device_list


class ConfigProto:
    """TF1's session configuration; the thread counts are what this engine uses."""

    def __init__(self, inter_op_parallelism_threads=0, intra_op_parallelism_threads=0,
                 allow_soft_placement=False, log_device_placement=False, device_count=None,
                 gpu_options=None, **others):
        self.inter_op_parallelism_threads = int(inter_op_parallelism_threads)
        self.intra_op_parallelism_threads = int(intra_op_parallelism_threads)
        self.allow_soft_placement = allow_soft_placement
        self.log_device_placement = log_device_placement
        self.device_count = dict(device_count or {})
        self.gpu_options = gpu_options or GPUOptions()
        self.others = others

    def threads(self):
        """(inter-op, intra-op) thread counts, 0 resolved to the machine's cores."""
        cores = available_cores()
        inter = self.inter_op_parallelism_threads or cores // 2
        intra = self.intra_op_parallelism_threads or cores
        return max(1, inter), max(1, intra)

    def __repr__(self):
        return (f"ConfigProto(inter_op_parallelism_threads="
                f"{self.inter_op_parallelism_threads}, intra_op_parallelism_threads="
                f"{self.intra_op_parallelism_threads})")
