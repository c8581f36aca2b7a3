"""tf.estimator: TF 1.x's train / evaluate / predict around a model function.

    def model_fn(features, labels, mode, params):
        logits = tf.layers.dense(features["x"], 10)
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        train_op = tf.train.AdamOptimizer().minimize(
            loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)

    classifier = tf.estimator.Estimator(model_fn, model_dir="model")
    classifier.train(input_fn, steps=1000)

Each call builds a fresh graph (input_fn, then model_fn in the call's mode) and runs it in
a monitored session (autograd.monitored): train resumes from the newest checkpoint of
model_dir and saves there, evaluate and predict restore it. So, as in TF, the model lives
in model_dir between calls, and a second train() goes on where the first stopped.
"""
from . import export, inputs  # noqa: F401  (tf.estimator.export, tf.estimator.inputs)
from .canned import (BaselineClassifier, DNNClassifier, DNNLinearCombinedClassifier,  # noqa: F401
                     DNNRegressor, LinearClassifier, LinearRegressor)
from .estimator import Estimator, EstimatorSpec, ModeKeys, RunConfig  # noqa: F401
from .training import EvalSpec, TrainSpec, train_and_evaluate  # noqa: F401
