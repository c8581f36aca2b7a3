"""Regenerate docs/images/explorer.png, the README's picture of `ag.explore`, taken in
headless Chromium (scripts/setup.sh browser installs it and playwright), and measure the
page: its size and how fast it opens, for the course CNN with Adam and for a 2,000-op
graph (an RNN unrolled over 100 steps).

    .venv/bin/python scripts/make_explorer_screenshot.py
"""
import pathlib
import shutil
import sys
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import autograd as ag  # noqa: E402
import autograd.tf1 as tf  # noqa: E402
import nn  # noqa: E402
from helpers.models import course_cnn as course_cnn_model  # noqa: E402


def course_cnn():
    """The course CNN with Adam, run once on 16 MNIST images."""
    data = nn.datasets.read_data_sets(one_hot=True)
    graph, sess, train, loss, feed = course_cnn_model(data.train.images[:16],
                                                      data.train.labels[:16])
    return ag.explore(graph, fetches=[train, loss], feed_dict=feed, session=sess,
                      title="course CNN with Adam")


def unrolled_rnn(steps=100):
    """A tanh RNN unrolled in Python over `steps` time steps, with its gradients."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, steps, 8], name="x")
        w = tf.Variable(np.full((8, 16), 0.1, np.float32), name="W")
        u = tf.Variable(np.full((16, 16), 0.1, np.float32), name="U")
        h = tf.zeros([1, 16])
        for t in range(steps):
            with tf.name_scope(f"step{t}"):
                h = tf.tanh(tf.matmul(x[:, t], w) + tf.matmul(h, u))
        loss = tf.reduce_sum(h, name="loss")
        tf.gradients(loss, [w, u])
    return graph, ag.explore(graph, title="an RNN unrolled 100 steps")


def measure(page, explorer, path, scope):
    """Seconds to the first picture and to open `scope` (a closed scope's id)."""
    start = time.perf_counter()
    page.goto(pathlib.Path(path).as_uri())
    page.wait_for_selector(f"#{explorer.uid}[data-state=ready]", timeout=60000)
    first = time.perf_counter() - start
    start = time.perf_counter()
    page.click(f"[id='{explorer.uid}|s:{scope}']")
    page.wait_for_function(f"document.querySelector('#{explorer.uid}').dataset.state "
                           f"=== 'ready' && !document.getElementById('{explorer.uid}|s:"
                           f"{scope}')")
    return first, time.perf_counter() - start


def main():
    from playwright.sync_api import sync_playwright
    browser_path = next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                         "google-chrome"))), None)
    cnn = course_cnn()
    rnn_graph, rnn = unrolled_rnn()
    keys = [node["key"] for node in cnn.data["nodes"]]
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        rnn_name = f"RNN, {len(rnn_graph.get_operations())} ops"
        for name, explorer, scope in (("course CNN with Adam", cnn, "conv1"),
                                      (rnn_name, rnn, "step50"), (rnn_name, rnn, "gradients")):
            path = explorer.save(pathlib.Path(folder) / "page.html")
            first, opened = measure(page, explorer, path, scope)
            print(f"{name}: {pathlib.Path(path).stat().st_size / 1e6:.2f} MB, "
                  f"{len(explorer.data['nodes'])} nodes; first picture {first:.2f} s, "
                  f"'{scope}' opens in {opened:.2f} s")
        path = cnn.save(pathlib.Path(folder) / "cnn.html")
        measure(page, cnn, path, "conv1")
        page.click(f"[id='{cnn.uid}|n:{keys.index('conv1/Conv2D')}']")
        page.fill(f"#{cnn.uid} .ag-search", "Relu")
        target = ROOT / "docs" / "images" / "explorer.png"
        page.screenshot(path=str(target), full_page=True)
        browser.close()
    print("wrote", target)


if __name__ == "__main__":
    main()
