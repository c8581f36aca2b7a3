# Image preprocessing as the TF1 input tutorials write it: decode-free parts of tf.image on a
# batch of images (resize, central crop, flip, standardization, grayscale, patches).
import numpy as np
import autograd.tf1 as tf

rng = np.random.RandomState(2)
images = (rng.rand(4, 12, 10, 3) * 255).astype(np.uint8)
x = tf.placeholder(tf.uint8, [None, 12, 10, 3])
as_float = tf.image.convert_image_dtype(x, tf.float32)
resized = tf.image.resize_images(as_float, [16, 16])
cropped = tf.image.central_crop(resized, 0.75)
flipped = tf.image.flip_left_right(cropped)
standardized = tf.map_fn(tf.image.per_image_standardization, flipped)
gray = tf.image.rgb_to_grayscale(flipped)
patches = tf.extract_image_patches(gray, [1, 4, 4, 1], [1, 4, 4, 1], [1, 1, 1, 1], "VALID")
padded = tf.image.resize_image_with_crop_or_pad(as_float, 14, 8)
with tf.Session() as sess:
    out = sess.run([standardized, gray, patches, padded], {x: images})
    print("shapes", [o.shape for o in out])
    print("result", out[0].std(), out[1].mean(), out[2].sum(), out[3].mean(),
          float(out[0][0, 3, 5, 1]))
