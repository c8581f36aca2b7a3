"""The public op-definition mechanism, and errors raised while running kernels."""
import numpy as np
import pytest

import autograd as ag
from autograd import errors
from autograd.testing import check_gradients


def _cube_shape(x):
    return x.shape, x.dtype


def _cube_grad(op, dy):
    return [dy * 3.0 * ag.square(op.inputs[0])]


Cube = ag.define_op("TestCube", forward=lambda x: x ** 3, shape=_cube_shape, grad=_cube_grad)


def test_a_user_defined_op_runs_and_differentiates(rng):
    y = Cube(ag.constant([1.0, 2.0]), name="cube")
    assert y.op.type == "TestCube" and y.name == "cube:0"
    with ag.Session() as sess:
        np.testing.assert_allclose(sess.run(y), [1.0, 8.0])
    check_gradients(lambda x: Cube(x), [rng.standard_normal((2, 3))])


def test_defining_an_op_type_again_replaces_it_as_a_rerun_cell_does():
    old = Cube(ag.constant([2.0]))
    Cube2 = ag.define_op("TestCube", forward=np.negative, shape=_cube_shape)  # cell run again
    new = Cube2(ag.constant([2.0]))
    assert new.op.type == old.op.type == "TestCube"
    with ag.Session() as sess:
        assert sess.run(old)[0] == 8.0 and sess.run(new)[0] == -2.0


def test_a_kernel_contradicting_its_shape_rule_names_the_op_on_its_first_run():
    Wrong = ag.define_op("TestWrongDtype", forward=lambda x: x.astype(np.float64),
                         shape=_cube_shape)
    Short = ag.define_op("TestWrongShape", forward=lambda x: x[:1], shape=_cube_shape)
    x = ag.placeholder(ag.float32, [None])
    with ag.Session() as sess:
        with pytest.raises(errors.InternalError, match=r"TestWrongDtype op 'wrong'.*float64"
                           r".*shape rule says \(None,\) float32"):
            sess.run(Wrong(x, name="wrong"), {x: [1.0, 2.0]})
        with pytest.raises(errors.InternalError, match=r"TestWrongShape.*\(1,\).*\(3,\)"):
            sess.run(Short(ag.constant([1.0, 2.0, 3.0])))


def test_a_gradient_rule_returning_the_wrong_number_of_values_names_the_op():
    Bad = ag.define_op("TestBadGrad", forward=np.negative, shape=_cube_shape,
                       grad=lambda op, dy: [dy, dy])
    y = Bad(ag.constant([1.0]), name="bad_grad")
    with pytest.raises(ValueError, match=r"TestBadGrad op 'bad_grad'.*2 values for 1 input"):
        ag.gradients(y, [y.op.inputs[0]])


def test_multi_output_ops_with_attrs():
    def forward(x, parts):
        return tuple(np.array_split(x, parts))

    def shape(x, parts):
        return [((None,), x.dtype)] * parts

    Chunks = ag.define_op("TestChunks", forward=forward, shape=shape)
    a, b = Chunks(ag.constant([1.0, 2.0, 3.0]), parts=2)
    assert a.op is b.op and a.op.attrs == {"parts": 2}
    with ag.Session() as sess:
        assert [list(v) for v in sess.run([a, b])] == [[1.0, 2.0], [3.0]]


def test_shape_rule_errors_are_prefixed_with_the_op():
    def refuse(x):
        raise ValueError("needs a matrix")

    Refuse = ag.define_op("TestRefuse", forward=np.negative, shape=refuse)
    with pytest.raises(ValueError, match=r"TestRefuse op 'bad': needs a matrix.*\(3,\)"):
        Refuse(ag.constant([1.0, 2.0, 3.0]), name="bad")


def test_kernel_failures_name_the_op_its_site_and_input_shapes():
    x = ag.placeholder(ag.float32, [None, 3])
    y = ag.placeholder(ag.float32, [None, 3])
    total = ag.add(x, y, name="total")  # a batch mismatch only shows at run time
    with ag.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError) as info:
            sess.run(total, {x: np.zeros((2, 3)), y: np.zeros((4, 3))})
        message = str(info.value)
        assert "Add op 'total'" in message and "test_registry_and_errors.py" in message
        assert "(2, 3)" in message and "(4, 3)" in message
        assert info.value.op is total.op
        assert sess.run(total, {x: np.ones((1, 3)), y: np.ones((1, 3))}).sum() == 6.0


def test_error_classes_are_op_errors():
    for cls in (errors.InvalidArgumentError, errors.FailedPreconditionError,
                errors.NotFoundError):
        assert issubclass(cls, errors.OpError)
