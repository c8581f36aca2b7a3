"""Regenerate the README's example drawings (docs/images/*.png) with the real `dot`, and
the timeline of one traced training step of the course CNN (matplotlib).

    .venv/bin/python scripts/make_readme_images.py
"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: make examples/ importable

import autograd as ag  # noqa: E402
import nn  # noqa: E402
import optim  # noqa: E402
from examples.course_graphs import course_cnn, homework_graph  # noqa: E402

IMAGES = ROOT / "docs" / "images"


def mnist_softmax_graph():
    """Softmax regression on MNIST with its optimizer; gradients stay collapsed."""
    graph = ag.Graph()
    with graph.as_default():
        x = ag.placeholder(ag.float32, [None, 784], name="x")
        labels = ag.placeholder(ag.float32, [None, 10], name="labels")
        with ag.name_scope("softmax_regression"):
            w = ag.Variable(ag.zeros([784, 10]), name="weights")
            b = ag.Variable(ag.zeros([10]), name="bias")
            logits = ag.matmul(x, w) + b
        with ag.name_scope("loss"):
            loss = ag.reduce_sum(nn.softmax_cross_entropy_with_logits(labels=labels,
                                                                      logits=logits))
        optim.GradientDescentOptimizer(0.003).minimize(
            loss, global_step=optim.get_or_create_global_step())
        with ag.name_scope("accuracy"):
            hits = ag.equal(ag.argmax(logits, 1), ag.argmax(labels, 1))
            ag.reduce_mean(ag.to_float(hits))
        ag.global_variables_initializer()
    return graph


def cnn_step_timeline():
    """Train the course CNN for a few steps on MNIST batches of 100, then trace one."""
    graph, t = course_cnn()
    data = nn.datasets.read_data_sets(one_hot=True, reshape=False)
    with graph.as_default(), ag.Session() as sess:
        sess.run(t["init"])
        for _ in range(5):
            images, labels = data.train.next_batch(100)
            feed = {t["X"]: images, t["Y_"]: labels}
            sess.run(t["train"], feed)
        metadata = ag.RunMetadata()
        sess.run(t["train"], feed, run_metadata=metadata,
                 options=ag.RunOptions(trace_level=ag.RunOptions.FULL_TRACE))
    return ag.timeline(metadata, title="one training step of the course CNN (batch 100)")


def main():
    IMAGES.mkdir(parents=True, exist_ok=True)
    for name, graph in (("name_scopes", homework_graph()[0]),
                        ("mnist_softmax", mnist_softmax_graph()),
                        ("course_cnn", course_cnn()[0])):
        path = ag.draw(graph).render(str(IMAGES / name), format="png", cleanup=True)
        print("wrote", path)
    path = IMAGES / "cnn_step_timeline.png"
    cnn_step_timeline().savefig(path, dpi=110)
    print("wrote", path)


if __name__ == "__main__":
    main()
