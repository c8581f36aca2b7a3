"""Session.run rules: fetch structures, feeds, pruning, plans, defaults, growth warning."""
import collections
import inspect
import warnings

import numpy as np
import pytest

import autograd as ag
from autograd import errors


def counting_op(log):
    """A toy op that records each time its kernel runs."""
    def forward(x):
        log.append(1)
        return x
    return ag.define_op(f"Count{id(log)}", forward=forward, shape=lambda x: (x.shape, x.dtype))


def test_nested_fetch_structures_come_back_in_shape():
    a, b = ag.constant(1.0), ag.constant(2.0)
    Pair = collections.namedtuple("Pair", "first second")
    with ag.Session() as sess:
        out = sess.run({"a": a, "pair": Pair(a, [b, (a,)]), "op": b.op})
    assert out["a"] == 1.0 and out["op"] is None
    assert isinstance(out["pair"], Pair) and out["pair"].second[1] == (1.0,)
    with ag.Session() as sess:
        assert sess.run(["Const:0", "Const_1:0"]) == [1.0, 2.0]


def test_feeds_by_tensor_or_name_and_any_tensor_can_be_fed():
    x = ag.placeholder(ag.float32, [None], name="x")
    y = x * 2.0
    z = y + 1.0
    with ag.Session() as sess:
        np.testing.assert_allclose(sess.run(z, {"x:0": [1, 2]}), [3, 5])
        np.testing.assert_allclose(sess.run(z, {y: [10.0]}), [11.0])


def test_only_needed_ops_run_and_fed_tensors_cut_the_graph():
    log = []
    count = counting_op(log)
    x = ag.placeholder(ag.float32, [])
    expensive = count(x * 3.0)
    unrelated = count(ag.constant(1.0))
    out = expensive + 1.0
    with ag.Session() as sess:
        sess.run(out, {x: 1.0})
        assert len(log) == 1
        sess.run(out, {expensive: 5.0})  # x need not be fed: the path through it is cut
        assert len(log) == 1
        sess.run(unrelated)
        assert len(log) == 2


def test_plans_are_cached_per_fetches_and_feed_keys():
    x = ag.placeholder(ag.float32, [])
    y = x + 1.0
    with ag.Session() as sess:
        for value in range(3):
            sess.run(y, {x: value})
        sess.run([y], {x: 0.0})  # same targets, same feed keys: same plan
        assert len(sess._plans) == 1
        sess.run(y, {x: 0.0, y: 5.0})
        assert len(sess._plans) == 2


def test_intermediate_values_are_freed_after_their_last_consumer():
    x = ag.placeholder(ag.float32, [3])
    y = x
    for _ in range(50):
        y = y * 1.0
    with ag.Session() as sess:
        sess.run(y, {x: [1, 2, 3]})
        plan = next(iter(sess._plans.values()))
    live, peak = set(), 0
    for _, _, out, frees, _ in plan.steps:
        live.add(out)
        peak = max(peak, len(live))
        live -= set(frees)
    assert peak <= 3


def test_long_chain_runs_without_recursion():
    x = ag.constant(1.0)
    y = x
    for _ in range(3000):
        y = y + 1.0
    g, = ag.gradients(y, [x])
    with ag.Session() as sess:
        assert sess.run(y) == 3001.0 and sess.run(g) == 1.0


def test_each_session_owns_its_variable_values():
    v = ag.Variable(1.0)
    inc = v.assign_add(1.0)
    s1, s2 = ag.Session(), ag.Session()
    s1.run(v.initializer)
    s2.run(v.initializer)
    s1.run(inc)
    assert s1.run(v) == 2.0 and s2.run(v) == 1.0


def test_fetched_arrays_are_copies_of_variables_and_constants():
    v = ag.Variable(np.zeros(3))
    c = ag.constant([1.0, 2.0])
    with ag.Session() as sess:
        sess.run(v.initializer)
        value = sess.run(v)
        value[0] = 99.0
        assert sess.run(v)[0] == 0.0
        cv = sess.run(c)
        cv[0] = 99.0
        assert sess.run(c)[0] == 1.0


