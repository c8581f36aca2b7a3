"""nn: neural-network ops, layers, initializers, data and metrics, built on autograd's
public API (new ops are registered with autograd.define_op, like the core's own)."""
from . import datasets, image, init, layers, metrics
from . import rnn as rnn_cell  # tf.nn.rnn_cell.BasicLSTMCell, ...
from .activations import (elu, leaky_relu, log_sigmoid, log_softmax, relu, relu6, selu,
                          sigmoid, softmax, softplus, softsign, tanh)
from .conv import bias_add, conv2d, xw_plus_b
from .conv_variants import (atrous_conv2d, conv1d, conv2d_transpose, depthwise_conv2d,
                            separable_conv2d)
from .losses import (l2_loss, mean_squared_error, sigmoid_cross_entropy_with_logits,
                     weighted_cross_entropy_with_logits,
                     softmax_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2,
                     sparse_softmax_cross_entropy_with_logits)
from .pool import avg_pool, max_pool, max_pool_with_argmax
from .embedding import embedding_lookup
from .regularization import (batch_normalization, dropout, l2_normalize,
                             local_response_normalization, lrn, moments)
from autograd import (embedding_lookup_sparse, in_top_k,  # tf.nn's names
                      log_uniform_candidate_sampler, top_k, uniform_candidate_sampler)
from .sampled_losses import nce_loss, sampled_softmax_loss
from .rnn import (bidirectional_dynamic_rnn, dynamic_rnn, static_bidirectional_rnn,
                  static_rnn)

__all__ = [
    "datasets", "image", "init", "layers", "metrics", "rnn_cell", "dynamic_rnn", "static_rnn",
    "elu", "leaky_relu", "log_softmax", "relu", "relu6", "selu", "sigmoid", "softmax",
    "softplus", "softsign", "tanh", "bias_add", "conv2d", "l2_loss", "mean_squared_error",
    "sigmoid_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2", "sparse_softmax_cross_entropy_with_logits",
    "avg_pool", "max_pool", "embedding_lookup", "batch_normalization", "dropout", "moments",
    "l2_normalize", "xw_plus_b", "top_k", "in_top_k", "atrous_conv2d", "conv1d",
    "conv2d_transpose", "depthwise_conv2d", "separable_conv2d",
    "weighted_cross_entropy_with_logits", "max_pool_with_argmax", "lrn",
    "local_response_normalization", "bidirectional_dynamic_rnn", "static_bidirectional_rnn",
    "nce_loss", "sampled_softmax_loss", "log_uniform_candidate_sampler",
    "uniform_candidate_sampler", "embedding_lookup_sparse", "log_sigmoid",
]
