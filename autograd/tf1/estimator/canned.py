"""The premade Estimators of TF 1.x's getting-started guides, with TF 1.15's defaults:

- LinearRegressor / LinearClassifier: linear_model over the feature columns, FTRL with
  learning rate min(0.2, 1/sqrt(number of columns)), weights starting at zero;
- DNNRegressor / DNNClassifier: input_layer, hidden ReLU layers (dnn/hiddenlayer_N,
  Glorot-uniform), dnn/logits, Adagrad at 0.05;
- DNNLinearCombinedClassifier: the sum of both logits, each part with its own optimizer;
- BaselineClassifier: one bias per class.

Losses are summed over the batch (TF1's canned reduction). Classifiers predict logits,
probabilities, class_ids and classes; binary ones also logistic; evaluation gives
accuracy, average_loss and loss (binary: also auc, precision, recall, label/mean,
prediction/mean); regressors give average_loss, loss, label/mean, prediction/mean.
"""
import math

import autograd as ag
import nn
import optim
from nn import feature_columns as fc
from nn import running_metrics as metrics

from .estimator import Estimator, EstimatorSpec, ModeKeys

_OPTIMIZERS = {"Adagrad": lambda rate: optim.AdagradOptimizer(rate),
               "Adam": lambda rate: optim.AdamOptimizer(rate),
               "Ftrl": lambda rate: optim.FtrlOptimizer(rate),
               "RMSProp": lambda rate: optim.RMSPropOptimizer(rate),
               "SGD": lambda rate: optim.GradientDescentOptimizer(rate)}


def _optimizer(given, default_rate):
    if isinstance(given, str):
        if given not in _OPTIMIZERS:
            raise ValueError(f"optimizer {given!r} is not one of {sorted(_OPTIMIZERS)}")
        return _OPTIMIZERS[given](default_rate)
    return given() if callable(given) and not isinstance(given, optim.Optimizer) else given


def _linear_rate(columns):
    return min(0.2, 1.0 / math.sqrt(len(columns)))


def _linear_logits(features, columns, units, combiner):
    with ag.name_scope("linear"):
        return fc.linear_model(features, columns, units=units, sparse_combiner=combiner)


def _dnn_logits(features, columns, hidden_units, units, activation, dropout, mode):
    with ag.name_scope("dnn"):
        h = fc.input_layer(features, columns)
        for index, width in enumerate(hidden_units):
            h = nn.layers.Dense(width, activation=activation,
                                name=f"hiddenlayer_{index}")(h)
            if dropout is not None and mode == ModeKeys.TRAIN:
                h = nn.dropout(h, keep_prob=1.0 - dropout)
        return nn.layers.Dense(units, name="logits")(h)


