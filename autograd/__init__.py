"""autograd: a TensorFlow-1-style dataflow graph with reverse-mode differentiation, on numpy.

Build a graph of ops, then run parts of it in a Session::

    import autograd as ag
    x = ag.placeholder(ag.float32, [None, 3])
    w = ag.Variable(ag.ones([3, 1]))
    y = ag.reduce_sum(ag.matmul(x, w))
    dw, = ag.gradients(y, [w])
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        print(sess.run([y, dw], feed_dict={x: [[1, 2, 3]]}))
"""
from . import compiled, devices, dtypes, errors, fusions, nest, shapes, summary
from .config import ConfigProto, GPUOptions
from .dtypes import (bool, complex64, complex128, double, float16, float32,  # noqa: A004
                     float64, half, int8, int16, int32, int64, resource, string, uint8,
                     uint16, uint32, uint64)
from .drawing import draw, explain_gradient, explore, play, timeline
from .gradients import RegisterGradient, gradients
from .graph import (Graph, GraphKeys, Operation, Tensor, add_to_collection,
                    control_dependencies, device, effects, get_collection, get_default_graph,
                    name_scope, reset_default_graph)
from .ops.broadcast import broadcast_to, unbroadcast
from .ops.fill import fill, linspace, ones, range, zeros  # noqa: A004 - TF1's range
from .ops.indexing import gather, one_hot, pad, tile
from .ops.joining import concat, split, stack, unstack
from .ops.shaping import (constant_value_as_shape, expand_dims, identity, ones_like, rank,
                          reshape, shape, size, squeeze, stop_gradient, transpose, zeros_like)
from .ops.control_flow import case, cond, map_fn, while_loop
from .ops.debug import check_numerics
from .ops.factorizations import (cholesky, matrix_determinant, matrix_inverse, matrix_solve,
                                 matrix_triangular_solve, qr, self_adjoint_eig,
                                 self_adjoint_eigvals, svd)
from .ops.linalg import matmul, tensordot
from .ops.matrices import (diag, diag_part, einsum, eye, matrix_band_part, matrix_diag,
                           matrix_diag_part, matrix_set_diag, matrix_transpose, norm, trace)
from .ops.compare import (cast, equal, greater, greater_equal, less, less_equal, logical_and,
                          logical_not, logical_or, not_equal, to_float, where)
from .ops.math import (abs, add, ceil, clip_by_value, cos, divide, exp, floor, floordiv, log, log1p,
                       maximum, minimum, mod, multiply, negative, pow, reciprocal, round,
                       rsqrt, sigmoid, sign, sin, sqrt, square, squared_difference, subtract,
                       tanh)
from .ops.random import random_normal, random_uniform, set_random_seed, truncated_normal
from .ops.candidates import log_uniform_candidate_sampler, uniform_candidate_sampler
from .ops.files import read_file, write_file
from .ops.pyfunc import numpy_function, py_func
from .ops.random import categorical, random_gamma, random_poisson, random_shuffle
from .ops.special import (divide_no_nan, invert_permutation, is_finite, is_inf, is_nan,
                          is_non_decreasing, is_strictly_increasing, logical_xor, polyval, rint,
                          xdivy, xlogy)
from .ops.trig import acos, acosh, asin, asinh, atan, atan2, atanh, cosh, expm1, sinh, tan
from .ops.scan import cumprod, cumsum
from .ops.scatter import (count_up_to, scatter_add, scatter_nd_add, scatter_nd_update,
                          scatter_sub, scatter_update)
from .ops.segments import (confusion_matrix, dynamic_partition, dynamic_stitch, gather_nd,
                           scatter_nd, segment_max, segment_mean, segment_min, segment_sum,
                           unsorted_segment_max, unsorted_segment_mean, unsorted_segment_min,
                           unsorted_segment_sqrt_n, unsorted_segment_sum)
from .ops.selection import (argsort, bincount, boolean_mask, histogram_fixed_width, in_top_k,
                            meshgrid, reverse, reverse_sequence, sequence_mask, setdiff1d,
                            slice, sort, strided_slice, top_k, unique, unique_with_counts)
