"""Checkpoint files: numpy .npz archives, written atomically and read without pickle.

Each array is a standard `.npy` member (so `np.load` can inspect the file), after a first
`__manifest__` member listing every entry's dtype, shape and sha256, and the archive's
comment marks it as ours. Reading never unpickles anything: the archive is opened with
`zipfile` (whose CRC-32 catches most damage) and each member's header is checked before
its data is parsed; the manifest then catches what the CRCs cannot (a damaged central
directory that hides members: the manifest comes first, so it still names them). Any
damage, from truncation to a flipped bit, raises `errors.DataLossError` naming the file
and what is wrong. Plain `np.savez` archives (no manifest) are read too.

Writing goes to a temporary file in the same folder, which is fsynced, renamed over the
target and followed by an fsync of the folder, so a crash leaves either the old file or
the new one. A save killed midway leaves its temporary file behind; the next save in that
folder removes such files once their process is gone.
"""
import hashlib
import io
import json
import os
import secrets
import time
import zipfile
import zlib

import numpy as np

from . import errors

MANIFEST = "__manifest__"
FORMAT = "graphgrad-tf1 checkpoint"
MARKER = b"graphgrad-tf1 checkpoint v1"   # the zip archive's comment
TEMP_SUFFIX = ".tmp-ckpt"
STALE_SECONDS = 3600  # a temporary file this old is stale even if its pid was reused


def write(path, arrays):
    """Write {key: array} to `path` atomically (see the module docstring)."""
    arrays = {key: _contiguous(value) for key, value in arrays.items()}
    manifest = {"format": FORMAT, "version": 1, "entries": {
        key: {"dtype": a.dtype.str, "shape": list(a.shape), "sha256": _digest(a)}
        for key, a in arrays.items()}}
    text = json.dumps(manifest, sort_keys=True).encode()

    def contents(out):
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            archive.comment = MARKER
            _write_member(archive, MANIFEST, np.frombuffer(text, dtype=np.uint8))
            for key, array in arrays.items():
                _write_member(archive, key, array)
    return _atomically(path, contents)


def write_text(path, text):
    """Write a small text file atomically (the `checkpoint` index)."""
    return _atomically(path, lambda out: out.write(text.encode()))


def write_bytes(path, data):
    """Write a file atomically (a meta graph, an exported model)."""
    return _atomically(path, lambda out: out.write(data))