class _Head:
    """Loss, predictions and metrics of a classifier or regressor over logits."""

    def __init__(self, n_classes=None, label_dimension=None, weight_column=None,
                 label_vocabulary=None):
        self.n_classes, self.label_dimension = n_classes, label_dimension
        self.weight_column, self.vocabulary = weight_column, label_vocabulary

    @property
    def units(self):
        if self.n_classes is None:
            return self.label_dimension
        return 1 if self.n_classes == 2 else self.n_classes

    def spec(self, features, labels, mode, logits, train):
        """An EstimatorSpec; `train(loss)` makes the train op."""
        predictions = self._predictions(logits)
        if mode == ModeKeys.PREDICT:
            return EstimatorSpec(mode, predictions=predictions)
        if labels is None:
            raise ValueError("labels must be given for training and evaluation: input_fn "
                             "should return (features, labels)")
        weights = 1.0 if self.weight_column is None else ag.reshape(
            ag.cast(features[self.weight_column], ag.float32), [-1, 1])
        per_example, labels = self._losses(labels, logits)
        weighted = per_example * weights
        loss = ag.reduce_sum(weighted)
        if mode == ModeKeys.TRAIN:
            return EstimatorSpec(mode, predictions=predictions, loss=loss,
                                 train_op=train(loss))
        return EstimatorSpec(mode, predictions=predictions, loss=loss,
                             eval_metric_ops=self._metrics(labels, predictions, weighted,
                                                           weights))

    def _label_ids(self, labels):
        if self.vocabulary is not None:
            column = fc.categorical_column_with_vocabulary_list("label", self.vocabulary)
            ids = column.ids({"label": ag.reshape(labels, [-1])})
            return ag.reshape(ids, [-1, 1])
        return ag.reshape(ag.cast(labels, ag.int64), [-1, 1])

    def _losses(self, labels, logits):
        if self.n_classes is None:
            labels = ag.reshape(ag.cast(labels, ag.float32), [-1, self.label_dimension])
            return ag.reduce_sum(ag.square(logits - labels), axis=1, keepdims=True), labels
        ids = self._label_ids(labels)
        if self.n_classes == 2:
            loss = nn.sigmoid_cross_entropy_with_logits(labels=ag.cast(ids, ag.float32),
                                                        logits=logits)
        else:
            loss = ag.expand_dims(nn.sparse_softmax_cross_entropy_with_logits(
                labels=ag.reshape(ids, [-1]), logits=logits), 1)
        return loss, ids

    def _predictions(self, logits):
        if self.n_classes is None:
            return {"predictions": logits}
        if self.n_classes == 2:
            logistic = ag.sigmoid(logits)
            probabilities = ag.concat([1.0 - logistic, logistic], axis=1)
            found = {"logits": logits, "logistic": logistic}
        else:
            probabilities = nn.softmax(logits)
            found = {"logits": logits}
        class_ids = ag.expand_dims(ag.argmax(probabilities, axis=1), 1)
        names = self.vocabulary or [str(i) for i in range(self.n_classes)]
        classes = ag.gather(ag.constant([n.encode() if isinstance(n, str) else n
                                         for n in names]), class_ids)
        return dict(found, probabilities=probabilities, class_ids=class_ids, classes=classes)

    def _metrics(self, labels, predictions, weighted, weights):
        count = ag.reduce_sum(ag.ones_like(weighted) * weights)
        found = {"average_loss": metrics.mean(ag.reduce_sum(weighted) / count)}
        if self.n_classes is None:
            found["label/mean"] = metrics.mean(labels)
            found["prediction/mean"] = metrics.mean(predictions["predictions"])
            return found
        found["accuracy"] = metrics.accuracy(labels, predictions["class_ids"])
        if self.n_classes == 2:
            found["auc"] = metrics.auc(labels, predictions["logistic"])
            found["precision"] = metrics.precision(labels, predictions["class_ids"])
            found["recall"] = metrics.recall(labels, predictions["class_ids"])
            found["label/mean"] = metrics.mean(ag.cast(labels, ag.float32))
            found["prediction/mean"] = metrics.mean(predictions["logistic"])
        return found


def _minimize(optimizer, loss, var_list=None):
    return optimizer.minimize(loss, global_step=optim.get_global_step(), var_list=var_list)


class _Canned(Estimator):
    def __init__(self, model_fn, model_dir, config):
        super().__init__(model_fn, model_dir=model_dir, config=config)


def _linear_model_fn(head, feature_columns, optimizer, combiner):
    columns = list(feature_columns)

    def model_fn(features, labels, mode):
        logits = _linear_logits(features, columns, head.units, combiner)
        return head.spec(features, labels, mode, logits, lambda loss: _minimize(
            _optimizer(optimizer, _linear_rate(columns)), loss))
    return model_fn


def _dnn_model_fn(head, feature_columns, hidden_units, optimizer, activation_fn, dropout):
    columns = list(feature_columns)

    def model_fn(features, labels, mode):
        logits = _dnn_logits(features, columns, hidden_units, head.units, activation_fn,
                             dropout, mode)
        return head.spec(features, labels, mode, logits,
                         lambda loss: _minimize(_optimizer(optimizer, 0.05), loss))
    return model_fn


class LinearRegressor(_Canned):
    def __init__(self, feature_columns, model_dir=None, label_dimension=1, weight_column=None,
                 optimizer="Ftrl", config=None, partitioner=None, warm_start_from=None,
                 loss_reduction=None, sparse_combiner="sum"):
        head = _Head(label_dimension=label_dimension, weight_column=weight_column)
        super().__init__(_linear_model_fn(head, feature_columns, optimizer, sparse_combiner),
                         model_dir, config)