from .ops.reduce import (add_n, argmax, argmin, count_nonzero, reduce_all, reduce_any,
                         reduce_euclidean_norm, reduce_logsumexp, reduce_max, reduce_mean,
                         reduce_min, reduce_prod, reduce_std, reduce_sum, reduce_variance,
                         zero_fraction)
from .ops.state import (assign, assign_add, assign_sub, group, no_op, placeholder,
                        placeholder_with_default,
                        read_variable, variable_spec)
from .plan import OpContext, TraceStep
from .registry import OpDef, constant, constant_value, convert_to_tensor, define_op
from .saver import (CheckpointState, Saver, checkpoint_exists, get_checkpoint_state,
                    latest_checkpoint, list_variables, load_variable,
                    CheckpointReader, import_meta_graph, init_from_checkpoint,
                    load_checkpoint)
from .session import InteractiveSession, Session, get_default_session
from .tracing import RunMetadata, RunOptions
from .shapes import Shape
from .transactions import VariableAccess
from .variables import (Variable, global_variables, global_variables_initializer,
                        initialize_all_variables, local_variables, local_variables_initializer,
                        trainable_variables, variables_initializer)
from . import overloads  # noqa: F401,E402  (installs operators on Tensor and Variable)
from . import export  # noqa: E402  (freezing, TF GraphDef and ONNX writers)
from . import data  # noqa: E402  (tf.data input pipelines)
from . import sparse  # noqa: E402  (SparseTensor)
from .parsing import (FixedLenFeature, FixedLenSequenceFeature, VarLenFeature,  # noqa: E402
                      decode_csv, decode_raw, matching_files, parse_example,
                      parse_single_example, string_to_number)
from .readers import (FixedLengthRecordReader, IdentityReader, ReaderBase,  # noqa: E402
                      TextLineReader, TFRecordReader, WholeFileReader)
from . import records  # noqa: E402  (TFRecord files, Example protos)
from . import input_producers, queue_runners  # noqa: E402  (queue input pipelines)
from . import monitored  # noqa: E402  (MonitoredTrainingSession, hooks, Supervisor)
from . import saved_model  # noqa: E402  (SavedModels, the TF 1.x way)
from . import distributed  # noqa: E402  (TF1's cluster model, on Ray)
from .queues import (FIFOQueue, PaddingFIFOQueue, PriorityQueue, QueueBase,  # noqa: E402
                     RandomShuffleQueue)
from .sparse import (SparseTensor, SparseTensorValue, embedding_lookup_sparse,  # noqa: E402
                     sparse_add, sparse_placeholder, sparse_reduce_sum,
                     sparse_tensor_dense_matmul, sparse_tensor_to_dense, sparse_to_dense)

