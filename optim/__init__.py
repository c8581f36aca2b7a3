"""optim: TF1's optimizers, learning-rate schedules and gradient clipping, built on
autograd's public API (each update is a fused op registered with autograd.define_op)."""
from .early_stopping import EarlyStopping
from .moving_average import ExponentialMovingAverage
from .optimizer import Optimizer
from .optimizers import (AdadeltaOptimizer, AdagradOptimizer, AdamOptimizer,
                         GradientDescentOptimizer, MomentumOptimizer, RMSPropOptimizer)
from .decay import (cosine_decay, exponential_decay, inverse_time_decay, natural_exp_decay,
                    piecewise_constant, polynomial_decay)
from .proximal import (AdagradDAOptimizer, FtrlOptimizer, ProximalAdagradOptimizer,
                       ProximalGradientDescentOptimizer)
from .sync_replicas import SyncReplicasOptimizer
from .schedules import (clip_by_global_norm, clip_by_norm, get_global_step,
                        get_or_create_global_step)

__all__ = ["EarlyStopping", "ExponentialMovingAverage", "Optimizer", "AdadeltaOptimizer",
           "AdagradOptimizer", "AdamOptimizer",
           "GradientDescentOptimizer", "MomentumOptimizer", "RMSPropOptimizer",
           "AdagradDAOptimizer", "FtrlOptimizer", "ProximalAdagradOptimizer",
           "ProximalGradientDescentOptimizer", "SyncReplicasOptimizer",
           "clip_by_global_norm", "clip_by_norm", "exponential_decay", "cosine_decay",
           "inverse_time_decay", "natural_exp_decay", "piecewise_constant", "polynomial_decay",
           "get_global_step", "get_or_create_global_step"]
