"""Fused steps: two ops that a plan runs as one step, where it can prove nobody can tell.

A bias add followed by a ReLU allocates an intermediate that only the ReLU reads; run as
one step, the ReLU can be written into the sum's own array, or the pair computed in one
pass. The modules that define ops declare such pairs here (`register`), with how to build
the pair's kernel; `autograd.plan` fuses a pair only where:
- the consumer reads the producer's only output as its first input, and nothing else in
  the run reads that output: no other op, no fetch; and it is not fed;
- neither op has effects (variables, queues), a context or attrs, neither has control
  inputs, and no op of the run waits on the producer by a control input;
- the rule's `applies(producer, consumer)` accepts the pair (static shapes, dtypes).
The fused step runs in the consumer's place and under its name (traces and errors name
the consumer). `Session.step`, which walks a run op by op for the player and notebooks,
never fuses, and neither does a session made with `Session(fuse=False)`.
"""
from typing import Callable, NamedTuple


class Rule(NamedTuple):
    """How to run a producer and its consumer as one step. `build(consumer,
    producer_kernel)` returns the step's kernel when the plan is compiled, given the
    producer's own kernel (bound and specialized as the plan would run it): the step's
    kernel takes the producer's inputs, then the consumer's other inputs, and returns the
    consumer's output. `applies(producer, consumer)` says whether a pair may fuse."""

    build: Callable
    applies: Callable


_rules = {}


def register(producer, consumer, build, applies=None):
    """Declare that an op of type `consumer` (an op type's name, as OpDef.type) reading
    the output of an op of type `producer` may run as one step (see Rule). Types, not
    OpDefs, name the pair: the module declaring a fusion (nn's, for its ReLU) need not
    own the other op."""
    _rules[(producer, consumer)] = Rule(build, applies or (lambda p, c: True))


def rule_for(producer, consumer):
    """The Rule fusing these two ops (Operations), or None."""
    return _rules.get((producer.type, consumer.type))


def fusable(ops, readers, kept, effects):
    """{consumer: (producer, rule)} for the pairs among `ops` (one run's, in plan order)
    that may fuse. `readers[tensor]` counts the ops of the run reading it; `kept` holds
    the fetched and fed tensors; `effects(op)` gives an op's (reads, writes)."""
    in_run = set(ops)
    awaited = {c for op in ops for c in op.control_inputs}
    pairs, taken = {}, set()   # an op joins one pair at most
    for consumer in ops:
        if not consumer.inputs:
            continue
        producer = consumer.inputs[0].op
        found = rule_for(producer, consumer) if producer in in_run else None
        if found is None or producer in taken or consumer in awaited:
            continue
        value = producer.outputs[0]
        if len(producer.outputs) != 1 or readers.get(value, 0) != 1 or value in kept \
                or value in consumer.inputs[1:] or producer in awaited:
            continue
        if any(op.control_inputs or op.attrs or op.op_def.context or any(effects(op))
               for op in (producer, consumer)):
            continue
        if found.applies(producer, consumer):
            pairs[consumer] = (producer, found)
            taken.update((producer, consumer))
    return pairs
