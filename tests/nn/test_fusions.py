"""relu(x + b) runs as one step (autograd.fusions) only where nothing can tell: the same
numbers, the sum never seen, and every op still there for Session.step."""
import numpy as np
import pytest

import autograd as ag
import nn
from autograd.testing import check_gradients

def _executed(sess, fetches, feeds=None):
    """The types of the ops a traced run of `fetches` executed."""
    metadata = ag.RunMetadata()
    sess.run(fetches, feeds, options=ag.RunOptions(trace_level=ag.RunOptions.FULL_TRACE),
             run_metadata=metadata)
    return [stat.op_type for stat in metadata.node_stats()]


def _layer(rng, shape=(None, 6, 6, 3)):
    x = ag.placeholder(ag.float32, shape)
    bias = ag.Variable(rng.standard_normal(shape[-1]).astype(np.float32))
    total = x + bias
    return x, bias, total, nn.relu(total)


@pytest.mark.parametrize("inter_op", [1, 2])
def test_a_bias_add_and_its_relu_run_as_one_step(rng, inter_op):
    x, _, _, y = _layer(rng)
    images = rng.standard_normal((4, 6, 6, 3)).astype(np.float32)
    config = ag.ConfigProto(inter_op_parallelism_threads=inter_op)
    with ag.Session(config=config, kernels="numpy") as fused, \
            ag.Session(config=config, fuse=False) as apart:
        for sess in (fused, apart):
            sess.run(ag.global_variables_initializer())
        assert "Add" not in _executed(fused, y, {x: images})
        assert "Add" in _executed(apart, y, {x: images})
        np.testing.assert_array_equal(fused.run(y, {x: images}), apart.run(y, {x: images}))


def test_nothing_fuses_where_the_sum_is_seen(rng):
    x, bias, total, y = _layer(rng)
    images = rng.standard_normal((2, 6, 6, 3)).astype(np.float32)
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        assert "Add" in _executed(sess, [y, total], {x: images})            # fetched
        assert "Add" in _executed(sess, [y, ag.reduce_sum(total)], {x: images})  # read twice
        with ag.control_dependencies([total.op]):
            after = ag.identity(y)
        assert "Add" in _executed(sess, after, {x: images})       # awaited by a control input
        fed = _executed(sess, y, {total: images})                  # fed: the Add never runs
        assert "Add" not in fed and "Relu" in fed
        summed, relu = sess.run([total, y], {x: images})
        np.testing.assert_array_equal(relu, np.maximum(summed, 0))


def test_session_step_walks_every_op(rng):
    x, _, _, y = _layer(rng)
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        images = rng.standard_normal((1, 6, 6, 3)).astype(np.float32)
        walked = [step.op.type for step in sess.step(y, {x: images})]
        assert walked.index("Add") < walked.index("Relu")
        assert "Add" not in _executed(sess, y, {x: images})   # while runs still fuse


def test_gradients_through_the_fused_step(rng):
    x = rng.standard_normal((3, 4, 5)) + 0.05   # away from the kink at 0
    b = rng.standard_normal(5)
    check_gradients(lambda a, c: nn.relu(a + c), [x, b])
