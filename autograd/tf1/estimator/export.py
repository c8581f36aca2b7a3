"""tf.estimator.export: what an Estimator's SavedModel takes as input (a serving input
receiver) and gives out (export outputs, one signature each)."""
import collections

import autograd as ag
from autograd import saved_model


class ServingInputReceiver(collections.namedtuple(
        "ServingInputReceiver", ["features", "receiver_tensors",
                                 "receiver_tensors_alternatives"])):
    """`features` go to model_fn; `receiver_tensors` ({name: tensor}, or one tensor) are
    what a client of the SavedModel feeds."""

    def __new__(cls, features, receiver_tensors, receiver_tensors_alternatives=None):
        if features is None:
            raise ValueError("features must be defined.")
        if not isinstance(receiver_tensors, dict):
            receiver_tensors = {"input": receiver_tensors}
        if not isinstance(features, dict):
            features = {"feature": features}
        return super().__new__(cls, features, receiver_tensors, receiver_tensors_alternatives)


def build_raw_serving_input_receiver_fn(features, default_batch_size=None):
    """A serving_input_receiver_fn whose placeholders are shaped like `features` (a dict
    of tensors), fed directly."""
    def serving_input_receiver_fn():
        receivers = {}
        for name, tensor in features.items():
            shape = None if tensor.shape is None else [default_batch_size] + list(
                tensor.shape[1:])
            receivers[name] = ag.placeholder(tensor.dtype, shape, name=name)
        return ServingInputReceiver(receivers, receivers)
    return serving_input_receiver_fn


def build_parsing_serving_input_receiver_fn(feature_spec, default_batch_size=None):
    """A serving_input_receiver_fn that takes serialized tf.Examples and parses them with
    `feature_spec` (what TF Serving's classify and regress APIs send)."""
    def serving_input_receiver_fn():
        serialized = ag.placeholder(ag.string, [default_batch_size],
                                    name="input_example_tensor")
        features = ag.parse_example(serialized, feature_spec)
        return ServingInputReceiver(features, {"examples": serialized})
    return serving_input_receiver_fn


class PredictOutput:
    """Any tensors (a dict, or one tensor as "output"): a predict signature."""

    def __init__(self, outputs):
        self.outputs = outputs if isinstance(outputs, dict) else {"output": outputs}

    def as_signature_def(self, receiver_tensors):
        return saved_model.predict_signature_def(receiver_tensors, self.outputs)


class ClassificationOutput:
    """Class scores and/or class names: a classify signature."""

    def __init__(self, scores=None, classes=None):
        if scores is None and classes is None:
            raise ValueError("At least one of scores and classes must be set.")
        self.outputs = {k: v for k, v in (("scores", scores), ("classes", classes))
                        if v is not None}

    def as_signature_def(self, receiver_tensors):
        return saved_model.tensors_signature_def(receiver_tensors, self.outputs,
                                                 saved_model.CLASSIFY_METHOD_NAME)


class RegressionOutput:
    """One predicted value per example: a regress signature."""

    def __init__(self, value):
        self.outputs = {"outputs": value}

    def as_signature_def(self, receiver_tensors):
        return saved_model.tensors_signature_def(receiver_tensors, self.outputs,
                                                 saved_model.REGRESS_METHOD_NAME)


def signature_defs(receiver, spec):
    """{key: SignatureDef} for an EstimatorSpec's export_outputs (by default its
    predictions, as a predict signature under "serving_default")."""
    outputs = spec.export_outputs or {
        saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY: PredictOutput(spec.predictions)}
    return {key: output.as_signature_def(receiver.receiver_tensors)
            for key, output in outputs.items()}
