"""tf.contrib.slim: the layers, arg_scope and variable helpers of contrib under slim's
names, its losses (old argument order: logits first), streaming metrics, and
learning.train for a few steps of a slim-built model.

    slim = tf.contrib.slim
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu):
        net = slim.repeat(images, 2, slim.conv2d, 64, [3, 3], scope="conv1")
        net = slim.max_pool2d(net, [2, 2], scope="pool1")
"""
import types

import autograd as ag
import nn
import optim
from autograd import monitored

from . import metrics  # noqa: F401  (slim.metrics.streaming_accuracy)
from .framework import (add_arg_scope, arg_scope, get_model_variables,  # noqa: F401
                        get_or_create_global_step, get_variables, get_variables_by_name,
                        get_variables_to_restore, model_variable, variable)
from .layers import (avg_pool2d, batch_norm, conv2d, conv2d_transpose,  # noqa: F401
                     dropout, flatten, fully_connected, l1_regularizer, l2_regularizer,
                     layer_norm, max_pool2d, one_hot_encoding, repeat, stack,
                     xavier_initializer)

convolution2d = conv2d


def _loss(value, add):
    if add:
        ag.add_to_collection(ag.GraphKeys.LOSSES, value)
    return value


def _softmax_cross_entropy(logits, onehot_labels, weights=1.0, label_smoothing=0,
                           scope=None):
    """Mean over the batch of softmax cross-entropy (slim's order: logits first)."""
    labels = ag.cast(onehot_labels, ag.float32)
    if label_smoothing:
        classes = ag.cast(ag.shape(labels)[1], ag.float32)
        labels = labels * (1.0 - label_smoothing) + label_smoothing / classes
    per = nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return _loss(ag.reduce_mean(per * weights), True)


def _sparse_softmax_cross_entropy(logits, labels, weights=1.0, scope=None):
    per = nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return _loss(ag.reduce_mean(per * weights), True)


def _sigmoid_cross_entropy(logits, multi_class_labels, weights=1.0, label_smoothing=0,
                           scope=None):
    labels = ag.cast(multi_class_labels, ag.float32)
    if label_smoothing:
        labels = labels * (1.0 - label_smoothing) + 0.5 * label_smoothing
    per = nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    return _loss(ag.reduce_mean(per * weights), True)


def _mean_squared_error(predictions, labels=None, weights=1.0, scope=None):
    return _loss(ag.reduce_mean(ag.square(predictions - labels) * weights), True)


def _get_total_loss(add_regularization_losses=True, name="total_loss"):
    found = list(ag.get_collection(ag.GraphKeys.LOSSES))
    if add_regularization_losses:
        found += ag.get_collection(ag.GraphKeys.REGULARIZATION_LOSSES)
    if not found:
        raise ValueError("No losses were found: make a loss with slim.losses first")
    return ag.add_n(found, name=name)


losses = types.SimpleNamespace(
    softmax_cross_entropy=_softmax_cross_entropy,
    sparse_softmax_cross_entropy=_sparse_softmax_cross_entropy,
    sigmoid_cross_entropy=_sigmoid_cross_entropy, mean_squared_error=_mean_squared_error,
    get_total_loss=_get_total_loss,
    get_losses=lambda scope=None: ag.get_collection(ag.GraphKeys.LOSSES),
    get_regularization_losses=lambda scope=None: ag.get_collection(
        ag.GraphKeys.REGULARIZATION_LOSSES),
    add_loss=lambda loss, loss_collection=ag.GraphKeys.LOSSES: ag.add_to_collection(
        loss_collection, loss))


def _create_train_op(total_loss, optimizer, global_step=None, update_ops=None,
                     variables_to_train=None, clip_gradient_norm=0, summarize_gradients=False):
    """A train op that applies `optimizer` to total_loss after the UPDATE_OPS, steps the
    global step, and gives the loss when run."""
    global_step = global_step if global_step is not None else \
        optim.get_or_create_global_step()
    pairs = optimizer.compute_gradients(total_loss, var_list=variables_to_train)
    if clip_gradient_norm > 0:
        grads, _ = optim.clip_by_global_norm([g for g, _ in pairs], clip_gradient_norm)
        pairs = list(zip(grads, [v for _, v in pairs]))
    updates = update_ops if update_ops is not None else \
        ag.get_collection(ag.GraphKeys.UPDATE_OPS)
    with ag.control_dependencies(updates):
        apply = optimizer.apply_gradients(pairs, global_step=global_step)
    with ag.control_dependencies([apply]):
        return ag.identity(total_loss, name="train_op")


def _train(train_op, logdir, number_of_steps=None, log_every_n_steps=1, init_fn=None,
           save_summaries_secs=600, save_interval_secs=600, session_config=None, **_ignored):
    """Run train_op in a Supervisor over `logdir` for `number_of_steps` steps (or until
    the input ends); returns the last loss."""
    global_step = optim.get_or_create_global_step()
    sv = monitored.Supervisor(logdir=logdir, init_fn=init_fn, summary_op=None,
                    save_summaries_secs=save_summaries_secs,
                    save_model_secs=save_interval_secs)
    loss = None
    with sv.managed_session(config=session_config) as sess:
        while not sv.should_stop():
            loss, step = sess.run([train_op, global_step])
            if number_of_steps is not None and step + 1 >= number_of_steps:
                break
        if logdir:
            sv.saver.save(sess, sv.save_path, global_step=global_step)
    return loss


learning = types.SimpleNamespace(create_train_op=_create_train_op, train=_train)
