"""tf.contrib.distributions, the part VAE and policy-gradient tutorials used: Normal,
Bernoulli and Categorical (sample, log_prob, prob, entropy, mean) and kl_divergence.
Samples put `sample_shape` first, then the batch shape of the parameters, as TF's do."""
import math

import autograd as ag
import nn


def _shape(sample_shape):
    return [sample_shape] if isinstance(sample_shape, int) else list(sample_shape)


class Normal:
    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True, name="Normal"):
        self.loc = ag.convert_to_tensor(loc, ag.float32)
        self.scale = ag.convert_to_tensor(scale, ag.float32)

    def _batch(self):
        return ag.shape(self.loc + self.scale)

    def sample(self, sample_shape=(), seed=None, name="sample"):
        shape = ag.concat([ag.constant(_shape(sample_shape), ag.int32), self._batch()], 0)
        return self.loc + self.scale * ag.random_normal(shape, seed=seed)

    def log_prob(self, value, name="log_prob"):
        z = (ag.convert_to_tensor(value, ag.float32) - self.loc) / self.scale
        return -0.5 * ag.square(z) - ag.log(self.scale) - 0.5 * math.log(2 * math.pi)

    def prob(self, value, name="prob"):
        return ag.exp(self.log_prob(value))

    def entropy(self, name="entropy"):
        return 0.5 * math.log(2 * math.pi * math.e) + ag.log(self.scale) + 0 * self.loc

    def mean(self, name="mean"):
        return self.loc + 0 * self.scale

    def stddev(self, name="stddev"):
        return self.scale + 0 * self.loc

    def variance(self, name="variance"):
        return ag.square(self.stddev())


class Bernoulli:
    def __init__(self, logits=None, probs=None, dtype=ag.int32, validate_args=False,
                 allow_nan_stats=True, name="Bernoulli"):
        if (logits is None) == (probs is None):
            raise ValueError("Must pass probs or logits, but not both.")
        if logits is not None:
            self.logits = ag.convert_to_tensor(logits, ag.float32)
            self.probs = ag.sigmoid(self.logits)
        else:
            self.probs = ag.convert_to_tensor(probs, ag.float32)
            self.logits = ag.log(self.probs) - ag.log1p(-self.probs)
        self.dtype = ag.dtypes.as_dtype(dtype)

    def sample(self, sample_shape=(), seed=None, name="sample"):
        shape = ag.concat([ag.constant(_shape(sample_shape), ag.int32),
                           ag.shape(self.probs)], 0)
        return ag.cast(ag.less(ag.random_uniform(shape, seed=seed), self.probs), self.dtype)

    def log_prob(self, value, name="log_prob"):
        x = ag.cast(value, ag.float32) + 0 * self.logits
        return -nn.sigmoid_cross_entropy_with_logits(labels=x,
                                                     logits=self.logits + 0 * x)

    def prob(self, value, name="prob"):
        return ag.exp(self.log_prob(value))

    def entropy(self, name="entropy"):
        return nn.sigmoid_cross_entropy_with_logits(labels=self.probs, logits=self.logits)

    def mean(self, name="mean"):
        return self.probs


class Categorical:
    def __init__(self, logits=None, probs=None, dtype=ag.int32, validate_args=False,
                 allow_nan_stats=True, name="Categorical"):
        if (logits is None) == (probs is None):
            raise ValueError("Must pass probs or logits, but not both.")
        self.logits = ag.convert_to_tensor(logits, ag.float32) if logits is not None \
            else ag.log(ag.convert_to_tensor(probs, ag.float32))
        self.probs = nn.softmax(self.logits)
        self.dtype = ag.dtypes.as_dtype(dtype)

    def sample(self, sample_shape=(), seed=None, name="sample"):
        count = 1
        for size in _shape(sample_shape):
            count *= size
        flat = ag.reshape(self.logits, [-1, ag.shape(self.logits)[-1]])
        drawn = ag.transpose(ag.categorical(flat, count, seed=seed, dtype=ag.int64))
        shape = ag.concat([ag.constant(_shape(sample_shape), ag.int32),
                           ag.shape(self.logits)[:-1]], 0)
        return ag.cast(ag.reshape(drawn, shape), self.dtype)

    def log_prob(self, value, name="log_prob"):
        return -nn.sparse_softmax_cross_entropy_with_logits(
            labels=ag.cast(value, ag.int32), logits=self.logits)

    def prob(self, value, name="prob"):
        return ag.exp(self.log_prob(value))

    def entropy(self, name="entropy"):
        return -ag.reduce_sum(self.probs * nn.log_softmax(self.logits), axis=-1)


def kl_divergence(distribution_a, distribution_b, allow_nan_stats=True, name=None):
    """KL(a || b) for two Normals, two Bernoullis or two Categoricals."""
    a, b = distribution_a, distribution_b
    if isinstance(a, Normal) and isinstance(b, Normal):
        ratio = ag.square(a.scale / b.scale)
        return 0.5 * (ratio + ag.square((a.loc - b.loc) / b.scale) - 1.0 - ag.log(ratio))
    if isinstance(a, Bernoulli) and isinstance(b, Bernoulli):
        return (a.probs * (nn.log_sigmoid(a.logits) - nn.log_sigmoid(b.logits)) +
                (1 - a.probs) * (nn.log_sigmoid(-a.logits) - nn.log_sigmoid(-b.logits)))
    if isinstance(a, Categorical) and isinstance(b, Categorical):
        return ag.reduce_sum(a.probs * (nn.log_softmax(a.logits) - nn.log_softmax(b.logits)),
                             axis=-1)
    raise NotImplementedError(f"No KL(distribution_a || distribution_b) registered for "
                              f"distribution_a type {type(a).__name__} and distribution_b "
                              f"type {type(b).__name__}")
