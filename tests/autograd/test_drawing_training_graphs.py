"""Drawings of real training graphs: the course CNN with Adam, MLPs, no false cycles.

Sizes and positions come from the real `dot` (its JSON and SVG output), not pixels.
"""
import json
import re
import shutil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
import optim
from autograd.drawing import collect
from examples.course_graphs import course_cnn

needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz's dot is not installed "
                                      "(scripts/setup.sh installs it)")
MODEL_SCOPES = ["conv1", "conv2", "conv3", "dense", "output"]


def layout(drawing):
    """{node id: (x, y, width, height)} in points, and [(tail, head, points)] per edge."""
    data = json.loads(drawing.pipe(format="json"))
    objects = data.get("objects", [])
    boxes = {}
    for obj in objects:
        if "pos" in obj:
            x, y = (float(v) for v in obj["pos"].split(","))
            boxes[obj["name"]] = (x, y, float(obj["width"]) * 72, float(obj["height"]) * 72)
    edges = []
    for edge in data.get("edges", []):
        points = [p for op in edge.get("_draw_", []) if op["op"] in "bB" for p in op["points"]]
        edges.append((objects[edge["tail"]]["name"], objects[edge["head"]]["name"], points))
    return boxes, edges


def svg_pixels(drawing):
    """(width, height) of the image at Graphviz's default 96 dpi."""
    svg = drawing.pipe(format="svg").decode()
    width, height = (float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"',
                                                  svg).groups())
    return width * 96 / 72, height * 96 / 72


def model_nodes(drawing):
    return {key: attrs for key, attrs in re.findall(r'^\s*"?([^"\s]+?)"? \[(.*)\]$',
                                                     drawing.source, flags=re.M)}


# -- the course CNN with Adam --------------------------------------------------------------
@pytest.fixture
def cnn():
    graph, parts = course_cnn()
    return graph, parts, ag.draw(graph)


def test_course_cnn_draws_in_at_most_40_nodes(cnn):
    graph, _, _ = cnn
    model, _ = collect.build(graph)
    assert len(model.nodes) <= 40
    assert {f"scope:{s}" for s in MODEL_SCOPES} <= set(model.nodes)
    assert not any(model.nodes[f"scope:{s}"].hub for s in MODEL_SCOPES)  # never bookkeeping


@needs_dot
def test_course_cnn_scopes_run_top_to_bottom_in_data_order(cnn):
    boxes, _ = layout(cnn[2])
    heights = [boxes[f"scope#{s}"][1] for s in MODEL_SCOPES]
    assert heights == sorted(heights, reverse=True)  # dot's y grows upwards


@needs_dot
def test_no_edge_crosses_the_course_cnns_model_column_twice(cnn):
    boxes, edges = layout(cnn[2])
    column = [boxes[f"scope#{s}"] for s in MODEL_SCOPES]
    left = min(x - w / 2 for x, _, w, _ in column)
    right = max(x + w / 2 for x, _, w, _ in column)
    for tail, head, points in edges:
        sides = [(-1 if x < left else 1) for x, _ in points if not left <= x <= right]
        crossings = sum(1 for a, b in zip(sides, sides[1:]) if a != b)
        assert crossings <= 1, f"{tail} -> {head} crosses the model column {crossings} times"


@needs_dot
def test_course_cnn_image_fits_a_page(cnn):
    width, height = svg_pixels(cnn[2])
    assert max(width, height) <= 1600, (width, height)


def test_one_update_arrow_per_model_scope_and_stubs_for_hubs(cnn):
    source = cnn[2].source
    updates = re.findall(r'"?(scope#\w+)"? -> "?scope#Adam"? \[.*label="updates ([^"]+)"',
                         source)
    assert sorted(scope for scope, _ in updates) == sorted(f"scope#{s}" for s in MODEL_SCOPES)
    assert all(names == "W, b" for _, names in updates)
    assert 'label="initializes 33 variables"' in source
    assert "step counter" in source
    assert not re.search(r'-> "?init"? \[', source)  # no edge into init but its stub


def test_slots_sit_with_the_optimizer_labelled_with_their_variable(cnn):
    graph, _, _ = cnn
    model, _ = collect.build(graph, include_optimizer=True, depth=1)
    slots = [n for n in model.nodes.values() if n.kind == "variable"
             and n.label.endswith(("/Adam", "/Adam_1"))]
    assert len(slots) == 20
    assert all(n.scope == "Adam" for n in slots)
    labels = sorted(n.label for n in slots)
    assert labels[:4] == ["conv1/W/Adam", "conv1/W/Adam_1", "conv1/b/Adam", "conv1/b/Adam_1"]
    powers = [n.label for n in model.nodes.values() if "power" in n.label]
    assert sorted(powers) == ["beta1_power", "beta2_power"]


