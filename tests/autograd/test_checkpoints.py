"""Checkpoints: checked before anything changes, damage is DataLossError, saves are atomic."""
import os
import pickle
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import checkpoints, errors

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def model(dtype=ag.float32):
    w = ag.Variable(np.arange(6, dtype=dtype).reshape(2, 3), name="w")
    b = ag.Variable(np.array(0.5, dtype=dtype), name="b")
    return w, b, ag.Saver()


def values(sess, w, b):
    return sess.run(w).tolist(), float(sess.run(b))


# -- restore checks everything first ------------------------------------------------------
def test_restore_refuses_a_lossy_cast_naming_the_variable(tmp_path):
    w, b, saver = model(ag.float32)
    checkpoints.write(tmp_path / "wide.npz", {"w": np.zeros((2, 3), np.float64),
                                              "b": np.float32(9.0)})
    checkpoints.write(tmp_path / "complex.npz", {"w": np.zeros((2, 3), np.complex64),
                                                 "b": np.float32(9.0)})
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        before = values(sess, w, b)
        with pytest.raises(errors.InvalidArgumentError, match=r"float64.*'w'.*lose"):
            saver.restore(sess, str(tmp_path / "wide.npz"))
        with pytest.raises(errors.InvalidArgumentError, match=r"complex64.*'w'"):
            saver.restore(sess, str(tmp_path / "complex.npz"))
        assert values(sess, w, b) == before   # b (fine on its own) was not restored either


def test_a_safe_widening_restores(tmp_path):
    w = ag.Variable(np.zeros((2, 3)), name="w")  # float64
    saver = ag.Saver()
    checkpoints.write(tmp_path / "narrow.npz", {"w": np.ones((2, 3), np.float32)})
    with ag.Session() as sess:
        saver.restore(sess, str(tmp_path / "narrow.npz"))
        assert sess.run(w).dtype == np.float64 and sess.run(w).sum() == 6.0


def test_a_pickle_payload_is_refused_and_never_loaded(tmp_path):
    w, b, saver = model()
    np.savez(tmp_path / "evil.npz", w=np.array([os.system] * 6, dtype=object).reshape(2, 3),
             b=np.float32(1.0))
    (tmp_path / "raw.npz").write_bytes(pickle.dumps({"w": 1}))
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        with pytest.raises(errors.InvalidArgumentError, match="Python objects") as info:
            saver.restore(sess, str(tmp_path / "evil.npz"))
        assert "allow_pickle" not in str(info.value)
        with pytest.raises(errors.DataLossError) as info:
            saver.restore(sess, str(tmp_path / "raw.npz"))
        assert "allow_pickle" not in str(info.value) and "not a checkpoint" in str(info.value)


# -- damaged files --------------------------------------------------------------------------
@pytest.fixture
def saved(tmp_path):
    w, b, saver = model()
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "model"))
    return w, b, saver, path


@pytest.mark.parametrize("damage, reason", [
    (lambda raw: b"", "empty"),
    (lambda raw: raw[:len(raw) // 2], "not an .npz archive"),
    (lambda raw: b"GIF89a" + b"\0" * 200, "not a checkpoint"),
    (lambda raw: raw[:120] + bytes([raw[120] ^ 4]) + raw[121:], "damaged"),
])
def test_damaged_checkpoints_raise_data_loss_naming_the_file(saved, damage, reason):
    w, b, saver, path = saved
    with open(path, "rb") as handle:
        raw = handle.read()
    with open(path, "wb") as handle:
        handle.write(damage(raw))
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        sess.run([w.assign(np.full((2, 3), 7.0, np.float32)), b.assign(7.0)])
        with pytest.raises(errors.DataLossError, match=reason) as info:
            saver.restore(sess, path)
        assert path in str(info.value) and "allow_pickle" not in str(info.value)
        assert values(sess, w, b) == ([[7.0] * 3] * 2, 7.0)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.floats(0, 1), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 7)),
                                           max_size=3))
def test_truncation_or_bit_flips_either_raise_data_loss_or_restore_exactly(tmp_path_factory,
                                                                           cut, flips):
    ag.reset_default_graph()
    folder = tmp_path_factory.mktemp("flips")
    w, b, saver = model()
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        saved = values(sess, w, b)
        path = saver.save(sess, str(folder / "model"))
        with open(path, "rb") as handle:
            raw = bytearray(handle.read())
        for where, bit in flips:
            raw[int(where * (len(raw) - 1))] ^= 1 << bit
        if flips:
            cut = 1.0
        with open(path, "wb") as handle:
            handle.write(raw[:int(cut * len(raw))])
        sess.run([w.assign(np.full((2, 3), 7.0, np.float32)), b.assign(7.0)])
        try:
            saver.restore(sess, path)
        except errors.DataLossError:
            assert values(sess, w, b) == ([[7.0] * 3] * 2, 7.0)  # nothing changed
        else:
            assert values(sess, w, b) == saved                    # exactly what was saved


