"""Every notebook runs top to bottom, and its output backs what its prose says.

Each notebook is executed with one more cell appended: the check below, which asserts the
figures its text states (an accuracy range, an ordering), so that prose and output cannot
drift apart. No cell may print a warning. Run times are reported at the end of the run
(a 60 s budget per notebook is asserted only with NOTEBOOK_TIMING=1: timings belong to
benchmarks/notebooks.py on a shared machine).
"""
import os
import pathlib
import time

import nbformat
import pytest
from nbclient import NotebookClient

from helpers.timings import NOTEBOOK_SECONDS

NOTEBOOKS = sorted((pathlib.Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
BUDGET_SECONDS = 60  # each notebook, on 2 cores, with one competing CPU-bound process

CHECKS = {
    "01_graphs_sessions_name_scopes": """
assert len(explorer.data["nodes"]) == 6 and "Middle_section" in {
    s["path"] for s in explorer.data["scopes"]}
source = ag.draw(graph, fetches=[e], feed_dict={}).source
for skipped in ("Middle_section/sum_a", "Final_node/final_multiply_node"):
    assert 'fillcolor="#ffffff"' in next(l for l in source.splitlines() if skipped in l
                                          and "[" in l and "->" not in l), skipped
assert "needs a feed" in source
assert len(caught) == 1 and "added to the graph" in str(caught[0].message)
assert "final_multiply_node" in player.labels[-1] and len(player) == 6  # + "before"
assert "ag-play" in player._repr_html_()
""",
    "02_linear_regression": """
import numpy as np
np.testing.assert_allclose(W_fit.ravel(), [1.2922349, 5.5893784], rtol=1e-6)
np.testing.assert_allclose(b_fit, 1.1374356, rtol=1e-6)
assert curve[-1] > 10 * curve[0] > 1e6              # 6.6e-6 overshoots: the loss grows
assert all(later > earlier for earlier, later in zip(curve, curve[1:]))
""",
    "03_logistic_regression_xor": """
assert np.all(np.abs(results[0] - 0.5) < 0.05)      # no hidden layer: it hedges
assert np.all((results[4] > 0.5) == targets.astype(bool))
""",
    "04_backprop_by_hand_vs_engine": """
assert max(np.max(np.abs(o - m)) for o, m in zip(
    engine, [hand_w[0], hand_b[0], hand_w[1], hand_b[1]])) <= 1e-13
marks = dict(player.marks)
assert 0 < marks["forward done"] < marks["backward done"] < len(player)
assert any(grad.startswith("grad ") for _, _, grad in player.states(marks["backward done"]))
""",
    "05_mnist_softmax": """
assert 0.905 <= test_accuracy <= 0.93                # ~92%
""",
    "06_deep_mlp": """
sigmoid, relu = runs["sigmoid"]["test_accuracy"], runs["relu"]["test_accuracy"]
assert relu[0] > 0.9 and sigmoid[0] < 0.8           # ReLU ahead from the first 100 steps
assert abs(relu[-1] - sigmoid[-1]) < 0.01            # the sigmoid net has caught up
import glob
from autograd.summary import events
assert sorted(ag.summary.read_scalars("logs/06")) == ["relu", "relu_decay", "sigmoid"]
assert glob.glob("logs/06/relu/events.out.tfevents.*") or not events.available()
decayed = runs["relu + decay"]["test_accuracy"]
assert decayed[-1] > relu[-1]                        # decay lets the training settle
gaps = [h["test_loss"][-1] - np.mean(h["train_loss"][-5:]) for h in (plain, dropped)]
assert gaps[1] < gaps[0] / 2                         # dropout narrows the gap
assert abs(plain["test_accuracy"][-1] - dropped["test_accuracy"][-1]) < 0.01
""",
    "07_cnn_mnist": """
assert history[-1] > 0.975
conv = next(n for n in explorer.data["nodes"] if n["key"] == "conv1/Conv2D")
assert conv["value"]["shape"] == [10, 28, 28, 4] and conv["gradient"]["shape"] == [10, 28, 28, 4]
source = ag.draw().source
for layer in ("conv1", "conv2", "conv3", "dense", "output"):
    assert f'"scope#{layer}" -> "scope#Adam"' in source   # Adam updates every layer
assert "initializes 33 variables" in source and "step counter" in source
""",
    "08_optimizers": """
final = {name: curve[-1] for name, curve in losses.items()}
assert final["Momentum"] < final["Adam"] < final["RMSProp"] < final["SGD"] < final["Adagrad"]
assert np.linalg.norm(paths["Momentum"][-1] - 1.0) < 0.05   # reaches the minimum
""",
    "09_evaluation": """
assert best == max(scores, key=scores.get) and 0.88 < scores[best] < 0.93
assert 0.85 < np.mean(fold_scores) < 0.93 and np.std(fold_scores) < 0.03
assert tf_accuracy > 0.93     # the imported TensorFlow CNN beats the softmax
assert tf_accuracy > np.mean(test_probabilities.argmax(1) == mnist.test.labels.argmax(1))
""",
    "10_overtraining": """
tiny, big = curves["2 units (underfits)"], curves["400 + 400 units (overfits)"]
assert tiny["train_error"][-1] > 0.4 and tiny["valid_error"][-1] > 0.4        # underfits
assert big["train_error"][-1] < 0.01 and big["valid_error"][-1] > 0.08        # memorises
assert best_loss < last_loss and stopper.best_step < history["step"][-1]       # restored best
norms = [runs[f"beta={beta:g}"][1] for beta in (0.0, 1e-4, 1e-3, 1e-2)]
assert all(a > b for a, b in zip(norms, norms[1:]))                           # L2 shrinks W
assert runs["dropout 0.5"][0] < runs["beta=0"][0] < runs["beta=0.01"][0]
assert relu_norms[0] > 10 * sigmoid_norms[0]                                  # vanishing
assert all(a < b for a, b in zip(sigmoid_norms, sigmoid_norms[1:]))
""",
    "11_signal_background": """
assert mlp_auc > box_auc + 0.01 and 0.85 < mlp_auc < 0.99
mlp_signal, mlp_background = efficiency(y_test > 0.5, test_t)
box_signal, box_background = efficiency((test_x[:, 0] > a) & (test_x[:, 1] > b), test_t)
assert mlp_signal >= box_signal and mlp_background < box_background
""",
    "12_rnn_sequence_mnist": """
assert test_accuracy > 0.9
assert probabilities[27, digit] > 0.9 > probabilities[5, digit]
assert any(op.type == "While" for op in sess.graph.get_operations())
""",

    "13_keras_basics": """
assert 0.87 <= test_accuracy <= 0.95                 # about 90% after three epochs
plain, regularized = curves["plain"]["val_loss"], curves["L2 + dropout"]["val_loss"]
assert 3 <= int(np.argmin(plain)) + 1 <= 8 and plain[-1] > min(plain) + 0.05   # overfits
assert np.argmin(regularized) > np.argmin(plain) and regularized[-1] < plain[-1]
assert regularized[-1] - min(regularized) < 0.7 * (plain[-1] - min(plain))   # climbs less
assert abs(min(regularized) - min(plain)) < 0.05                            # about as low
assert "dense/" in ag.draw(model.outputs[0]).source           # the layer, as a scope
""",}


def test_there_are_notebooks_stored_without_outputs_each_with_a_check():
    assert {path.stem for path in NOTEBOOKS} == set(CHECKS)
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type
                   == "code"), f"{path.name} has outputs: clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_backs_its_prose(path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(CHECKS[path.stem]))
    start = time.perf_counter()
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    NOTEBOOK_SECONDS[path.stem] = seconds
    warnings = [output.text for cell in notebook.cells for output in cell.get("outputs", [])
                if output.get("name") == "stderr" and "Warning" in output.text]
    assert not warnings, warnings
    if os.environ.get("NOTEBOOK_TIMING"):
        assert seconds < BUDGET_SECONDS


def test_a_creation_site_in_a_notebook_names_the_cell():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import autograd.tf1 as tf\nv = tf.Variable(1.0)"),
        nbformat.v4.new_code_cell("try:\n    tf.Session().run(v * 2.0)\n"
                                  "except tf.errors.FailedPreconditionError as e:\n"
                                  "    print(e)")]
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    text = notebook.cells[1].outputs[0]["text"]
    assert "(created at In [1], line 2)" in text and "(created at In [2], line 2)" in text


def test_a_model_cell_run_twice_hints_at_reset_default_graph():
    cell = "x = tf.placeholder(tf.float32, [None, 3], name='x')\nw = tf.Variable(tf.zeros([3, 1]))"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import autograd.tf1 as tf"),
                      nbformat.v4.new_code_cell(cell), nbformat.v4.new_code_cell(cell),
                      nbformat.v4.new_code_cell(cell)]
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    assert not notebook.cells[1].outputs
    hints = [output["text"] for cell in notebook.cells[2:] for output in cell.outputs]
    assert len(hints) == 1 and "'x_1'" in hints[0] and "tf.reset_default_graph()" in hints[0]
