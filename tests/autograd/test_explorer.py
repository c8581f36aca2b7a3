"""The explorer: what the page is given (every node with its card, the scopes, what draw
opens), and, in headless Chromium, the page itself: scopes open, the card, search,
tracing and export."""
import os
import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from helpers.browser import browser_page
from helpers.models import course_cnn

import autograd as ag
import autograd.tf1 as tf


def test_the_page_gets_every_node_its_card_and_the_scopes_draw_opens():
    graph, sess, train, loss, feed = course_cnn()
    explorer = ag.explore(graph, fetches=[train, loss], feed_dict=feed, session=sess)
    nodes = {node["key"]: node for node in explorer.data["nodes"]}
    conv = graph.get_operation_by_name("conv1/Conv2D")
    card = nodes["conv1/Conv2D"]
    assert card["type"] == "Conv2D" and card["path"] == ["conv1", "Conv2D"]
    assert card["outputs"][0][2] == str(conv.outputs[0].shape)
    assert card["attrs"]["padding"] == "'SAME'" and "models.py:" in card["site"]
    assert card["value"]["shape"] == [8, 28, 28, 4] and len(card["value"]["histogram"]) == 12
    relu = nodes["conv1/Relu"]
    assert relu["value"]["min"] >= 0.0
    assert relu["gradient"]["shape"] == [8, 28, 28, 4]      # the gradient flowing into it
    scopes = {scope["path"] for scope in explorer.data["scopes"]}
    assert {"conv1", "dense", "output", "gradients", "Adam"} <= scopes
    assert set(explorer.data["open"]) <= scopes
    edges = explorer.data["edges"]
    keys = [node["key"] for node in explorer.data["nodes"]]
    assert any(keys[src] == "x" and keys[dst] == "conv1/Conv2D" for src, dst, _ in edges)
    assert "Explorer" in repr(explorer)


def test_run_metadata_gives_compute_times_and_bad_metadata_is_refused():
    graph, sess, train, loss, feed = course_cnn()
    metadata = ag.RunMetadata()
    sess.run(train, feed, options=ag.RunOptions(trace_level=3), run_metadata=metadata)
    explorer = ag.explore(graph, run_metadata=metadata)
    timed = [node for node in explorer.data["nodes"] if node["micros"]]
    assert any(node["type"] == "Conv2D" for node in timed)
    conv = next(node for node in explorer.data["nodes"] if node["key"] == "conv1/Conv2D")
    assert conv["bytes"] == 8 * 28 * 28 * 4 * 4        # its float32 output in that run
    with pytest.raises(TypeError, match="RunMetadata"):
        ag.explore(graph, run_metadata={"not": "metadata"})


def test_a_node_the_loss_sends_no_gradient_to_says_why():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        w = tf.Variable(tf.ones([3, 1]), name="w")
        frozen = tf.stop_gradient(tf.matmul(x, w), name="frozen")
        loss = tf.reduce_sum(tf.square(frozen + tf.reduce_sum(w)), name="loss")
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            explorer = ag.explore(graph, fetches=[train, loss], session=sess,
                                  feed_dict={x: np.ones((2, 3), np.float32)})
    nodes = {node["key"]: node for node in explorer.data["nodes"]}
    assert "stop_gradient" in nodes["MatMul"]["why_no_gradient"]
    assert "why_no_gradient" not in nodes["add"] and "gradient" in nodes["add"]


def test_the_saved_page_works_in_a_real_browser(tmp_path):
    graph, sess, train, loss, feed = course_cnn()
    explorer = ag.explore(graph, fetches=[train, loss], feed_dict=feed, session=sess,
                          title="course CNN with Adam")
    page_path = explorer.save(str(tmp_path / "cnn.html"))
    size_mb = os.path.getsize(page_path) / 1e6
    assert size_mb < 4
    keys = [node["key"] for node in explorer.data["nodes"]]
    root = f"#{explorer.uid}"
    with browser_page(1400, 900) as (page, errors):
        start = time.perf_counter()
        page.goto("file://" + os.path.abspath(page_path))
        page.wait_for_selector(f"{root}[data-state=ready]", timeout=30000)
        first_picture = time.perf_counter() - start

        def node_ids():
            return page.eval_on_selector_all(f"{root} g.node",
                                             "ns => ns.map(n => n.id.split('|')[1])")
        assert "s:conv1" in node_ids()
        start = time.perf_counter()
        page.click(f"[id='{explorer.uid}|s:conv1']")
        page.wait_for_selector(f"[id='{explorer.uid}|n:{keys.index('conv1/Conv2D')}']",
                               timeout=10000)
        open_scope = time.perf_counter() - start
        inner = [keys[int(i[2:])] for i in node_ids() if i.startswith("n:")]
        assert "conv1/Conv2D" in inner and "conv1/W" in inner
        page.focus(f"[id='{explorer.uid}|s:dense']")         # the keyboard opens too
        page.keyboard.press("Enter")
        page.wait_for_selector(f"[id='{explorer.uid}|n:{keys.index('dense/MatMul')}']",
                               timeout=10000)

        page.click(f"[id='{explorer.uid}|n:{keys.index('conv1/Conv2D')}']")
        shape = page.get_attribute(f"{root} .ag-card .ag-output", "data-shape")
        conv = graph.get_operation_by_name("conv1/Conv2D")
        assert shape == str(conv.outputs[0].shape)
        assert "min" in page.inner_text(f"{root} .ag-card .ag-stats")

        page.fill(f"{root} .ag-search", "Relu")
        matches = [k for k in explorer.data["nodes"]
                   if "relu" in k["name"].lower() or "relu" in k["type"].lower()]
        assert page.get_attribute(root, "data-matches") == str(len(matches))
        page.fill(f"{root} .ag-search", "")

        loss_node = keys.index("loss")
        page.evaluate(f"() => {{ const e = document.querySelector('{root}').agExplorer; "
                      f"e.select({loss_node}); }}")
        page.click(f"{root} .ag-card .ag-trace-in")
        traced = {keys[int(i)] for i in
                  page.get_attribute(root, "data-traced").split(",")}
        expected = {op.name for op in ag.graph.ancestors([loss.op])}
        drawn = {node["key"] for node in explorer.data["nodes"]
                 if any(op_name == node["name"] for op_name in expected)}
        assert drawn <= traced and "loss" in traced and "x" in traced
        assert not any(key.startswith("Adam/") for key in traced)

        svg = page.evaluate(f"() => document.querySelector('{root}').agExplorer.svgText()")
        tree = ET.fromstring(svg)
        assert tree.tag.endswith("svg") and len(list(tree.iter())) > 50
        png = page.evaluate(f"() => document.querySelector('{root}').agExplorer"
                            f".pngDataUrl()")
        assert png.startswith("data:image/png;base64,")
        assert not errors, errors
    assert first_picture < 5 and open_scope < 2, (first_picture, open_scope)