__all__ = [
    "FixedLenFeature", "FixedLenSequenceFeature", "VarLenFeature", "decode_csv", "decode_raw",
    "matching_files", "parse_example", "parse_single_example", "string_to_number",
    "FixedLengthRecordReader", "IdentityReader", "ReaderBase", "TextLineReader",
    "TFRecordReader", "WholeFileReader", "records", "input_producers", "queue_runners",
    "monitored", "saved_model", "distributed",
    "FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue",
    "data", "sparse", "SparseTensor", "SparseTensorValue", "embedding_lookup_sparse",
    "sparse_add", "sparse_placeholder", "sparse_reduce_sum", "sparse_tensor_dense_matmul",
    "sparse_tensor_to_dense", "sparse_to_dense", "compiled", "devices", "dtypes", "errors",
    "fusions", "export", "nest", "shapes", "summary",
    "ConfigProto", "GPUOptions",
    "bool", "complex64", "complex128", "double", "float16", "float32", "float64", "half",
    "int8", "int16", "int32", "int64", "uint16", "uint32", "uint64",
    "resource", "string", "uint8", "draw", "explain_gradient", "explore", "play", "timeline",
    "gradients", "RegisterGradient", "Graph", "GraphKeys", "effects", "device",
    "py_func", "numpy_function", "read_file", "write_file", "log_uniform_candidate_sampler",
    "uniform_candidate_sampler", "categorical", "random_gamma", "random_poisson",
    "random_shuffle", "divide_no_nan", "invert_permutation", "is_finite", "is_inf", "is_nan",
    "is_non_decreasing", "is_strictly_increasing", "logical_xor", "polyval", "rint", "xdivy",
    "xlogy", "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cosh", "expm1",
    "sinh", "tan", "confusion_matrix", "segment_min", "unsorted_segment_mean",
    "unsorted_segment_min", "unsorted_segment_sqrt_n", "reduce_euclidean_norm", "reduce_std",
    "reduce_variance", "zero_fraction", "count_nonzero",
    "count_up_to", "scatter_add", "scatter_nd_add",
    "scatter_nd_update", "scatter_sub", "scatter_update",
    "Operation", "Tensor", "add_to_collection", "control_dependencies",
    "get_collection", "get_default_graph", "name_scope", "reset_default_graph",
    "broadcast_to", "concat", "expand_dims", "fill", "linspace", "range", "gather",
    "identity", "one_hot", "ones",
    "ones_like", "pad", "rank", "reshape", "shape", "size", "split", "squeeze", "stack",
    "stop_gradient", "tile", "transpose", "unbroadcast", "unstack", "zeros", "zeros_like",
    "matmul", "tensordot", "cholesky", "matrix_determinant", "matrix_inverse", "matrix_solve",
    "matrix_triangular_solve", "qr", "self_adjoint_eig", "self_adjoint_eigvals", "svd",
    "diag", "diag_part", "einsum", "eye", "matrix_band_part", "matrix_diag",
    "matrix_diag_part", "matrix_set_diag", "matrix_transpose", "norm", "trace",
    "check_numerics", "case", "cond", "map_fn", "while_loop",
    "dynamic_partition", "dynamic_stitch", "gather_nd", "scatter_nd", "segment_max",
    "segment_mean", "segment_sum", "unsorted_segment_max", "unsorted_segment_sum",
    "argsort", "bincount", "boolean_mask", "histogram_fixed_width", "in_top_k", "meshgrid",
    "reverse", "reverse_sequence", "sequence_mask", "setdiff1d", "slice", "sort",
    "strided_slice", "top_k", "unique", "unique_with_counts",
    "abs", "add", "ceil", "cast", "clip_by_value", "cos", "divide", "equal", "exp", "floor",
    "floordiv", "greater", "greater_equal", "less", "less_equal", "log", "log1p",
    "logical_and", "logical_not", "logical_or", "maximum", "minimum", "mod", "multiply",
    "negative", "not_equal", "pow", "reciprocal", "round", "rsqrt", "sigmoid", "sign", "sin",
    "sqrt", "square", "squared_difference", "subtract", "tanh", "to_float", "where",
    "random_normal", "random_uniform", "set_random_seed", "truncated_normal",
    "cumsum", "cumprod", "add_n", "argmax", "argmin", "reduce_logsumexp", "reduce_max",
    "reduce_mean", "reduce_min", "reduce_prod", "reduce_sum", "reduce_all", "reduce_any",
    "assign", "assign_add", "assign_sub", "group", "no_op", "placeholder",
    "placeholder_with_default", "read_variable",
    "variable_spec", "OpContext", "TraceStep",
    "OpDef", "constant", "constant_value", "constant_value_as_shape", "convert_to_tensor",
    "define_op",
    "Saver", "CheckpointState", "checkpoint_exists", "get_checkpoint_state",
    "latest_checkpoint", "list_variables", "load_variable", "CheckpointReader",
    "import_meta_graph", "init_from_checkpoint", "load_checkpoint", "InteractiveSession", "Session",
    "get_default_session", "Shape",
    "RunMetadata", "RunOptions",
    "VariableAccess",
    "Variable", "global_variables", "global_variables_initializer",
    "initialize_all_variables", "trainable_variables", "variables_initializer",
    "local_variables", "local_variables_initializer",
]
