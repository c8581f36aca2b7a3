"""Graph building: names, scopes, static shapes and dtypes, build-time errors."""
import numpy as np
import pytest

import autograd as ag
from examples.course_graphs import homework_graph
from autograd import errors


def test_names_are_unique_and_scoped_like_tf1():
    a = ag.constant(1.0, name="a")
    assert a.name == "a:0"
    assert ag.constant(2.0, name="a").name == "a_1:0"
    with ag.name_scope("outer"):
        with ag.name_scope("inner"):
            assert (a + a).op.name == "outer/inner/add"
            assert (a + a).op.name == "outer/inner/add_1"
    with ag.name_scope("outer"):
        assert ag.identity(a).op.name == "outer_1/Identity"
    with ag.name_scope("outer/"):
        assert ag.identity(a, name="again").op.name == "outer/again"


def test_course_homework_graph_names_and_value():
    graph, a, f = homework_graph()
    assert a.name == "Input_placeholder/a:0" and a.shape is None
    assert f.name == "Final_node/final_multiply_node:0"
    assert graph.get_tensor_by_name("Middle_section/Mean:0").op.type == "Mean"
    xs = np.random.normal(1, 2, 100)
    ys = np.random.randn(100) * xs
    data = np.array([xs, ys], dtype=np.float32)
    sess = ag.InteractiveSession(graph=graph)
    value = sess.run(f, feed_dict={a: [xs, ys]})
    sess.close()
    expected = (np.prod(data) + np.mean(data)) * np.sum(data)
    np.testing.assert_allclose(value, expected, rtol=1e-4)


def test_lookup_by_name_and_did_you_mean():
    ag.placeholder(ag.float32, [None, 784], name="images")
    graph = ag.get_default_graph()
    assert graph.get_operation_by_name("images").type == "Placeholder"
    with pytest.raises(errors.NotFoundError, match="did you mean 'images:0'"):
        graph.get_tensor_by_name("imagse:0")
    with pytest.raises(ValueError, match="tensor names look like"):
        graph.get_tensor_by_name("images")


def test_tensor_and_operation_attributes():
    x = ag.placeholder(ag.float32, [None, 784], name="x")
    w = ag.Variable(ag.zeros([784, 10]), name="w")
    y = ag.matmul(x, w)
    assert y.shape == (None, 10) and y.get_shape().as_list() == [None, 10]
    assert y.dtype == ag.float32 and y.graph is ag.get_default_graph()
    assert y.op.type == "MatMul" and y.op.inputs[0] is x and y.op.outputs == (y,)
    assert str(y.shape) == "(None, 10)"
    assert "matmul.py" not in y.op.describe() and "test_graph.py" in y.op.describe()


def test_matmul_shape_error_names_both_shapes_and_the_op():
    a, b = ag.zeros([3, 4]), ag.zeros([5, 6])
    with pytest.raises(ValueError) as info:
        ag.matmul(a, b, name="scores")
    message = str(info.value)
    assert "MatMul op 'scores'" in message and "(3, 4)" in message and "(5, 6)" in message


@pytest.mark.parametrize("build, fragment", [
    (lambda: ag.concat([ag.zeros([2, 3]), ag.zeros([2, 3, 1])], 0), "same rank"),
    (lambda: ag.zeros([2, 3]) + ag.zeros([4, 3]), "cannot be broadcast"),
    (lambda: ag.reshape(ag.zeros([3, 4]), [5]), "12 elements"),
    (lambda: ag.zeros([3, 4])[3], "out of bounds"),
    (lambda: ag.squeeze(ag.zeros([3, 4]), [0]), "cannot squeeze"),
    (lambda: ag.transpose(ag.zeros([3, 4]), [0, 0]), "not a permutation"),
    (lambda: ag.split(ag.zeros([3, 4]), 2, axis=0), "equal"),
    (lambda: ag.reduce_sum(ag.zeros([3, 4]), axis=2), "out of range"),
    (lambda: ag.add_n([ag.zeros([3]), ag.zeros([4])]), "same shape"),
])
def test_impossible_graphs_fail_when_built(build, fragment):
    with pytest.raises(ValueError, match=fragment):
        build()


def test_dtype_rules_follow_tf1():
    x64 = ag.constant(np.zeros(3))
    assert x64.dtype == ag.float64 and (x64 + 1.5).dtype == ag.float64
    assert ag.constant(1).dtype == ag.int32 and ag.constant(1.0).dtype == ag.float32
    assert ag.constant(2 ** 40).dtype == ag.int64
    with pytest.raises(TypeError, match="float32.*float64|float64.*float32"):
        ag.constant(1.0) + x64
    with pytest.raises(TypeError, match="int32"):
        ag.constant(1) + 1.5
    assert (np.ones(3) + ag.constant([1.0, 2.0, 3.0])).dtype == ag.float32
    assert (ag.constant(3) / ag.constant(2)).dtype == ag.float64


def test_tensor_refuses_python_bool_and_iteration():
    x = ag.constant([1.0, 2.0])
    with pytest.raises(TypeError, match="Python bool"):
        bool(x > 1)
    with pytest.raises(TypeError, match="unstack"):
        list(x)


def test_tensors_from_two_graphs_cannot_meet():
    g1, g2 = ag.Graph(), ag.Graph()
    with g1.as_default():
        a = ag.constant(1.0)
    with g2.as_default():
        b = ag.constant(2.0)
    with pytest.raises(ValueError, match="another graph"):
        ag.add(a, b)


def test_finalized_graph_refuses_new_ops():
    graph = ag.get_default_graph()
    ag.constant(1.0)
    graph.finalize()
    with pytest.raises(RuntimeError, match="finalized"):
        ag.constant(2.0)


def test_control_dependencies_and_group():
    v = ag.Variable(0.0)
    inc = v.assign_add(1.0)
    with ag.control_dependencies([inc]):
        read = v.read_value()
        doubled = v * 2.0          # a fresh read, ordered after inc (TF's resource variables)
        before = ag.identity(v.value())  # the read built with v: it runs where v was built
    assert read.op.control_inputs == (inc.op,)
    both = ag.group(inc, v.assign_add(10.0))
    with ag.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(read) == 1.0
        assert sess.run(doubled) == 4.0   # v = 2 after this run's inc
        assert sess.run(before) == 2.0    # read before this run's inc (which makes it 3)
        assert sess.run(both) is None
        assert sess.run(v) == 14.0  # 3 + 1 + 10


def test_creation_order_is_a_topological_order():
    a = ag.constant(1.0)
    b = a + 1
    ops = ag.get_default_graph().get_operations()
    for op in ops:
        for t in op.inputs:
            assert ops.index(t.op) < ops.index(op)
    assert b.op in ops
