"""nn: neural-network ops, layers, initializers, data and metrics, built on autograd's
public API (new ops are registered with autograd.define_op, like the core's own)."""
from . import datasets, init, layers, metrics
from . import rnn as rnn_cell  # tf.nn.rnn_cell.BasicLSTMCell, ...
from .activations import (elu, leaky_relu, log_softmax, relu, relu6, selu, sigmoid, softmax,
                          softplus, softsign, tanh)
from .conv import bias_add, conv2d, xw_plus_b
from .losses import (l2_loss, mean_squared_error, sigmoid_cross_entropy_with_logits,
                     softmax_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2,
                     sparse_softmax_cross_entropy_with_logits)
from .pool import avg_pool, max_pool
from .embedding import embedding_lookup
from .regularization import batch_normalization, dropout, l2_normalize, moments
from autograd import in_top_k, top_k  # tf.nn.top_k, tf.nn.in_top_k
from .rnn import dynamic_rnn, static_rnn

__all__ = [
    "datasets", "init", "layers", "metrics", "rnn_cell", "dynamic_rnn", "static_rnn",
    "elu", "leaky_relu", "log_softmax", "relu", "relu6", "selu", "sigmoid", "softmax",
    "softplus", "softsign", "tanh", "bias_add", "conv2d", "l2_loss", "mean_squared_error",
    "sigmoid_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2", "sparse_softmax_cross_entropy_with_logits",
    "avg_pool", "max_pool", "embedding_lookup", "batch_normalization", "dropout", "moments",
    "l2_normalize", "xw_plus_b", "top_k", "in_top_k",
]
