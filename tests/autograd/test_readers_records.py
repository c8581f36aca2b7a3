"""Readers, TFRecord files, Examples and the parsing ops: formats, keys, errors, and
TensorFlow reading what we write and the other way round."""
import numpy as np
import pytest

import autograd as ag
from autograd import errors, records
from autograd.input_producers import string_input_producer

pytest.importorskip("google.protobuf", reason="protobuf is not installed (extra 'tensorboard')")


def _read_all(reader, files, count=None):
    queue = string_input_producer([str(f) for f in files], num_epochs=1, shuffle=False)
    key, value = reader.read(queue) if count is None else reader.read_up_to(queue, count)
    found = []
    with ag.Session() as sess:
        sess.run(ag.local_variables_initializer())
        sess.run(queue.enqueue_many([[str(f) for f in files]]))   # no runner: fed by hand
        sess.run(queue.close())
        try:
            while True:
                found.append(sess.run([key, value]))
        except errors.OutOfRangeError:
            pass
    return found


def test_text_line_reader_skips_headers_and_names_lines(tmp_path):
    for name in "ab":
        (tmp_path / f"{name}.csv").write_text(f"h1,h2\n{name}1,1\r\n{name}2,2\n")
    found = _read_all(ag.TextLineReader(skip_header_lines=1),
                      [tmp_path / "a.csv", tmp_path / "b.csv"])
    assert [v for _, v in found] == [b"a1,1", b"a2,2", b"b1,1", b"b2,2"]
    assert found[0][0] == f"{tmp_path / 'a.csv'}:2".encode()


def test_read_up_to_gives_the_last_smaller_batch(tmp_path):
    (tmp_path / "a.txt").write_text("1\n2\n3\n4\n5\n")
    found = _read_all(ag.TextLineReader(), [tmp_path / "a.txt"], count=2)
    assert [list(v) for _, v in found] == [[b"1", b"2"], [b"3", b"4"], [b"5"]]


def test_fixed_length_records_keep_every_byte(tmp_path):
    data = b"HEAD" + bytes(range(6)) + b"\x00\x00\x00" + b"FT"   # records end in NULs
    (tmp_path / "r.bin").write_bytes(data)
    reader = ag.FixedLengthRecordReader(record_bytes=3, header_bytes=4, footer_bytes=2)
    found = _read_all(reader, [tmp_path / "r.bin"])
    assert [v for _, v in found] == [b"\x00\x01\x02", b"\x03\x04\x05", b"\x00\x00\x00"]
    assert found[2][0].endswith(b"r.bin:2")


def test_whole_file_and_identity_readers(tmp_path):
    (tmp_path / "w").write_bytes(b"all\nof it")
    assert _read_all(ag.WholeFileReader(), [tmp_path / "w"])[0][1] == b"all\nof it"
    assert _read_all(ag.IdentityReader(), ["x", "y"]) == [[b"x", b"x"], [b"y", b"y"]]


def test_a_missing_file_names_itself(tmp_path):
    with pytest.raises(errors.NotFoundError, match="nothere"):
        _read_all(ag.TextLineReader(), [tmp_path / "nothere"])


def _example(value, label):
    m = records.messages()
    return m["Example"](features=m["Features"](feature={
        "x": m["Feature"](float_list=m["FloatList"](value=value)),
        "label": m["Feature"](int64_list=m["Int64List"](value=[label])),
        "name": m["Feature"](bytes_list=m["BytesList"](value=[b"n%d" % label]))}))


@pytest.mark.parametrize("compression", ["", "GZIP", "ZLIB"])
def test_tfrecord_reader_and_dataset_read_what_the_writer_wrote(tmp_path, compression):
    path = tmp_path / "a.tfrecords"
    options = records.TFRecordOptions(compression)
    with records.TFRecordWriter(str(path), options) as writer:
        for i in range(3):
            writer.write(_example([i, i + 0.5], i).SerializeToString())
    found = _read_all(ag.TFRecordReader(options=options), [path])
    assert [k for k, _ in found] == [f"{path}:{offset}".encode() for offset in (0, 69, 138)]
    parsed = ag.parse_single_example(found[1][1], {
        "x": ag.FixedLenFeature([2], ag.float32), "label": ag.FixedLenFeature([], ag.int64),
        "name": ag.FixedLenFeature([], ag.string)})
    dataset = ag.data.TFRecordDataset([str(path)], compression_type=compression)
    element = dataset.make_one_shot_iterator().get_next()
    with ag.Session() as sess:
        values = sess.run(parsed)
        assert values["x"].tolist() == [1.0, 1.5] and values["label"] == 1
        assert values["name"] == b"n1"
        assert [sess.run(element) for _ in range(3)] == [v for _, v in found]


