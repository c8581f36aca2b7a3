"""tf.saved_model (TF 1.x): simple_save, the builder, the loader, signatures and tags,
over autograd.saved_model."""
from autograd import saved_model as _saved_model

from . import (builder, constants, loader, signature_constants,  # noqa: F401
               signature_def_utils, tag_constants, utils)
from .signature_constants import *  # noqa: F401,F403 - TF1 exports them here too
from .tag_constants import *  # noqa: F401,F403

simple_save = _saved_model.simple_save
load = loader.load
Builder = builder.SavedModelBuilder
maybe_saved_model_directory = loader.maybe_saved_model_directory
contains_saved_model = loader.maybe_saved_model_directory
build_signature_def = signature_def_utils.build_signature_def
predict_signature_def = signature_def_utils.predict_signature_def
build_tensor_info = utils.build_tensor_info
get_tensor_from_tensor_info = utils.get_tensor_from_tensor_info
