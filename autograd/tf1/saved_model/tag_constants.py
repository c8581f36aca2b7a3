"""tf.saved_model.tag_constants."""
from autograd import saved_model as _saved_model

SERVING = _saved_model.SERVING
TRAINING = _saved_model.TRAINING
EVAL = _saved_model.EVAL
GPU = _saved_model.GPU
TPU = _saved_model.TPU
