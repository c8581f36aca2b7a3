"""Models in from TensorFlow: frozen GraphDefs that real TensorFlow wrote (committed in
tests/data/tensorflow by scripts/make_tensorflow_fixtures.py: a CNN trained on MNIST, a
static_rnn LSTM, a dynamic_rnn one, a tf.keras CNN) import and run here to TF's outputs,
and models frozen here go to TensorFlow and back."""
import os

import numpy as np
import pytest

from helpers.tensorflow import compat_v1

import autograd as ag
import autograd.tf1 as tf

pytest.importorskip("tensorboard", reason="tensorboard is not installed (extra 'tensorboard')")

FIXTURES = os.path.join(os.path.dirname(__file__), "data", "tensorflow")


def _fixture(name):
    with tf.gfile.GFile(os.path.join(FIXTURES, f"{name}.pb"), "rb") as handle:
        graph_def = tf.GraphDef()
        graph_def.ParseFromString(handle.read())
    return graph_def, np.load(os.path.join(FIXTURES, f"{name}.npz"))


@pytest.mark.parametrize("name, inputs, output", [
    ("cnn", "x:0", "probs:0"), ("lstm_static", "x:0", "y:0"),
    ("keras_cnn", "conv2d_input:0", "probs/Softmax:0")])
def test_frozen_models_written_by_tensorflow_give_its_outputs(name, inputs, output):
    graph_def, data = _fixture(name)
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        graph = tf.get_default_graph()
        x, y = graph.get_tensor_by_name(inputs), graph.get_tensor_by_name(output)
        with tf.Session() as sess:
            got = sess.run(y, {x: data["x"]})
    np.testing.assert_allclose(got, data["expected"], rtol=1e-5, atol=1e-6)


def test_the_text_form_imports_too_and_names_go_under_the_import_scope():
    from google.protobuf import text_format
    graph_def, data = _fixture("cnn")
    text = text_format.MessageToString(graph_def).encode()
    with tf.Graph().as_default():
        probs, conv = tf.import_graph_def(ag.export.importer.parse_graph_def(text),
                                          return_elements=["probs:0", "conv1/Conv2D"])
        assert probs.name == "import/probs:0"
        assert isinstance(conv, ag.Operation) and conv.name == "import/conv1/Conv2D"
        names = {op.name for op in tf.get_default_graph().get_operations()}
        assert "import/conv1/Relu" in names
        with tf.Session() as sess:
            got = sess.run(probs, {"import/x:0": data["x"]})
    np.testing.assert_allclose(got, data["expected"], rtol=1e-5, atol=1e-6)


def test_input_map_rewires_an_input_and_unknown_keys_are_named():
    graph_def, data = _fixture("cnn")
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [None, 784], name="flat_images")
        probs, = tf.import_graph_def(
            graph_def, input_map={"x": tf.reshape(images, [-1, 28, 28, 1])},
            return_elements=["probs:0"], name="model")
        with tf.Session() as sess:
            got = sess.run(probs, {images: data["x"].reshape(-1, 784)})
        np.testing.assert_allclose(got, data["expected"], rtol=1e-5, atol=1e-6)
        with pytest.raises(ValueError, match=r"not found in graph_def: \['nope:0'\]"):
            tf.import_graph_def(graph_def, input_map={"nope:0": images})


def test_loops_of_dynamic_rnn_are_refused_before_anything_is_built():
    graph_def, _ = _fixture("lstm_dynamic")
    with tf.Graph().as_default() as graph:
        with pytest.raises(ValueError) as caught:
            tf.import_graph_def(graph_def)
        assert graph.get_operations() == []
    message = str(caught.value)
    assert "Enter ('rnn/while/Enter' and 11 more)" in message
    assert "static_rnn" in message and "Supported op types:" in message and "MatMul" in message


def _graph_def_with(*nodes):
    graph_def = tf.GraphDef()
    for name, op, inputs, attrs in nodes:
        node = graph_def.node.add(name=name, op=op, input=inputs)
        for key, value in attrs.items():
            node.attr[key].CopyFrom(ag.export.tf_protos.attr_value(value))
    return graph_def


def _float_const(name, value):
    return name, "Const", [], {"dtype": ag.export.tf_protos.Type(np.float32),
                               "value": np.asarray(value, np.float32)}


def test_an_unknown_op_type_names_the_node_and_a_bad_input_says_which():
    unknown = _graph_def_with(_float_const("a", 1.0), ("b", "FancyOp", ["a"], {}))
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"FancyOp \('b'\)"):
            tf.import_graph_def(unknown)
    dangling = _graph_def_with(("b", "Identity", ["missing:0"], {}))
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="node 'b' has input 'missing'"):
            tf.import_graph_def(dangling)


