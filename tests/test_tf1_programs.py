"""TF1-era programs run with only the import line changed (autograd.tf1 for tensorflow)."""
import os
import pathlib
import re
import subprocess
import sys

import pytest

from helpers.blas import avx2_blas_env

PROGRAMS = pathlib.Path(__file__).resolve().parent / "tf1_programs"
ROOT = PROGRAMS.parents[1]


def run(name, tmp_path, env=None):
    env = dict(env or os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    done = subprocess.run([sys.executable, str(PROGRAMS / name)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


def test_every_program_imports_only_the_facade():
    for program in PROGRAMS.glob("*.py"):
        imports = [line for line in program.read_text().splitlines()
                   if re.match(r"(import|from) ", line)]
        assert all("tensorflow" not in line for line in imports)
        assert "import autograd.tf1 as tf" in imports


def test_homework_graph_writes_the_graph(tmp_path):
    out, _ = run("homework_graph.py", tmp_path)
    assert "nodes: 6" in out
    assert (tmp_path / "graph.dot").exists()


def test_linear_regression_prints_the_course_numbers_and_the_deprecation(tmp_path):
    env = avx2_blas_env()  # the course's exact digits need OpenBLAS's AVX2 kernel
    if env is None:
        pytest.skip("this CPU has no AVX2: the exact-digit run needs OpenBLAS's AVX2 kernel")
    out, err = run("linear_regression.py", tmp_path, env)
    assert "initialize_all_variables" in err and "2017-03-02" in err
    assert "W= [[1.2922349]\n [5.5893784]] b= 1.1374356" in out
    assert "[[177.53676]]" in out


def test_logistic_regression_converges(tmp_path):
    out, _ = run("logistic_regression.py", tmp_path)
    cost = float(re.search(r"final cost: ([\d.]+)", out).group(1))
    assert cost < 0.2


def test_mnist_softmax_tutorial(tmp_path):
    out, err = run("mnist_softmax.py", tmp_path)
    assert "bundled copy" in err
    assert float(out.split()[-1]) > 0.88


def test_cnn_with_saver_and_summaries(tmp_path):
    out, _ = run("cnn_saver_summaries.py", tmp_path)
    assert "steps: 60 restored accuracy equal: True" in out
    assert "caught: InvalidArgumentError" in out
    assert (tmp_path / "logs" / "scalars.csv").read_text().count("\n") == 61
    accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator",
        reason="tensorboard is not installed (extra 'tensorboard')")
    logs = accumulator.EventAccumulator(str(tmp_path / "logs")).Reload()
    assert [s.step for s in logs.Scalars("loss")] == list(range(60))  # tensorboard reads it
    assert any(node.op == "Conv2D" for node in logs.Graph().node)
    assert float(out.split("accuracy: ")[-1].split()[0]) > 0.7


def test_layers_losses_and_get_variable(tmp_path):
    out, _ = run("layers_losses.py", tmp_path)
    assert float(out.split()[-1]) < 0.01


@pytest.mark.parametrize("name", ["placeholder", "Variable", "Session", "InteractiveSession",
                                  "nn", "train", "summary", "errors", "name_scope",
                                  "initialize_all_variables", "global_variables_initializer",
                                  "to_float", "losses", "layers", "get_variable"])
def test_facade_has_the_tf1_names(name):
    import autograd.tf1 as tf
    assert hasattr(tf, name)


# -- the whole corpus, and the same programs on real TensorFlow ---------------------------
ALL_PROGRAMS = sorted(p.name for p in PROGRAMS.glob("*.py"))
TF_IMPORT = "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()"
RESULT_RTOL = 2e-3  # float32 training runs of up to a few hundred steps


def _results(stdout):
    """The numbers on the lines a program prints as `result ...`."""
    return [float(token) for line in stdout.splitlines() if line.startswith("result ")
            for token in line.split()[1:]]


def _parity_tolerance(source):
    """A program whose numbers vary from run to run on TF too (Keras's own random
    initial weights) states the spread it measured: `# parity: within 0.2 (...)`."""
    found = re.search(r"^# parity: within ([0-9.]+)", source, flags=re.M)
    return float(found.group(1)) if found else RESULT_RTOL


def _parity_exemption(source):
    found = re.search(r"^# parity: none \((.*?)\)?$", source, flags=re.M | re.S)
    return found and found.group(1)


def test_the_corpus_is_large_and_covers_the_tf1_surface():
    sources = "\n".join((PROGRAMS / name).read_text() for name in ALL_PROGRAMS)
    assert len(ALL_PROGRAMS) >= 47
    for used in ("tf.cond", "tf.while_loop", "tf.map_fn", "tf.nn.dynamic_rnn",
                 "tf.nn.static_rnn", "GRUCell", "MultiRNNCell", "tf.data.Dataset",
                 "make_initializable_iterator", "OutOfRangeError", "tf.app.run",
                 "tf.gfile", "tf.logging", "max_to_keep", "get_checkpoint_state",
                 "tf.layers.batch_normalization", "training=", "tf.losses",
                 "tf.summary.image", "tf.summary.text", "RunMetadata", "add_run_metadata",
                 "fake_data=True", "tf.arg_max", "tf.div", '"float"', "reuse=True",
                 "variable_scope", "tf.nn.nce_loss", "tf.nn.conv2d_transpose",
                 "tf.sparse_placeholder", "tf.metrics.auc", "ExponentialMovingAverage",
                 "bidirectional_dynamic_rnn", "tf.image.resize_images",
                 "tf.extract_image_patches", "local_variables_initializer",
                 "string_input_producer", "tf.FixedLengthRecordReader", "tf.decode_raw",
                 "tf.train.shuffle_batch", "start_queue_runners", "tf.train.Coordinator",
                 "tf.TextLineReader", "tf.decode_csv", "tf.train.batch",
                 "tf.python_io.TFRecordWriter", "tf.train.Example", "tf.TFRecordReader",
                 "tf.parse_single_example", "tf.data.TFRecordDataset",
                 "MonitoredTrainingSession", "StopAtStepHook", "FinalOpsHook",
                 "tf.train.Supervisor", "managed_session", "tf.estimator.Estimator",
                 "tf.estimator.DNNClassifier", "tf.estimator.LinearRegressor",
                 "tf.feature_column.numeric_column", "numpy_input_fn", "train_and_evaluate",
                 "tf.contrib.layers", "tf.contrib.slim", "slim.arg_scope", "slim.repeat",
                 "VocabularyProcessor", "tf.contrib.seq2seq.sequence_loss",
                 "tf.contrib.learn.datasets.mnist", "keras.Sequential", "model.fit",
                 "keras.callbacks.EarlyStopping", "keras.layers.LSTM", "save_weights",
                 "keras.Model", "tf.train.import_meta_graph", "tf.import_graph_def",
                 "input_map=", "ParseFromString", "tf.saved_model.simple_save",
                 "tf.saved_model.loader.load"):
        assert used in sources, used


@pytest.mark.parametrize("name", ALL_PROGRAMS)
def test_each_program_runs_and_reports(name, tmp_path):
    out, _ = run(name, tmp_path)
    source = (PROGRAMS / name).read_text()
    if not _parity_exemption(source):
        assert _results(out), f"{name} prints no result line"


@pytest.mark.parametrize("name", ALL_PROGRAMS)
def test_program_matches_real_tensorflow(name, tmp_path):
    """The same file on tensorflow.compat.v1 (only the import line swapped): the same
    initial values and batches give the same final numbers."""
    pytest.importorskip("tensorflow", reason="tensorflow is not installed (extra 'bench')")
    pytest.importorskip("tf_keras", reason="tf_keras is not installed (extra 'bench'): TF's "
                                           "tf.compat.v1.layers and rnn_cell need it")
    source = (PROGRAMS / name).read_text()
    exemption = _parity_exemption(source)
    if exemption:
        pytest.skip(f"no parity run: {exemption.strip()}")
    (tmp_path / "ours").mkdir()
    # the reference kernels: compiled ones, chosen by timing, differ at float rounding,
    # which a short training's accuracy can turn into one example more or less
    ours, _ = run(name, tmp_path / "ours", dict(os.environ, AUTOGRAD_KERNELS="numpy"))
    twin = tmp_path / "tensorflow" / name
    twin.parent.mkdir()
    twin.write_text(source.replace("import autograd.tf1 as tf", TF_IMPORT))
    env = dict(os.environ, PYTHONPATH=str(ROOT), TF_USE_LEGACY_KERAS="1",
               TF_CPP_MIN_LOG_LEVEL="3", MPLBACKEND="Agg")
    done = subprocess.run([sys.executable, str(twin)], cwd=twin.parent, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    expected, got = _results(done.stdout), _results(ours)
    assert len(got) == len(expected) > 0
    assert got == pytest.approx(expected, rel=_parity_tolerance(source), abs=1e-4)
