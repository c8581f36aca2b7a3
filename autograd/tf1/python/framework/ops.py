"""tensorflow.python.framework.ops: the graph's names, as tutorials import them
(`from tensorflow.python.framework import ops; ops.reset_default_graph()`)."""
from autograd import (Graph, GraphKeys, Operation, Tensor, add_to_collection,  # noqa: F401
                      control_dependencies, convert_to_tensor, get_collection,
                      get_default_graph, name_scope, reset_default_graph)
