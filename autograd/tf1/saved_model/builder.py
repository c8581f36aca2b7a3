"""tf.saved_model.builder."""
from autograd import saved_model as _saved_model

SavedModelBuilder = _saved_model.SavedModelBuilder
