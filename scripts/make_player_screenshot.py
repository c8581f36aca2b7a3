"""Regenerate docs/images/player.png: the README's picture of `ag.play`, taken in headless
Chromium (scripts/setup.sh browser installs it and playwright).

    .venv/bin/python scripts/make_player_screenshot.py
"""
import pathlib
import shutil
import sys
import tempfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import autograd as ag  # noqa: E402
import nn  # noqa: E402
import optim  # noqa: E402


def course_mlp_player():
    """One training step of a 784-100-30-10 sigmoid MLP on 16 MNIST images."""
    graph = ag.Graph()
    with graph.as_default():
        rng = np.random.default_rng(0)
        x = ag.placeholder(ag.float32, [None, 784], name="X")
        labels = ag.placeholder(ag.float32, [None, 10], name="Y_")
        h, sizes = x, (784, 100, 30, 10)
        for number, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
            with ag.name_scope(f"layer{number + 1}"):
                w = ag.Variable(rng.normal(0, 0.1, (n_in, n_out)).astype(np.float32),
                                name="W")
                b = ag.Variable(np.zeros(n_out, np.float32), name="b")
                h = ag.matmul(h, w) + b
                if n_out != 10:
                    h = nn.sigmoid(h)
        with ag.name_scope("loss"):
            loss = ag.reduce_mean(nn.softmax_cross_entropy_with_logits(labels=labels,
                                                                       logits=h))
        train = optim.GradientDescentOptimizer(0.5).minimize(loss)
        data = nn.datasets.read_data_sets(one_hot=True)
        feed = {x: data.train.images[:16], labels: data.train.labels[:16]}
        return ag.play([train, loss], feed)


def main():
    from playwright.sync_api import sync_playwright
    browser_path = next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                         "google-chrome"))), None)
    player = course_mlp_player()
    backward = dict(player.marks)["backward done"] - 2
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as driver:
        page_path = player.save(pathlib.Path(folder) / "run.html")
        browser = driver.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        page.goto(page_path.as_uri())
        for _ in range(backward):
            page.click(f"#{player.uid} .ag-next")
        target = ROOT / "docs" / "images" / "player.png"
        page.screenshot(path=str(target), full_page=True)
        browser.close()
    print("wrote", target)


if __name__ == "__main__":
    main()
