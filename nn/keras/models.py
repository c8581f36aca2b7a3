"""tf.keras models: Sequential, the functional Model, and subclassed Models; compile, fit,
evaluate, predict, summary, weights.

A model's layers add ops to the default graph; `compile` adds the loss (with the layers'
regularization losses), the metrics and the train op once the model's outputs exist,
and fit runs them batch by batch in backend.get_session() with the learning phase on.
Weights are ordinary Variables, so a Keras model can be drawn, saved with tf.train.Saver
or exported like any graph.
"""
import json
import sys
import time

import numpy as np

import autograd as ag

from . import backend, callbacks as cbks, hdf5, losses as _losses, optimizers as _optimizers
from .layers import InputLayer, Layer, history_of, layer_class, node_of


class Progbar:
    """Keras's progress bar: `  64/1000 [=>...........] - ETA: 3s - loss: 0.5`, updated in
    place in a terminal or notebook, one line at the end elsewhere."""

    def __init__(self, target, width=30, verbose=1):
        self.target, self.width, self.verbose = target, width, verbose
        self._start = time.time()
        self._values, self._seen = {}, 0
        self._dynamic = (hasattr(sys.stdout, "isatty") and sys.stdout.isatty()) or \
            "ipykernel" in sys.modules
        self._last_width = 0

    def update(self, current, values=(), count=None):
        count = current - self._seen if count is None else count
        for name, value in values:
            total, weight = self._values.get(name, (0.0, 0))
            self._values[name] = (total + float(value) * count, weight + count)
        self._seen = current
        if self.target is None:     # a dataset of unknown length: shown when it ends
            return
        if self.verbose == 1 and (self._dynamic or current >= self.target):
            self._print_bar(current)

    def finish(self):
        """End a pass of unknown length: its one line, `steps/Unknown - 2s - loss: ...`."""
        if self.target is None and self.verbose == 1:
            elapsed = time.time() - self._start
            print(f"{self._seen}/Unknown - {elapsed:.0f}s - " + self._averages())

    def _averages(self):
        return " - ".join(f"{name}: {total / max(weight, 1):.4f}"
                          for name, (total, weight) in self._values.items())

    def _print_bar(self, current):
        digits = len(str(self.target))
        done = int(self.width * current / self.target) if self.target else self.width
        bar = "=" * max(done - 1, 0) + (">" if current < self.target else "=") * (done > 0)
        bar += "." * (self.width - len(bar))
        elapsed = time.time() - self._start
        if current < self.target:
            eta = elapsed / max(current, 1) * (self.target - current)
            timing = f" - ETA: {eta:.0f}s"
        else:
            timing = f" - {elapsed:.0f}s {elapsed / max(current, 1) * 1e6:.0f}us/sample"
        line = f"{current:{digits}d}/{self.target} [{bar}]{timing}"
        if self._values:
            line += " - " + self._averages()
        if self._dynamic:
            sys.stdout.write("\b" * self._last_width + "\r" + line)
            self._last_width = len(line)
            if current >= self.target:
                sys.stdout.write("\n")
        else:
            sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def summary_line(self, seconds):
        """verbose=2's epoch line: `1000/1000 - 0s - loss: 0.5 - acc: 0.8`."""
        total = self.target if self.target is not None else self._seen
        return f"{total}/{total} - {seconds:.0f}s - " + self._averages()


