"""Damaged or misplaced MNIST files get the loader's clear error naming the file."""
import gzip
import shutil

import numpy as np
import pytest

from nn import datasets


@pytest.fixture
def copy(tmp_path):
    for name in datasets.FILES.values():
        shutil.copy(datasets.BUNDLED / name, tmp_path / name)
    return tmp_path


def _rewrite(path, change):
    data = bytearray(gzip.decompress(path.read_bytes()))
    path.write_bytes(gzip.compress(bytes(change(data))))


def test_a_corrupt_deflate_stream(copy):
    path = copy / "t10k-labels-idx1-ubyte.gz"
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2:len(raw) // 2 + 8] = b"\xff" * 8
    path.write_bytes(bytes(raw))
    with pytest.raises(datasets.DataError, match=r"t10k-labels.*gzip"):
        datasets.read_data_sets(path=copy)


def test_a_label_outside_0_to_9(copy):
    def bad_label(data):
        data[8 + 3] = 12
        return data
    _rewrite(copy / "train-labels-idx1-ubyte.gz", bad_label)
    with pytest.raises(datasets.DataError, match=r"train-labels.*label 12.*0..9"):
        datasets.read_data_sets(path=copy)


def test_swapped_image_and_label_files(copy):
    images, labels = copy / "t10k-images-idx3-ubyte.gz", copy / "t10k-labels-idx1-ubyte.gz"
    images.rename(copy / "swap")
    labels.rename(images)
    (copy / "swap").rename(labels)
    with pytest.raises(datasets.DataError, match=r"holds (labels, not images|images, not "
                                                 r"labels).*swapped"):
        datasets.read_data_sets(path=copy)


def test_wrong_image_dimensions(copy):
    header = np.array([2051, 10, 32, 32], dtype=">u4").tobytes()
    (copy / "t10k-images-idx3-ubyte.gz").write_bytes(
        gzip.compress(header + bytes(10 * 32 * 32)))
    with pytest.raises(datasets.DataError, match=r"t10k-images.*32x32.*28x28"):
        datasets.read_data_sets(path=copy)


@pytest.mark.parametrize("how", ["path", "MNIST_DIR"])
def test_a_named_folder_that_is_missing_or_incomplete_never_falls_back(copy, monkeypatch,
                                                                       how):
    (copy / "t10k-images-idx3-ubyte.gz").unlink()
    for folder, words in ((copy, "lacks t10k-images"), (copy / "nowhere", "does not exist")):
        if how == "path":
            call = lambda folder=folder: datasets.read_data_sets(path=folder)  # noqa: E731
        else:
            monkeypatch.setenv("MNIST_DIR", str(folder))
            call = datasets.read_data_sets
        with pytest.raises(datasets.DataError, match=words):
            call()