def test_control_inputs_and_nodes_out_of_order_are_kept():
    graph_def = _graph_def_with(
        ("sum", "AddV2", ["a", "b"], {"T": ag.export.tf_protos.Type(np.float32)}),
        _float_const("a", 2.0), _float_const("b", 3.0),
        ("after", "NoOp", ["^sum"], {}))
    with tf.Graph().as_default():
        total, after = tf.import_graph_def(graph_def, return_elements=["sum:0", "after"],
                                           name="")
        assert [op.name for op in after.control_inputs] == ["sum"]
        with tf.Session() as sess:
            assert sess.run(total) == 5.0


def test_damaged_bytes_are_a_data_loss_error():
    graph_def, _ = _fixture("cnn")
    damaged = graph_def.SerializeToString()[:-7] + b"\xff\xff\xff"
    with pytest.raises(tf.errors.DataLossError, match="not a GraphDef"):
        ag.export.importer.parse_graph_def(damaged)
    with pytest.raises(TypeError, match="needs a GraphDef proto"):
        tf.import_graph_def("model.pb")


def _trained_here():
    """A small CNN built with this engine's layers, its session and a batch."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(3)
        x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="x")
        h = tf.layers.conv2d(x, 4, 3, activation=tf.nn.relu)
        h = tf.layers.max_pooling2d(h, 2, 2)
        h = tf.layers.flatten(h)
        logits = tf.layers.dense(h, 3, name="logits")
        tf.nn.softmax(logits, name="probs")
        sess = tf.Session(graph=graph)
        sess.run(tf.global_variables_initializer())
    return sess, np.random.RandomState(2).rand(5, 8, 8, 1).astype(np.float32)


def test_a_model_frozen_here_imports_here_to_the_same_outputs():
    sess, batch = _trained_here()
    expected = sess.run("probs:0", {"x:0": batch})
    frozen = tf.graph_util.convert_variables_to_constants(sess, sess.graph.as_graph_def(),
                                                          ["probs"])
    with tf.Graph().as_default():
        probs, = tf.import_graph_def(frozen, return_elements=["probs:0"])
        with tf.Session() as sess2:
            got = sess2.run(probs, {"import/x:0": batch})
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_a_model_frozen_here_goes_to_tensorflow_and_back():
    real = compat_v1()
    sess, batch = _trained_here()
    expected = sess.run("probs:0", {"x:0": batch})
    frozen = tf.graph_util.convert_variables_to_constants(sess, sess.graph.as_graph_def(),
                                                          ["probs"])
    with real.Graph().as_default() as graph:
        real.import_graph_def(real.GraphDef.FromString(frozen.SerializeToString()), name="")
        with real.Session() as real_sess:
            np.testing.assert_allclose(real_sess.run("probs:0", {"x:0": batch}), expected,
                                       rtol=1e-5)
        from_tensorflow = graph.as_graph_def()     # a real TF GraphDef object
    with tf.Graph().as_default():
        probs, = tf.import_graph_def(from_tensorflow, return_elements=["probs:0"], name="")
        with tf.Session() as sess2:
            got = sess2.run(probs, {"x:0": batch})
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_tensorflow_writes_fixtures_this_test_reads_the_same_way():
    """The committed fixtures are what TensorFlow writes today (skipped without it)."""
    real = compat_v1()
    graph_def, data = _fixture("cnn")
    with real.Graph().as_default():
        real.import_graph_def(real.GraphDef.FromString(graph_def.SerializeToString()), name="")
        with real.Session() as sess:
            np.testing.assert_allclose(sess.run("probs:0", {"x:0": data["x"]}),
                                       data["expected"], rtol=1e-5, atol=1e-6)


def test_an_imported_graph_is_drawn_and_replayed_like_any_other(tmp_path):
    from autograd.drawing.picture import dot_available
    if not dot_available():
        pytest.skip("Graphviz's dot is not installed (scripts/setup.sh installs it)")
    graph_def, data = _fixture("cnn")
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(graph_def, name="")
        assert "conv1" in ag.draw(graph).source
        with tf.Session() as sess:
            probs = graph.get_tensor_by_name("probs:0")
            player = ag.play(probs, {"x:0": data["x"][:1]}, session=sess)
    player.save(str(tmp_path / "cnn.html"))
    assert os.path.getsize(tmp_path / "cnn.html") > 1000
