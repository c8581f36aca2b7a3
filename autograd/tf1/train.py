"""tf.train: optimizers, schedules, the global step, the Saver, device setters, queue
input pipelines, Example protos and managed training sessions."""
from autograd import devices as _devices
from autograd import distributed as _distributed
from autograd import records as _records
from autograd import input_producers as _inputs
from autograd import monitored as _monitored
from autograd import queue_runners as _runners
from .legacy import SummaryWriter  # noqa: F401
from autograd import (CheckpointState, Saver, checkpoint_exists,  # noqa: F401
                      CheckpointReader, export, get_checkpoint_state, import_meta_graph,
                      init_from_checkpoint,
                      latest_checkpoint, list_variables, load_checkpoint, load_variable)
from optim import (AdadeltaOptimizer, AdagradDAOptimizer, AdagradOptimizer,  # noqa: F401
                   AdamOptimizer, ExponentialMovingAverage, FtrlOptimizer, ProximalAdagradOptimizer,
                   ProximalGradientDescentOptimizer,
                   GradientDescentOptimizer, MomentumOptimizer, Optimizer, RMSPropOptimizer,
                   SyncReplicasOptimizer, clip_by_global_norm, cosine_decay, exponential_decay,
                   get_global_step, get_or_create_global_step, inverse_time_decay,
                   natural_exp_decay, piecewise_constant, polynomial_decay)
from . import queue_runner  # noqa: F401

batch = _inputs.batch
batch_join = _inputs.batch_join
input_producer = _inputs.input_producer
limit_epochs = _inputs.limit_epochs
maybe_batch = _inputs.maybe_batch
maybe_shuffle_batch = _inputs.maybe_shuffle_batch
range_input_producer = _inputs.range_input_producer
shuffle_batch = _inputs.shuffle_batch
shuffle_batch_join = _inputs.shuffle_batch_join
slice_input_producer = _inputs.slice_input_producer
string_input_producer = _inputs.string_input_producer
CheckpointSaverHook = _monitored.CheckpointSaverHook
CheckpointSaverListener = _monitored.CheckpointSaverListener
ChiefSessionCreator = _monitored.ChiefSessionCreator
FeedFnHook = _monitored.FeedFnHook
FinalOpsHook = _monitored.FinalOpsHook
LoggingTensorHook = _monitored.LoggingTensorHook
MonitoredSession = _monitored.MonitoredSession
MonitoredTrainingSession = _monitored.MonitoredTrainingSession
NanLossDuringTrainingError = _monitored.NanLossDuringTrainingError
NanTensorHook = _monitored.NanTensorHook
Scaffold = _monitored.Scaffold
SecondOrStepTimer = _monitored.SecondOrStepTimer
SessionRunArgs = _monitored.SessionRunArgs
SessionRunContext = _monitored.SessionRunContext
SessionRunHook = _monitored.SessionRunHook
SessionRunValues = _monitored.SessionRunValues
SingularMonitoredSession = _monitored.SingularMonitoredSession
StepCounterHook = _monitored.StepCounterHook
StopAtStepHook = _monitored.StopAtStepHook
SummarySaverHook = _monitored.SummarySaverHook
Supervisor = _monitored.Supervisor
WorkerSessionCreator = _monitored.WorkerSessionCreator
Coordinator = _runners.Coordinator
LooperThread = _runners.LooperThread
QueueRunner = _runners.QueueRunner
add_queue_runner = _runners.add_queue_runner
start_queue_runners = _runners.start_queue_runners

write_graph = export.write_graph
replica_device_setter = _devices.replica_device_setter
ClusterSpec = _distributed.ClusterSpec
Server = _distributed.Server

_EXAMPLE_PROTOS = {"BytesList", "FloatList", "Int64List", "Feature", "Features", "FeatureList",
                   "FeatureLists", "Example", "SequenceExample"}


def __getattr__(name):
    """tf.train.Example and its parts: protobuf classes, built on first use (they need
    the protobuf package, which the 'tensorboard' extra brings)."""
    if name in _EXAMPLE_PROTOS:
        return _records.messages()[name]
    raise AttributeError(f"module 'tensorflow.train' (autograd.tf1.train) has no attribute "
                         f"{name!r}")

export_meta_graph = export.meta_graph.export_meta_graph
NewCheckpointReader = load_checkpoint
