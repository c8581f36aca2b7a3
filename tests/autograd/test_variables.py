"""Variables, initializers, assignment, rollback on failure, and the Saver."""
import os

import numpy as np
import pytest

import autograd as ag
from autograd import errors


def test_uninitialized_variable_error_names_it_and_the_fix():
    w = ag.Variable(ag.zeros([2, 2]), name="weights")
    with ag.Session() as sess:
        with pytest.raises(errors.FailedPreconditionError) as info:
            sess.run(w + 1.0)
    message = str(info.value)
    assert "weights" in message and "global_variables_initializer" in message
    assert "test_variables.py" in message


def test_initial_value_kinds_and_collections():
    a = ag.Variable([1, 2], name="a")
    b = ag.Variable(np.zeros((2, 3)), name="b", trainable=False)
    c = ag.Variable(ag.random_normal([4]), name="c")
    d = ag.Variable(3, dtype=ag.float32)
    assert a.dtype == ag.int32 and b.dtype == ag.float64 and d.dtype == ag.float32
    assert a.name == "a:0" and a.op.name == "a" and a.initializer.name == "a/Assign"
    assert ag.global_variables() == [a, b, c, d]
    assert ag.trainable_variables() == [a, c, d]
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        assert sess.run(c).shape == (4,)
        sess.run(ag.variables_initializer([a]))
        np.testing.assert_array_equal(sess.run(a), [1, 2])


def test_initialize_all_variables_is_a_deprecated_alias():
    v = ag.Variable(1.0)
    with pytest.warns(DeprecationWarning, match="global_variables_initializer"):
        init = ag.initialize_all_variables()
    with ag.Session() as sess:
        sess.run(init)
        assert sess.run(v) == 1.0


def test_assign_ops_and_shape_checks():
    v = ag.Variable(ag.zeros([2]))
    with pytest.raises(ValueError, match="shape"):
        v.assign(ag.zeros([3]))
    with pytest.raises(TypeError, match="float64"):
        v.assign(ag.constant(np.zeros(2)))
    with ag.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(ag.assign(v, [1.0, 2.0])), [1, 2])
        np.testing.assert_array_equal(sess.run(ag.assign_sub(v, [1.0, 1.0])), [0, 1])
        np.testing.assert_array_equal(sess.run(ag.assign_add(v, [5.0, 5.0])), [5, 6])


def test_a_failed_run_leaves_variables_as_they_were():
    v = ag.Variable(1.0)
    x = ag.placeholder(ag.float32, [None])
    bad = ag.reshape(x, [2, 2])  # fails at run time for most feeds
    with ag.control_dependencies([v.assign_add(100.0)]):
        step = ag.identity(ag.reduce_sum(bad))
    with ag.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(errors.InvalidArgumentError, match="Reshape"):
            sess.run(step, {x: [1.0, 2.0, 3.0]})
        assert sess.run(v) == 1.0
        assert sess.run(step, {x: [1.0, 2.0, 3.0, 4.0]}) == 10.0
        assert sess.run(v) == 101.0


def test_saver_round_trip_is_atomic_npz(tmp_path):
    w = ag.Variable(np.arange(6.0).reshape(2, 3), name="w")
    b = ag.Variable(0.5, name="b")
    saver = ag.Saver()
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "model"), global_step=7)
        assert path.endswith("model-7.npz") and os.path.exists(path)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint", "model-7.meta",
                                                            "model-7.npz"]
        sess.run([w.assign(np.zeros((2, 3))), b.assign(9.0)])
        saver.restore(sess, path)
        np.testing.assert_array_equal(sess.run(w), np.arange(6.0).reshape(2, 3))
        assert sess.run(b) == 0.5
    with np.load(path, allow_pickle=False) as archive:  # plain numpy can read it
        assert sorted(archive.files) == ["__manifest__", "b", "w"]
        np.testing.assert_array_equal(archive["w"], np.arange(6.0).reshape(2, 3))


def test_restore_refuses_bad_checkpoints_without_changing_anything(tmp_path):
    w = ag.Variable(np.zeros((2, 3)), name="w")
    b = ag.Variable(0.0, name="b")
    saver = ag.Saver()
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        np.savez(tmp_path / "missing.npz", b=np.float64(1.0))
        with pytest.raises(errors.NotFoundError, match="'w'"):
            saver.restore(sess, str(tmp_path / "missing.npz"))
        np.savez(tmp_path / "shape.npz", b=np.float64(1.0), w=np.zeros(5))
        with pytest.raises(errors.InvalidArgumentError, match="shape"):
            saver.restore(sess, str(tmp_path / "shape.npz"))
        np.savez(tmp_path / "object.npz", b=np.float64(1.0),
                 w=np.array([None] * 6, dtype=object).reshape(2, 3))
        with pytest.raises(errors.InvalidArgumentError, match="Python objects"):
            saver.restore(sess, str(tmp_path / "object.npz"))
        with pytest.raises(errors.NotFoundError, match="does not exist"):
            saver.restore(sess, str(tmp_path / "nothing"))
        assert sess.run(b) == 0.0
        np.testing.assert_array_equal(sess.run(w), np.zeros((2, 3)))
