"""tf.train: optimizers, schedules, the global step and the Saver."""
from autograd import (CheckpointState, Saver, checkpoint_exists,  # noqa: F401
                      get_checkpoint_state, latest_checkpoint)
from optim import (AdadeltaOptimizer, AdagradOptimizer, AdamOptimizer,  # noqa: F401
                   GradientDescentOptimizer, MomentumOptimizer, Optimizer, RMSPropOptimizer,
                   clip_by_global_norm, exponential_decay, get_global_step,
                   get_or_create_global_step)


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Write a GraphDef (text or JSON) to logdir/name; returns the path."""
    import os
    graph_def = graph_or_graph_def
    if hasattr(graph_def, "as_graph_def"):
        graph_def = graph_def.as_graph_def()
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    data = str(graph_def).encode() if as_text else graph_def.SerializeToString()
    with open(path, "wb") as out:
        out.write(data)
    return path