def test_the_legend_lists_only_what_the_picture_shows(cnn):
    from autograd.drawing.style import legend_entries
    graph, parts, picture = cnn
    model, _ = collect.build(graph)
    entries = legend_entries(model)
    assert ("node", "scope") in entries and ("edge", "update") in entries
    assert ("node", "gradient") not in entries and ("state", "runs") not in entries
    model, fetches = collect.build([parts["loss"]])
    collect.mark_plan(model, fetches, {parts["X"]: np.zeros((1, 28, 28, 1))})
    entries = legend_entries(model)
    assert ("state", "unfed") in entries and ("state", "runs") in entries
    assert ("edge", "update") not in entries
    assert "not needed: skipped" not in ag.draw([parts["loss"]], feed_dict={}).source
    assert "legend" not in ag.draw(graph, legend=False).source


# -- the gradient ops infer shapes as well as the forward ones ------------------------------
def test_gradient_edges_keep_static_shapes(cnn):
    graph, parts, _ = cnn
    with graph.as_default():
        forward = [parts[k] for k in ("Y1", "Y2", "Y3", "Y4", "logits")]
        grads = ag.gradients(parts["loss"], forward + ag.trainable_variables())
        for tensor, grad in zip(forward + ag.trainable_variables(), grads):
            assert grad.shape == tensor.shape, (tensor.name, grad.shape)
    backward = [t for op in graph.get_operations() if op.name.startswith("gradients")
                for t in op.outputs if t.dtype == ag.float32]
    assert all(t.shape is not None and t.shape.count(None) <= 1 for t in backward)


def test_a_matmul_weight_gradient_has_the_weights_shape():
    w = ag.Variable([[2.0]], name="W")
    x = ag.placeholder(ag.float32, [None, 1])
    grad, = ag.gradients(ag.reduce_mean(ag.square(ag.matmul(x, w))), [w])
    assert grad.shape == (1, 1)
    source = ag.draw(grad, include_gradients=True, depth=9).source
    assert "(?, ?)" not in source and "(1, ?)" not in source


# -- MLPs fit too ----------------------------------------------------------------------------
@needs_dot
def test_deep_mlp_with_adam_fits_a_page_and_keeps_its_layers_in_order():
    x = ag.placeholder(ag.float32, [None, 784], name="X")
    y = ag.placeholder(ag.float32, [None, 10], name="Y_")
    keep = ag.placeholder(ag.float32, [], name="pkeep")
    h = x
    for i, units in enumerate([200, 100, 60, 30, 10]):
        with ag.name_scope(f"layer{i + 1}"):
            w = ag.Variable(ag.truncated_normal([h.shape[1], units], stddev=0.1), name="W")
            h = ag.matmul(h, w) + ag.Variable(ag.zeros([units]), name="b")
            h = h if units == 10 else nn.dropout(nn.relu(h), keep)
    loss = ag.reduce_mean(nn.softmax_cross_entropy_with_logits(labels=y, logits=h))
    optim.AdamOptimizer(0.003).minimize(loss)
    ag.global_variables_initializer()
    picture = ag.draw()
    assert len(collect.build(None)[0].nodes) <= 40
    assert max(svg_pixels(picture)) <= 1600
    boxes, _ = layout(picture)
    heights = [boxes[f"scope#layer{i}"][1] for i in range(1, 6)]
    assert heights == sorted(heights, reverse=True)


# -- no false cycles -------------------------------------------------------------------------
def _acyclic(model):
    """Kahn's algorithm over the drawn data and control edges."""
    edges = {(e.src, e.dst) for e in model.edges if e.kind in ("data", "control", "backprop")}
    indegree = {key: 0 for key in model.nodes}
    for _, dst in edges:
        indegree[dst] += 1
    ready = [k for k, d in indegree.items() if d == 0]
    seen = 0
    while ready:
        key = ready.pop()
        seen += 1
        for src, dst in edges:
            if src == key:
                indegree[dst] -= 1
                if indegree[dst] == 0:
                    ready.append(dst)
    return seen == len(indegree)


def test_stacking_never_draws_the_frozen_false_cycle():
    v = ag.Variable([1.0, 2.0], name="v")
    a = ag.constant([3.0, 4.0], name="a")
    y = ag.reduce_sum(ag.stop_gradient(v * a, name="frozen") * 3.0 * a)
    model, _ = collect.build([y])
    assert _acyclic(model)
    assert not any(n.kind == "series" and n.label.startswith("mul") for n in model.nodes.values())
    source = ag.explain_gradient(y, v).draw().source
    assert "mul x3" not in source


_OPS = st.lists(st.tuples(st.sampled_from(["add", "mul", "stop", "neg"]),
                          st.integers(0, 50), st.integers(0, 50)), min_size=3, max_size=25)


@settings(max_examples=60, deadline=None)
@given(_OPS)
def test_drawing_adds_no_cycle_to_random_graphs(program):
    ag.reset_default_graph()
    tensors = [ag.placeholder(ag.float32, [2], name="x"), ag.constant([1.0, 2.0])]
    for kind, i, j in program:
        a, b = tensors[i % len(tensors)], tensors[j % len(tensors)]
        if kind == "add":
            tensors.append(a + b)
        elif kind == "mul":
            tensors.append(a * b)
        elif kind == "stop":
            tensors.append(ag.stop_gradient(a))
        else:
            tensors.append(-a)
    model, _ = collect.build(None, depth=9)
    assert _acyclic(model)
