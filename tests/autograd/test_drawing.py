"""Drawings: rendered with the real `dot`, structure checked from the DOT source."""
import re
import shutil
import warnings

import numpy as np
import pytest

import autograd as ag
from examples.course_graphs import homework_graph
import nn
import optim
from autograd import drawing

needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz's dot is not installed "
                                      "(scripts/setup.sh installs it)")


def softmax_model():
    x = ag.placeholder(ag.float32, [None, 784], name="x")
    labels = ag.placeholder(ag.float32, [None, 10], name="labels")
    with ag.name_scope("model"):
        w = ag.Variable(ag.zeros([784, 10]), name="weights")
        b = ag.Variable(ag.zeros([10]), name="bias")
        logits = ag.matmul(x, w) + b
    loss = ag.reduce_mean(nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    train = optim.AdamOptimizer().minimize(loss, global_step=optim.get_or_create_global_step())
    return x, labels, logits, loss, train


def nodes(source):
    """{node id: attribute text} from DOT source."""
    return dict(re.findall(r'^\s*"?([^"\s]+?)"? \[(.*)\]$', source, flags=re.M))


def clusters(source):
    return re.findall(r"subgraph cluster_(\S+) \{", source)


@needs_dot
def test_name_scopes_become_nested_clusters_and_png_renders(tmp_path):
    graph, _, _ = homework_graph()
    picture = ag.draw(graph)
    assert set(clusters(picture.source)) >= {"Input_placeholder", "Middle_section",
                                             "Final_node", "legend"}
    found = nodes(picture.source)
    assert "invhouse" in found["Input_placeholder/a"]
    assert "label=add_d" in found["Middle_section/add_d"]
    assert re.search(r'"Input_placeholder/a" -> "Middle_section/sum_a" \[label="\?"',
                     picture.source)
    path = picture.render(str(tmp_path / "homework"), format="png")
    assert open(path, "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_leaf_kinds_have_distinct_shapes_and_edges_show_shapes():
    x, labels, logits, loss, train = softmax_model()
    found = nodes(ag.draw(logits, legend=False).source)
    assert "cylinder" in found["model/weights"] and "invhouse" in found["x"]
    source = ag.draw(logits).source
    assert '-> "model/MatMul" [label="(?, 784)"' in source
    assert "cluster_legend" in source


def test_gradients_hide_behind_one_box_unless_asked():
    softmax_model()
    hidden = ag.draw()
    assert "scope#gradients" in hidden.source
    assert not any(key.startswith("gradients/") for key in nodes(hidden.source))
    shown = ag.draw(include_gradients=True, depth=5)
    found = nodes(shown.source)
    backward_ops = [k for k, attrs in found.items()
                    if k.startswith("gradients") and "ellipse" in attrs]
    assert backward_ops and all("#ffc4c4" in found[k] for k in backward_ops)


def test_collapse_and_depth_draw_a_scope_as_one_box():
    graph, _, _ = homework_graph()
    source = ag.draw(graph, collapse=["Middle_section"]).source
    assert "scope#Middle_section" in nodes(source) and "Middle_section/add_d" not in nodes(source)
    assert '"scope#Middle_section" -> "Final_node/final_multiply_node"' in source
    flat = ag.draw(graph, depth=0).source
    assert "scope#Final_node" in flat and "box3d" in flat


def test_repeated_series_are_stacked_and_bookkeeping_moves_aside():
    x = ag.placeholder(ag.float32, [3], name="x")
    y = x
    for _ in range(10):
        y = y + 1.0
    ag.Variable(1.0, name="v")
    ag.global_variables_initializer()
    source = ag.draw().source
    assert "add x10" in source and "peripheries=2" in source
    assert "cluster_(bookkeeping)" in source
    assert not re.search(r'"?v"? -> "?init"?', source)  # one stub instead of an edge
    assert 'label="initializes 1 variable"' in source
    assert re.search(r'"?v"? -> "?init"?', ag.draw(hub_edges=True).source)


def test_fetch_list_draws_only_what_it_needs_and_edge_width_grows():
    x, labels, logits, loss, train = softmax_model()
    source = ag.draw([logits]).source
    assert "labels" not in nodes(source) and "Adam" not in source
    widths = [float(w) for w in re.findall(r"penwidth=([\d.]+)", source)]
    assert max(widths) > min(widths)


def test_plan_view_marks_fed_cut_and_unfed_placeholders():
    x, labels, logits, loss, train = softmax_model()
    source = ag.draw([loss], feed_dict={x: np.zeros((1, 784))}).source
    found = nodes(source)
    assert "needs a feed" in found["labels"] and "#d62728" in found["labels"]
    assert "(fed)" in source
    cut = ag.draw([loss], feed_dict={logits: np.zeros((1, 10)), labels: np.zeros((1, 10))})
    assert "#ffffff" in nodes(cut.source)["model/MatMul"]  # not executed: cut by the feed


def test_session_annotates_values_from_a_real_run():
    graph, a, f = homework_graph()
    with ag.Session(graph=graph) as sess:
        source = ag.draw([f], session=sess, feed_dict={a: [1.0, 2.0, 3.0]}).source
    found = nodes(source)
    assert "() float32 = [6.]" in found["Middle_section/sum_a"]
    assert "(3,) float32 = [1., 2., 3.]" in found["Input_placeholder/a"]


def test_text_fallback_when_dot_is_missing(monkeypatch, tmp_path):
    graph, _, _ = homework_graph()
    monkeypatch.setattr(drawing.picture.shutil, "which", lambda name: None)
    monkeypatch.setattr(drawing.picture, "_warned", [])
    picture = ag.draw(graph)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bundle = picture._repr_mimebundle_()
        path = picture.render(str(tmp_path / "g"), format="png")
        picture.render(str(tmp_path / "g2"), format="png")
    assert len([w for w in caught if "apt-get install graphviz" in str(w.message)]) == 1
    assert "Middle_section/\n  prod_b (Prod) -> ()  <- a" in bundle["text/plain"]
    assert path.endswith(".txt") and "final_multiply_node (Mul)" in open(path).read()


def test_large_cnn_graph_stays_readable_by_default():
    x = ag.placeholder(ag.float32, [None, 28, 28, 1])
    y = ag.placeholder(ag.float32, [None, 10])
    model = nn.layers.Sequential([nn.layers.Conv2D(4, 5, activation=nn.relu),
                                  nn.layers.Conv2D(8, 5, 2, activation=nn.relu),
                                  nn.layers.Conv2D(12, 4, 2, activation=nn.relu),
                                  nn.layers.Flatten(), nn.layers.Dense(200, nn.relu),
                                  nn.layers.Dense(10)])
    loss = ag.reduce_mean(nn.softmax_cross_entropy_with_logits(labels=y, logits=model(x)))
    optim.AdamOptimizer().minimize(loss)
    ag.global_variables_initializer()
    assert ag.get_default_graph().version > 150
    assert len(nodes(ag.draw(legend=False).source)) <= drawing.collect.NODE_BUDGET


def test_explain_gradient_names_the_blocking_op():
    x = ag.Variable([1.0, 2.0], name="x")
    unrelated = ag.Variable(3.0, name="unrelated")
    through_argmax = ag.cast(ag.argmax(x * 2.0), ag.float32, name="as_float")
    stopped = ag.stop_gradient(x, name="frozen") * 3.0
    fine = ag.reduce_sum(x * x)
    why = ag.explain_gradient(through_argmax, x)
    assert not why.has_gradient and "ArgMax op 'ArgMax'" in why.reason
    assert "test_drawing.py" in why.reason and ag.gradients(through_argmax, [x]) == [None]
    assert "stop_gradient" in ag.explain_gradient(stopped, x).reason
    assert "no path" in ag.explain_gradient(fine, unrelated).reason
    assert ag.explain_gradient(fine, x).has_gradient
    picture = why.draw()
    assert "penwidth=4" in nodes(picture.source)["ArgMax"]


def test_session_step_walks_forward_and_backward_op_by_op():
    x = ag.placeholder(ag.float32, [2], name="x")
    y = ag.reduce_sum(ag.square(x))
    g, = ag.gradients(y, [x])
    with ag.Session() as sess:
        trace = list(sess.step([y, g], {x: [1.0, 2.0]}))
    types = [s.op.type for s in trace]
    assert types.index("Square") < types.index("Sum") and "BroadcastTo" in types
    square = trace[types.index("Square")]
    np.testing.assert_array_equal(square.inputs[0], [1.0, 2.0])
    np.testing.assert_array_equal(square.outputs[0], [1.0, 4.0])
    assert "Square" in repr(square)
    frame = ag.draw([y, g], include_gradients=True, highlight=square)
    assert "penwidth=4" in nodes(frame.source)["Square"]


@pytest.mark.filterwarnings("ignore:divide by zero", "ignore:invalid value")
def test_check_numerics_op_and_session_option():
    x = ag.placeholder(ag.float32, [None])
    checked = ag.check_numerics(ag.log(x), "log of x")
    with ag.Session() as sess:
        assert sess.run(checked, {x: [1.0]}) == 0.0
        with pytest.raises(ag.errors.InvalidArgumentError, match="log of x.*1 Inf"):
            sess.run(checked, {x: [0.0]})
    w = ag.Variable([1.0, 2.0])
    loss = ag.reduce_sum(ag.sqrt(w * x))
    train = optim.GradientDescentOptimizer(0.1).minimize(loss)
    with ag.Session(check_numerics=True) as sess:
        sess.run(w.initializer)
        sess.run(train, {x: [1.0, 1.0]})
        before = sess.run(w)
        with pytest.raises(ag.errors.InvalidArgumentError) as info:
            sess.run(train, {x: [-1.0, 1.0]})
        message = str(info.value)
        assert "Sqrt op" in message and "NaN" in message and "test_drawing.py" in message
        np.testing.assert_array_equal(sess.run(w), before)


def test_summaries_file_writer_and_plot(tmp_path, monkeypatch):
    x = ag.placeholder(ag.float32, [None])
    ag.summary.scalar("mean", ag.reduce_mean(x))
    ag.summary.histogram("values", x)
    merged = ag.summary.merge_all()
    with ag.Session() as sess:
        for run in ("run1", "run2"):
            writer = ag.summary.FileWriter(tmp_path / run, sess.graph)
            for step in range(3):
                writer.add_summary(sess.run(merged, {x: np.arange(step + 2.0)}), step)
            writer.close()
    files = sorted(p.name for p in (tmp_path / "run1").iterdir())
    assert {"graph.dot", "graph.png", "scalars.csv", "histograms.csv"} <= set(files)
    scalars = ag.summary.read_scalars(tmp_path)
    assert scalars["run1"]["mean"] == ([0, 1, 2], [0.5, 1.0, 1.5])
    figure = ag.summary.plot(tmp_path)
    assert len(figure.axes) == 1 and len(figure.axes[0].lines) == 2
    monkeypatch.setitem(__import__("sys").modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        ag.summary.plot(tmp_path)
