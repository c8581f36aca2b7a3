"""tf.image's numeric ops, on NHWC images (a single HWC image works too): resizing with
TF1's arithmetic, crops and pads, flips, brightness and contrast (fixed and random),
standardization, grayscale, dtype conversion and patch extraction.

Each is composed of differentiable ops: a bilinear resize is two small interpolation
matrices applied with einsum (built when the graph is, from the static sizes), nearest
neighbour is a gather along each axis, patches are a convolution with a one-hot filter.
The random ones draw from seeded random ops, so a seeded graph augments the same way.
"""
import numpy as np

import autograd as ag

from .conv import conv2d
from .conv_variants import _dilated


class ResizeMethod:
    """TF1's resize methods (BICUBIC and AREA are not built)."""

    BILINEAR, NEAREST_NEIGHBOR, BICUBIC, AREA = 0, 1, 2, 3


def _batched(images):
    """(4-D images, whether the input was one HWC image)."""
    images = ag.convert_to_tensor(images)
    if images.shape is None or len(images.shape) not in (3, 4):
        raise ValueError(f"images must be [batch, height, width, channels] or [height, width, "
                         f"channels], got {ag.shapes.fmt(images.shape)}")
    single = len(images.shape) == 3
    return (ag.expand_dims(images, 0) if single else images), single


def _as_float(images):
    """Float images as they are; integer ones as float32."""
    return images if images.dtype.kind == "f" else ag.cast(images, ag.float32)


def _unbatched(images, single):
    return ag.squeeze(images, [0]) if single else images


def _spatial(images):
    height, width = images.shape[1], images.shape[2]
    if height is None or width is None:
        raise ValueError(f"this op needs the image height and width known while building, got "
                         f"{ag.shapes.fmt(images.shape)}")
    return height, width


def _scale(size_in, size_out, align_corners):
    """TF1's (legacy, no half-pixel) source step per output pixel."""
    if align_corners and size_out > 1:
        return (size_in - 1) / (size_out - 1)
    return size_in / size_out


def _bilinear_matrix(size_in, size_out, align_corners):
    """Row y holds the weights of the two source pixels output pixel y interpolates."""
    matrix = np.zeros((size_out, size_in))
    scale = _scale(size_in, size_out, align_corners)
    for y in range(size_out):
        source = y * scale
        low = int(np.floor(source))
        high = min(low + 1, size_in - 1)
        fraction = source - low
        matrix[y, low] += 1.0 - fraction
        matrix[y, high] += fraction
    return matrix


def _nearest_indices(size_in, size_out, align_corners):
    scale = _scale(size_in, size_out, align_corners)
    positions = np.arange(size_out) * scale
    picked = np.floor(positions + 0.5) if align_corners else np.floor(positions)  # roundf
    return np.minimum(picked.astype(np.int64), size_in - 1)


def _target(size):
    known = ag.constant_value(size) if hasattr(size, "op") else size
    if known is None:
        raise ValueError("resize needs the new size known while building (ints or a constant)")
    height, width = (int(v) for v in np.asarray(known).reshape(-1))
    if height <= 0 or width <= 0:
        raise ValueError(f"the new size must be positive, got {[height, width]}")
    return height, width


