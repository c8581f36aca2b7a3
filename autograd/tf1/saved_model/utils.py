"""tf.saved_model.utils."""
from autograd import saved_model as _saved_model

build_tensor_info = _saved_model.build_tensor_info
get_tensor_from_tensor_info = _saved_model.get_tensor_from_tensor_info
