"""The Optimizer base: compute_gradients / apply_gradients / minimize and slot variables.

Each optimizer only defines its per-variable update: one fused op that takes the handles
of the variable and of its slots as inputs (TF's ResourceApply* ops), reads them and
writes their new values into recycled buffers, so a training step allocates nothing for
its updates.
"""
import autograd as ag

from .schedules import GLOBAL_STEP


class Optimizer:
    """Base class; subclasses set `slot_names` and implement `_apply_dense`."""

    slot_names = ()

    def __init__(self, learning_rate, name):
        self._learning_rate = learning_rate
        self._name = name
        self._slots = {}

    # -- the three public steps -------------------------------------------------------------
    def compute_gradients(self, loss, var_list=None):
        """[(gradient, variable)] for `var_list` (default: the trainable variables of the
        loss's graph); the gradient is None for a variable the loss does not depend on."""
        loss = ag.convert_to_tensor(loss)
        if var_list is None:
            var_list = loss.graph.get_collection(ag.GraphKeys.TRAINABLE_VARIABLES)
        var_list = list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize: create trainable Variables first")
        grads = ag.gradients(loss, var_list)
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """One op that updates each variable with its gradient (and increments
        global_step once, after every update)."""
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            names = [v.name for _, v in grads_and_vars]
            raise ValueError(f"No gradients provided for any variable: {names}. Check that the "
                             f"loss depends on them (gradients() gave None for each).")
        graph = pairs[0][1].graph
        with graph.as_default():
            for _, var in pairs:
                self._create_slots(var)
            self._create_non_slots(pairs[0][1])
            with ag.name_scope(name or self._name):
                lr = self._learning_rate
                updates = []
                for grad, var in pairs:
                    grad = ag.convert_to_tensor(grad)
                    rate = ag.cast(ag.convert_to_tensor(lr), var.dtype)
                    with ag.name_scope("update_" + var.op.name.replace("/", "_")):
                        updates.append(self._apply_dense(grad, var, rate))
                finish = self._finish(updates)
                if global_step is None:
                    return finish
                with ag.control_dependencies([finish]):
                    return ag.assign_add(global_step, ag.constant(1, global_step.dtype)).op

    def minimize(self, loss, global_step=None, var_list=None, name=None):
        """compute_gradients then apply_gradients: the train op to run every step."""
        grads_and_vars = self.compute_gradients(loss, var_list)
        return self.apply_gradients(grads_and_vars, global_step, name)

    # -- slots ------------------------------------------------------------------------------
    def get_slot(self, var, name):
        """The slot variable `name` (e.g. "momentum") this optimizer keeps for `var`."""
        return self._slots.get((var, name))

    def get_slot_names(self):
        return list(self.slot_names)

    def _create_slots(self, var):
        """One slot variable per slot name, named as TF names them (`W/Adam`, `W/Adam_1`),
        with no control dependencies: slots exist before any training step."""
        for slot in self.slot_names:
            if (var, slot) not in self._slots:
                graph = var.graph
                with graph.as_default(), graph.control_dependencies(None), \
                        ag.name_scope(var.op.name + "/"):
                    value = self._slot_initial_value(slot, var)
                    variable = ag.Variable(value, trainable=False, name=self._name)
                    graph.add_to_collection(ag.GraphKeys.OPTIMIZER_SLOTS, variable)
                    self._slots[(var, slot)] = variable

    def _slot_initial_value(self, slot, var):
        return ag.zeros(var.shape, var.dtype)

    def _create_non_slots(self, var):
        """Variables shared by all updates (Adam's beta powers)."""

    def _finish(self, updates):
        return ag.group(*updates, name="update")

    def _slot(self, var, slot):
        """The handle of `var`'s slot variable `slot` (an input of the update op)."""
        return self._slots[(var, slot)].handle

    def _apply_dense(self, grad, var, lr):
        raise NotImplementedError


def update_shape(*inputs, **attrs):
    """Shape rule shared by the fused update ops, whose inputs are the handles of the
    variable and its slots, then the learning rate, then the gradient. They output
    nothing: the variables change."""
    *handles, lr, grad = inputs
    shape, dtype = ag.variable_spec(handles[0])
    if not ag.dtypes.is_floating(grad.dtype):
        raise TypeError(f"gradients must be floating point, got {grad.dtype.name}")
    if grad.dtype != dtype:
        raise TypeError(f"gradient dtype {grad.dtype.name} does not match variable "
                        f"{handles[0].op.name!r} ({dtype.name})")
    ag.shapes.merge(grad.shape, shape)
    for slot in handles[1:]:
        ag.shapes.merge(ag.variable_spec(slot)[0], shape)
    return []


__all__ = ["Optimizer", "update_shape", "GLOBAL_STEP"]
