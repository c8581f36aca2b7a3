"""tf.contrib.training: the parameter-server placement strategies of TF 1.x."""
from autograd import devices as _devices

GreedyLoadBalancingStrategy = _devices.GreedyLoadBalancingStrategy
byte_size_load_fn = _devices.byte_size_load_fn
