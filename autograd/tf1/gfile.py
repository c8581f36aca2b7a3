"""tf.gfile: TF1's file helpers, for local files."""
import glob as _glob
import os
import shutil


def Exists(path):  # noqa: N802 - TF1's names
    return os.path.exists(path)


def IsDirectory(path):  # noqa: N802
    return os.path.isdir(path)


def MakeDirs(path):  # noqa: N802
    os.makedirs(path, exist_ok=True)


def MkDir(path):  # noqa: N802
    os.mkdir(path)


def DeleteRecursively(path):  # noqa: N802
    if os.path.isdir(path):
        shutil.rmtree(path)
    else:
        os.remove(path)


def Remove(path):  # noqa: N802
    os.remove(path)


def Rename(old, new, overwrite=False):  # noqa: N802
    if os.path.exists(new) and not overwrite:
        raise FileExistsError(f"{new} exists (pass overwrite=True)")
    os.replace(old, new)


def Copy(old, new, overwrite=False):  # noqa: N802
    if os.path.exists(new) and not overwrite:
        raise FileExistsError(f"{new} exists (pass overwrite=True)")
    shutil.copyfile(old, new)


def Glob(pattern):  # noqa: N802
    return sorted(_glob.glob(pattern))


def ListDirectory(path):  # noqa: N802
    return sorted(os.listdir(path))


def Walk(top, in_order=True):  # noqa: N802
    for folder, subfolders, files in os.walk(top):
        yield folder, sorted(subfolders), sorted(files)


def Stat(path):  # noqa: N802
    return os.stat(path)


class GFile:
    """A file object (text or binary by `mode`), usable with `with`."""

    def __init__(self, name, mode="r"):
        self._file = open(name, mode)

    def __getattr__(self, attribute):
        return getattr(self._file, attribute)

    def __iter__(self):
        return iter(self._file)

    def size(self):
        return os.fstat(self._file.fileno()).st_size

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()


Open = FastGFile = GFile
