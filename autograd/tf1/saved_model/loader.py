"""tf.saved_model.loader."""
from autograd import saved_model as _saved_model

load = _saved_model.load
maybe_saved_model_directory = _saved_model.maybe_saved_model_directory
