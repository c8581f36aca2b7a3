"""The `tensorflow.python` paths that TF1 tutorials import (framework.ops, client.device_lib)."""
