"""Bundled datasets (checksums, formats, batching) and metrics."""
import gzip
import shutil

import numpy as np
import pytest

from nn import datasets, metrics


@pytest.fixture(scope="module")
def mnist():
    return datasets.read_data_sets(one_hot=True, seed=0)


def test_bundled_mnist_reads_with_the_documented_formats(mnist):
    assert mnist.train.images.shape == (55000, 784) and mnist.train.images.dtype == np.float32
    assert mnist.validation.num_examples == 5000 and mnist.test.num_examples == 10000
    assert 0.0 <= mnist.train.images.min() and mnist.train.images.max() == 1.0
    assert mnist.train.labels.shape == (55000, 10) and mnist.train.labels.dtype == np.float32
    np.testing.assert_array_equal(mnist.test.labels.sum(1), 1.0)


def test_ids_and_unflattened_images():
    data = datasets.read_data_sets(reshape=False, validation_size=0)
    assert data.train.images.shape == (60000, 28, 28, 1)
    assert data.train.labels.dtype == np.uint8 and set(np.unique(data.test.labels)) == \
        set(range(10))


def test_next_batch_covers_an_epoch_then_reshuffles(mnist):
    seen = []
    for _ in range(550):
        images, labels = mnist.train.next_batch(100)
        seen.append(labels.argmax(1))
    assert mnist.train.epochs_completed == 0
    counts = np.bincount(np.concatenate(seen), minlength=10)
    np.testing.assert_array_equal(counts, np.bincount(mnist.train.labels.argmax(1)))
    mnist.train.next_batch(100)
    assert mnist.train.epochs_completed == 1


def test_other_folders_missing_files_and_corruption(tmp_path, monkeypatch):
    for name in datasets.FILES.values():
        shutil.copy(datasets.BUNDLED / name, tmp_path / name)
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    assert datasets.find_files() == tmp_path
    assert datasets.read_data_sets().test.num_examples == 10000
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(datasets.DataError, match="empty.*lacks"):
        datasets.read_data_sets(path=empty)
    truncated = tmp_path / "t10k-labels-idx1-ubyte.gz"
    truncated.write_bytes(gzip.compress(gzip.decompress(truncated.read_bytes())[:100]))
    with pytest.raises(datasets.DataError, match="truncated"):
        datasets.read_data_sets(path=tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(b"not gzip")
    with pytest.raises(datasets.DataError, match="gzip"):
        datasets.read_data_sets(path=tmp_path)


def test_bundled_checksum_is_verified(tmp_path, monkeypatch):
    fake = tmp_path / "mnist"
    fake.mkdir()
    for name in datasets.FILES.values():
        shutil.copy(datasets.BUNDLED / name, fake / name)
    data = bytearray((fake / "t10k-labels-idx1-ubyte.gz").read_bytes())
    data[-12] ^= 0xFF
    (fake / "t10k-labels-idx1-ubyte.gz").write_bytes(bytes(data))
    monkeypatch.setattr(datasets, "BUNDLED", fake)
    with pytest.raises(datasets.DataError, match="corrupted"):
        datasets.read_idx(fake / "t10k-labels-idx1-ubyte.gz")


def test_course_tables():
    weight_age, fat = datasets.blood_fat()
    assert weight_age.shape == (25, 2) and fat.shape == (25,) and fat[0] == 354.0
    inputs, targets = datasets.xor()
    np.testing.assert_array_equal(targets, np.logical_xor(inputs[:, 0], inputs[:, 1]))


def test_accuracy_and_confusion_matrix():
    labels = np.array([0, 1, 2, 2, 1])
    scores = np.eye(3)[[0, 2, 2, 2, 1]]
    assert metrics.accuracy(labels, scores) == pytest.approx(0.8)
    assert metrics.accuracy(np.eye(3)[labels], [0, 1, 2, 2, 1]) == 1.0
    np.testing.assert_array_equal(metrics.confusion_matrix(labels, scores),
                                  [[1, 0, 0], [0, 1, 1], [0, 0, 2]])


def test_roc_curve_and_auc_against_a_hand_count():
    labels = np.array([1, 0, 1, 1, 0, 0])
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.3, 0.3])
    fpr, tpr, thresholds = metrics.roc_curve(labels, scores)
    np.testing.assert_allclose(tpr, [0, 1 / 3, 1 / 3, 2 / 3, 1, 1])
    np.testing.assert_allclose(fpr, [0, 0, 1 / 3, 1 / 3, 1 / 3, 1])
    assert thresholds[0] == np.inf and thresholds[-1] == 0.3
    # AUC = P(score of a positive > score of a negative) = 7/9 here
    assert metrics.auc(fpr, tpr) == pytest.approx(7 / 9)
    with pytest.raises(ValueError, match="both"):
        metrics.roc_curve([1, 1], [0.2, 0.4])
