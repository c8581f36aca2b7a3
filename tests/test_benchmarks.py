"""The benchmark scripts still run (a few steps each): they are how speed is measured."""
import numpy as np
import pytest

from benchmarks import course, frameworks
from benchmarks.specs import ALL


WITHOUT_DROPOUT = sorted(name for name, spec in ALL.items() if spec.keep == 1.0)


@pytest.mark.parametrize("model", WITHOUT_DROPOUT)  # dropout masks differ between frameworks
def test_ours_and_numpy_agree_on_the_first_steps(model):
    """Same weights, same batches: the hand-written baseline computes the same model."""
    spec = ALL[model]
    import nn
    data = nn.datasets.read_data_sets(one_hot=True)
    batches = list(course._batches(data, spec, 3))
    ours_step, ours_predict = frameworks.build_ours(spec)
    base_step, base_predict = frameworks.build_numpy(spec)
    for step, (images, labels) in enumerate(batches):
        ours_step(images, labels, step)
        base_step(images, labels, step)
    images = batches[0][0]
    assert np.mean(ours_predict(images) == base_predict(images)) > 0.95


def test_course_child_reports_figures():
    figures = course.run_one("softmax", "ours", 30, measure_accuracy=True)
    assert 0.5 < figures["accuracy"] <= 1.0 and figures["seconds"] > 0
    assert figures["peak_mb"] > 0


def test_interleaved_timing_reports_every_framework():
    rates = course.interleaved("softmax", ["ours", "numpy"], rounds=2)
    assert set(rates) == {"ours", "numpy"} and all(r > 0 for r in rates.values())
