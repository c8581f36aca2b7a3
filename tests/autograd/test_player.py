"""autograd.play: one run as frames on one layout, inline, as a file, and in a browser."""
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from helpers.browser import browser_page

import autograd as ag
import nn
import optim
from autograd.drawing import dot_available
from autograd.drawing.player import SVG_NS

pytestmark = pytest.mark.skipif(not dot_available(), reason="Graphviz's dot is not installed "
                                                            "(scripts/setup.sh installs it)")


def course_mlp(hidden=(200, 100, 60, 30)):
    """The course's deep MLP training step (about 150 ops with its backward pass)."""
    rng = np.random.default_rng(0)
    x = ag.placeholder(ag.float32, [None, 784], name="X")
    labels = ag.placeholder(ag.float32, [None, 10], name="Y_")
    h, sizes = x, (784,) + hidden + (10,)
    for number, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        with ag.name_scope(f"layer{number + 1}"):
            w = ag.Variable(rng.normal(0, 0.1, (n_in, n_out)).astype(np.float32), name="W")
            b = ag.Variable(np.zeros(n_out, np.float32), name="b")
            h = ag.matmul(h, w) + b
            if n_out != 10:
                h = nn.relu(h)
    with ag.name_scope("loss"):
        loss = ag.reduce_mean(nn.softmax_cross_entropy_with_logits(labels=labels, logits=h))
    train = optim.GradientDescentOptimizer(0.1).minimize(loss)
    feed = {x: rng.random((16, 784), dtype=np.float32),
            labels: np.eye(10, dtype=np.float32)[rng.integers(0, 10, 16)]}
    return train, loss, feed


def small_step():
    x = ag.placeholder(ag.float32, [None, 3], name="x")
    with ag.name_scope("layer"):
        w = ag.Variable(np.ones((3, 2), np.float32), name="W")
        y = ag.sigmoid(ag.matmul(x, w), name="y")
    loss = ag.reduce_sum(ag.square(y - 1.0), name="loss")
    train = optim.GradientDescentOptimizer(0.5).minimize(loss)
    return train, loss, w, {x: np.arange(6, dtype=np.float32).reshape(2, 3)}


def test_frames_follow_the_executed_ops_with_values_gradients_and_freed_values():
    train, loss, w, feed = small_step()
    with ag.Session() as sess:
        sess.run(w.initializer)
        order = [step.op for step in sess.step([train, loss], feed)]
        before = sess.run(w)
        player = ag.play([train, loss], feed, session=sess, expand=True)
        after = sess.run(w)
    assert not np.array_equal(before, after)            # the run really happened
    assert len(player) == len(order) + 1                 # 'before the run' + one per op
    for k, op in enumerate(order, start=1):
        assert f"'{op.name}'" in player.labels[k]
    marks = dict(player.marks)
    assert 0 < marks["forward done"] < marks["backward done"] < len(player)
    states = [player.states(k) for k in range(len(player))]
    highlighted = [sum(s[0] == "ag-current" for s in frame) for frame in states]
    assert highlighted[0] == 0 and set(highlighted[1:marks["forward done"] + 1]) == {1}
    # a backward op is highlighted with the forward op whose gradient rule built it
    assert 2 in highlighted[marks["forward done"] + 1:marks["backward done"] + 1]
    assert any(s[0] == "ag-freed" for s in states[-1])   # e.g. the MatMul's output
    assert any(s[2].startswith("grad ") for s in states[marks["backward done"]])
    fed = [s for s in states[0] if s[0] == "ag-done"]    # feed and variable, shown at once
    assert len(fed) >= 2 and all(s[1] for s in fed)
    final = states[-1]
    assert any(s[1].startswith("[") or "mean" in s[1] for s in final)


def test_collapsed_scopes_advance_as_one_frame():
    train, loss, feed = course_mlp()
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        executed = len(list(sess.step([train, loss], feed)))
        player = ag.play([train, loss], feed, session=sess)
        assert len(sess.graph.get_operations()) > 120 and len(player) < executed
        page = player.html()
    assert len(page) < 5e6
    for _label, frame in player.marks:
        assert 0 < frame < len(player)
    frames = list(player.frames())
    assert len(frames) == len(player)
    for svg in frames[:3] + frames[-2:]:
        root = ET.fromstring(svg)
        assert root.tag == f"{{{SVG_NS}}}svg"
    current = [g for g in ET.fromstring(frames[4]).iter(f"{{{SVG_NS}}}g")
               if "ag-current" in (g.get("class") or "")]
    assert len(current) == 1


def test_players_save_and_replay_like_a_notebook_cell_run_twice(tmp_path):
    train, loss, w, feed = small_step()
    with ag.Session() as sess:
        sess.run(w.initializer)
        first = ag.play([train, loss], feed, session=sess)
        second = ag.play([train, loss], feed, session=sess)
    assert first.uid != second.uid and len(first) == len(second)
    path = first.save(tmp_path / "run.html")
    text = path.read_text()
    assert text.startswith("<!DOCTYPE html>") and first.uid in text
    assert "<script>" in text and "http" not in text.split("<script>")[1]  # no CDN
    assert "_repr_html_" in dir(first) and first._repr_html_() == first.html()


def test_play_without_a_session_initializes_the_variables():
    graph = ag.Graph()
    with graph.as_default():
        train, loss, w, feed = small_step()
        player = ag.play(loss, feed)
    assert player.labels[-1].startswith("Sum 'loss'")


def test_the_saved_player_works_in_a_real_browser(tmp_path):
    train, loss, w, feed = small_step()
    with ag.Session() as sess:
        sess.run(w.initializer)
        order = [step.op for step in sess.step([train, loss], feed)]
        player = ag.play([train, loss], feed, session=sess, expand=True)
    page_path = player.save(tmp_path / "run.html")
    node_of_frame_5 = player.states(5).index(
        next(s for s in player.states(5) if s[0] == "ag-current"))
    with browser_page() as (page, errors):
        page.goto(page_path.as_uri())
        for _ in range(5):
            page.click(f"#{player.uid} .ag-next")
        assert page.get_attribute(f"#{player.uid}", "data-frame") == "5"
        highlighted = page.eval_on_selector_all(
            f"#{player.uid} g.ag-current", "nodes => nodes.map(n => n.id)")
        assert highlighted == [f"{player.uid}-n{node_of_frame_5}"]
        label = page.inner_text(f"#{player.uid} .ag-label")
        assert f"'{order[4].name}'" in label           # the 5th executed op
        value = page.text_content(f"#{player.uid}-n{node_of_frame_5} text.ag-value")
        assert value == player.states(5)[node_of_frame_5][1]
        shot = page.screenshot(path=str(tmp_path / "player.png"))
        assert shot[:8] == b"\x89PNG\r\n\x1a\n"
        assert errors == []
