"""Losses over a sample of the classes, for outputs with very many classes (word2vec's
vocabulary): nce_loss (noise-contrastive estimation) and sampled_softmax_loss, as TF1.

Both score each example's true classes and `num_sampled` candidate classes (drawn by a
candidate sampler, log-uniform unless `sampled_values` are given) with rows of
`weights` and `biases`, and subtract log(expected count) from each logit so that the
sampling does not bias the estimate.
"""
import numpy as np

import autograd as ag

from .losses import sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits


def _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                    sampled_values, remove_accidental_hits):
    """(logits [batch, num_true + num_sampled], labels of the same shape): TF1's
    _compute_sampled_logits with subtract_log_q."""
    labels = ag.cast(ag.convert_to_tensor(labels), ag.int64)
    inputs = ag.convert_to_tensor(inputs)
    weights = ag.convert_to_tensor(weights)
    if sampled_values is None:
        sampled_values = ag.log_uniform_candidate_sampler(labels, num_true, num_sampled, True,
                                                          num_classes)
    sampled, true_expected, sampled_expected = (ag.stop_gradient(v) for v in sampled_values)
    sampled = ag.cast(sampled, ag.int64)
    dim = inputs.shape[-1] if inputs.shape is not None else None
    true_w = ag.reshape(ag.gather(weights, ag.reshape(labels, [-1])), [-1, num_true, dim])
    true_b = ag.reshape(ag.gather(biases, ag.reshape(labels, [-1])), [-1, num_true])
    true_logits = ag.reduce_sum(ag.expand_dims(inputs, 1) * true_w, axis=2) + true_b
    sampled_logits = ag.matmul(inputs, ag.gather(weights, sampled), transpose_b=True) \
        + ag.gather(biases, sampled)
    if remove_accidental_hits:   # a sampled class that is a true class of the example
        hits = ag.reduce_any(ag.equal(ag.expand_dims(labels, 2),
                                           ag.reshape(sampled, [1, 1, -1])), axis=1)
        lowest = ag.constant(np.finfo(np.float32).min, sampled_logits.dtype)
        sampled_logits = sampled_logits + ag.where(hits, lowest * ag.ones_like(sampled_logits),
                                                   ag.zeros_like(sampled_logits))
    true_logits = true_logits - ag.log(ag.cast(true_expected, true_logits.dtype))
    sampled_logits = sampled_logits - ag.log(ag.cast(sampled_expected, sampled_logits.dtype))
    logits = ag.concat([true_logits, sampled_logits], 1)
    targets = ag.concat([ag.ones_like(true_logits) / float(num_true),
                         ag.zeros_like(sampled_logits)], 1)
    return logits, targets


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
             sampled_values=None, remove_accidental_hits=False, partition_strategy="mod",
             name="nce_loss"):
    """Noise-contrastive estimation: per example, the logistic losses of telling its true
    classes (target 1 / num_true) from the sampled ones (target 0), summed."""
    with ag.name_scope(name):
        logits, targets = _sampled_logits(weights, biases, labels, inputs, num_sampled,
                                          num_classes, num_true, sampled_values,
                                          remove_accidental_hits)
        losses = sigmoid_cross_entropy_with_logits(labels=targets, logits=logits)
        return ag.reduce_sum(losses, axis=1)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes,
                         num_true=1, sampled_values=None, remove_accidental_hits=True,
                         partition_strategy="mod", name="sampled_softmax_loss", seed=None):
    """The softmax cross-entropy over the true classes and the sampled ones only: a
    cheap estimate of the full softmax loss during training."""
    if sampled_values is None and seed is not None:
        labels64 = ag.cast(ag.convert_to_tensor(labels), ag.int64)
        sampled_values = ag.log_uniform_candidate_sampler(labels64, num_true, num_sampled, True,
                                                          num_classes, seed=seed)
    with ag.name_scope(name):
        logits, targets = _sampled_logits(weights, biases, labels, inputs, num_sampled,
                                          num_classes, num_true, sampled_values,
                                          remove_accidental_hits)
        return softmax_cross_entropy_with_logits(labels=ag.stop_gradient(targets),
                                                 logits=logits)
