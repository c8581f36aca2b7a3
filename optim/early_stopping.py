"""Early stopping, the TF1 way: evaluate on a validation set every few steps, save the
best weights with a Saver, stop once the validation figure has not improved for
`patience` evaluations, and restore the best weights at the end.

    stopper = optim.EarlyStopping(tf.train.Saver(), "best/model", patience=5)
    for step in range(max_steps):
        sess.run(train, ...)
        if step % 50 == 0 and stopper.update(sess, sess.run(error, validation), step):
            break
    stopper.restore(sess)        # the weights of the best evaluation
"""


class EarlyStopping:
    """Tracks the best validation figure (lowest, or highest with mode="max")."""

    def __init__(self, saver, path, patience=5, min_delta=0.0, mode="min"):
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.saver, self.path = saver, path
        self.patience, self.min_delta, self.mode = int(patience), float(min_delta), mode
        self.best = None
        self.best_step = None
        self.best_path = None
        self.waited = 0
        self.history = []

    def _better(self, value):
        if self.best is None:
            return True
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def update(self, sess, value, step=None):
        """Record one evaluation; save the weights if it is the best so far. Returns True
        when it is time to stop (no improvement in `patience` evaluations)."""
        value = float(value)
        self.history.append((step, value))
        if self._better(value):
            self.best, self.best_step, self.waited = value, step, 0
            self.best_path = self.saver.save(sess, self.path, write_state=False)
            return False
        self.waited += 1
        return self.waited >= self.patience

    def restore(self, sess):
        """Put the best weights back into `sess`."""
        if self.best_path is None:
            raise RuntimeError("EarlyStopping.restore before any update(): nothing saved")
        self.saver.restore(sess, self.best_path)
        return self.best