class LinearClassifier(_Canned):
    def __init__(self, feature_columns, model_dir=None, n_classes=2, weight_column=None,
                 label_vocabulary=None, optimizer="Ftrl", config=None, partitioner=None,
                 warm_start_from=None, loss_reduction=None, sparse_combiner="sum"):
        head = _Head(n_classes=n_classes, weight_column=weight_column,
                     label_vocabulary=label_vocabulary)
        super().__init__(_linear_model_fn(head, feature_columns, optimizer, sparse_combiner),
                         model_dir, config)


class DNNRegressor(_Canned):
    def __init__(self, hidden_units, feature_columns, model_dir=None, label_dimension=1,
                 weight_column=None, optimizer="Adagrad", activation_fn=nn.relu, dropout=None,
                 input_layer_partitioner=None, config=None, warm_start_from=None,
                 loss_reduction=None, batch_norm=False):
        head = _Head(label_dimension=label_dimension, weight_column=weight_column)
        super().__init__(_dnn_model_fn(head, feature_columns, hidden_units, optimizer,
                                       activation_fn, dropout), model_dir, config)


class DNNClassifier(_Canned):
    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2,
                 weight_column=None, label_vocabulary=None, optimizer="Adagrad",
                 activation_fn=nn.relu, dropout=None, input_layer_partitioner=None,
                 config=None, warm_start_from=None, loss_reduction=None, batch_norm=False):
        head = _Head(n_classes=n_classes, weight_column=weight_column,
                     label_vocabulary=label_vocabulary)
        super().__init__(_dnn_model_fn(head, feature_columns, hidden_units, optimizer,
                                       activation_fn, dropout), model_dir, config)


class DNNLinearCombinedClassifier(_Canned):
    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer="Ftrl",
                 dnn_feature_columns=None, dnn_optimizer="Adagrad", dnn_hidden_units=None,
                 dnn_activation_fn=nn.relu, dnn_dropout=None, n_classes=2, weight_column=None,
                 label_vocabulary=None, input_layer_partitioner=None, config=None,
                 warm_start_from=None, loss_reduction=None, batch_norm=False,
                 linear_sparse_combiner="sum"):
        linear = list(linear_feature_columns or [])
        deep = list(dnn_feature_columns or [])
        if not linear and not deep:
            raise ValueError("Either linear_feature_columns or dnn_feature_columns must be "
                             "defined.")
        if deep and not dnn_hidden_units:
            raise ValueError("dnn_hidden_units must be defined when dnn_feature_columns is")
        head = _Head(n_classes=n_classes, weight_column=weight_column,
                     label_vocabulary=label_vocabulary)

        def model_fn(features, labels, mode):
            parts, owners = [], []
            if deep:
                before = set(ag.trainable_variables())
                parts.append(_dnn_logits(features, deep, dnn_hidden_units, head.units,
                                         dnn_activation_fn, dnn_dropout, mode))
                owners.append((dnn_optimizer, 0.05,
                               [v for v in ag.trainable_variables() if v not in before]))
            if linear:
                before = set(ag.trainable_variables())
                parts.append(_linear_logits(features, linear, head.units,
                                            linear_sparse_combiner))
                owners.append((linear_optimizer, _linear_rate(linear),
                               [v for v in ag.trainable_variables() if v not in before]))

            def train(loss):
                steps = [_optimizer(given, rate).minimize(loss, var_list=variables)
                         for given, rate, variables in owners]
                with ag.control_dependencies(steps):
                    return ag.assign_add(optim.get_global_step(), 1).op
            return head.spec(features, labels, mode, ag.add_n(parts), train)
        super().__init__(model_fn, model_dir, config)


class BaselineClassifier(_Canned):
    def __init__(self, model_dir=None, n_classes=2, weight_column=None, label_vocabulary=None,
                 optimizer="Ftrl", config=None, loss_reduction=None):
        head = _Head(n_classes=n_classes, weight_column=weight_column,
                     label_vocabulary=label_vocabulary)

        def model_fn(features, labels, mode):
            first = next(iter(features.values())) if isinstance(features, dict) else features
            bias = ag.Variable(ag.zeros([head.units]), name="baseline/bias")
            logits = ag.zeros_like(ag.cast(ag.reshape(first, [-1, 1])[:, :1], ag.float32)) \
                + bias
            return head.spec(features, labels, mode, logits,
                             lambda loss: _minimize(_optimizer(optimizer, 0.3), loss))
        super().__init__(model_fn, model_dir, config)
