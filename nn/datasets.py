"""Data: MNIST (bundled, read from the standard IDX .gz files) and the course's small
tables (blood fat, XOR)."""
import gzip
import hashlib
import os
import pathlib
import zlib

import numpy as np

FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}
BUNDLED = pathlib.Path(__file__).resolve().parent / "data" / "mnist"
# sha256 of the bundled files: a mismatch means a corrupted install.
CHECKSUMS = {
    "train-images-idx3-ubyte.gz":
        "db8f937d487057fb14a9f0fbe97f0bc8d311ab41b750d41e1ff37c43b9e55e19",
    "train-labels-idx1-ubyte.gz":
        "51fc562b6747b666fbf6e84ce29d43c3cb5f9c388c664d43b33f02095313405a",
    "t10k-images-idx3-ubyte.gz":
        "cfeddb84311ecf044fc6a5b0f6ee8a24d265d4e83e388400186eb114082f4209",
    "t10k-labels-idx1-ubyte.gz":
        "e41c74e484045d39b462a7790a4af51301bd9b0b24f0154798d713ec68c45920",
}
IDX_MAGIC = {2049: 1, 2051: 3}  # labels: 1 dimension; images: 3 dimensions
KIND_MAGIC = {"images": 2051, "labels": 2049}
IMAGE_SIZE = (28, 28)
CLASSES = 10


class DataError(ValueError):
    """A data file that is missing, corrupt or not in the expected format."""


