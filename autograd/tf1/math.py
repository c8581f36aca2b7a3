"""tf.math: TF 1.15's names for the elementwise and reduction ops (most also at tf.*)."""
import autograd as _ag
import nn as _nn
from autograd import (abs, acos, acosh, add, add_n, argmax, argmin, asin, asinh,  # noqa: F401,A004
                      atan, atan2, atanh, bincount, ceil, cos, cosh, cumprod, cumsum,
                      divide, divide_no_nan, equal, exp, expm1, floor, floordiv, greater,
                      greater_equal, in_top_k, invert_permutation, is_finite, is_inf, is_nan,
                      is_non_decreasing, is_strictly_increasing, less, less_equal, log, log1p,
                      logical_and, logical_not, logical_or, logical_xor, maximum, minimum, mod,
                      multiply, negative, not_equal, polyval, pow, reciprocal, reduce_all,
                      reduce_any, reduce_euclidean_norm, reduce_logsumexp, reduce_max,
                      reduce_mean, reduce_min, reduce_prod, reduce_std, reduce_sum,
                      reduce_variance, rint, round, rsqrt, segment_max, segment_mean,
                      segment_min, segment_sum, sigmoid, sign, sin, sinh, sqrt, square,
                      squared_difference, subtract, tan, tanh, top_k, unsorted_segment_max,
                      unsorted_segment_mean, unsorted_segment_min, unsorted_segment_sqrt_n,
                      unsorted_segment_sum, xdivy, xlogy, zero_fraction)

accumulate_n = _ag.add_n
count_nonzero = _ag.count_nonzero
confusion_matrix = _ag.confusion_matrix
floormod = _ag.mod
l2_normalize = _nn.l2_normalize
log_sigmoid = _nn.log_sigmoid
log_softmax = _nn.log_softmax
scalar_mul = _ag.multiply
softmax = _nn.softmax
softplus = _nn.softplus
softsign = _nn.softsign
truediv = _ag.divide

