"""tf.train: optimizers, schedules, the global step and the Saver."""
from autograd import (CheckpointState, Saver, checkpoint_exists,  # noqa: F401
                      export, get_checkpoint_state, latest_checkpoint)
from optim import (AdadeltaOptimizer, AdagradOptimizer, AdamOptimizer,  # noqa: F401
                   GradientDescentOptimizer, MomentumOptimizer, Optimizer, RMSPropOptimizer,
                   clip_by_global_norm, exponential_decay, get_global_step,
                   get_or_create_global_step)

write_graph = export.write_graph
