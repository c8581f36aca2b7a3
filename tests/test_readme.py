"""The README's code blocks run as written and print what they promise."""
import pathlib
import re

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def _run_blocks(capsys):
    outputs = []
    import autograd as ag
    for block in re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S):
        with ag.Graph().as_default():      # each block as a reader runs it: a fresh program
            exec(compile(block, str(README), "exec"), {})  # noqa: S102 - our own README
        outputs.append(capsys.readouterr().out.split())
    return outputs


def test_readme_python_blocks_run(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the export example writes export/model.pb
    ten_lines, training, traced, exported, imported, new_op = _run_blocks(capsys)
    assert float(ten_lines[-1]) < 1e-3      # the ten-line example converges
    assert float(training[-1]) > 0.9        # "about 0.95" on the MNIST test set
    assert traced[0] == "<ReadVariableOp" and "thread" in traced
    assert "'MatMul'," in exported and "'VarHandleOp'," not in exported
    assert (tmp_path / "export" / "model.pb").exists() == (tmp_path / "export" /
                                                          "model.onnx").exists() is True
    assert imported == ["[[11.", "11.", "11.]]"]   # the frozen model, imported again
    assert new_op == []


def test_readme_images_exist_and_their_script_runs(tmp_path, monkeypatch):
    import runpy
    script = README.parent / "scripts" / "make_readme_images.py"
    names = ["cnn_step_timeline.png", "course_cnn.png", "mnist_softmax.png",
             "name_scopes.png"]
    for name in names:
        assert f"docs/images/{name}" in README.read_text()
        assert (README.parent / "docs" / "images" / name).stat().st_size > 1000
    module = runpy.run_path(str(script))
    monkeypatch.setitem(module["main"].__globals__, "IMAGES", tmp_path)
    module["main"]()
    assert sorted(p.name for p in tmp_path.iterdir()) == names
