"""Dropout, moments and batch normalization, composed of core ops."""
import autograd as ag


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Keep each element with probability keep_prob (scaled by 1/keep_prob), else zero.

    keep_prob may be a tensor (e.g. a placeholder fed 0.75 in training and 1.0 in
    evaluation), so the same graph serves both.
    """
    if (keep_prob is None) == (rate is None):
        raise ValueError("dropout needs exactly one of keep_prob and rate")
    with ag.name_scope(name or "dropout"):
        x = ag.convert_to_tensor(x)
        keep = 1.0 - ag.convert_to_tensor(rate, x.dtype) if keep_prob is None else \
            ag.convert_to_tensor(keep_prob, x.dtype)
        if keep.shape is None:  # a placeholder of unknown shape: TF requires a scalar
            keep = ag.reshape(keep, [])
        elif len(keep.shape) != 0:
            raise ValueError(f"dropout's keep_prob must be a scalar, got shape {keep.shape}")
        shape = ag.shape(x) if noise_shape is None else noise_shape
        # floor(keep + U[0, 1)) is 1 with probability keep, 0 otherwise
        mask = ag.floor(keep + ag.random_uniform(shape, dtype=x.dtype, seed=seed))
        return x / keep * mask


def moments(x, axes, shift=None, name=None, keep_dims=False, keepdims=None):
    """Mean and variance of x over `axes`.

    NOTE: TF stops the gradient through the mean inside the variance; that changes
    nothing to first order but makes second derivatives wrong, so it is not done here."""
    keep = keep_dims if keepdims is None else keepdims
    with ag.name_scope(name or "moments"):
        x = ag.convert_to_tensor(x)
        mean = ag.reduce_mean(x, axes, keepdims=True)
        variance = ag.reduce_mean(ag.squared_difference(x, mean), axes, keepdims=True)
        if not keep:
            mean, variance = ag.squeeze(mean, list(axes)), ag.squeeze(variance, list(axes))
        return mean, variance


def moving_moments(x, axes, moving_mean, moving_variance, momentum, training):
    """(mean, variance, updates) for batch normalization over `axes`: the batch's
    statistics where `training` (a bool, or a bool tensor), the moving averages where
    not; `updates` move the averages toward the batch's by 1 - momentum (run them with
    the train op). The one rule behind tf.layers', tf.contrib's and Keras's batch norm."""
    if training is False:   # inference only: the moving averages, nothing to update
        return moving_mean.value(), moving_variance.value(), []
    mean, variance = moments(x, axes)
    decay = 1.0 - momentum
    updates = [moving_mean.assign_sub((moving_mean - mean) * decay),
               moving_variance.assign_sub((moving_variance - variance) * decay)]
    if training is not True:
        training = ag.convert_to_tensor(training)
        mean = ag.where(training, mean, moving_mean.value())
        variance = ag.where(training, variance, moving_variance.value())
    return mean, variance, updates


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) / sqrt(variance + eps) * scale + offset (scale/offset may be None)."""
    with ag.name_scope(name or "batchnorm"):
        inv = ag.rsqrt(variance + variance_epsilon)
        if scale is not None:
            inv = inv * scale
        shift = -mean * inv if offset is None else offset - mean * inv
        return x * inv + shift


def _fused_batch_norm_from_tensorflow(op_def, node, inputs):
    """TF's FusedBatchNorm (V2, V3) at inference, as Keras's frozen models hold it:
    normalised with the given mean and variance. Its outputs after the first are the
    statistics used (what TF gives when is_training is false)."""
    if node.attr("is_training", True):
        raise ValueError("a FusedBatchNorm with is_training=True cannot be imported: "
                         "freeze the model for inference (Keras: K.set_learning_phase(0))")
    x, scale, offset, mean, variance = inputs[:5]
    if node.attr("data_format", "NHWC") == "NCHW":
        shape = [-1, 1, 1]
        scale, offset, mean, variance = (ag.reshape(t, shape) for t in
                                         (scale, offset, mean, variance))
    y = batch_normalization(x, mean, variance, offset, scale, node.attr("epsilon", 1e-3),
                            name=node.name)
    extra = [inputs[3], inputs[4], inputs[3], inputs[4], inputs[3]]
    return [y] + extra[:5 if node.type == "FusedBatchNormV3" else 4]


for _fused in ("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3"):
    ag.export.register_composite(_fused, _fused_batch_norm_from_tensorflow)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x ** 2, axis), epsilon)): unit L2 norm along `axis` (all axes when
    None), with epsilon keeping a zero vector finite."""
    axis = dim if axis is None else axis
    with ag.name_scope(name or "l2_normalize"):
        x = ag.convert_to_tensor(x)
        squares = ag.reduce_sum(ag.square(x), axis=axis, keepdims=True)
        return ag.multiply(x, ag.rsqrt(ag.maximum(squares, ag.cast(epsilon, x.dtype))),
                           name="l2_normalize")


def local_response_normalization(input, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5,  # noqa: A002
                                 name=None):
    """input / (bias + alpha * sum of squares over the 2r + 1 neighbouring channels)
    ** beta (AlexNet's LRN, TF1's tf.nn.lrn). The window sums are differences of a
    cumulative sum along the channels, so the op is composed and differentiable."""
    r = int(depth_radius)
    with ag.name_scope(name or "LRN"):
        x = ag.convert_to_tensor(input)
        if x.shape is None or len(x.shape) != 4 or x.shape[3] is None:
            raise ValueError(f"lrn needs a 4-D NHWC input with known channels, got "
                             f"{ag.shapes.fmt(x.shape)}")
        channels = x.shape[3]
        padded = ag.pad(ag.square(x), [[0, 0], [0, 0], [0, 0], [r + 1, r]])
        running = ag.cumsum(padded, axis=3)
        window = running[:, :, :, 2 * r + 1:2 * r + 1 + channels] - running[:, :, :, :channels]
        return x / ag.pow(bias + alpha * window, ag.cast(beta, x.dtype))


lrn = local_response_normalization
