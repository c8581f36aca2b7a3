"""tf.train: optimizers, schedules, the global step, the Saver and device setters."""
from autograd import devices as _devices
from .legacy import SummaryWriter  # noqa: F401
from autograd import (CheckpointState, Saver, checkpoint_exists,  # noqa: F401
                      export, get_checkpoint_state, latest_checkpoint)
from optim import (AdadeltaOptimizer, AdagradDAOptimizer, AdagradOptimizer,  # noqa: F401
                   AdamOptimizer, ExponentialMovingAverage, FtrlOptimizer, ProximalAdagradOptimizer,
                   ProximalGradientDescentOptimizer,
                   GradientDescentOptimizer, MomentumOptimizer, Optimizer, RMSPropOptimizer,
                   clip_by_global_norm, cosine_decay, exponential_decay, get_global_step,
                   get_or_create_global_step, inverse_time_decay, natural_exp_decay,
                   piecewise_constant, polynomial_decay)

write_graph = export.write_graph
replica_device_setter = _devices.replica_device_setter
