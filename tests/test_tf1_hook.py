"""`python -m autograd.tf1 program.py` and `%load_ext autograd.tf1`: TF1 programs run with
not one line changed, `import tensorflow` resolving to the facade."""
import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

import autograd.tf1 as facade

ROOT = pathlib.Path(__file__).resolve().parents[1]

PROGRAM = textwrap.dedent("""\
    import sys
    import tensorflow as tf
    import tensorflow.compat.v1 as tf1
    from tensorflow.examples.tutorials.mnist import input_data
    from tensorflow.python.framework import ops
    from tensorflow.python.client import device_lib
    from tensorflow.contrib import rnn

    ops.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 2])
    y = tf.reduce_sum(x * 2.0)
    with tf.Session() as sess:
        print("value", sess.run(y, {x: [[1.0, 2.0]]}))
    print("facade", tf.__name__, tf1 is tf, tf.__version__)
    print("argv", sys.argv[1:])
    print("devices", [d.device_type for d in device_lib.list_local_devices()])
    print("cell", rnn.BasicLSTMCell(4).state_size)
    print("mnist", callable(input_data.read_data_sets))
    """)


def _run(args, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_program_importing_tensorflow_runs_unchanged(tmp_path):
    (tmp_path / "program.py").write_text(PROGRAM)
    done = _run(["-m", "autograd.tf1", "program.py", "--epochs", "3"], tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "value 6.0" in out
    assert "facade autograd.tf1 True 1.15.0" in out  # even where TensorFlow is installed
    assert "argv ['--epochs', '3']" in out
    assert "devices ['CPU']" in out and "cell LSTMStateTuple(c=4, h=4)" in out


def test_a_module_the_facade_lacks_fails_saying_so(tmp_path):
    (tmp_path / "program.py").write_text("import tensorflow.contrib.slim as slim\n"
                                         "import tensorflow.contrib.gan as gan\n")
    done = _run(["-m", "autograd.tf1", "program.py"], tmp_path)
    assert done.returncode != 0
    assert "No module named 'tensorflow.contrib.gan': this program runs on autograd.tf1" \
        in done.stderr                     # slim exists (tf.contrib's tutorial subset)


def test_a_name_the_facade_lacks_fails_saying_so():
    with pytest.raises(AttributeError, match="autograd.tf1, this engine's TF1 facade"):
        _ = facade.no_such_name_in_tf1
    assert not hasattr(facade, "no_such_name_in_tf1")


def test_usage_without_a_program(tmp_path):
    done = _run(["-m", "autograd.tf1"], tmp_path)
    assert done.returncode == 2 and "usage: python -m autograd.tf1" in done.stdout


def test_the_hook_answers_only_while_installed(tmp_path):
    script = textwrap.dedent("""\
        import sys
        import autograd.tf1 as facade
        from autograd.tf1 import hook
        hook.install()
        import tensorflow as tf
        import tensorflow.compat.v1 as v1
        print("installed", tf is facade, v1 is facade, hook.installed())
        hook.uninstall()
        print("after", hook.installed(), "tensorflow" in sys.modules)
        """)
    done = _run(["-c", script], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "installed True True True" in done.stdout and "after False False" in done.stdout


def test_the_notebook_extension_installs_the_hook(tmp_path):
    pytest.importorskip("IPython", reason="IPython is not installed (extra 'notebooks')")
    script = textwrap.dedent("""\
        from IPython.core.interactiveshell import InteractiveShell
        shell = InteractiveShell.instance()
        shell.run_line_magic("load_ext", "autograd.tf1")
        shell.run_cell("import tensorflow as tf\\nprint('loaded', tf.__name__)")
        shell.run_line_magic("unload_ext", "autograd.tf1")
        import autograd.tf1.hook as hook
        print("after unload", hook.installed())
        """)
    done = _run(["-c", script], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "loaded autograd.tf1" in done.stdout and "after unload False" in done.stdout