# -- saving -----------------------------------------------------------------------------------
def test_save_into_a_folder_name_is_a_clear_error(tmp_path):
    _, _, saver = model()
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        for folder in (str(tmp_path) + os.sep, str(tmp_path)):
            with pytest.raises(ValueError, match="is a folder.*model.ckpt"):
                saver.save(sess, folder)


def test_save_fsyncs_the_file_and_the_folder_then_renames(saved, monkeypatch, tmp_path):
    w, b, saver, _ = saved
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append("fsync") or real_fsync(fd))
    monkeypatch.setattr(os, "replace",
                        lambda a, b: calls.append("rename") or real_replace(a, b))
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        saver.save(sess, str(tmp_path / "again"), write_state=False, write_meta_graph=False)
    assert calls == ["fsync", "rename", "fsync"]  # data durable, rename, rename durable
    assert not [p for p in os.listdir(tmp_path) if p.endswith(checkpoints.TEMP_SUFFIX)]


def test_a_save_killed_midway_leaves_a_temp_file_that_the_next_save_removes(tmp_path):
    child = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {ROOT!r})
        import numpy as np
        import autograd as ag
        real = np.lib.format.write_array
        def slow(*args, **kwargs):
            print("writing", flush=True)
            time.sleep(60)
        np.lib.format.write_array = slow
        v = ag.Variable(np.zeros(1000))
        with ag.Session() as sess:
            sess.run(v.initializer)
            ag.Saver().save(sess, {str(tmp_path / 'model')!r})
    """)
    process = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE,
                               text=True)
    assert process.stdout.readline().strip() == "writing"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    leftovers = [p for p in os.listdir(tmp_path) if p.endswith(checkpoints.TEMP_SUFFIX)]
    assert len(leftovers) == 1 and not os.path.exists(tmp_path / "model.npz")
    _, _, saver = model()
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        saver.save(sess, str(tmp_path / "model"))
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model.meta", "model.npz"]


# -- TF1's checkpoint bookkeeping ---------------------------------------------------------------
def test_global_step_names_max_to_keep_and_the_checkpoint_index(tmp_path):
    from autograd.saver import checkpoint_exists, get_checkpoint_state, latest_checkpoint
    v = ag.Variable(0.0, name="v")
    step = ag.Variable(0, dtype=ag.int64, name="global_step")
    saver = ag.Saver(max_to_keep=2)
    prefix = str(tmp_path / "model.ckpt")
    assert latest_checkpoint(str(tmp_path)) is None
    with ag.Session() as sess:
        sess.run(ag.global_variables_initializer())
        for number in (100, 200, 300):
            sess.run([v.assign(float(number)), step.assign(number)])
            path = saver.save(sess, prefix, global_step=step)
        assert path == prefix + "-300.npz"
        assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model.ckpt-200.meta",
                                                "model.ckpt-200.npz", "model.ckpt-300.meta",
                                                "model.ckpt-300.npz"]
        state = get_checkpoint_state(str(tmp_path))
        assert state.model_checkpoint_path == prefix + "-300"
        assert state.all_model_checkpoint_paths == [prefix + "-200", prefix + "-300"]
        latest = latest_checkpoint(str(tmp_path))
        assert int(latest.split("-")[-1]) == 300 and checkpoint_exists(latest)
        saver.restore(sess, prefix + "-200")
        assert sess.run(v) == 200.0
        saver.restore(sess, latest)
        assert sess.run(v) == 300.0
        assert 'model_checkpoint_path: "model.ckpt-300"' in (tmp_path / "checkpoint").read_text()


def _append_member(path, name, data, compress=False):
    import warnings
    import zipfile
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # zipfile warns about the duplicate name
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED if compress else
                             zipfile.ZIP_STORED) as archive:
            archive.writestr(name, data)


def test_a_member_stored_twice_is_refused(saved):
    *_, path = saved
    import zipfile
    with zipfile.ZipFile(path) as archive:
        first = archive.namelist()[1]
        data = archive.read(first)
    _append_member(path, first, data)
    with pytest.raises(errors.DataLossError, match=f"'{first}' appears twice"):
        checkpoints.read(path)


def test_an_inflating_member_is_refused_before_it_is_read(saved):
    import tracemalloc
    *_, path = saved
    _append_member(path, "extra.npy", bytes(64 << 20), compress=True)   # 64 MB of zeros
    assert os.path.getsize(path) < 1 << 20
    tracemalloc.start()
    with pytest.raises(errors.DataLossError, match="declares 67108864 bytes"):
        checkpoints.read(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 << 20
