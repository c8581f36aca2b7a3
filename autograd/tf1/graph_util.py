"""tf.graph_util: freezing a trained graph for export."""
from autograd import export

convert_variables_to_constants = export.convert_variables_to_constants
