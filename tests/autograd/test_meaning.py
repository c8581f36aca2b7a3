"""What ops declare and record, read by everything that needs it: effects on variables,
the provenance of gradient ops, lowerings, and values read through the session."""
import threading

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import dtypes, export, lowerings
from autograd.drawing import collect
from autograd.drawing.player import _forward_home
from autograd.ops.control_flow import While


@pytest.fixture
def loop_over_variable():
    """A read-only while_loop that multiplies by a variable 3 times."""
    graph = ag.Graph()
    with graph.as_default():
        v = ag.Variable(2.0, name="v")
        _, out = ag.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * v),
                               [ag.constant(0), ag.constant(1.0)])
    return graph, v, out


# -- effects --------------------------------------------------------------------------------
def test_reads_and_writes_are_what_each_op_declares(loop_over_variable):
    graph, v, out = loop_over_variable
    with graph.as_default():
        bump = v.assign_add(1.0)
        read = v.read_value()
    assert ag.effects(bump.op) == ((), (v.handle,))
    assert ag.effects(read.op) == ((v.handle,), ())
    loop = next(op for op in graph.get_operations() if op.op_def is While)
    reads, writes = ag.effects(loop)
    assert reads == (v.handle,) and writes == ()


def test_a_loop_trace_is_a_variant_and_resource_means_a_variable_handle(loop_over_variable):
    graph, v, out = loop_over_variable
    loop = next(op for op in graph.get_operations() if op.op_def is While)
    assert loop.outputs[-1].dtype == dtypes.variant
    assert dtypes.name_of(loop.outputs[-1].dtype) == "variant"
    handles = [t for op in graph.get_operations() for t in op.outputs
               if t.dtype == dtypes.resource]
    assert handles == [v.handle]


def test_a_read_only_run_through_control_flow_takes_no_lock(loop_over_variable):
    """A writer holds v's lock in another thread; the read-only loop still runs."""
    graph, v, out = loop_over_variable
    with graph.as_default(), ag.Session() as sess:
        sess.run(v.initializer)
        cell = sess._state.cell(v.handle.op)
        result = []
        with cell.lock:  # as a training step of another thread would
            reader = threading.Thread(target=lambda: result.append(sess.run(out)))
            reader.start()
            reader.join(timeout=10)
        assert result == [8.0]


def test_a_gradient_through_a_read_only_loop_takes_no_lock(loop_over_variable):
    graph, v, out = loop_over_variable
    with graph.as_default():
        dv, = ag.gradients(out, [v])
    with graph.as_default(), ag.Session() as sess:
        sess.run(v.initializer)
        result = []
        with sess._state.cell(v.handle.op).lock:
            reader = threading.Thread(target=lambda: result.append(sess.run(dv)))
            reader.start()
            reader.join(timeout=10)
        assert result == [12.0]  # d(v^3)/dv at 2


def test_a_read_only_loop_draws_no_update_arrow(loop_over_variable):
    graph, v, out = loop_over_variable
    model, _ = collect.build(graph)
    assert not [e for e in model.edges if e.kind == "update"]
    with graph.as_default():
        v.assign_add(1.0, name="bump")
    model, _ = collect.build(graph)
    assert [e.kind for e in model.edges if e.kind == "update"] == ["update"]


# -- provenance -----------------------------------------------------------------------------
def test_each_gradient_op_records_the_forward_op_it_belongs_to():
    graph = ag.Graph()
    with graph.as_default():
        x = ag.placeholder(ag.float32, [None, 3], name="x")
        w = ag.Variable(np.ones((3, 2), np.float32), name="w")
        h = ag.matmul(x, w, name="h")
        loss = ag.reduce_sum(ag.tanh(h, name="act"), name="loss")
        forward = set(graph.get_operations())
        ag.gradients(loss, [w], name="grads")
    backward = [op for op in graph.get_operations() if op not in forward]
    assert backward and all(op.origin is not None for op in backward)
    assert all(op.origin is None for op in forward)
    assert {op.origin.name for op in backward} >= {"loss", "act", "h"}
    owner = {op: op.name for op in forward}
    homes = {_forward_home(op, owner) for op in backward}
    assert {"loss", "act", "h"} <= homes


def test_a_backward_pass_under_any_name_is_drawn_as_the_backward_pass():
    graph = ag.Graph()
    with graph.as_default():
        x = ag.placeholder(ag.float32, [None, 3], name="x")
        w = ag.Variable(np.ones((3, 1), np.float32), name="w")
        loss = ag.reduce_sum(ag.square(ag.matmul(x, w)), name="loss")
        ag.gradients(loss, [w], name="grads")
        with ag.name_scope("gradients_of_mine"):   # forward ops under a look-alike scope
            ag.identity(loss, name="copy")
    model, _ = collect.build(graph)
    gradient_nodes = [n for n in model.nodes.values() if n.role == "gradients"]
    assert len(gradient_nodes) == 1
    assert all(op.origin is not None for op in gradient_nodes[0].ops)
    copies = [n for n in model.nodes.values() if any(op.name.endswith("copy")
                                                     for op in n.ops)]
    assert copies and copies[0].role != "gradients"


