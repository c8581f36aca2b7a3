"""Turn a checkpoint TensorFlow wrote (model.ckpt.index + model.ckpt.data-*) into one of
ours (.npz), with TensorFlow's reader, so that a TF-trained model restores here on a
machine without TensorFlow:

    python -m autograd.tools.convert_checkpoint logs/model.ckpt-1000 model.npz
"""
import argparse
import sys

from autograd import errors
from autograd.export import tf_checkpoint


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m autograd.tools.convert_checkpoint",
        description="Convert a TensorFlow checkpoint (prefix of its .index and .data files) "
                    "into this engine's .npz checkpoint.")
    parser.add_argument("checkpoint", help="the TF checkpoint prefix, e.g. logs/model.ckpt-1000")
    parser.add_argument("output", help="the .npz file to write")
    args = parser.parse_args(argv)
    if not tf_checkpoint.is_tensorflow_checkpoint(args.checkpoint):
        print(f"error: {args.checkpoint}.index does not exist: give the checkpoint's prefix "
              f"(the file name without .index)", file=sys.stderr)
        return 2
    try:
        names = tf_checkpoint.convert(args.checkpoint, args.output)
    except ImportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except errors.OpError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}: {len(names)} variables")
    for name in names:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
