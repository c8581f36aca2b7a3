"""tf.keras.optimizers with Keras 2.2's names and defaults, on optim's optimizers.

`compile(optimizer="adam")` gets Adam(lr=0.001, epsilon=1e-7); a tf.train optimizer
object is accepted too, as TF 1.x's tf.keras accepted it. A Keras optimizer keeps its
learning rate in a variable, `optimizer.lr`, which LearningRateScheduler and
ReduceLROnPlateau change between epochs (K.get_value / K.set_value read and write it).
"""
import autograd as ag
import optim


def _with_lr(rate, make):
    lr = ag.Variable(float(rate), trainable=False, name="lr")
    optimizer = make(lr)
    optimizer.lr = optimizer.learning_rate = lr
    return optimizer


def SGD(lr=0.01, momentum=0.0, decay=0.0, nesterov=False, learning_rate=None):  # noqa: N802
    rate = learning_rate if learning_rate is not None else lr
    if momentum:
        return _with_lr(rate, lambda lr: optim.MomentumOptimizer(lr, momentum,
                                                                 use_nesterov=nesterov))
    return _with_lr(rate, optim.GradientDescentOptimizer)


def Adam(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0.0,  # noqa: N802
         amsgrad=False, learning_rate=None):
    rate = learning_rate if learning_rate is not None else lr
    return _with_lr(rate, lambda lr: optim.AdamOptimizer(
        lr, beta_1, beta_2, 1e-7 if epsilon is None else epsilon))


def RMSprop(lr=0.001, rho=0.9, epsilon=None, decay=0.0, learning_rate=None):  # noqa: N802
    rate = learning_rate if learning_rate is not None else lr
    return _with_lr(rate, lambda lr: optim.RMSPropOptimizer(
        lr, decay=rho, epsilon=1e-7 if epsilon is None else epsilon))


def Adagrad(lr=0.01, epsilon=None, decay=0.0, learning_rate=None):  # noqa: N802
    rate = learning_rate if learning_rate is not None else lr
    return _with_lr(rate, lambda lr: optim.AdagradOptimizer(lr,
                                                            initial_accumulator_value=1e-7))


def Adadelta(lr=1.0, rho=0.95, epsilon=None, decay=0.0, learning_rate=None):  # noqa: N802
    rate = learning_rate if learning_rate is not None else lr
    return _with_lr(rate, lambda lr: optim.AdadeltaOptimizer(
        lr, rho, 1e-7 if epsilon is None else epsilon))


BY_NAME = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop, "adagrad": Adagrad,
           "adadelta": Adadelta}


def get(identifier):
    if isinstance(identifier, str):
        if identifier.lower() not in BY_NAME:
            raise ValueError(f"Unknown optimizer: {identifier}")
        return BY_NAME[identifier.lower()]()
    if isinstance(identifier, optim.Optimizer):
        return identifier
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")


_CLASSES = {optim.GradientDescentOptimizer: "SGD", optim.MomentumOptimizer: "SGD",
            optim.AdamOptimizer: "Adam", optim.RMSPropOptimizer: "RMSprop",
            optim.AdagradOptimizer: "Adagrad", optim.AdadeltaOptimizer: "Adadelta"}


def class_name(optimizer):
    """Keras's class name for an optimizer (for a saved model's training config)."""
    for kind, name in _CLASSES.items():
        if type(optimizer) is kind:
            return name
    raise ValueError(f"{type(optimizer).__name__} has no Keras name; compile with a "
                     f"tf.keras optimizer to save it with the model")


def from_config(name, config):
    if name not in {"SGD", "Adam", "RMSprop", "Adagrad", "Adadelta"}:
        raise ValueError(f"Unknown optimizer: {name}")
    rate = config.get("lr", config.get("learning_rate"))
    return BY_NAME[name.lower()](**({} if rate is None else {"lr": rate}))