# -- values through the session -------------------------------------------------------------
def test_value_of_reads_a_copy_of_the_session_value_or_none():
    graph = ag.Graph()
    with graph.as_default():
        v = ag.Variable([1.0, 2.0], name="v")
        with ag.Session() as sess:
            assert sess.value_of(v) is None
            sess.run(v.initializer)
            value = sess.value_of(v)
            value[0] = 99.0
            assert sess.value_of(v.handle).tolist() == [1.0, 2.0]


# -- lowerings ------------------------------------------------------------------------------
EXPORTED_BEFORE = {
    "Add", "Sub", "Mul", "RealDiv", "Maximum", "Minimum", "Pow", "Relu", "Sigmoid", "Tanh",
    "Exp", "Log", "Sqrt", "Reciprocal", "Square", "Floor", "Neg", "Abs", "Identity",
    "Softplus", "MatMul", "Softmax", "Conv2D", "MaxPool", "AvgPool", "Reshape", "Shape",
    "Cast", "RandomUniform", "ArgMax", "ArgMin", "Sum", "Mean", "Max", "Min", "Prod",
    "Squeeze", "ExpandDims", "Transpose", "ConcatV2", "Ceil"}


@pytest.mark.parametrize("target", lowerings.FORMATS)
def test_what_the_exporters_support_is_the_lowering_table(target):
    """Everything exported before lowerings moved beside the ops still is; what an
    exporter says it supports is exactly the table's op types."""
    supported = set(lowerings.supported(target))
    assert EXPORTED_BEFORE <= supported
    assert supported == {op_def.type for op_def in lowerings._TABLE[target]}


def test_a_lowering_must_name_a_known_format_and_be_a_function():
    with pytest.raises(TypeError, match="unknown export format 'tflite'"):
        export.register(nn.activations.Relu, tflite=lambda b, op: None)
    with pytest.raises(TypeError, match="must be a function"):
        export.register(nn.activations.Relu, onnx="Relu")


def test_an_op_a_user_defines_exports_once_its_lowering_is_registered():
    pytest.importorskip("onnx", reason="onnx is not installed (extra 'export')")
    ort = pytest.importorskip("onnxruntime", reason="onnxruntime is not installed (extra 'export')")

    def _halve_shape(x):
        return x.shape, x.dtype

    def _halve_to_onnx(b, op):
        half = b.constant(b.name(op.name + "/half"), np.array(0.5, np.float32))
        b.node("Mul", [b.inputs(op)[0], half], b.outputs(op), op.name)

    Halve = ag.define_op("Halve", forward=lambda x: x * 0.5, shape=_halve_shape)
    graph = ag.Graph()
    with graph.as_default():
        x = ag.placeholder(ag.float32, [None, 2], name="x")
        y = Halve(x, name="halved")
        with ag.Session() as sess:
            with pytest.raises(NotImplementedError, match="Halve"):
                export.to_onnx(sess, [y])
            export.register(Halve, onnx=_halve_to_onnx)
            model = export.to_onnx(sess, [y])
    run = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    got, = run.run(None, {"x:0": np.array([[2.0, 4.0]], np.float32)})
    assert got.tolist() == [[1.0, 2.0]]


@pytest.mark.parametrize("optimizer", ["GradientDescentOptimizer", "MomentumOptimizer",
                                       "AdagradOptimizer", "AdadeltaOptimizer",
                                       "RMSPropOptimizer", "AdamOptimizer"])
def test_every_op_taking_a_variable_handle_declares_what_it_does_with_it(optimizer):
    import optim
    graph = ag.Graph()
    with graph.as_default():
        x = ag.placeholder(ag.float32, [None, 4])
        h = nn.layers.Dense(3, activation=nn.relu)(x)
        h = ag.map_fn(lambda row: row * 2.0, h)
        loss = ag.reduce_mean(ag.square(h))
        kwargs = {"momentum": 0.9} if optimizer == "MomentumOptimizer" else {}
        getattr(optim, optimizer)(0.1, **kwargs).minimize(loss)
    for op in graph.get_operations():
        handles = {t for t in op.inputs if t.dtype == dtypes.resource}
        reads, writes = ag.effects(op)
        assert handles == set(reads) | set(writes), op.describe()
