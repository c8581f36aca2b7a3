"""tf.saved_model.constants: the names inside a SavedModel folder."""
from autograd import saved_model as _saved_model

SAVED_MODEL_FILENAME_PB = _saved_model.SAVED_MODEL_FILENAME_PB
SAVED_MODEL_FILENAME_PBTXT = _saved_model.SAVED_MODEL_FILENAME_PBTXT
SAVED_MODEL_SCHEMA_VERSION = _saved_model.SCHEMA_VERSION
VARIABLES_DIRECTORY = _saved_model.VARIABLES_DIRECTORY
VARIABLES_FILENAME = _saved_model.VARIABLES_FILENAME
MAIN_OP_KEY = "saved_model_main_op"
LEGACY_INIT_OP_KEY = "legacy_init_op"