def _atomically(path, contents):
    """Call contents(binary file) on a temporary file next to `path`; fsync it, rename it
    over `path`, fsync the folder. On any failure the temporary file is removed."""
    path = os.path.abspath(path)
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, exist_ok=True)
        remove_stale_temps(folder)
    except OSError as exc:
        raise _unwritable(exc, path) from None
    temp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}."
                                f"{secrets.token_hex(4)}{TEMP_SUFFIX}")
    try:
        with open(temp, "wb") as out:
            contents(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException as exc:
        if os.path.exists(temp):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise _unwritable(exc, path) from None
        raise
    _fsync_folder(folder)
    return path


def _unwritable(exc, path):
    """The OSError of a failed write, naming the file asked for, not its temporary file."""
    return type(exc)(exc.errno, f"cannot write {path!r}: {exc.strerror or exc}")


def _write_member(archive, key, array):
    with archive.open(key + ".npy", "w", force_zip64=True) as member:
        np.lib.format.write_array(member, array, allow_pickle=False)


def _contiguous(value):
    """`value` as a C-ordered array (np.ascontiguousarray would make a scalar 1-d)."""
    array = np.asarray(value)
    return array if array.flags.c_contiguous else array.copy(order="C")


def _digest(array):
    return hashlib.sha256(_contiguous(array).reshape(-1).view(np.uint8)).hexdigest()


def _fsync_folder(folder):
    """Make the rename itself durable (not possible on every platform)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def remove_stale_temps(folder):
    """Delete temporary files left by saves whose process has died (or that are old)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not name.endswith(TEMP_SUFFIX):
            continue
        parts = name[:-len(TEMP_SUFFIX)].split(".")
        pid = int(parts[-2]) if len(parts) >= 2 and parts[-2].isdigit() else None
        full = os.path.join(folder, name)
        try:
            old = time.time() - os.path.getmtime(full) > STALE_SECONDS
            if old or pid is None or not _alive(pid):
                os.unlink(full)
        except OSError:
            continue  # another save removed it first


def _alive(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- reading --------------------------------------------------------------------------------
class Entry:
    """One stored array: its dtype and shape (known before the data is parsed), and a way
    to load it. Object and structured dtypes are refused: they would need pickle."""

    __slots__ = ("key", "dtype", "shape", "_data", "_path")

    def __init__(self, key, dtype, shape, data, path):
        self.key, self.dtype, self.shape, self._data, self._path = key, dtype, shape, data, path

    def load(self):
        try:
            return np.lib.format.read_array(io.BytesIO(self._data), allow_pickle=False)
        except (ValueError, EOFError, OSError) as exc:
            raise _damaged(self._path, f"entry {self.key!r} cannot be parsed "
                                       f"({type(exc).__name__})") from None


def read(path):
    """{key: Entry} for every array in the checkpoint at `path` (DataLossError if it is
    damaged or not a checkpoint)."""
    size = os.path.getsize(path)
    if size == 0:
        raise _damaged(path, "the file is empty (a save may have been interrupted)")
    if not zipfile.is_zipfile(path):
        raise _damaged(path, "it is not a checkpoint: not an .npz archive (a zip file)")
    try:
        with zipfile.ZipFile(path) as archive:
            ours = archive.comment == MARKER
            infos = archive.infolist()
            _refuse_duplicates(path, infos)
            limits = _size_limits(path, archive, infos)
            entries = {}
            for info in infos:
                if not info.filename.endswith(".npy"):
                    raise _damaged(path, f"unexpected member {info.filename!r}")
                key = info.filename[:-len(".npy")]
                entries[key] = _entry(path, key, _read_member(path, archive, info,
                                                              limits.get(key)))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            NotImplementedError, RuntimeError, ValueError) as exc:
        raise _damaged(path, _reason(exc)) from None
    manifest = entries.pop(MANIFEST, None)
    if manifest is not None:
        _verify(path, entries, manifest)
    elif ours or not entries:
        raise _damaged(path, "its manifest is missing" if ours else "it holds no entries")
    return entries


def _refuse_duplicates(path, infos):
    """Two members of one name: which one np.load would take is an accident, so refuse."""
    seen = set()
    for info in infos:
        if info.filename in seen:
            raise _damaged(path, f"member {info.filename!r} appears twice")
        seen.add(info.filename)


MANIFEST_LIMIT = 64 << 20     # bytes: a manifest lists names, dtypes, shapes and digests
HEADER_LIMIT = 1 << 16        # bytes: the largest .npy header numpy writes


def _size_limits(path, archive, infos):
    """{key: the most bytes its member may inflate to}, from the manifest's dtypes and
    shapes, read (within its own limit) before any other member; {} without a manifest.
    A member the manifest does not list may hold nothing: limit 0."""
    found = [info for info in infos if info.filename == MANIFEST + ".npy"]
    if not found:
        return {}
    data = _read_member(path, archive, found[0], MANIFEST_LIMIT)
    try:
        listed = json.loads(bytes(_entry(path, MANIFEST, data).load()).decode())["entries"]
        limits = {key: HEADER_LIMIT + int(np.prod(facts["shape"], dtype=np.int64)) *
                  np.dtype(facts["dtype"]).itemsize for key, facts in listed.items()}
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise _damaged(path, "its manifest is unreadable") from None
    limits[MANIFEST] = MANIFEST_LIMIT
    for info in infos:
        limits.setdefault(info.filename[:-len(".npy")], 0)
    return limits


def _read_member(path, archive, info, limit):
    """A member's bytes, refused before inflating when its declared size is over `limit`
    (and never more than declared plus one byte read, whatever the data claims)."""
    if limit is not None and info.file_size > limit:
        raise _damaged(path, f"member {info.filename!r} declares {info.file_size} bytes, "
                             f"more than its manifest allows ({limit})")
    with archive.open(info) as member:
        data = member.read(info.file_size + 1)
    if len(data) > info.file_size or (limit is not None and len(data) > limit):
        raise _damaged(path, f"member {info.filename!r} inflates past its declared size")
    return data


def _entry(path, key, data):
    """Check a member's .npy header before anything parses its data."""
    stream = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(stream)
        reader = {(1, 0): np.lib.format.read_array_header_1_0,
                  (2, 0): np.lib.format.read_array_header_2_0}.get(version)
        if reader is None:
            raise ValueError(f"unknown .npy version {version}")
        shape, _, dtype = reader(stream)
    except (ValueError, SyntaxError, TypeError, EOFError) as exc:
        raise _damaged(path, f"entry {key!r} has an unreadable header "
                             f"({type(exc).__name__})") from None
    if dtype.hasobject or dtype.names is not None:
        raise errors.InvalidArgumentError(
            f"checkpoint entry {key!r} in {path!r} holds Python objects or records, not "
            f"numbers; it was refused without being read (loading it would run code)")
    return Entry(key, dtype, tuple(shape), data, path)


def _verify(path, entries, manifest):
    """The manifest lists what was written: any difference means damage."""
    try:
        listed = json.loads(bytes(manifest.load()).decode())["entries"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise _damaged(path, "its manifest is unreadable") from None
    if set(listed) != set(entries):
        missing = sorted(set(listed) ^ set(entries))
        raise _damaged(path, f"entries {missing} differ from its manifest")
    for key, facts in listed.items():
        entry = entries[key]
        if entry.dtype.str != facts.get("dtype") or list(entry.shape) != facts.get("shape"):
            raise _damaged(path, f"entry {key!r} does not match its manifest")
        if _digest(entry.load()) != facts.get("sha256"):
            raise _damaged(path, f"entry {key!r} fails its checksum")


def _reason(exc):
    text = str(exc)
    if "pickle" in text.lower():  # never suggest unpickling a file one cannot trust
        text = "unreadable data"
    return f"the archive is damaged ({type(exc).__name__}: {text})"


def _damaged(path, reason):
    return errors.DataLossError(f"checkpoint {os.fspath(path)!r} cannot be restored: "
                                f"{reason}. Nothing was changed.")
