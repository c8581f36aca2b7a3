"""`from autograd.tf1.examples.tutorials.mnist import input_data` for TF1 tutorials."""
import pathlib
import warnings

from nn import datasets


def read_data_sets(train_dir=None, fake_data=False, one_hot=False, reshape=True,
                   validation_size=5000, seed=None, **unused):
    """As TF1's tutorial helper. TF1 downloaded the files into `train_dir` when it held
    none of them; here the copy bundled with the package is used instead. A folder that
    holds some of the files, or damaged ones, is an error, as in nn.datasets."""
    if fake_data:
        return datasets.read_data_sets(one_hot=one_hot, fake_data=True, seed=seed)
    folder = pathlib.Path(train_dir) if train_dir else None
    if folder is not None and not any((folder / name).exists()
                                      for name in datasets.FILES.values()):
        warnings.warn(f"MNIST files not found in {train_dir!r}; using the bundled copy",
                      UserWarning, stacklevel=2)
        folder = None
    return datasets.read_data_sets(folder, one_hot, reshape, validation_size, seed)
