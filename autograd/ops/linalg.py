"""Linear algebra: matmul (batched for rank > 2) and tensordot (composed from matmul)."""
import numpy as np

from .. import dtypes, errors, lowerings
from ..graph import get_default_graph
from ..registry import convert_operands, define_op
from ..shapes import broadcast, fmt
from .broadcast import unbroadcast
from .indexing import gather
from .joining import concat
from .shaping import reshape, shape, transpose


def _matmul_shape(a, b, transpose_a, transpose_b):
    if a.dtype != b.dtype:
        raise TypeError(f"inputs must have the same dtype, got {a.dtype.name} and {b.dtype.name}")
    if a.dtype == dtypes.bool:
        raise TypeError("cannot multiply bool matrices")
    if a.shape is None or b.shape is None:
        return None, a.dtype
    if len(a.shape) < 2 or len(b.shape) < 2:
        raise ValueError(f"matmul needs tensors of rank >= 2, got shapes {fmt(a.shape)} and "
                         f"{fmt(b.shape)}; use expand_dims or reshape for vectors")
    m, ka = (a.shape[-1], a.shape[-2]) if transpose_a else (a.shape[-2], a.shape[-1])
    kb, n = (b.shape[-1], b.shape[-2]) if transpose_b else (b.shape[-2], b.shape[-1])
    if ka is not None and kb is not None and ka != kb:
        raise ValueError(f"cannot multiply shapes {fmt(a.shape)} and {fmt(b.shape)}"
                         f"{' (a transposed)' if transpose_a else ''}"
                         f"{' (b transposed)' if transpose_b else ''}: inner dimensions "
                         f"{ka} and {kb} differ")
    batch = broadcast(a.shape[:-2], b.shape[:-2])
    return tuple(batch) + (m, n), a.dtype


def _matmul_forward(a, b, transpose_a, transpose_b):
    if transpose_a:
        a = a.swapaxes(-1, -2)
    if transpose_b:
        b = b.swapaxes(-1, -2)
    if a.shape[-1] != b.shape[-2]:  # only possible for dimensions unknown when building
        raise errors.InvalidArgumentError(
            f"cannot multiply {fmt(a.shape)} by {fmt(b.shape)}"
            f"{' (a transposed)' if transpose_a else ''}"
            f"{' (b transposed)' if transpose_b else ''}: inner dimensions "
            f"{a.shape[-1]} and {b.shape[-2]} differ")
    return np.matmul(a, b)


def _matmul_flops(input_shapes, output_shapes, transpose_a, transpose_b):
    """2 m k n (times the batch)."""
    a = input_shapes[0]
    k = a[-2] if transpose_a else a[-1]
    return 2.0 * k * float(np.prod(output_shapes[0]))


def _matmul_grad(op, dy):
    """For C = A B: dA = dC B^T and dB = A^T dC (with the transposes folded into flags)."""
    a, b = op.inputs
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if not ta and not tb:
        da, db = matmul(dy, b, transpose_b=True), matmul(a, dy, transpose_a=True)
    elif not ta and tb:
        da, db = matmul(dy, b), matmul(dy, a, transpose_a=True)
    elif ta and not tb:
        da, db = matmul(b, dy, transpose_b=True), matmul(a, dy)
    else:
        da, db = (matmul(b, dy, transpose_a=True, transpose_b=True),
                  matmul(dy, a, transpose_a=True, transpose_b=True))
    if len(a.shape or ()) > 2 or len(b.shape or ()) > 2:  # batch dims may have broadcast
        da, db = unbroadcast(da, a, b), unbroadcast(db, b, a)
    return [da, db]


def _matmul_to_tensorflow(b, op):
    """MatMul for matrices; BatchMatMulV2 (whose transposes are adj_x, adj_y) above."""
    transpose_a, transpose_b = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if len(op.outputs[0].shape or ()) > 2:
        b.node("BatchMatMulV2", op, T=b.type(op.inputs[0].dtype), adj_x=transpose_a,
               adj_y=transpose_b)
    else:
        b.node("MatMul", op, T=b.type(op.inputs[0].dtype), transpose_a=transpose_a,
               transpose_b=transpose_b)


