"""tf.contrib.seq2seq: sequence_loss, as the char-RNN and translation tutorials use it."""
import autograd as ag
import nn


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, sum_over_timesteps=False, sum_over_batch=False,
                  softmax_loss_function=None, name=None):
    """Weighted cross-entropy of [batch, time, classes] logits against [batch, time]
    targets, averaged (weighted) over time steps and/or the batch."""
    with ag.name_scope(name or "sequence_loss"):
        logits, targets = ag.convert_to_tensor(logits), ag.convert_to_tensor(targets)
        if len(logits.shape) != 3:
            raise ValueError("Logits must be a [batch_size x sequence_length x "
                             "logits] tensor")
        classes = ag.shape(logits)[2]
        flat_logits = ag.reshape(logits, ag.stack([-1, classes]))
        flat_targets = ag.reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = nn.sparse_softmax_cross_entropy_with_logits(labels=flat_targets,
                                                                   logits=flat_logits)
        else:
            crossent = softmax_loss_function(labels=flat_targets, logits=flat_logits)
        weights = ag.cast(weights, crossent.dtype)
        crossent = crossent * ag.reshape(weights, [-1])
        batch_time = ag.shape(targets)
        crossent = ag.reshape(crossent, batch_time)
        if average_across_timesteps and average_across_batch:
            return ag.reduce_sum(crossent) / (ag.reduce_sum(weights) + 1e-12)
        if average_across_timesteps:
            return ag.reduce_sum(crossent, axis=1) / (ag.reduce_sum(weights, axis=1) + 1e-12)
        if average_across_batch:
            return ag.reduce_sum(crossent, axis=0) / (ag.reduce_sum(weights, axis=0) + 1e-12)
        return crossent
