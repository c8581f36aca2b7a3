"""tf.keras.callbacks: what fit calls at the start and end of training, epochs and batches."""
import csv
import math
import os

import numpy as np

import autograd as ag

from . import backend


class Callback:
    def __init__(self):
        self.model, self.params = None, {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_batch_begin(self, batch, logs=None):
        pass

    def on_batch_end(self, batch, logs=None):
        pass

    on_train_batch_begin, on_train_batch_end = on_batch_begin, on_batch_end


class History(Callback):
    """`history.history`: {"loss": [per epoch], "acc": [...], "val_loss": [...]}."""

    def on_train_begin(self, logs=None):
        self.epoch, self.history = [], {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)


class LambdaCallback(Callback):
    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None,
                 on_batch_end=None, on_train_begin=None, on_train_end=None, **kwargs):
        super().__init__()
        for name, function in [("on_epoch_begin", on_epoch_begin),
                               ("on_epoch_end", on_epoch_end),
                               ("on_batch_begin", on_batch_begin),
                               ("on_batch_end", on_batch_end),
                               ("on_train_begin", on_train_begin),
                               ("on_train_end", on_train_end)]:
            if function is not None:
                setattr(self, name, function)


def _better(mode, monitor):
    if mode == "min" or (mode == "auto" and "acc" not in monitor):
        return np.less, np.inf
    return np.greater, -np.inf


class EarlyStopping(Callback):
    """Stop when `monitor` has not improved by `min_delta` for `patience` epochs; with
    restore_best_weights, put back the weights of the best epoch."""

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False):
        super().__init__()
        self.monitor, self.patience, self.verbose = monitor, patience, verbose
        self.baseline, self.restore_best_weights = baseline, restore_best_weights
        self.monitor_op, self._start = _better(mode, monitor)
        self.min_delta = abs(min_delta) * (1 if self.monitor_op is np.greater else -1)
        self.stopped_epoch = 0

    def on_train_begin(self, logs=None):
        self.wait, self.stopped_epoch, self.best_weights = 0, 0, None
        self.best = self.baseline if self.baseline is not None else self._start

    def on_epoch_end(self, epoch, logs=None):
        current = (logs or {}).get(self.monitor)
        if current is None:
            print(f"Early stopping conditioned on metric `{self.monitor}` which is not "
                  f"available. Available metrics are: {','.join(logs or {})}")
            return
        if self.monitor_op(current - self.min_delta, self.best):
            self.best, self.wait = current, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.restore_best_weights and self.best_weights is not None:
                if self.verbose > 0:
                    print("Restoring model weights from the end of the best epoch.")
                self.model.set_weights(self.best_weights)

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1:05d}: early stopping")


class ModelCheckpoint(Callback):
    """Save the model (or only its weights) after every `period` epochs to `filepath`
    (formatted with the epoch and the logs, e.g. "w.{epoch:02d}-{val_loss:.2f}.h5"), or
    only when `monitor` improved (save_best_only)."""

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", period=1):
        super().__init__()
        self.filepath, self.monitor, self.verbose = filepath, monitor, verbose
        self.save_best_only, self.save_weights_only = save_best_only, save_weights_only
        self.period, self._since = period, 0
        self.monitor_op, self.best = _better(mode, monitor)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self._since += 1
        if self._since < self.period:
            return
        self._since = 0
        path = self.filepath.format(epoch=epoch + 1, **logs)
        if self.save_best_only:
            current = logs.get(self.monitor)
            if current is None or not self.monitor_op(current, self.best):
                return
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1:05d}: {self.monitor} improved from "
                      f"{self.best:.5f} to {current:.5f}, saving model to {path}")
            self.best = current
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)      # the whole model, as Keras (HDF5: needs h5py)


