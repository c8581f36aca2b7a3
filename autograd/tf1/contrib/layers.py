"""tf.contrib.layers (TF 1.0-1.15): layers with contrib's defaults and variable names.

They differ from tf.layers in ways programs depend on: fully_connected and conv2d apply
ReLU unless told otherwise (`activation_fn=None`), start weights with Xavier, name their
variables `<scope>/weights` and `<scope>/biases` under scopes `fully_connected`,
`fully_connected_1`, ... and `Conv`, `Conv_1`, ...; `normalizer_fn` (e.g. batch_norm)
replaces the biases. Every layer here takes defaults from arg_scope (tf.contrib.framework).
"""
import numpy as np

import autograd as ag
import nn
import optim
from nn import init
from nn.regularization import moving_moments

from ..helpers import variable_scope
from .framework import add_arg_scope, model_variable
from .replacements import LAYER_REPLACEMENTS, missing


ZEROS = init.zeros()   # contrib's default biases_initializer (None: no biases)


# -- initializers and regularizers -------------------------------------------------------
def xavier_initializer(uniform=True, seed=None, dtype=ag.float32):
    return init.variance_scaling(1.0, "FAN_AVG", uniform, seed)


xavier_initializer_conv2d = xavier_initializer


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None,
                                 dtype=ag.float32):
    return init.variance_scaling(factor, mode, uniform, seed)


def l1_regularizer(scale, scope=None):
    """A function w -> scale * sum(|w|)."""
    _check_scale(scale)
    return lambda weights: ag.multiply(float(scale), ag.reduce_sum(ag.abs(weights)),
                                       name="l1_regularizer")


def l2_regularizer(scale, scope=None):
    """A function w -> scale * sum(w**2) / 2."""
    _check_scale(scale)
    return lambda weights: ag.multiply(float(scale), nn.l2_loss(weights),
                                       name="l2_regularizer")


def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
    l1, l2 = l1_regularizer(scale_l1), l2_regularizer(scale_l2)
    return lambda weights: l1(weights) + l2(weights)


def _check_scale(scale):
    if scale < 0:
        raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale}")


def apply_regularization(regularizer, weights_list=None):
    """The sum of `regularizer` over `weights_list` (default: the WEIGHTS collection),
    also added to REGULARIZATION_LOSSES."""
    weights = weights_list if weights_list is not None else \
        ag.get_collection(ag.GraphKeys.WEIGHTS)
    if not weights:
        raise ValueError("No weights to regularize.")
    penalty = ag.add_n([regularizer(w) for w in weights])
    ag.add_to_collection(ag.GraphKeys.REGULARIZATION_LOSSES, penalty)
    return penalty


# -- layers --------------------------------------------------------------------------------
def _weights(shape, initializer, regularizer, trainable, collections):
    weights = model_variable("weights", shape, initializer=initializer, trainable=trainable,
                             collections=collections)
    ag.add_to_collection(ag.GraphKeys.WEIGHTS, weights)
    if regularizer is not None:
        ag.add_to_collection(ag.GraphKeys.REGULARIZATION_LOSSES, regularizer(weights))
    return weights


def _finish(out, units, normalizer_fn, normalizer_params, biases_initializer,
            biases_regularizer, activation_fn, trainable, collections):
    if normalizer_fn is not None:
        out = normalizer_fn(out, **(normalizer_params or {}))
    elif biases_initializer is not None:
        biases = model_variable("biases", [units], initializer=biases_initializer,
                                trainable=trainable, collections=collections)
        ag.add_to_collection(ag.GraphKeys.BIASES, biases)
        if biases_regularizer is not None:
            ag.add_to_collection(ag.GraphKeys.REGULARIZATION_LOSSES,
                                 biases_regularizer(biases))
        out = out + biases
    return activation_fn(out) if activation_fn is not None else out


@add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=nn.relu, normalizer_fn=None,
                    normalizer_params=None, weights_initializer=None,
                    weights_regularizer=None, biases_initializer=ZEROS,
                    biases_regularizer=None, reuse=None, variables_collections=None,
                    outputs_collections=None, trainable=True, scope=None):
    """activation_fn(inputs @ weights + biases) over the last axis."""
    inputs = ag.convert_to_tensor(inputs)
    with variable_scope(scope, default_name="fully_connected", reuse=reuse):
        weights = _weights([inputs.shape[-1], num_outputs],
                           weights_initializer or xavier_initializer(), weights_regularizer,
                           trainable, variables_collections)
        flat = ag.reshape(inputs, [-1, inputs.shape[-1]]) if len(inputs.shape) > 2 else inputs
        out = ag.matmul(flat, weights)
        if len(inputs.shape) > 2:
            out = ag.reshape(out, ag.concat([ag.shape(inputs)[:-1], [num_outputs]], 0))
        return _finish(out, num_outputs, normalizer_fn, normalizer_params, biases_initializer,
                       biases_regularizer, activation_fn, trainable, variables_collections)


