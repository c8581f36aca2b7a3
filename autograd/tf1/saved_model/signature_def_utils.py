"""tf.saved_model.signature_def_utils."""
from autograd import saved_model as _saved_model

build_signature_def = _saved_model.build_signature_def
predict_signature_def = _saved_model.predict_signature_def
