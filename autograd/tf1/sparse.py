"""tf.sparse: TF 1.15's names for the SparseTensor ops (built in autograd.sparse)."""
import autograd as _ag

SparseTensor = _ag.SparseTensor
add = _ag.sparse_add
placeholder = _ag.sparse_placeholder
reduce_sum = _ag.sparse_reduce_sum
sparse_dense_matmul = matmul = _ag.sparse_tensor_dense_matmul
to_dense = _ag.sparse_tensor_to_dense