def resize_bilinear(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """Bilinear interpolation to `size` [height, width] with TF1's arithmetic (source
    pixel = output pixel * in/out, or (in-1)/(out-1) with align_corners). Integer images
    give float32, as in TF; float64 ones stay float64 (TF would give float32)."""
    if half_pixel_centers:
        raise ValueError("half_pixel_centers=True is not supported (TF1's default is False)")
    with ag.name_scope(name or "ResizeBilinear"):
        batch, single = _batched(images)
        height, width = _spatial(batch)
        new_h, new_w = _target(size)
        pixels = _as_float(batch)
        rows = ag.constant(_bilinear_matrix(height, new_h, align_corners).astype(pixels.dtype))
        cols = ag.constant(_bilinear_matrix(width, new_w, align_corners).astype(pixels.dtype))
        return _unbatched(ag.einsum("yh,nhwc,xw->nyxc", rows, pixels, cols), single)


def resize_nearest_neighbor(images, size, align_corners=False, name=None,
                            half_pixel_centers=False):
    """Each output pixel copies the source pixel at floor(position) (round with
    align_corners), as TF1; the dtype is kept."""
    if half_pixel_centers:
        raise ValueError("half_pixel_centers=True is not supported (TF1's default is False)")
    with ag.name_scope(name or "ResizeNearestNeighbor"):
        batch, single = _batched(images)
        height, width = _spatial(batch)
        new_h, new_w = _target(size)
        picked = ag.gather(batch, _nearest_indices(height, new_h, align_corners), axis=1)
        picked = ag.gather(picked, _nearest_indices(width, new_w, align_corners), axis=2)
        return _unbatched(picked, single)


def resize_images(images, size, method=ResizeMethod.BILINEAR, align_corners=False,
                  preserve_aspect_ratio=False):
    """Resize to `size` by `method` (BILINEAR gives float32, NEAREST_NEIGHBOR keeps the
    dtype)."""
    if preserve_aspect_ratio:
        raise ValueError("preserve_aspect_ratio=True is not supported")
    if method == ResizeMethod.BILINEAR:
        return resize_bilinear(images, size, align_corners)
    if method == ResizeMethod.NEAREST_NEIGHBOR:
        return resize_nearest_neighbor(images, size, align_corners)
    raise NotImplementedError(f"resize method {method} (BICUBIC or AREA) is not built: use "
                              f"BILINEAR or NEAREST_NEIGHBOR")


resize = resize_images


# -- crops and pads -------------------------------------------------------------------------
def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """The target_height x target_width part starting at (offset_height, offset_width)."""
    batch, single = _batched(image)
    height, width = _spatial(batch)
    if offset_height + target_height > height or offset_width + target_width > width or \
            min(offset_height, offset_width) < 0 or min(target_height, target_width) <= 0:
        raise ValueError(f"the box ({offset_height}, {offset_width}) + ({target_height}, "
                         f"{target_width}) does not fit a {height}x{width} image")
    cropped = batch[:, offset_height:offset_height + target_height,
                    offset_width:offset_width + target_width, :]
    return _unbatched(cropped, single)


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """The image placed at (offset_height, offset_width) in zeros of the target size."""
    batch, single = _batched(image)
    height, width = _spatial(batch)
    below, right = target_height - offset_height - height, target_width - offset_width - width
    if min(offset_height, offset_width, below, right) < 0:
        raise ValueError(f"a {height}x{width} image at ({offset_height}, {offset_width}) does "
                         f"not fit in {target_height}x{target_width}")
    padded = ag.pad(batch, [[0, 0], [offset_height, below], [offset_width, right], [0, 0]])
    return _unbatched(padded, single)


def resize_image_with_crop_or_pad(image, target_height, target_width):
    """Centre-crop or zero-pad (each axis as needed) to the target size."""
    batch, single = _batched(image)
    height, width = _spatial(batch)
    crop_h, crop_w = max(height - target_height, 0), max(width - target_width, 0)
    batch = crop_to_bounding_box(batch, crop_h // 2, crop_w // 2, min(height, target_height),
                                 min(width, target_width))
    pad_h, pad_w = max(target_height - height, 0), max(target_width - width, 0)
    batch = pad_to_bounding_box(batch, pad_h // 2, pad_w // 2, target_height, target_width)
    return _unbatched(batch, single)


resize_with_crop_or_pad = resize_image_with_crop_or_pad


def central_crop(image, central_fraction):
    """The central `central_fraction` of the image (TF1's rounding of the borders)."""
    if not 0.0 < central_fraction <= 1.0:
        raise ValueError(f"central_fraction must be in (0, 1], got {central_fraction}")
    batch, single = _batched(image)
    height, width = _spatial(batch)
    top = int((height - height * central_fraction) / 2)
    left = int((width - width * central_fraction) / 2)
    cropped = crop_to_bounding_box(batch, top, left, height - 2 * top, width - 2 * left)
    return _unbatched(cropped, single)


# -- flips ----------------------------------------------------------------------------------
def flip_left_right(image):
    """Mirror each image horizontally."""
    batch, single = _batched(image)
    return _unbatched(ag.reverse(batch, [2]), single)


def flip_up_down(image):
    """Mirror each image vertically."""
    batch, single = _batched(image)
    return _unbatched(ag.reverse(batch, [1]), single)


def _random_flip(image, axis, seed):
    batch, single = _batched(image)
    coin = ag.random_uniform(ag.shape(batch)[:1], seed=seed)
    flip = ag.reshape(ag.less(coin, 0.5), [-1, 1, 1, 1])
    mirrored = ag.reverse(batch, [axis])
    mask = ag.logical_and(flip, ag.ones_like(batch, dtype=ag.bool))
    return _unbatched(ag.where(mask, mirrored, batch), single)


def random_flip_left_right(image, seed=None):
    """Mirror each image horizontally with probability 1/2."""
    return _random_flip(image, 2, seed)


def random_flip_up_down(image, seed=None):
    """Mirror each image vertically with probability 1/2."""
    return _random_flip(image, 1, seed)


def random_crop(value, size, seed=None, name=None):
    """A crop of shape `size` at a uniformly random offset."""
    with ag.name_scope(name or "random_crop"):
        value = ag.convert_to_tensor(value)
        size = [int(s) for s in size]
        if value.shape is None or len(value.shape) != len(size):
            raise ValueError(f"random_crop needs one size per axis of "
                             f"{ag.shapes.fmt(value.shape)}, got {size}")
        limit = ag.shape(value) - ag.constant(np.array(size, np.int32)) + 1
        offsets = ag.cast(ag.floor(ag.random_uniform([len(size)], seed=seed) *
                                   ag.cast(limit, ag.float32)), ag.int32)
        return ag.slice(value, offsets, size)


# -- brightness, contrast, standardization --------------------------------------------------
def adjust_brightness(image, delta):
    """image + delta (in the image's scale: [0, 1] floats, say)."""
    image = ag.convert_to_tensor(image)
    return image + ag.cast(delta, image.dtype)


def random_brightness(image, max_delta, seed=None):
    """image + a delta drawn uniformly from [-max_delta, max_delta)."""
    if max_delta < 0:
        raise ValueError(f"max_delta must be non-negative, got {max_delta}")
    return adjust_brightness(image, ag.random_uniform([], -max_delta, max_delta, seed=seed))


def adjust_contrast(images, contrast_factor):
    """(x - mean) * factor + mean, the mean over each image's pixels, per channel."""
    images = ag.convert_to_tensor(images)
    mean = ag.reduce_mean(images, axis=[-3, -2], keepdims=True)
    return (images - mean) * ag.cast(contrast_factor, images.dtype) + mean


def random_contrast(image, lower, upper, seed=None):
    """adjust_contrast by a factor drawn uniformly from [lower, upper)."""
    if not 0 <= lower < upper:
        raise ValueError(f"need 0 <= lower < upper, got {lower} and {upper}")
    return adjust_contrast(image, ag.random_uniform([], lower, upper, seed=seed))


def per_image_standardization(image):
    """(x - mean) / max(stddev, 1 / sqrt(number of values)) over each image (integer
    images are made float32 first)."""
    batch, single = _batched(_as_float(ag.convert_to_tensor(image)))
    mean = ag.reduce_mean(batch, axis=[1, 2, 3], keepdims=True)
    variance = ag.reduce_mean(ag.square(batch - mean), axis=[1, 2, 3], keepdims=True)
    count = float(np.prod([d for d in batch.shape[1:]]))
    floor = ag.constant(np.array(1.0 / np.sqrt(count), dtype=batch.dtype))
    return _unbatched((batch - mean) / ag.maximum(ag.sqrt(variance), floor), single)


def rgb_to_grayscale(images, name=None):
    """0.2989 R + 0.5870 G + 0.1140 B, keeping a last axis of size 1."""
    with ag.name_scope(name or "rgb_to_grayscale"):
        images = ag.convert_to_tensor(images)
        pixels = ag.cast(images, ag.float32)
        weights = ag.constant(np.array([0.2989, 0.5870, 0.1140], np.float32))
        gray = ag.reduce_sum(pixels * weights, axis=-1, keepdims=True)
        return ag.cast(gray, images.dtype) if images.dtype.kind != "f" else gray


def convert_image_dtype(image, dtype, saturate=False, name=None):
    """Between integer images (0..max of the dtype) and float images (0..1): scaled;
    float to float and equal dtypes: cast (TF1's rule)."""
    image = ag.convert_to_tensor(image)
    dtype = ag.dtypes.as_dtype(dtype)
    with ag.name_scope(name or "convert_image"):
        if image.dtype == dtype:
            return ag.identity(image)
        if image.dtype.kind == "f" and dtype.kind == "f":
            return ag.cast(image, dtype)
        if image.dtype.kind != "f" and dtype.kind == "f":
            return ag.cast(image, dtype) * (1.0 / float(np.iinfo(image.dtype).max))
        if image.dtype.kind == "f":
            scaled = image * (float(np.iinfo(dtype).max) + 0.5)
            if saturate:
                scaled = ag.clip_by_value(scaled, float(np.iinfo(dtype).min),
                                          float(np.iinfo(dtype).max))
            return ag.cast(scaled, dtype)
        scale = (float(np.iinfo(dtype).max) + 1) / (float(np.iinfo(image.dtype).max) + 1)
        return ag.cast(ag.cast(image, ag.float64) * scale, dtype)


def extract_image_patches(images, ksizes, strides, rates, padding, name=None, sizes=None):
    """Every ksize window of each image, flattened into the depth axis in (row, column,
    channel) order: [batch, out_rows, out_cols, kh * kw * channels]."""
    ksizes = ksizes or sizes
    with ag.name_scope(name or "ExtractImagePatches"):
        images = ag.convert_to_tensor(images)
        channels = images.shape[3]
        if channels is None:
            raise ValueError("extract_image_patches needs the number of channels known")
        kh, kw, rate = int(ksizes[1]), int(ksizes[2]), int(rates[1])
        if int(rates[2]) != rate:
            raise ValueError("extract_image_patches needs equal rates along rows and columns")
        depth = kh * kw * channels
        one_hot = np.eye(depth, dtype=images.dtype).reshape(kh, kw, channels, depth)
        kernels = ag.constant(one_hot)
        if rate > 1:
            kernels = _dilated(kernels, rate)
        return conv2d(images, kernels, list(strides), padding)