def _pair(value):
    return [value, value] if isinstance(value, int) else list(value)


@add_arg_scope
def conv2d(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None,
           rate=1, activation_fn=nn.relu, normalizer_fn=None, normalizer_params=None,
           weights_initializer=None, weights_regularizer=None,
           biases_initializer=ZEROS, biases_regularizer=None, reuse=None,
           variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    """A 2-D convolution (NHWC), `num_outputs` filters of `kernel_size`, then biases (or
    normalizer_fn) and activation_fn."""
    if data_format not in (None, "NHWC"):
        raise ValueError("only data_format='NHWC' is supported")
    inputs = ag.convert_to_tensor(inputs)
    height, width = _pair(kernel_size)
    strides = [1] + _pair(stride) + [1]
    with variable_scope(scope, default_name="Conv", reuse=reuse):
        weights = _weights([height, width, inputs.shape[-1], num_outputs],
                           weights_initializer or xavier_initializer(), weights_regularizer,
                           trainable, variables_collections)
        if rate != 1:
            out = nn.atrous_conv2d(inputs, weights, rate, padding.upper())
        else:
            out = nn.conv2d(inputs, weights, strides, padding.upper())
        return _finish(out, num_outputs, normalizer_fn, normalizer_params, biases_initializer,
                       biases_regularizer, activation_fn, trainable, variables_collections)


convolution2d = conv2d


@add_arg_scope
def conv2d_transpose(inputs, num_outputs, kernel_size, stride=1, padding="SAME",
                     data_format="NHWC", activation_fn=nn.relu, normalizer_fn=None,
                     normalizer_params=None, weights_initializer=None,
                     weights_regularizer=None, biases_initializer=ZEROS,
                     biases_regularizer=None, reuse=None, variables_collections=None,
                     outputs_collections=None, trainable=True, scope=None):
    """The transpose of conv2d: upsampling by `stride` (SAME) with learned filters."""
    inputs = ag.convert_to_tensor(inputs)
    height, width = _pair(kernel_size)
    step_h, step_w = _pair(stride)
    with variable_scope(scope, default_name="Conv2d_transpose", reuse=reuse):
        weights = _weights([height, width, num_outputs, inputs.shape[-1]],
                           weights_initializer or xavier_initializer(), weights_regularizer,
                           trainable, variables_collections)
        dims = ag.shape(inputs)
        if padding.upper() == "SAME":
            out_h, out_w = dims[1] * step_h, dims[2] * step_w
        else:
            out_h = (dims[1] - 1) * step_h + height
            out_w = (dims[2] - 1) * step_w + width
        out = nn.conv2d_transpose(inputs, weights, ag.stack([dims[0], out_h, out_w,
                                                             num_outputs]),
                                  [1, step_h, step_w, 1], padding.upper())
        return _finish(out, num_outputs, normalizer_fn, normalizer_params, biases_initializer,
                       biases_regularizer, activation_fn, trainable, variables_collections)


convolution2d_transpose = conv2d_transpose


@add_arg_scope
def max_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC",
               outputs_collections=None, scope=None):
    return nn.max_pool(inputs, [1] + _pair(kernel_size) + [1], [1] + _pair(stride) + [1],
                       padding.upper(), name=scope)


@add_arg_scope
def avg_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC",
               outputs_collections=None, scope=None):
    return nn.avg_pool(inputs, [1] + _pair(kernel_size) + [1], [1] + _pair(stride) + [1],
                       padding.upper(), name=scope)


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """[batch, everything else]."""
    inputs = ag.convert_to_tensor(inputs)
    with ag.name_scope(scope or "Flatten"):
        rest = None if inputs.shape is None else list(inputs.shape)[1:]
        if rest is not None and None not in rest:
            return ag.reshape(inputs, [-1, int(np.prod(rest))])
        return ag.reshape(inputs, ag.stack([ag.shape(inputs)[0], -1]))