def _matmul_to_onnx(b, op):
    """ONNX's MatMul has no transpose flags: a Transpose of the last two axes first."""
    operands = b.inputs(op)
    for index, flag in enumerate(("transpose_a", "transpose_b")):
        if op.attrs[flag]:
            rank = len(op.inputs[index].shape)
            perm = list(range(rank - 2)) + [rank - 1, rank - 2]
            operands[index] = b.node("Transpose", [operands[index]],
                                     [b.name(op.name + "/T")], op.name + f"/{flag}",
                                     perm=perm)
    b.node("MatMul", operands, b.outputs(op), op.name)


MatMul = define_op("MatMul", forward=_matmul_forward, shape=_matmul_shape, grad=_matmul_grad,
                   flops=_matmul_flops)
def _matmul_from_tensorflow(op_def, node, inputs):
    """MatMul's transposes are transpose_a/b; BatchMatMul's adj_x/adj_y."""
    if node.type == "MatMul":
        flags = node.attr("transpose_a", False), node.attr("transpose_b", False)
    else:
        flags = node.attr("adj_x", False), node.attr("adj_y", False)
    return matmul(*inputs, transpose_a=flags[0], transpose_b=flags[1], name=node.name)


lowerings.register(MatMul, tensorflow=_matmul_to_tensorflow, onnx=_matmul_to_onnx,
                   imports={"MatMul": _matmul_from_tensorflow,
                            "BatchMatMul": _matmul_from_tensorflow,
                            "BatchMatMulV2": _matmul_from_tensorflow})


def matmul(a, b, transpose_a=False, transpose_b=False, name=None):
    """Matrix product a @ b; for rank > 2 the leading dimensions are batch dimensions."""
    a, b = convert_operands([a, b], "MatMul")
    return MatMul(a, b, transpose_a=bool(transpose_a), transpose_b=bool(transpose_b), name=name)


def tensordot(a, b, axes, name=None):
    """Sum of products over `axes` of a and b (an int N: last N of a with first N of b, or a
    pair of axis lists), composed as transpose + reshape + matmul so gradients come free."""
    a, b = convert_operands([a, b], "Tensordot")
    if a.shape is None or b.shape is None:
        raise ValueError("tensordot needs inputs of known rank")
    rank_a, rank_b = len(a.shape), len(b.shape)
    if isinstance(axes, int):
        axes_a, axes_b = list(range(rank_a - axes, rank_a)), list(range(axes))
    else:
        axes_a, axes_b = ([axes[0]] if isinstance(axes[0], int) else list(axes[0]),
                          [axes[1]] if isinstance(axes[1], int) else list(axes[1]))
    axes_a = [x % rank_a for x in axes_a]
    axes_b = [x % rank_b for x in axes_b]
    for i, j in zip(axes_a, axes_b):
        if a.shape[i] is not None and b.shape[j] is not None and a.shape[i] != b.shape[j]:
            raise ValueError(f"tensordot: axis {i} of {fmt(a.shape)} and axis {j} of "
                             f"{fmt(b.shape)} differ in size")
    free_a = [i for i in range(rank_a) if i not in axes_a]
    free_b = [i for i in range(rank_b) if i not in axes_b]
    with get_default_graph().name_scope(name or "Tensordot"):
        a2 = reshape(transpose(a, free_a + axes_a), [-1, _prod(a.shape, axes_a)])
        b2 = reshape(transpose(b, axes_b + free_b), [_prod(b.shape, axes_b), -1])
        out = matmul(a2, b2)
        dims = [a.shape[i] for i in free_a] + [b.shape[i] for i in free_b]
        if None not in dims:
            return reshape(out, dims)
        return reshape(out, concat([gather(shape(a), free_a), gather(shape(b), free_b)], 0))


def _prod(dims, axes):
    sizes = [dims[i] for i in axes]
    if None in sizes:
        raise ValueError(f"tensordot needs the contracted dimensions of {fmt(dims)} to be known")
    return int(np.prod(sizes))

