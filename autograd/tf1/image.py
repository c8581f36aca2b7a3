"""tf.image: the image ops (built in nn.image and, for PNG/JPEG/GIF/BMP, nn.image_codecs)."""
from nn.image_codecs import (decode_bmp, decode_gif, decode_image, decode_jpeg,  # noqa: F401
                             decode_png, encode_jpeg, encode_png)
from nn.image import (ResizeMethod, adjust_brightness, adjust_contrast,  # noqa: F401
                      central_crop, convert_image_dtype, crop_to_bounding_box,
                      extract_image_patches, flip_left_right, flip_up_down,
                      pad_to_bounding_box, per_image_standardization, random_brightness,
                      random_contrast, random_crop, random_flip_left_right,
                      random_flip_up_down, resize, resize_bilinear, resize_image_with_crop_or_pad,
                      resize_images, resize_nearest_neighbor, resize_with_crop_or_pad,
                      rgb_to_grayscale)