@add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True,
            outputs_collections=None, scope=None, seed=None):
    """Dropout when `is_training` (a bool or a bool tensor), the identity otherwise."""
    with ag.name_scope(scope or "Dropout"):
        if isinstance(is_training, bool):
            return nn.dropout(inputs, keep_prob=keep_prob, noise_shape=noise_shape,
                              seed=seed) if is_training else ag.identity(inputs)
        keep = ag.where(is_training, ag.constant(float(keep_prob)), ag.constant(1.0))
        return nn.dropout(inputs, keep_prob=keep, noise_shape=noise_shape, seed=seed)


@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001,
               activation_fn=None, param_initializers=None, param_regularizers=None,
               updates_collections=ag.GraphKeys.UPDATE_OPS, is_training=True, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format="NHWC", zero_debias_moving_mean=False,
               scope=None, renorm=False, renorm_clipping=None, renorm_decay=0.99,
               adjustment=None):
    """Normalise over every axis but the last with the batch's statistics while
    training, the moving averages otherwise. The moving-average updates go to
    `updates_collections` (run them with the train op, as contrib asks), or, with
    updates_collections=None, run before the output is computed."""
    inputs = ag.convert_to_tensor(inputs)
    channels = inputs.shape[-1]
    given = dict(param_initializers or {})
    axes = list(range(len(inputs.shape) - 1))
    with variable_scope(scope, default_name="BatchNorm", reuse=reuse):
        beta = model_variable("beta", [channels], initializer=given.get("beta", init.zeros()),
                              trainable=trainable) if center else None
        gamma = model_variable("gamma", [channels], initializer=given.get(
            "gamma", init.ones()), trainable=trainable) if scale else None
        moving_mean = model_variable("moving_mean", [channels], initializer=given.get(
            "moving_mean", init.zeros()), trainable=False)
        moving_variance = model_variable("moving_variance", [channels],
                                         initializer=given.get("moving_variance",
                                                               init.ones()),
                                         trainable=False)
        mean, variance, updates = moving_moments(inputs, axes, moving_mean,
                                                 moving_variance, decay, is_training)
        if updates_collections is not None:
            for update in updates:
                ag.add_to_collection(updates_collections, update)
        elif updates:   # updates_collections=None: update before normalising
            with ag.control_dependencies(updates):
                mean, variance = ag.identity(mean), ag.identity(variance)
        out = nn.batch_normalization(inputs, mean, variance, beta, gamma, epsilon)
        return activation_fn(out) if activation_fn is not None else out


@add_arg_scope
def layer_norm(inputs, center=True, scale=True, activation_fn=None, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               begin_norm_axis=1, begin_params_axis=-1, scope=None):
    """Normalise each example over its axes from `begin_norm_axis` on."""
    inputs = ag.convert_to_tensor(inputs)
    rank = len(inputs.shape)
    norm_axes = list(range(begin_norm_axis % rank, rank))
    params_shape = list(inputs.shape)[begin_params_axis:]
    with variable_scope(scope, default_name="LayerNorm", reuse=reuse):
        beta = model_variable("beta", params_shape, initializer=init.zeros(),
                              trainable=trainable) if center else None
        gamma = model_variable("gamma", params_shape, initializer=init.ones(),
                               trainable=trainable) if scale else None
        mean, variance = nn.moments(inputs, norm_axes, keep_dims=True)
        out = nn.batch_normalization(inputs, mean, variance, beta, gamma, 1e-12)
        return activation_fn(out) if activation_fn is not None else out


def one_hot_encoding(labels, num_classes, on_value=1.0, off_value=0.0,
                     outputs_collections=None, scope=None):
    return ag.one_hot(labels, num_classes, on_value=on_value, off_value=off_value)


def embed_sequence(ids, vocab_size=None, embed_dim=None, unique=False, initializer=None,
                   regularizer=None, trainable=True, scope=None, reuse=None):
    """[batch, time] ids -> [batch, time, embed_dim] through EmbedSequence/embeddings."""
    with variable_scope(scope, default_name="EmbedSequence", reuse=reuse):
        table = model_variable("embeddings", [vocab_size, embed_dim],
                               initializer=initializer or init.variance_scaling(
                                   1.0, "FAN_AVG", True), trainable=trainable)
        if regularizer is not None:
            ag.add_to_collection(ag.GraphKeys.REGULARIZATION_LOSSES, regularizer(table))
        return nn.embedding_lookup(table, ids)


