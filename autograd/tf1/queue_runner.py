"""tf.train.queue_runner: where TF1 programs also find the queue runner functions."""
from autograd import queue_runners as _runners

QueueRunner = _runners.QueueRunner
add_queue_runner = _runners.add_queue_runner
start_queue_runners = _runners.start_queue_runners