class CSVLogger(Callback):
    """One row per epoch: epoch, then the logs' values, into `filename`."""

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename, self.separator, self.append = filename, separator, append

    def on_train_begin(self, logs=None):
        self._header = self.append and os.path.exists(self.filename)
        self._file = open(self.filename, "a" if self.append else "w", newline="")

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        keys = sorted(logs)
        writer = csv.writer(self._file, delimiter=self.separator)
        if not self._header:
            writer.writerow(["epoch"] + keys)
            self._header = True
        writer.writerow([epoch] + [logs[k] for k in keys])
        self._file.flush()

    def on_train_end(self, logs=None):
        self._file.close()


class TerminateOnNaN(Callback):
    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and (math.isnan(loss) or math.isinf(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


def _lr_of(model):
    lr = getattr(model.optimizer, "lr", None)
    if lr is None:
        raise ValueError('Optimizer must have a "lr" attribute (a tf.keras.optimizers '
                         'optimizer; a tf.train one keeps its rate fixed).')
    return lr


class LearningRateScheduler(Callback):
    """Set the learning rate to schedule(epoch) (or schedule(epoch, lr)) each epoch."""

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch, logs=None):
        lr = _lr_of(self.model)
        try:
            rate = self.schedule(epoch, float(backend.get_value(lr)))
        except TypeError:
            rate = self.schedule(epoch)
        backend.set_value(lr, float(rate))
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1:05d}: LearningRateScheduler reducing learning rate "
                  f"to {rate}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["lr"] = float(backend.get_value(_lr_of(self.model)))


class ReduceLROnPlateau(Callback):
    """Multiply the learning rate by `factor` when `monitor` has not improved for
    `patience` epochs (not below min_lr; `cooldown` epochs of rest after a change)."""

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0, **kwargs):
        super().__init__()
        if factor >= 1.0:
            raise ValueError("ReduceLROnPlateau does not support a factor >= 1.0.")
        self.monitor, self.factor, self.patience = monitor, factor, patience
        self.verbose, self.min_delta, self.cooldown = verbose, min_delta, cooldown
        self.min_lr = min_lr
        self.monitor_op, self._start = _better(mode, monitor)

    def on_train_begin(self, logs=None):
        self.best, self.wait, self.cooldown_counter = self._start, 0, 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        lr = _lr_of(self.model)
        logs["lr"] = float(backend.get_value(lr))
        current = logs.get(self.monitor)
        if current is None:
            return
        delta = -self.min_delta if self.monitor_op is np.less else self.min_delta
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self.monitor_op(current, self.best + delta):
            self.best, self.wait = current, 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            if self.wait >= self.patience:
                new = max(logs["lr"] * self.factor, self.min_lr)
                if logs["lr"] > self.min_lr:
                    backend.set_value(lr, new)
                    if self.verbose > 0:
                        print(f"\nEpoch {epoch + 1:05d}: ReduceLROnPlateau reducing learning "
                              f"rate to {new}.")
                self.cooldown_counter, self.wait = self.cooldown, 0


class TensorBoard(Callback):
    """Event files for TensorBoard in `log_dir`: the graph, each epoch's logs as scalars,
    and every `histogram_freq` epochs a histogram of each weight."""

    def __init__(self, log_dir="./logs", histogram_freq=0, write_graph=True, **kwargs):
        super().__init__()
        self.log_dir, self.histogram_freq, self.write_graph = log_dir, histogram_freq, \
            write_graph

    def on_train_begin(self, logs=None):
        self.writer = ag.summary.FileWriter(
            self.log_dir, graph=ag.get_default_graph() if self.write_graph else None)
        self._histograms = None
        if self.histogram_freq:
            self._histograms = ag.summary.merge(
                [ag.summary.histogram(w.op.name, w) for w in self.model.weights])

    def on_epoch_end(self, epoch, logs=None):
        values = [ag.summary.Summary.Value(tag=name, simple_value=float(value))
                  for name, value in (logs or {}).items()]
        self.writer.add_summary(ag.summary.Summary(value=values), epoch)
        if self._histograms is not None and epoch % self.histogram_freq == 0:
            self.writer.add_summary(backend.get_session().run(self._histograms), epoch)
        self.writer.flush()

    def on_train_end(self, logs=None):
        self.writer.close()