def summarize_tensor(tensor, tag=None):
    """A scalar summary for a scalar tensor, a histogram for any other."""
    tensor = ag.convert_to_tensor(tensor)
    tag = tag or tensor.op.name
    if tensor.shape is not None and len(tensor.shape) == 0:
        return ag.summary.scalar(tag, tensor)
    return ag.summary.histogram(tag, tensor)


def summarize_tensors(tensors, summarizer=summarize_tensor):
    return [summarizer(t) for t in tensors]


OPTIMIZER_CLS_NAMES = {"Adagrad": optim.AdagradOptimizer, "Adam": optim.AdamOptimizer,
                       "Ftrl": optim.FtrlOptimizer, "Momentum": optim.MomentumOptimizer,
                       "RMSProp": optim.RMSPropOptimizer,
                       "SGD": optim.GradientDescentOptimizer}


def optimize_loss(loss, global_step, learning_rate, optimizer, gradient_noise_scale=None,
                  gradient_multipliers=None, clip_gradients=None, learning_rate_decay_fn=None,
                  update_ops=None, variables=None, name=None, summaries=None,
                  colocate_gradients_with_ops=False, increment_global_step=True):
    """A train op: gradients of `loss` (clipped by global norm with `clip_gradients`),
    applied by `optimizer` (a name of OPTIMIZER_CLS_NAMES, a class, or an instance), after
    the UPDATE_OPS; running it gives the loss."""
    with ag.name_scope(name or "OptimizeLoss"):
        rate = ag.convert_to_tensor(learning_rate, ag.float32) \
            if learning_rate is not None else None
        if learning_rate_decay_fn is not None:
            rate = learning_rate_decay_fn(rate, global_step)
        if isinstance(optimizer, str):
            if optimizer not in OPTIMIZER_CLS_NAMES:
                raise ValueError(f"Optimizer name should be one of "
                                 f"[{', '.join(OPTIMIZER_CLS_NAMES)}], you provided "
                                 f"{optimizer}.")
            kind = OPTIMIZER_CLS_NAMES[optimizer]
            opt = kind(rate, momentum=0.9) if optimizer == "Momentum" else kind(rate)
        elif isinstance(optimizer, type):
            opt = optimizer(rate)
        elif callable(optimizer) and not isinstance(optimizer, optim.Optimizer):
            opt = optimizer(rate)
        else:
            opt = optimizer
        variables = variables if variables is not None else ag.trainable_variables()
        pairs = opt.compute_gradients(loss, var_list=variables)
        if gradient_multipliers:
            pairs = [(g * gradient_multipliers.get(v, 1.0) if g is not None else g, v)
                     for g, v in pairs]
        if clip_gradients is not None:
            grads, _ = optim.clip_by_global_norm([g for g, _ in pairs], clip_gradients)
            pairs = list(zip(grads, [v for _, v in pairs]))
        ag.summary.scalar("loss", loss)
        if rate is not None:
            ag.summary.scalar("learning_rate", rate)
        updates = update_ops if update_ops is not None else \
            ag.get_collection(ag.GraphKeys.UPDATE_OPS)
        with ag.control_dependencies(updates):
            apply = opt.apply_gradients(pairs, global_step=global_step
                                        if increment_global_step else None)
        with ag.control_dependencies([apply]):
            return ag.identity(loss, name="train_op")


def repeat(inputs, repetitions, layer, *args, **kwargs):
    """`layer` applied `repetitions` times, in scopes scope/scope_1, scope/scope_2, ..."""
    scope = kwargs.pop("scope", None)
    with variable_scope(scope, default_name="Repeat"):
        outputs = inputs
        base = scope or getattr(layer, "__name__", "repeat")
        for number in range(repetitions):
            outputs = layer(outputs, *args, scope=f"{base}_{number + 1}", **kwargs)
        return outputs


def stack(inputs, layer, stack_args, **kwargs):
    """`layer` applied once per entry of `stack_args` (each its arguments), in scopes
    scope/scope_1, scope/scope_2, ..."""
    scope = kwargs.pop("scope", None)
    with variable_scope(scope, default_name="Stack"):
        outputs = inputs
        base = scope or getattr(layer, "__name__", "stack")
        for number, layer_args in enumerate(stack_args):
            layer_args = layer_args if isinstance(layer_args, (list, tuple)) else [layer_args]
            outputs = layer(outputs, *layer_args, scope=f"{base}_{number + 1}", **kwargs)
        return outputs



def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise missing("contrib.layers", name, LAYER_REPLACEMENTS)