class Model(Layer):
    """The functional model `Model(inputs, outputs)`, or a base class whose `call`
    defines the model (built on the first data it sees)."""

    def __init__(self, inputs=None, outputs=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.stop_training = False
        self._compiled = None
        self.inputs = self.outputs = None
        self._layers = []
        if inputs is not None:
            self._connect(inputs, outputs)

    # -- structure -------------------------------------------------------------------------
    def _connect(self, inputs, outputs):
        self._single_input = not isinstance(inputs, (list, tuple))
        self._single_output = not isinstance(outputs, (list, tuple))
        self.inputs = list(inputs) if not self._single_input else [inputs]
        self.outputs = list(outputs) if not self._single_output else [outputs]
        # a subclassed model's layers are its attributes (its call may use raw ops)
        self._layers = _layers_between(self.inputs, self.outputs) if self._is_functional() \
            else _attribute_layers(self)
        self.built = True

    @property
    def layers(self):
        return [layer for layer in self._layers if not isinstance(layer, InputLayer)]

    def get_layer(self, name=None, index=None):
        if index is not None:
            if index >= len(self.layers):
                raise ValueError(f"Was asked to retrieve layer at index {index} but model "
                                 f"only has {len(self.layers)} layers.")
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}")

    @property
    def weights(self):
        found = []
        for layer in self.layers:
            found.extend(w for w in layer.weights if w not in found)
        return found + [w for w in self._weights if w not in found]

    @property
    def trainable_weights(self):
        found = []
        for layer in self.layers:
            found.extend(w for w in layer.trainable_weights if w not in found)
        return found if self.trainable else []

    @property
    def losses(self):
        return [loss for layer in self.layers for loss in layer.losses]

    @losses.setter
    def losses(self, value):   # Layer.__init__ sets it; a model's come from its layers
        pass

    @property
    def updates(self):
        return [u for layer in self.layers for u in getattr(layer, "updates", [])]

    @updates.setter
    def updates(self, value):
        pass

    def count_params(self):
        return int(sum(np.prod(w.shape) for w in self.weights))

    def __call__(self, inputs, **kwargs):
        """Apply the model to new inputs, as a layer: its layers again, same weights."""
        self._ensure_built(inputs)
        if self._is_functional():
            flat = inputs if isinstance(inputs, (list, tuple)) else [inputs]
            outputs = _replay(self.inputs, self.outputs, [ag.convert_to_tensor(t)
                                                          for t in flat])
            return outputs[0] if self._single_output else outputs
        return self.call(inputs, **kwargs)

    def _is_functional(self):
        return type(self).call is Model.call

    def call(self, inputs, training=None):
        raise NotImplementedError("a subclassed Model defines call(inputs)")

    def _ensure_built(self, x):
        """A subclassed (or input-less Sequential) model builds on its first inputs."""
        if self.inputs is not None:
            return
        arrays = x if isinstance(x, (list, tuple)) else [x]
        shapes = [(None,) + tuple(np.shape(a)[1:]) if not isinstance(a, ag.Tensor)
                  else tuple(a.shape) for a in arrays]
        placeholders = [InputLayer(batch_input_shape=s, dtype=_dtype_of(a)).output
                        for s, a in zip(shapes, arrays)]
        inputs = placeholders if isinstance(x, (list, tuple)) else placeholders[0]
        outputs = self._build_outputs(inputs)
        self._connect(inputs, outputs)

    def _build_outputs(self, inputs):
        return self.call(inputs)

    # -- training --------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                sample_weight_mode=None, weighted_metrics=None, target_tensors=None,
                **kwargs):
        if loss is None:
            raise ValueError("compile needs a loss (e.g. loss='sparse_categorical_"
                             "crossentropy')")
        self._compiled = {"optimizer": _optimizers.get(optimizer),
                          "loss": _losses.get(loss),
                          "metrics": list(metrics or []), "loss_weights": loss_weights}
        self._functions = None
        self.optimizer = self._compiled["optimizer"]

    def _prepare(self):
        """The loss, metrics and train op on the model's outputs (made once)."""
        if self._functions is not None:
            return self._functions
        loss_fn = self._compiled["loss"]
        output = self.outputs[0]
        with ag.name_scope("training"):
            target = ag.placeholder(ag.float32, [None] * len(output.shape),
                                    name=f"{output.op.name.split('/')[0]}_target")
            weights = ag.placeholder_with_default(ag.ones_like(output[..., 0] if len(
                output.shape) > 1 else output), [None], name="sample_weights") \
                if len(output.shape) <= 2 else None
            per_example = loss_fn(target, output)
            if weights is not None:
                scale = ag.reduce_mean(ag.cast(ag.not_equal(weights, 0.0), ag.float32))
                data_loss = ag.reduce_mean(per_example * weights) / ag.maximum(scale, 1e-7)
            else:
                data_loss = ag.reduce_mean(per_example)
            total = data_loss + ag.add_n(self.losses) if self.losses else data_loss
            names, values = ["loss"], [total]
            for identifier in self._compiled["metrics"]:
                name, function = _losses.metric(identifier, loss_fn)
                names.append(name)
                values.append(ag.reduce_mean(function(target, output)))
            variables = self.trainable_weights
            minimize = self._compiled["optimizer"].minimize(total, var_list=variables)
            with ag.control_dependencies([minimize]):   # constraints project after the step
                projections = [ag.assign(w, c(w.value()))
                               for layer in self.layers
                               for w, c in getattr(layer, "constraints", {}).items()]
            train = ag.group(minimize, *projections, *self.updates)
        backend.get_session()   # initializes the optimizer's new variables
        self._functions = {"target": target, "weights": weights, "names": names,
                           "values": values, "train": train}
        return self._functions

    def _check_compiled(self):
        if self._compiled is None:
            raise RuntimeError("You must compile your model before training/testing. Use "
                               "`model.compile(optimizer, loss)`.")

    def _feed(self, x, y=None, sample_weight=None, training=False):
        arrays = x if isinstance(x, (list, tuple)) else [x]
        feed = {placeholder: np.asarray(array) for placeholder, array in zip(self.inputs,
                                                                              arrays)}
        if training:
            feed[backend.learning_phase()] = True
        if y is not None:
            functions = self._prepare()
            target = np.asarray(y, dtype=np.float32)
            output = self.outputs[0]
            if target.ndim == len(output.shape) - 1:
                target = target[..., None]
            self._check_target(target, output)
            feed[functions["target"]] = target
            if sample_weight is not None and functions["weights"] is not None:
                feed[functions["weights"]] = np.asarray(sample_weight, np.float32)
        return feed

    def _check_target(self, target, output):
        loss = self._compiled["loss"]
        width = output.shape[-1]
        if loss is _losses.categorical_crossentropy and target.shape[-1] == 1 and width != 1:
            raise ValueError(f"You are passing a target array of shape {target.shape} while "
                             f"using as loss `categorical_crossentropy`, which expects "
                             f"targets to be binary matrices (1s and 0s) of shape "
                             f"(samples, {width}). If your targets are integer classes, "
                             f"use `sparse_categorical_crossentropy` (or convert them with "
                             f"`to_categorical`).")
        if loss is not _losses.sparse_categorical_crossentropy and width is not None and \
                target.shape[-1] != width:
            raise ValueError(f"Error when checking target: expected {output.op.name.split('/')[0]}"
                             f" to have shape ({width},) but got array with shape "
                             f"{target.shape[1:]}")

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose=1, callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            **kwargs):
        """Train for `epochs` epochs on numpy arrays or a tf.data.Dataset of (x, y)
        batches (with steps_per_epoch for one that repeats forever); returns the History."""
        self._check_compiled()
        if isinstance(x, ag.data.Dataset):
            source = _DatasetBatches(self, x, steps_per_epoch)
        else:
            source = _ArrayBatches(x, y, batch_size or 32, sample_weight, class_weight,
                                   shuffle)
            if validation_data is None and validation_split:
                source, validation_data = source.split(validation_split)
        self._ensure_built(source.example_inputs())
        functions = self._prepare()
        history = cbks.History()
        all_callbacks = list(callbacks or []) + [history]   # last, as Keras: sees their logs
        metric_names = functions["names"]
        for callback in all_callbacks:
            callback.set_model(self)
            callback.set_params({"epochs": epochs, "samples": source.count,
                                 "steps": steps_per_epoch, "verbose": verbose,
                                 "batch_size": batch_size, "metrics": metric_names})
        if verbose and source.count is not None:
            print(f"Train on {source.count} samples" + (
                f", validate on {len(validation_data[1])} samples"
                if validation_data is not None and not isinstance(
                    validation_data, ag.data.Dataset) else ""))
        self.stop_training = False
        for callback in all_callbacks:
            callback.on_train_begin()
        session = backend.get_session()
        for epoch in range(initial_epoch, epochs):
            for callback in all_callbacks:
                callback.on_epoch_begin(epoch)
            if verbose:
                print(f"Epoch {epoch + 1}/{epochs}")
            bar = Progbar(source.count if source.count is not None else steps_per_epoch,
                          verbose=verbose)
            start, seen = time.time(), 0
            for batch_index, (inputs, targets, weights) in enumerate(source.epoch()):
                size = len(targets)
                for callback in all_callbacks:
                    callback.on_batch_begin(batch_index, {"batch": batch_index, "size": size})
                feed = self._feed(inputs, targets, weights, training=True)
                results = session.run([functions["train"]] + functions["values"], feed)[1:]
                logs = dict(zip(metric_names, (float(r) for r in results)))
                seen += size if source.count is not None else 1
                bar.update(seen, list(logs.items()), count=size)
                for callback in all_callbacks:
                    callback.on_batch_end(batch_index, dict(logs, batch=batch_index, size=size))
                if self.stop_training:
                    break
            bar.finish()
            epoch_logs = {name: total / max(weight, 1)
                          for name, (total, weight) in bar._values.items()}
            if validation_data is not None:
                scores = self._validate(validation_data, batch_size, validation_steps)
                epoch_logs.update({f"val_{n}": float(v) for n, v in zip(metric_names, scores)})
                if verbose == 1:
                    print(" - ".join(f"{k}: {v:.4f}" for k, v in epoch_logs.items()
                                     if k.startswith("val_")))
            if verbose == 2:
                print(bar.summary_line(time.time() - start) + "".join(
                    f" - {k}: {v:.4f}" for k, v in epoch_logs.items() if k.startswith("val_")))
            for callback in all_callbacks:
                callback.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        for callback in all_callbacks:
            callback.on_train_end()
        self.history = history
        return history

    def _validate(self, validation_data, batch_size, steps):
        if isinstance(validation_data, ag.data.Dataset):
            scores = self.evaluate(validation_data, steps=steps, verbose=0)
        else:
            scores = self.evaluate(*validation_data[:2], batch_size=batch_size, verbose=0,
                                   sample_weight=validation_data[2]
                                   if len(validation_data) > 2 else None)
        return scores if isinstance(scores, list) else [scores]

    def evaluate(self, x=None, y=None, batch_size=None, verbose=1, sample_weight=None,
                 steps=None, callbacks=None, **kwargs):
        """The loss (and metrics) over (x, y) or a dataset: a scalar, or a list
        [loss, metric ...], each averaged over the examples."""
        self._check_compiled()
        source = _DatasetBatches(self, x, steps) if isinstance(x, ag.data.Dataset) else \
            _ArrayBatches(x, y, batch_size or 32, sample_weight, None, False)
        self._ensure_built(source.example_inputs())
        functions = self._prepare()
        bar = Progbar(source.count if source.count is not None else steps, verbose=verbose)
        session = backend.get_session()
        seen = 0
        for inputs, targets, weights in source.epoch():
            results = session.run(functions["values"], self._feed(inputs, targets, weights))
            seen += len(targets) if source.count is not None else 1
            bar.update(seen, list(zip(functions["names"], results)), count=len(targets))
        bar.finish()
        scores = [bar._values[n][0] / max(bar._values[n][1], 1) for n in functions["names"]]
        return scores[0] if len(scores) == 1 else scores

    def predict(self, x, batch_size=None, verbose=0, steps=None, callbacks=None, **kwargs):
        """The model's outputs for `x`, batch by batch, as one numpy array."""
        self._ensure_built(x)
        batch_size = batch_size or 32
        x_list = [np.asarray(a) for a in (x if isinstance(x, (list, tuple)) else [x])]
        session = backend.get_session()
        outputs = self.outputs if not self._single_output else self.outputs[0]
        parts = [session.run(outputs, self._feed([a[begin:begin + batch_size]
                                                  for a in x_list]))
                 for begin in range(0, len(x_list[0]), batch_size)]
        if self._single_output:
            return np.concatenate(parts)
        return [np.concatenate(column) for column in zip(*parts)]

    def train_on_batch(self, x, y, sample_weight=None, class_weight=None):
        self._check_compiled()
        self._ensure_built(x)
        functions = self._prepare()
        results = backend.get_session().run([functions["train"]] + functions["values"],
                                            self._feed(x, y, sample_weight, training=True))[1:]
        return results[0] if len(results) == 1 else list(results)

    def test_on_batch(self, x, y, sample_weight=None):
        self._check_compiled()
        self._ensure_built(x)
        results = backend.get_session().run(self._prepare()["values"],
                                            self._feed(x, y, sample_weight))
        return results[0] if len(results) == 1 else list(results)

    def predict_on_batch(self, x):
        return self.predict(x, batch_size=len(np.asarray(x if not isinstance(x, list)
                                                         else x[0])))

    # -- weights and description (get_weights/set_weights: Layer's, over all layers) ------

    def save_weights(self, filepath, overwrite=True, save_format=None):
        """The weights to `filepath`: HDF5 in Keras's layout (a group per layer, its
        weight_names; real Keras reads it) for a .h5/.hdf5 name or save_format='h5',
        else an .npz checkpoint keyed by order and kind (0000/kernel, ...). Either way
        load_weights matches by topology, as Keras does."""
        if _is_hdf5(filepath, save_format):
            hdf5.save_weights(self._weighted_layers(), filepath)
        else:
            self._weights_saver().save(backend.get_session(), filepath, write_state=False,
                                       write_meta_graph=False)

    def load_weights(self, filepath, by_name=False):
        if _is_hdf5(filepath, None):
            hdf5.load_weights(self._weighted_layers(), filepath)
        else:
            self._weights_saver().restore(backend.get_session(), filepath)

    def _weighted_layers(self):
        return [layer for layer in self.layers if layer.weights]

    def _weights_saver(self):
        return ag.Saver({f"{index:04d}/{w.op.name.split('/')[-1]}": w
                         for index, w in enumerate(self.weights)})

    # -- configs: JSON and whole-model files -------------------------------------------------
    def get_config(self):
        """Sequential: its layers' configs. Functional: Keras's graph of layers, each
        with the (layer, node, tensor) triples of its inputs (inbound_nodes)."""
        if isinstance(self, Sequential):
            return {"name": self.name, "layers": [
                {"class_name": type(layer).__name__, "config": layer.get_config()}
                for layer in self.layers]}
        if not self._is_functional():
            raise NotImplementedError("a subclassed model has no config (its call is code): "
                                      "save its weights and build it again in code")
        entries = []
        for layer in self._layers:
            nodes = []
            for inputs in layer._calls:
                flat = inputs if isinstance(inputs, list) else [inputs]
                if all(history_of(t) is not None for t in flat):
                    nodes.append([[node_of(t)[0].name, node_of(t)[1], node_of(t)[2], {}]
                                  for t in flat])
            entries.append({"name": layer.name, "class_name": type(layer).__name__,
                            "config": layer.get_config(), "inbound_nodes": nodes})

        def ends(tensors):
            return [[node_of(t)[0].name, node_of(t)[1], node_of(t)[2]] for t in tensors]
        return {"name": self.name, "layers": entries, "input_layers": ends(self.inputs),
                "output_layers": ends(self.outputs)}

    def to_json(self, **kwargs):
        """The model's architecture as Keras's JSON (real Keras's model_from_json reads
        it)."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config(),
                           "keras_version": hdf5.KERAS_VERSION, "backend": "tensorflow"},
                          **kwargs)

    def save(self, filepath, overwrite=True, include_optimizer=True, save_format=None):
        """Architecture, weights and compile settings in one HDF5 file (load_model)."""
        training = None
        if self._compiled is not None and include_optimizer:
            training = self._training_config()
        hdf5.save_model(self, filepath, self.to_json(), training)

    def _training_config(self):
        loss = self._compiled["loss"]
        optimizer = self._compiled["optimizer"]
        lr = getattr(optimizer, "lr", None)
        return {"loss": loss.__name__, "metrics": [m if isinstance(m, str) else m.__name__
                                                   for m in self._compiled["metrics"]],
                "weighted_metrics": None, "sample_weight_mode": None,
                "loss_weights": self._compiled["loss_weights"],
                "optimizer_config": {"class_name": _optimizers.class_name(optimizer),
                                     "config": {} if lr is None else
                                     {"lr": float(backend.get_value(lr))}}}

    def summary(self, line_length=65, positions=(0.45, 0.85, 1.0), print_fn=print):
        """Keras's table: each layer's name (type), output shape and parameter count."""
        stops = [int(line_length * p) for p in positions]

        def row(fields):
            line = ""
            for field, stop in zip(fields, stops):
                line = (line + str(field))[:stop].ljust(stop)
            print_fn(line)
        print_fn(f'Model: "{self.name}"')
        print_fn("_" * line_length)
        row(["Layer (type)", "Output Shape", "Param #"])
        print_fn("=" * line_length)
        for index, layer in enumerate(self.layers):
            shape = _keras_shape(layer.output_shape) if layer.output is not None else \
                "multiple"
            row([f"{layer.name} ({type(layer).__name__})", shape, layer.count_params()])
            print_fn("=" * line_length if index == len(self.layers) - 1 else "_" * line_length)
        trainable = int(sum(np.prod(w.shape) for w in self.trainable_weights))
        total = self.count_params()
        print_fn(f"Total params: {total:,}")
        print_fn(f"Trainable params: {trainable:,}")
        print_fn(f"Non-trainable params: {total - trainable:,}")
        print_fn("_" * line_length)


class Sequential(Model):
    """Layers applied one after another: `Sequential([Dense(64, input_shape=(784,)),
    Dense(10)])`, or `.add(layer)` one at a time."""

    def __init__(self, layers=None, name=None):
        super().__init__(name=name)
        self._sequence = []
        for layer in layers or []:
            self.add(layer)

    def add(self, layer):
        if not isinstance(layer, Layer):
            raise TypeError(f"The added layer must be an instance of class Layer. Found: "
                            f"{layer}")
        self._sequence.append(layer)
        if self.inputs is None and layer._batch_input_shape is not None:
            placeholder = InputLayer(batch_input_shape=layer._batch_input_shape).output
            self._connect(placeholder, self._apply(placeholder))
        elif self.inputs is not None:
            self._connect(self.inputs[0], layer(self.outputs[0]))
        self._functions = None

    def pop(self):
        if not self._sequence:
            raise TypeError("There are no layers in the model.")
        self._sequence.pop()
        if self.inputs is not None:
            self._connect(self.inputs[0], self._apply(self.inputs[0]))

    def _apply(self, tensor):
        for layer in self._sequence:
            tensor = layer(tensor)
        return tensor

    def _build_outputs(self, inputs):
        return self._apply(inputs)

    @property
    def layers(self):
        return list(self._sequence)

    def _is_functional(self):
        return True


def model_from_json(json_string, custom_objects=None):
    """A model made again from to_json's text (Sequential or functional), with fresh
    weights."""
    found = json.loads(json_string)
    config = found["config"]
    if found.get("class_name") == "Sequential":
        layers = config["layers"] if isinstance(config, dict) else config
        return Sequential([layer_class(entry["class_name"]).from_config(entry["config"])
                           for entry in layers], name=config.get("name")
                          if isinstance(config, dict) else None)
    if found.get("class_name") in ("Model", "Functional"):
        return _functional_from_config(config)
    raise ValueError(f"Unknown model class: {found.get('class_name')!r}")


def _functional_from_config(config):
    """Layers made from their configs, then called on each other's outputs as the
    inbound_nodes say (the config lists layers in the order they ran)."""
    made = {}   # (layer name, node index, tensor index) -> tensor
    for entry in config["layers"]:
        if entry["class_name"] == "InputLayer":
            settings = entry["config"]
            layer = InputLayer(batch_input_shape=settings["batch_input_shape"],
                               dtype=settings.get("dtype"), name=settings["name"])
            made[(layer.name, 0, 0)] = layer.output
            continue
        layer = layer_class(entry["class_name"]).from_config(entry["config"])
        for node_index, node in enumerate(entry["inbound_nodes"]):
            inputs = [made[(name, node, tensor)] for name, node, tensor, *_ in node]
            outputs = layer(inputs if len(inputs) > 1 else inputs[0])
            for index, output in enumerate(outputs if isinstance(outputs, (list, tuple))
                                           else [outputs]):
                made[(layer.name, node_index, index)] = output

    def ends(triples):
        return [made[tuple(triple[:3])] for triple in triples]
    inputs, outputs = ends(config["input_layers"]), ends(config["output_layers"])
    return Model(inputs if len(inputs) > 1 else inputs[0],
                 outputs if len(outputs) > 1 else outputs[0], name=config.get("name"))


def load_model(filepath, custom_objects=None, compile=True):  # noqa: A002 - Keras's name
    """A model saved by model.save: architecture, weights, and compiled again."""
    architecture, training = hdf5.read_model(filepath)
    model = model_from_json(architecture)
    hdf5.load_weights(model._weighted_layers(), filepath, group="model_weights")
    if compile and training is not None:
        optimizer = training["optimizer_config"]
        made = _optimizers.from_config(optimizer["class_name"], optimizer["config"])
        model.compile(made, training["loss"], metrics=training.get("metrics"))
    return model


# -- helpers ---------------------------------------------------------------------------------
class _ArrayBatches:
    """Batches of numpy arrays, shuffled each epoch if asked; sample weights from
    sample_weight or class_weight."""

    def __init__(self, x, y, batch_size, sample_weight, class_weight, shuffle):
        self.x = [np.asarray(a) for a in (x if isinstance(x, (list, tuple)) else [x])]
        self.y, self.batch_size, self.shuffle = np.asarray(y), batch_size, shuffle
        self.weights = None if sample_weight is None else np.asarray(sample_weight,
                                                                      np.float32)
        if class_weight is not None:
            y = self.y
            classes = y.reshape(len(y), -1).argmax(1) if y.ndim > 1 and y.shape[-1] > 1 \
                else y.reshape(-1).astype(int)
            self.weights = np.array([class_weight.get(int(c), 1.0) for c in classes],
                                    np.float32)
        self.count = len(self.y)

    def example_inputs(self):
        return self.x if len(self.x) > 1 else self.x[0]

    def split(self, fraction):
        """(training part, validation data): the last `fraction` of the rows, as Keras."""
        cut = int(self.count * (1.0 - fraction))
        validation = ([a[cut:] for a in self.x], self.y[cut:]) + (
            (self.weights[cut:],) if self.weights is not None else ())
        self.x, self.y = [a[:cut] for a in self.x], self.y[:cut]
        self.weights = None if self.weights is None else self.weights[:cut]
        self.count = cut
        return self, validation

    def epoch(self):
        order = np.random.permutation(self.count) if self.shuffle else np.arange(self.count)
        for begin in range(0, self.count, self.batch_size):
            rows = order[begin:begin + self.batch_size]
            yield ([a[rows] for a in self.x], self.y[rows],
                   None if self.weights is None else self.weights[rows])


class _DatasetBatches:
    """The batches of a tf.data.Dataset of (x, y): run in the session, then fed to the
    model. Without `steps` each epoch starts the dataset again and ends with it; with
    `steps` the dataset goes on across epochs (one that repeats forever needs them)."""

    def __init__(self, model, dataset, steps):
        self.dataset, self.steps, self.count = dataset, steps, None
        self._iterator = dataset.make_initializable_iterator()
        self._next = self._iterator.get_next()
        self._started = False
        if not isinstance(self._next, (tuple, list)) or len(self._next) != 2:
            raise ValueError("a dataset given to fit/evaluate must give (x, y) pairs")

    def example_inputs(self):
        x = self._next[0]
        return list(x) if isinstance(x, (list, tuple)) else x

    def epoch(self):
        session = backend.get_session()
        if self.steps is None or not self._started:
            session.run(self._iterator.initializer)
            self._started = True
        taken = 0
        while self.steps is None or taken < self.steps:
            try:
                x, y = session.run(self._next)
            except ag.errors.OutOfRangeError:
                if self.steps is not None:
                    raise ValueError(f"the dataset ran out after {taken} of "
                                     f"steps_per_epoch={self.steps} steps: repeat() it") \
                        from None
                return
            taken += 1
            yield (list(x) if isinstance(x, (list, tuple)) else [x]), y, None


def _is_hdf5(filepath, save_format):
    return save_format == "h5" or str(filepath).endswith((".h5", ".hdf5", ".keras"))


def _dtype_of(value):
    kind = np.asarray(value).dtype.kind if not isinstance(value, ag.Tensor) else value.dtype.kind
    return "int32" if kind in "iu" else "float32"


def _keras_shape(shape):
    if isinstance(shape, list):
        return ", ".join(_keras_shape(s) for s in shape)
    return str(tuple(shape)).replace(",)", ",)")


def _attribute_layers(model):
    """The layers a subclassed model keeps as attributes (or in lists), in the order
    they were assigned, as Keras tracks them."""
    found = []
    for value in vars(model).values():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, Layer) and item is not model and item not in found:
                found.append(item)
    return found


def _layers_between(inputs, outputs):
    """The layers from `inputs` to `outputs` in Keras's order (its _map_graph_network):
    by depth, the inputs' side first, ties in the order a walk back from the outputs
    first meets them. Weight files are matched layer by layer in this order."""
    sources = set(inputs)
    indices, order, done = {}, [], set()

    def visit(tensor):
        if history_of(tensor) is None:
            if tensor not in sources:
                raise ValueError(f"Graph disconnected: cannot obtain value for tensor "
                                 f"{tensor.name}: it was not made by a Keras layer from "
                                 f"the model's inputs")
            return
        layer, call, _ = node_of(tensor)
        node = (layer, call)
        if node in done:
            return
        indices.setdefault(layer, len(indices))
        if tensor not in sources and not isinstance(layer, InputLayer):
            given = layer._calls[call]
            for upstream in (given if isinstance(given, list) else [given]):
                visit(upstream)
        done.add(node)
        order.append(node)
    for output in outputs:
        visit(output)
    node_depth, layer_depth = {}, {}
    for layer, call in reversed(order):
        depth = max(node_depth.setdefault((layer, call), 0), layer_depth.get(layer, 0))
        layer_depth[layer] = node_depth[(layer, call)] = depth
        if isinstance(layer, InputLayer):
            continue
        given = layer._calls[call]
        for upstream in (given if isinstance(given, list) else [given]):
            if history_of(upstream) is not None:
                producer = node_of(upstream)[:2]
                node_depth[producer] = max(depth + 1, node_depth.get(producer, 0))
    return sorted(layer_depth, key=lambda layer: (-layer_depth[layer], indices[layer]))


def _replay(inputs, outputs, new_inputs):
    """The outputs computed again from `new_inputs`, by the same layers (same weights)."""
    values = dict(zip(inputs, new_inputs))

    def value_of(tensor):
        if tensor in values:
            return values[tensor]
        layer, layer_inputs = history_of(tensor)
        given = [value_of(t) for t in layer_inputs] if isinstance(layer_inputs, list) \
            else value_of(layer_inputs)
        values[tensor] = layer(given)
        return values[tensor]
    return [value_of(o) for o in outputs]
