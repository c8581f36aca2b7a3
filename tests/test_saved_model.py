"""SavedModels the TF 1.x way: written here and loaded here by tags and signatures, read by
TensorFlow's own parser, and written by TensorFlow and loaded here."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import autograd.tf1 as tf

pytest.importorskip("tensorboard", reason="tensorboard is not installed (extra 'tensorboard')")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BATCH = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)


def _save_model(export_dir, **options):
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        h = tf.layers.dense(x, 8, activation=tf.nn.relu)
        y = tf.nn.softmax(tf.layers.dense(h, 2), name="y")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.saved_model.simple_save(sess, str(export_dir), inputs={"x": x},
                                       outputs={"y": y}, **options)
            return sess.run(y, {x: BATCH})


def test_simple_save_then_load_by_tags_and_signature(tmp_path):
    expected = _save_model(tmp_path / "export" / "1")
    assert sorted(os.listdir(tmp_path / "export" / "1")) == ["saved_model.pb", "variables"]
    assert tf.saved_model.maybe_saved_model_directory(str(tmp_path / "export" / "1"))
    with tf.Graph().as_default():
        with tf.Session() as sess:
            meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING],
                                              str(tmp_path / "export" / "1"))
            signature = meta.signature_def[
                tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY]
            assert signature.method_name == tf.saved_model.PREDICT_METHOD_NAME
            x = tf.saved_model.utils.get_tensor_from_tensor_info(signature.inputs["x"])
            y = tf.saved_model.utils.get_tensor_from_tensor_info(signature.outputs["y"])
            np.testing.assert_array_equal(sess.run(y, {x: BATCH}), expected)


def test_the_builder_with_two_tag_sets_refuses_wrong_tags_and_a_used_folder(tmp_path):
    folder = str(tmp_path / "model")
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        w = tf.Variable(np.ones((4, 1), np.float32), name="w")
        y = tf.matmul(x, w, name="y")
        signature = tf.saved_model.predict_signature_def({"x": x}, {"y": y})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            builder = tf.saved_model.builder.SavedModelBuilder(folder)
            builder.add_meta_graph_and_variables(sess, ["serve"],
                                                 signature_def_map={"predict": signature})
            builder.add_meta_graph(["serve", "gpu"])
            assert builder.save() == folder.encode()
    with pytest.raises(tf.errors.AlreadyExistsError, match="already exists"):
        tf.saved_model.builder.SavedModelBuilder(folder)
    with tf.Graph().as_default():
        with tf.Session() as sess:
            with pytest.raises(RuntimeError, match=r"Available tag-sets: \[\['serve'\], "
                                                   r"\['gpu', 'serve'\]\]"):
                tf.saved_model.loader.load(sess, ["train"], folder)
            tf.saved_model.loader.load(sess, ["gpu", "serve"], folder)
            assert sess.run("y:0", {"x:0": BATCH}).ravel().tolist() == \
                pytest.approx(BATCH.sum(1).tolist())


def test_a_damaged_or_missing_saved_model_is_a_clear_error(tmp_path):
    _save_model(tmp_path / "model")
    with open(tmp_path / "model" / "saved_model.pb", "r+b") as handle:
        handle.seek(5)
        handle.write(b"\xff\xff\xff\xff")
    with tf.Graph().as_default(), tf.Session() as sess:
        with pytest.raises(tf.errors.DataLossError, match="damaged"):
            tf.saved_model.loader.load(sess, ["serve"], str(tmp_path / "model"))
        with pytest.raises(tf.errors.NotFoundError, match="SavedModel file does not exist"):
            tf.saved_model.loader.load(sess, ["serve"], str(tmp_path / "nothing"))


def test_tensorflow_reads_the_graph_and_signatures_we_write(tmp_path):
    pytest.importorskip("tensorflow", reason="tensorflow is not installed (extra 'bench')")
    _save_model(tmp_path / "model")
    code = f"""
        from tensorflow.python.saved_model import loader_impl
        saved = loader_impl.parse_saved_model({str(tmp_path / "model")!r})
        meta = saved.meta_graphs[0]
        signature = meta.signature_def["serving_default"]
        print(list(meta.meta_info_def.tags), signature.inputs["x"].name,
              signature.outputs["y"].name, signature.method_name)
    """
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["['serve']", "x:0", "y:0", "tensorflow/serving/predict"]


def test_a_saved_model_written_by_tensorflow_loads_here(tmp_path):
    pytest.importorskip("tensorflow", reason="tensorflow is not installed (extra 'bench')")
    code = f"""
        import numpy as np, tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        w = tf.Variable(np.arange(8, dtype=np.float32).reshape(4, 2), name="w")
        y = tf.nn.softmax(tf.matmul(x, w), name="y")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.saved_model.simple_save(sess, {str(tmp_path / "tf_model")!r}, {{"x": x}},
                                       {{"y": y}})
            np.save({str(tmp_path / "expected.npy")!r}, sess.run(y, {{x: np.ones((3, 4))}}))
    """
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], str(tmp_path / "tf_model"))
        signature = meta.signature_def["serving_default"]
        got = sess.run(signature.outputs["y"].name,
                       {signature.inputs["x"].name: np.ones((3, 4), np.float32)})
    np.testing.assert_allclose(got, np.load(tmp_path / "expected.npy"), rtol=1e-6)
