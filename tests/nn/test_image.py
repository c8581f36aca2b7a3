"""tf.image's numeric ops: TF1's values (resize arithmetic included), gradients, and the
random augmentations' reproducibility."""
import numpy as np
import pytest

import autograd as ag
import autograd.tf1 as ours
from autograd.testing import check_gradients
from nn import image

RNG = np.random.default_rng(4)
BATCH = RNG.random((2, 5, 7, 3)).astype(np.float32)
PHOTO = (RNG.random((6, 4, 3)) * 255).astype(np.uint8)

CASES = {
    "resize_bilinear up": lambda tf: tf.image.resize_bilinear(BATCH, [8, 9]),
    "resize_bilinear down": lambda tf: tf.image.resize_bilinear(BATCH, [3, 4]),
    "resize_bilinear aligned": lambda tf: tf.image.resize_bilinear(BATCH, [9, 13],
                                                                   align_corners=True),
    "resize_nearest_neighbor": lambda tf: tf.image.resize_nearest_neighbor(BATCH, [8, 3]),
    "resize_nearest aligned": lambda tf: tf.image.resize_nearest_neighbor(
        BATCH, [9, 11], align_corners=True),
    "resize_images nearest keeps uint8": lambda tf: tf.image.resize_images(
        PHOTO, [3, 7], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR),
    "crop_to_bounding_box": lambda tf: tf.image.crop_to_bounding_box(BATCH, 1, 2, 3, 4),
    "pad_to_bounding_box": lambda tf: tf.image.pad_to_bounding_box(PHOTO, 1, 2, 9, 7),
    "resize_image_with_crop_or_pad": lambda tf: tf.image.resize_image_with_crop_or_pad(
        BATCH, 8, 4),
    "central_crop": lambda tf: tf.image.central_crop(PHOTO, 0.5),
    "flip_left_right": lambda tf: tf.image.flip_left_right(BATCH),
    "flip_up_down": lambda tf: tf.image.flip_up_down(PHOTO),
    "adjust_brightness": lambda tf: tf.image.adjust_brightness(BATCH, 0.25),
    "adjust_contrast": lambda tf: tf.image.adjust_contrast(BATCH, 1.7),
    "per_image_standardization": lambda tf: tf.image.per_image_standardization(PHOTO),
    "rgb_to_grayscale": lambda tf: tf.image.rgb_to_grayscale(BATCH),
    "convert_image_dtype to float": lambda tf: tf.image.convert_image_dtype(PHOTO, tf.float32),
    "convert_image_dtype to uint8": lambda tf: tf.image.convert_image_dtype(BATCH, tf.uint8),
    "extract_image_patches": lambda tf: tf.extract_image_patches(
        BATCH, [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 1, 1], "VALID"),
    "extract_image_patches SAME with rates": lambda tf: tf.extract_image_patches(
        BATCH, [1, 2, 2, 1], [1, 1, 2, 1], [1, 2, 2, 1], "SAME"),
}


def _run(tf, name):
    with tf.Graph().as_default():
        fetch = CASES[name](tf)
        with tf.Session() as sess:
            return sess.run(fetch)


@pytest.mark.parametrize("name", sorted(CASES))
def test_image_ops_match_tensorflow(name):
    tf = pytest.importorskip("tensorflow.compat.v1",
                             reason="tensorflow is not installed (extra 'bench')")
    tf.disable_v2_behavior()
    ours_value, theirs = _run(ours, name), _run(tf, name)
    assert ours_value.dtype == theirs.dtype and ours_value.shape == theirs.shape
    np.testing.assert_allclose(ours_value.astype(np.float64), theirs.astype(np.float64),
                               rtol=1e-5, atol=1e-5)


def test_known_values_without_tensorflow():
    up = _run(ours, "resize_bilinear up")
    assert up.shape == (2, 8, 9, 3) and up.dtype == np.float32
    np.testing.assert_allclose(up[:, 0, 0], BATCH[:, 0, 0])   # (0, 0) maps onto (0, 0)
    aligned = _run(ours, "resize_bilinear aligned")
    np.testing.assert_allclose(aligned[:, -1, -1], BATCH[:, -1, -1], rtol=1e-6)
    gray = _run(ours, "rgb_to_grayscale")
    np.testing.assert_allclose(gray[..., 0], BATCH @ [0.2989, 0.5870, 0.1140], rtol=1e-5)
    patches = _run(ours, "extract_image_patches")
    np.testing.assert_array_equal(patches[0, 0, 0], BATCH[0, 0:2, 0:3].reshape(-1))
    assert _run(ours, "central_crop").shape == (4, 2, 3)   # TF1 rounds the border down


R = np.random.default_rng(2)
GRADIENTS = {
    "resize_bilinear": (lambda x: image.resize_bilinear(x, [5, 3]), [R.random((1, 3, 4, 2))]),
    "resize_nearest_neighbor": (lambda x: image.resize_nearest_neighbor(x, [5, 3]),
                                [R.random((1, 3, 4, 2))]),
    "adjust_contrast": (lambda x: image.adjust_contrast(x, 1.5), [R.random((1, 3, 3, 2))]),
    "per_image_standardization": (image.per_image_standardization, [R.random((1, 3, 3, 2))]),
    "extract_image_patches": (lambda x: image.extract_image_patches(
        x, [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"), [R.random((1, 3, 3, 2))]),
}


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_image_gradients_match_finite_differences(name):
    function, inputs = GRADIENTS[name]
    check_gradients(function, inputs, rtol=1e-4, atol=1e-6)


def test_random_augmentations_are_reproducible_and_shaped():
    def augment():
        with ag.Graph().as_default() as graph:
            graph.seed = 7
            x = ag.constant(BATCH)
            out = image.random_crop(image.random_flip_left_right(
                image.random_contrast(image.random_brightness(x, 0.2), 0.5, 1.5)), [2, 4, 4, 3])
            with ag.Session() as sess:
                return sess.run(out)
    first, second = augment(), augment()
    assert first.shape == (2, 4, 4, 3)
    np.testing.assert_array_equal(first, second)


def test_each_image_of_a_batch_flips_on_its_own_coin():
    with ag.Graph().as_default() as graph:
        graph.seed = 1
        x = ag.constant(np.arange(64 * 2, dtype=np.float32).reshape(64, 1, 2, 1))
        flipped = image.random_flip_left_right(x)
        with ag.Session() as sess:
            out = sess.run(flipped)
    mirrored = out[:, 0, 0, 0] > out[:, 0, 1, 0]
    assert 10 < mirrored.sum() < 54