def test_interactive_session_and_eval_run_use_the_default_session():
    v = ag.Variable(3.0)
    sess = ag.InteractiveSession()
    v.initializer.run()
    assert (v * 2.0).eval() == 6.0 and v.eval() == 3.0
    sess.close()
    with pytest.raises(ValueError, match="no default session"):
        v.eval()
    with ag.Session() as other:
        other.run(v.initializer)
        assert v.eval() == 3.0


def test_closed_session_refuses_to_run():
    sess = ag.Session()
    sess.close()
    with pytest.raises(RuntimeError, match="closed"):
        sess.run(ag.constant(1.0))


def test_graph_growing_between_runs_warns_once():
    v = ag.Variable(0.0)
    with ag.Session() as sess:
        sess.run(v.initializer)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for _ in range(25):
                sess.run(v.assign_add(1.0))  # the classic mistake: a new op every step
        growth = [w for w in caught if "added to the graph" in str(w.message)]
        assert len(growth) == 1 and "finalize" in str(growth[0].message)
        assert "test_session.py" in str(growth[0].message)  # names the line to move


def test_ops_built_every_few_steps_also_warn():
    v = ag.Variable(0.0)
    inc = v.assign_add(1.0)
    with ag.Session() as sess:
        sess.run(v.initializer)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for step in range(100):
                sess.run(inc)
                if step % 10 == 0:
                    line = inspect.currentframe().f_lineno + 1
                    accuracy = ag.reduce_mean(v * 2.0)  # rebuilt every 10 steps
                    sess.run(accuracy)
        growth = [w for w in caught if "added to the graph" in str(w.message)]
        assert len(growth) == 1 and f"test_session.py:{line}" in str(growth[0].message)


def test_a_notebook_building_different_ops_between_runs_does_not_warn():
    v = ag.Variable(1.0)
    with ag.Session() as sess, warnings.catch_warnings():
        warnings.simplefilter("error")
        sess.run(v.initializer)
        sess.run(v * 2.0)
        sess.run(v + 1.0)
        sess.run(ag.square(v))
        sess.run(v - 3.0)
        sess.run(ag.exp(v))
        sess.run(v / 2.0)


def test_steady_training_loop_does_not_warn():
    v = ag.Variable(0.0)
    inc = v.assign_add(1.0)
    with ag.Session() as sess, warnings.catch_warnings():
        warnings.simplefilter("error")
        sess.run(v.initializer)
        for _ in range(25):
            sess.run(inc)


def test_session_on_an_explicit_graph():
    graph = ag.Graph()
    with graph.as_default():
        c = ag.constant(5.0)
    with ag.Session(graph=graph) as sess:
        assert sess.run(c) == 5.0
    with ag.Session() as sess, pytest.raises(ValueError, match="another graph"):
        sess.run(c)


def test_feed_errors_name_the_placeholder():
    x = ag.placeholder(ag.float32, [None, 784], name="images")
    y = ag.reduce_sum(x, name="total")
    with ag.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError, match=r"images.*total:0") as info:
            sess.run(y)
        assert "feed_dict" in str(info.value) and "test_session.py" in str(info.value)
        with pytest.raises(errors.InvalidArgumentError, match=r"\(2, 785\).*images:0.*784"):
            sess.run(y, {x: np.zeros((2, 785))})
        with pytest.raises(errors.InvalidArgumentError, match="images"):
            sess.run(y, {x: [[1, 2], [3]]})
        with pytest.raises(errors.NotFoundError, match="did you mean 'images:0'"):
            sess.run(y, {"imgaes:0": np.zeros((1, 784))})
        with pytest.raises(errors.NotFoundError, match="images:0"):
            sess.run(y, {"images": np.zeros((1, 784))})
        assert sess.run(y, {x: np.ones((2, 784))}) == 1568.0  # still usable


def test_int_placeholder_refuses_fractional_feed():
    n = ag.placeholder(ag.int32, [2])
    with ag.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError, match="int32"):
            sess.run(n, {n: [1.5, 2.0]})
        assert list(sess.run(n, {n: [1.0, 2.0]})) == [1, 2]


def test_none_fetch_explains_the_usual_cause():
    a = ag.Variable(1.0)
    b = ag.Variable(2.0)
    grads = ag.gradients(a * 2.0, [a, b])
    assert grads[1] is None
    with ag.Session() as sess, pytest.raises(TypeError, match="gradients"):
        sess.run(grads)
