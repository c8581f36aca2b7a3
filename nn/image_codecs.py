"""tf.image's codecs: PNG, JPEG, GIF and BMP bytes to uint8 images and back, through
Pillow (the optional 'images' extra). A string tensor holds the bytes (read_file gives
them); undecodable bytes are an InvalidArgumentError naming the op, as in TF1."""
import io

import numpy as np

import autograd as ag
from autograd import define_op

from .image import convert_image_dtype

HINT = ("decoding and encoding images needs Pillow: pip install Pillow (or install this "
        "package with its 'images' extra)")


def _pillow():
    try:
        from PIL import Image
    except ImportError as exc:
        raise ImportError(HINT) from exc
    return Image


def _bytes_of(contents):
    value = np.asarray(contents).item()
    if isinstance(value, str):
        raise ag.errors.InvalidArgumentError("image contents must be bytes (from read_file), "
                                             "got text")
    return value


def _as_channels(picture, channels):
    """The decoded picture as an (h, w, c) uint8 array with `channels` (0: as stored)."""
    modes = {1: "L", 3: "RGB", 4: "RGBA"}
    if channels:
        picture = picture.convert(modes[channels])
    elif picture.mode not in ("L", "RGB", "RGBA"):
        picture = picture.convert("RGBA" if "A" in picture.mode or "transparency" in
                                  picture.info else "RGB")
    array = np.asarray(picture, dtype=np.uint8)
    return array[:, :, None] if array.ndim == 2 else array


def _decode_forward(contents, channels, formats, animated):
    Image = _pillow()
    data = _bytes_of(contents)
    try:
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except Exception as exc:   # Pillow raises several types for damaged data
        raise ag.errors.InvalidArgumentError(
            f"cannot decode the image ({type(exc).__name__}: {exc}); the contents are "
            f"{len(data)} bytes starting {data[:8]!r}") from None
    if formats and picture.format not in formats:
        raise ag.errors.InvalidArgumentError(f"expected {' or '.join(formats)} data, got "
                                             f"{picture.format}")
    if animated:
        frames = []
        for index in range(getattr(picture, "n_frames", 1)):
            picture.seek(index)
            frames.append(_as_channels(picture.convert("RGB"), 3))
        return np.stack(frames)
    return _as_channels(picture, channels)


def _decode_shape(contents, channels, formats, animated):
    if contents.dtype != ag.string:
        raise TypeError(f"image contents must be a string tensor, got {contents.dtype.name}")
    if animated:
        return (None, None, None, 3), ag.uint8
    return (None, None, channels or None), ag.uint8


DecodeImage = define_op("DecodeImage", forward=_decode_forward, shape=_decode_shape)


def _decoder(formats, default_name):
    def decode(contents, channels=0, name=None, **_tf1_options):
        if channels not in (0, 1, 3, 4):
            raise ValueError(f"channels must be 0, 1, 3 or 4, got {channels}")
        return DecodeImage(ag.convert_to_tensor(contents, ag.string), channels=int(channels),
                           formats=formats, animated=False, name=name or default_name)
    decode.__name__ = default_name
    return decode


decode_png = _decoder(("PNG",), "DecodePng")
decode_jpeg = _decoder(("JPEG",), "DecodeJpeg")
decode_bmp = _decoder(("BMP",), "DecodeBmp")
decode_png.__doc__ = "A PNG image's bytes as [height, width, channels] uint8."
decode_jpeg.__doc__ = "A JPEG image's bytes as [height, width, channels] uint8."
decode_bmp.__doc__ = "A BMP image's bytes as [height, width, channels] uint8."


def decode_gif(contents, name=None):
    """A GIF's frames as [frames, height, width, 3] uint8."""
    return DecodeImage(ag.convert_to_tensor(contents, ag.string), channels=3,
                       formats=("GIF",), animated=True, name=name or "DecodeGif")


def decode_image(contents, channels=None, dtype=ag.uint8, name=None, expand_animations=True):
    """Any of PNG, JPEG, BMP or GIF (its frames, 4-D, with expand_animations); a float
    dtype scales to [0, 1] as convert_image_dtype does."""
    decoded = DecodeImage(ag.convert_to_tensor(contents, ag.string), channels=int(channels or 0),
                          formats=(), animated=False, name=name or "decode_image")
    dtype = ag.dtypes.as_dtype(dtype)
    return decoded if dtype == ag.uint8 else convert_image_dtype(decoded, dtype)


def _encode_shape(image, fmt, quality):
    if image.dtype != ag.uint8:
        raise TypeError(f"encoding needs a uint8 image, got {image.dtype.name}; convert it with "
                        f"tf.image.convert_image_dtype(image, tf.uint8)")
    if image.shape is not None and (len(image.shape) != 3 or
                                    image.shape[2] not in (None, 1, 3, 4)):
        raise ValueError(f"encoding needs a [height, width, 1|3|4] image, got "
                         f"{ag.shapes.fmt(image.shape)}")
    return (), ag.string


def _encode_forward(image, fmt, quality):
    Image = _pillow()
    pixels = image[:, :, 0] if image.shape[2] == 1 else image
    buffer = io.BytesIO()
    options = {"quality": quality} if fmt == "JPEG" else {}
    Image.fromarray(pixels).save(buffer, format=fmt, **options)
    return np.bytes_(buffer.getvalue())


EncodeImage = define_op("EncodeImage", forward=_encode_forward, shape=_encode_shape)


def encode_png(image, compression=-1, name=None):
    """A uint8 [height, width, 1|3|4] image as PNG bytes."""
    return EncodeImage(ag.convert_to_tensor(image), fmt="PNG", quality=0,
                       name=name or "EncodePng")


def encode_jpeg(image, format="", quality=95, name=None, **_tf1_options):  # noqa: A002
    """A uint8 [height, width, 1|3] image as JPEG bytes (lossy, `quality` 0-100)."""
    return EncodeImage(ag.convert_to_tensor(image), fmt="JPEG", quality=int(quality),
                       name=name or "EncodeJpeg")