def default_cache_dir():
    """The per-user folder searched after MNIST_DIR (XDG cache, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return pathlib.Path(base) / "graphgrad-tf1" / "mnist"


def find_files(path=None):
    """The folder holding the four IDX files: `path`, else $MNIST_DIR, else the per-user
    cache, else the copy bundled with the package. A folder you name (path= or MNIST_DIR)
    must hold all four: a missing or incomplete one is an error, never a silent fall-back
    to another copy."""
    chosen = path if path is not None else os.environ.get("MNIST_DIR") or None
    if chosen is not None:
        folder = pathlib.Path(chosen)
        source = "path=" if path is not None else "MNIST_DIR"
        if not folder.is_dir():
            raise DataError(f"the MNIST folder {str(folder)!r} (from {source}) does not exist")
        missing = [name for name in FILES.values() if not (folder / name).is_file()]
        if missing:
            raise DataError(f"the MNIST folder {str(folder)!r} (from {source}) lacks "
                            f"{', '.join(missing)}; it needs all four IDX files")
        return folder
    for folder in (default_cache_dir(), BUNDLED):
        if all((folder / name).is_file() for name in FILES.values()):
            return folder
    raise DataError(f"MNIST files not found in {default_cache_dir()} nor in the bundled copy "
                    f"({BUNDLED}); reinstall the package, or put the four files "
                    f"({', '.join(FILES.values())}) in one folder and pass path=... or set "
                    f"MNIST_DIR.")


def read_idx(file_path, verify=True, kind=None):
    """Read one gzipped IDX file into a uint8 array, checking its header and size (and,
    for the bundled copy, its sha256). `kind` ("images" or "labels") also checks that the
    file holds what its name says: 28x28 images, or labels 0..9."""
    file_path = pathlib.Path(file_path)
    raw = file_path.read_bytes()
    expected = CHECKSUMS.get(file_path.name)
    if verify and file_path.parent == BUNDLED and expected is not None:
        actual = hashlib.sha256(raw).hexdigest()
        if actual != expected:
            raise DataError(f"{file_path} is corrupted (sha256 {actual[:12]}..., expected "
                            f"{expected[:12]}...); reinstall the package")
    try:
        data = gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"{file_path} is not a valid gzip file (damaged or truncated: "
                        f"{exc})") from None
    magic = int.from_bytes(data[:4], "big")
    if magic not in IDX_MAGIC:
        raise DataError(f"{file_path} is not an IDX file (magic number {magic})")
    if kind is not None and magic != KIND_MAGIC[kind]:
        holds = "images" if magic == KIND_MAGIC["images"] else "labels"
        raise DataError(f"{file_path} holds {holds}, not {kind}: are the image and label "
                        f"files swapped?")
    ndim = IDX_MAGIC[magic]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(dims)):
        raise DataError(f"{file_path} is truncated: header says {dims}, found {body.size} "
                        f"values")
    array = body.reshape(dims)
    _check_contents(file_path, kind, array)
    return array


def _check_contents(file_path, kind, array):
    if kind == "images" and tuple(array.shape[1:]) != IMAGE_SIZE:
        raise DataError(f"{file_path} holds images of {array.shape[1]}x{array.shape[2]} "
                        f"pixels; MNIST images are 28x28")
    if kind == "labels" and array.size and array.max() >= CLASSES:
        raise DataError(f"{file_path} holds the label {int(array.max())}; MNIST labels are "
                        f"0..9")


class DataSet:
    """Images and labels, with `next_batch(n)` that reshuffles at every epoch."""

    def __init__(self, images, labels, seed=None, fake_data=False, one_hot=False):
        self.images = images
        self.labels = labels
        self.num_examples = FAKE_EXAMPLES if fake_data else len(images)
        self._one_hot = one_hot
        # seed=None draws from numpy's global generator, as TF's tutorial helper did, so
        # that np.random.seed(...) makes a program's batches repeat
        self._rng = np.random.default_rng(seed) if seed is not None else np.random
        self._order = self._rng.permutation(self.num_examples)
        self._position = 0
        self.epochs_completed = 0

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        """The next `batch_size` examples; a new random order each epoch. With
        `fake_data` (TF's tutorial helper), a batch of identical all-ones images of
        class 0, for testing a program's plumbing without data."""
        if fake_data:
            label = np.eye(10, dtype=np.float32)[0] if self._one_hot else np.uint8(0)
            return (np.ones((batch_size, 784), np.float32),
                    np.stack([label] * batch_size))
        if not 0 < batch_size <= self.num_examples:
            raise ValueError(f"batch_size must be in 1..{self.num_examples}, got {batch_size}")
        if self._position + batch_size > self.num_examples:
            self.epochs_completed += 1
            self._order = self._rng.permutation(self.num_examples) if shuffle else \
                np.arange(self.num_examples)
            self._position = 0
        index = self._order[self._position:self._position + batch_size]
        self._position += batch_size
        return self.images[index], self.labels[index]


class Datasets:
    def __init__(self, train, validation, test):
        self.train, self.validation, self.test = train, validation, test


FAKE_EXAMPLES = 10000  # what TF's helper reports for fake data sets


def read_data_sets(path=None, one_hot=False, reshape=True, validation_size=5000, seed=None,
                   train_dir=None, fake_data=False):
    """MNIST as `.train`, `.validation` (the first `validation_size` training images) and
    `.test`. Images are float32 in [0, 1], flat [N, 784] (or [N, 28, 28, 1] with
    reshape=False); labels are uint8 class ids or float32 one-hot rows. With fake_data,
    no file is read: each set hands out fake batches (see DataSet.next_batch)."""
    if fake_data:
        return Datasets(*[DataSet(np.zeros((0, 784), np.float32), np.zeros(0, np.uint8),
                                  seed, fake_data=True, one_hot=one_hot) for _ in range(3)])
    folder = find_files(path if path is not None else train_dir)
    arrays = {key: read_idx(folder / name, kind=key.split("_")[1])
              for key, name in FILES.items()}
    parts = {}
    for split in ("train", "test"):
        images = arrays[f"{split}_images"].astype(np.float32) / 255.0
        images = images.reshape(len(images), -1) if reshape else images[..., None]
        labels = arrays[f"{split}_labels"]
        if len(images) != len(labels):
            raise DataError(f"{split}: {len(images)} images but {len(labels)} labels")
        if one_hot:
            labels = np.eye(10, dtype=np.float32)[labels]
        parts[split] = (images, labels)
    images, labels = parts["train"]
    if not 0 <= validation_size <= len(images):
        raise ValueError(f"validation_size must be in 0..{len(images)}, got {validation_size}")
    return Datasets(DataSet(images[validation_size:], labels[validation_size:], seed),
                    DataSet(images[:validation_size], labels[:validation_size], seed),
                    DataSet(*parts["test"], seed))


# The course's blood-fat table (weight kg, age years, blood fat), 25 people.
_BLOOD_FAT = [
    (84, 46, 354), (73, 20, 190), (65, 52, 405), (70, 30, 263), (76, 57, 451), (69, 25, 302),
    (63, 28, 288), (72, 36, 385), (79, 57, 402), (75, 44, 365), (27, 24, 209), (89, 31, 290),
    (65, 52, 346), (57, 23, 254), (59, 60, 395), (69, 48, 434), (60, 34, 220), (79, 51, 374),
    (75, 50, 308), (82, 34, 220), (59, 46, 311), (67, 23, 181), (85, 37, 274), (55, 40, 303),
    (63, 30, 244),
]


def blood_fat():
    """(weight_age [25, 2], blood_fat [25]) as float32: the course's regression data."""
    table = np.array(_BLOOD_FAT, dtype=np.float32)
    return table[:, :2], table[:, 2]


def xor():
    """(inputs [4, 2], targets [4]) float32: the XOR truth table."""
    inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    return inputs, np.array([0, 1, 1, 0], dtype=np.float32)
