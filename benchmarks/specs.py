"""The course's models as small layer lists, shared by every framework's builder.

Layers: ("conv", k, c_in, c_out, stride), ("pool", k) (max pooling, k x k, stride k,
SAME), ("flatten", size), ("dense", n_in, n_out), ("relu",), ("sigmoid",), ("dropout",).
Weights start truncated-normal(0.1) with biases 0.1 (as in the course's TF code) unless
the spec says otherwise.
"""
import math
from dataclasses import dataclass, field


@dataclass
class Spec:
    name: str
    layers: list
    optimizer: str = "adam"             # "adam" or "sgd"
    loss: str = "xent_mean100"          # xent_mean100 | xent_mean | xent_sum | quadratic
    lr: float = 0.003
    decay: bool = True                  # lr = 1e-4 + 0.003 * exp(-step / 2000)
    keep: float = 1.0                   # dropout keep probability while training
    batch: int = 100
    steps: int = 10000
    image: bool = False                 # feed [N, 28, 28, 1] instead of [N, 784]
    init: str = "course"                # "course" (trunc. normal 0.1, bias 0.1), "zeros",
    target: float = 0.0                 #   "gaussian" (N(0,1) as the hand-written net)
    notes: list = field(default_factory=list)


def learning_rate(spec, step):
    """The learning rate at `step` (the course's decay from 0.003 towards 0.0001)."""
    if not spec.decay:
        return spec.lr
    return 0.0001 + 0.003 * math.exp(-step / 2000)


SOFTMAX = Spec("softmax regression", [("dense", 784, 10)], optimizer="sgd", loss="xent_sum",
               lr=0.003, decay=False, steps=1000, init="zeros", target=0.92)
MLP = Spec("MLP 200/100/60/30/10 ReLU", [
    ("dense", 784, 200), ("relu",), ("dropout",), ("dense", 200, 100), ("relu",),
    ("dropout",), ("dense", 100, 60), ("relu",), ("dropout",), ("dense", 60, 30), ("relu",),
    ("dropout",), ("dense", 30, 10)], keep=0.75, steps=10000, target=0.98)
CNN = Spec("CNN 5x5x4 s1, 5x5x8 s2, 4x4x12 s2, fc200", [
    ("conv", 5, 1, 4, 1), ("relu",), ("conv", 5, 4, 8, 2), ("relu",), ("conv", 4, 8, 12, 2),
    ("relu",), ("flatten", 7 * 7 * 12), ("dense", 7 * 7 * 12, 200), ("relu",),
    ("dense", 200, 10)], image=True, steps=10000, target=0.989)
BIG_CNN = Spec("CNN 6x6x6 s1, 5x5x12 s2, 4x4x24 s2, fc200, dropout", [
    ("conv", 6, 1, 6, 1), ("relu",), ("conv", 5, 6, 12, 2), ("relu",),
    ("conv", 4, 12, 24, 2), ("relu",), ("flatten", 7 * 7 * 24), ("dense", 7 * 7 * 24, 200),
    ("relu",), ("dropout",), ("dense", 200, 10)], keep=0.75, image=True, steps=10000,
    target=0.993)
NIELSEN = Spec("784-30-10 sigmoid, quadratic cost, SGD 3.0", [
    ("dense", 784, 30), ("sigmoid",), ("dense", 30, 10), ("sigmoid",)], optimizer="sgd",
    loss="quadratic", lr=3.0, decay=False, batch=10, steps=30 * 5000, init="gaussian",
    target=0.95)

TUTORIAL_CNN = Spec("TF tutorial CNN 5x5x32, pool, 5x5x64, pool, fc1024, dropout", [
    ("conv", 5, 1, 32, 1), ("relu",), ("pool", 2), ("conv", 5, 32, 64, 1), ("relu",),
    ("pool", 2), ("flatten", 7 * 7 * 64), ("dense", 7 * 7 * 64, 1024), ("relu",),
    ("dropout",), ("dense", 1024, 10)], lr=1e-4, decay=False, keep=0.5, batch=128,
    image=True, steps=20000, loss="xent_mean", target=0.992,
    notes=["TF's 'Deep MNIST for experts' network, trained with Adam at batch 128"])

ALL = {"softmax": SOFTMAX, "mlp": MLP, "cnn": CNN, "big_cnn": BIG_CNN, "nielsen": NIELSEN,
       "tutorial_cnn": TUTORIAL_CNN}