def test_a_damaged_record_raises_data_loss_naming_file_and_offset(tmp_path):
    path = tmp_path / "a.tfrecords"
    with records.TFRecordWriter(str(path)) as writer:
        for i in range(3):
            writer.write(b"record %d" % i)
    data = bytearray(path.read_bytes())
    data[24 + 14] ^= 0xFF                         # a byte of the second record's data
    path.write_bytes(bytes(data))
    with pytest.raises(errors.DataLossError, match=r"a.tfrecords.*offset 24"):
        list(records.tf_record_iterator(str(path)))
    path.write_bytes(bytes(data[:30]))            # the file ends inside a record
    with pytest.raises(errors.DataLossError, match="truncated"):
        _read_all(ag.TFRecordReader(), [path])


def test_the_writer_never_leaves_half_a_file(tmp_path):
    path = tmp_path / "a.tfrecords"
    with records.TFRecordWriter(str(path)) as writer:
        writer.write(b"old")
    with pytest.raises(RuntimeError), records.TFRecordWriter(str(path)) as writer:
        writer.write(b"new")
        raise RuntimeError("interrupted")
    assert list(records.tf_record_iterator(str(path))) == [b"old"]
    assert [p.name for p in tmp_path.iterdir()] == ["a.tfrecords"]


def test_parse_example_batches_dense_sparse_and_sequences():
    serialized = [_example([1.0], 1).SerializeToString(),
                  _example([2.0, 3.0, 4.0], 2).SerializeToString()]
    parsed = ag.parse_example(serialized, {
        "x": ag.VarLenFeature(ag.float32),
        "seq": ag.FixedLenSequenceFeature([], ag.float32, allow_missing=True),
        "label": ag.FixedLenFeature([], ag.int64),
        "missing": ag.FixedLenFeature([2], ag.int64, default_value=[7, 8])})
    with ag.Session() as sess:
        values = sess.run(parsed)
    assert values["x"].indices.tolist() == [[0, 0], [1, 0], [1, 1], [1, 2]]
    assert values["x"].values.tolist() == [1, 2, 3, 4]
    assert values["x"].dense_shape.tolist() == [2, 3]
    assert values["label"].tolist() == [1, 2] and values["missing"].tolist() == [[7, 8], [7, 8]]
    assert values["seq"].shape == (2, 0)


def test_parse_errors_say_which_feature():
    serialized = _example([1.0, 2.0], 1).SerializeToString()
    with ag.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError, match="Feature: y .* is required"):
            sess.run(ag.parse_single_example(serialized, {"y": ag.FixedLenFeature([], ag.int64)}))
        with pytest.raises(errors.InvalidArgumentError, match="Key: x.*Values size: 2"):
            sess.run(ag.parse_single_example(serialized,
                                             {"x": ag.FixedLenFeature([3], ag.float32)}))
        with pytest.raises(errors.InvalidArgumentError, match="Data types don't match"):
            sess.run(ag.parse_single_example(serialized,
                                             {"x": ag.FixedLenFeature([2], ag.int64)}))


def test_decode_csv_types_defaults_and_errors():
    lines = ag.constant(["1,2.5,a", ',,"b,c"'])
    a, b, c = ag.decode_csv(lines, [[0], [9.0], ["z"]])
    with ag.Session() as sess:
        values = sess.run([a, b, c])
        assert values[0].tolist() == [1, 0] and values[1].tolist() == [2.5, 9.0]
        assert values[2].tolist() == [b"a", b"b,c"]
        required = ag.decode_csv(["1,"], [[0], ag.constant([], ag.int32)])
        with pytest.raises(errors.InvalidArgumentError, match="Field 1 is required"):
            sess.run(required)
        with pytest.raises(errors.InvalidArgumentError, match="Expect 2 fields but have 3"):
            sess.run(ag.decode_csv(["1,2,3"], [[0], [0]]))
        with pytest.raises(errors.InvalidArgumentError, match="not a valid float: x"):
            sess.run(ag.decode_csv(["x"], [[0.0]]))


