"""tf.image's codecs and tf.read_file: bytes in string tensors, against TF1."""
import numpy as np
import pytest

import autograd.tf1 as ours

pytest.importorskip("PIL", reason="Pillow is not installed (extra 'images')")

RNG = np.random.default_rng(8)
RGB = (RNG.random((5, 7, 3)) * 255).astype(np.uint8)
GRAY = (RNG.random((4, 6, 1)) * 255).astype(np.uint8)
_Y, _X = np.mgrid[0:16, 0:16]
SMOOTH = np.stack([_Y * 12, _X * 12, (_X + _Y) * 6], -1).astype(np.uint8)   # JPEG-friendly


def _roundtrip(tf, image, encode, decode, tmp_path):
    path = str(tmp_path / f"picture_{tf.__name__.replace('.', '_')}")
    with tf.Graph().as_default():
        encoded = encode(tf)(tf.constant(image))
        write = tf.write_file(path, encoded)
        decoded = decode(tf)(tf.read_file(path))
        with tf.Session() as sess:
            data = sess.run(encoded)
            sess.run(write)
            return data, sess.run(decoded)


def test_png_round_trips_exactly_and_gives_bytes(tmp_path):
    data, back = _roundtrip(ours, RGB, lambda tf: tf.image.encode_png,
                            lambda tf: tf.image.decode_png, tmp_path)
    assert isinstance(data, bytes) and data[:8] == b"\x89PNG\r\n\x1a\n"
    np.testing.assert_array_equal(back, RGB)
    (tmp_path / "written.png").write_bytes(data)   # usable as a file, as TF's bytes are


def test_gray_png_and_channel_conversion(tmp_path):
    _, back = _roundtrip(ours, GRAY, lambda tf: tf.image.encode_png,
                         lambda tf: (lambda c: tf.image.decode_png(c, channels=3)), tmp_path)
    assert back.shape == (4, 6, 3)
    np.testing.assert_array_equal(back[..., 0], GRAY[..., 0])


def test_undecodable_bytes_name_the_op():
    with ours.Graph().as_default():
        decoded = ours.image.decode_png(ours.constant(b"not a picture at all"), name="load")
        with ours.Session() as sess, pytest.raises(ours.errors.InvalidArgumentError,
                                                   match="(?s)cannot decode.*load"):
            sess.run(decoded)


def test_a_missing_file_is_not_found():
    with ours.Graph().as_default():
        contents = ours.read_file("/no/such/picture.png")
        with ours.Session() as sess, pytest.raises(ours.errors.NotFoundError):
            sess.run(contents)


def test_decode_image_reads_any_format_and_scales_floats(tmp_path):
    with ours.Graph().as_default():
        jpeg = ours.image.encode_jpeg(ours.constant(SMOOTH), quality=95)
        as_float = ours.image.decode_image(jpeg, dtype=ours.float32)
        with ours.Session() as sess:
            values = sess.run(as_float)
    assert values.dtype == np.float32 and values.shape == (16, 16, 3)
    assert np.abs(values - SMOOTH / 255.0).mean() < 0.02   # JPEG is lossy


@pytest.mark.parametrize("codec", ["png", "jpeg"])
def test_codecs_match_tensorflow(codec, tmp_path):
    tf = pytest.importorskip("tensorflow.compat.v1",
                             reason="tensorflow is not installed (extra 'bench')")
    tf.disable_v2_behavior()

    def encode(module):
        return module.image.encode_png if codec == "png" else module.image.encode_jpeg

    def decode(module):
        return module.image.decode_png if codec == "png" else module.image.decode_jpeg
    (tmp_path / "ours").mkdir()
    (tmp_path / "tf").mkdir()
    image = RGB if codec == "png" else SMOOTH
    ours_data, ours_back = _roundtrip(ours, image, encode, decode, tmp_path / "ours")
    tf_data, tf_back = _roundtrip(tf, image, encode, decode, tmp_path / "tf")
    with tf.Graph().as_default():   # TF decodes our bytes as we do
        crossed = tf.Session().run(decode(tf)(tf.constant(ours_data)))
    if codec == "png":
        np.testing.assert_array_equal(crossed, ours_back)
        np.testing.assert_array_equal(ours_back, tf_back)
    else:   # two JPEG libraries: the same picture, within a few levels
        assert np.abs(crossed.astype(int) - ours_back.astype(int)).mean() < 2
        assert np.abs(ours_back.astype(int) - tf_back.astype(int)).mean() < 3