def test_decode_raw_and_string_to_number():
    raw = np.array([1, 256, -2], dtype="<i2").tobytes()
    with ag.Session() as sess:
        assert sess.run(ag.decode_raw(raw, ag.int16)).tolist() == [1, 256, -2]
        assert sess.run(ag.decode_raw(raw, ag.int16, little_endian=False)).tolist() == \
            np.array([1, 256, -2], dtype="<i2").byteswap().tolist()
        assert sess.run(ag.decode_raw([b"ab", b"cd"], ag.uint8)).tolist() == [[97, 98], [99, 100]]
        with pytest.raises(errors.InvalidArgumentError, match="same size"):
            sess.run(ag.decode_raw([b"ab", b"c"], ag.uint8))
        assert sess.run(ag.string_to_number(["1.5", "-2"])).tolist() == [1.5, -2.0]
        with pytest.raises(errors.InvalidArgumentError, match="could not correctly convert"):
            sess.run(ag.string_to_number(["1.5x"]))


# -- both directions with TensorFlow -------------------------------------------------------
def _tensorflow():
    return pytest.importorskip("tensorflow", reason="tensorflow is not installed "
                                                    "(extra 'bench')")


@pytest.mark.parametrize("compression", ["", "GZIP", "ZLIB"])
def test_tensorflow_reads_our_records_and_we_read_theirs(tmp_path, compression):
    tf = _tensorflow()
    ours, theirs = str(tmp_path / "ours"), str(tmp_path / "theirs")
    with records.TFRecordWriter(ours, records.TFRecordOptions(compression)) as writer:
        for i in range(4):
            writer.write(_example([i / 3], i).SerializeToString())
    # tf_record_iterator: TF's own reader, in eager and graph mode alike
    read = [tf.train.Example.FromString(r) for r in tf.compat.v1.io.tf_record_iterator(
        ours, options=tf.io.TFRecordOptions(compression))]
    assert [e.features.feature["label"].int64_list.value[0] for e in read] == [0, 1, 2, 3]
    assert read[2].features.feature["name"].bytes_list.value[0] == b"n2"
    with tf.io.TFRecordWriter(theirs, compression) as writer:
        for i in range(4):
            writer.write(tf.train.Example(features=tf.train.Features(feature={
                "x": tf.train.Feature(float_list=tf.train.FloatList(value=[i, i + 1])),
                "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i]))}))
                .SerializeToString())
    dataset = ag.data.TFRecordDataset(theirs, compression_type=compression).map(
        lambda s: ag.parse_single_example(s, {"x": ag.FixedLenFeature([2], ag.float32),
                                              "label": ag.FixedLenFeature([], ag.int64)}))
    element = dataset.batch(4).make_one_shot_iterator().get_next()
    with ag.Session() as sess:
        values = sess.run(element)
    assert values["label"].tolist() == [0, 1, 2, 3]
    assert values["x"].tolist() == [[0, 1], [1, 2], [2, 3], [3, 4]]


def test_tensorflow_finds_our_damaged_file_damaged_too(tmp_path):
    tf = _tensorflow()
    path = str(tmp_path / "a")
    with records.TFRecordWriter(path) as writer:
        writer.write(b"0123456789")
    data = bytearray(open(path, "rb").read())
    data[15] ^= 1
    open(path, "wb").write(bytes(data))
    with pytest.raises(tf.errors.DataLossError):
        list(tf.compat.v1.io.tf_record_iterator(path))
    with pytest.raises(errors.DataLossError):
        list(records.tf_record_iterator(path))


def test_decode_csv_matches_tensorflow():
    tf = _tensorflow().compat.v1
    lines = ["1,2.5,a", ',,"b,c"', "3,-1e3,"]
    defaults = [[0], [9.0], ["z"]]
    graph = tf.Graph()
    with graph.as_default():
        expected = tf.Session().run(tf.decode_csv(lines, defaults))
    with ag.Session() as sess:
        got = sess.run(ag.decode_csv(lines, defaults))
    for g, e in zip(got, expected):
        assert g.tolist() == e.tolist()


def test_text_line_and_fixed_length_datasets(tmp_path):
    (tmp_path / "a.txt").write_text("one\ntwo\n")
    (tmp_path / "b.bin").write_bytes(b"H" + b"\x00\x01\x02\x03" + b"F")
    lines = ag.data.TextLineDataset([str(tmp_path / "a.txt")])
    chunks = ag.data.FixedLengthRecordDataset(str(tmp_path / "b.bin"), 2, header_bytes=1,
                                              footer_bytes=1)
    line, chunk = (d.make_one_shot_iterator().get_next() for d in (lines, chunks))
    with ag.Session() as sess:
        assert [sess.run(line) for _ in range(2)] == [b"one", b"two"]
        assert [sess.run(chunk) for _ in range(2)] == [b"\x00\x01", b"\x02\x03"]
        with pytest.raises(errors.OutOfRangeError):
            sess.run(chunk)
