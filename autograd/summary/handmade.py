"""tf.Summary built by hand, as TF1 programs do for values computed outside the graph:

    writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="accuracy",
                                                          simple_value=acc)]), step)

It serializes to what the summary ops produce, so FileWriter.add_summary takes either.
Scalars only (`simple_value`): the other kinds come from summary ops.
"""
import json


class _Values(list):
    """The repeated `value` field: a list with protobuf's `add(...)`."""

    def add(self, **fields):
        value = Summary.Value(**fields)
        self.append(value)
        return value


class Summary:
    """A hand-built summary of scalar values (TF1's tf.Summary protocol message)."""

    class Value:
        """One tagged value: `Summary.Value(tag="loss", simple_value=0.5)`."""

        def __init__(self, tag="", simple_value=None, **other):
            if other:
                raise NotImplementedError(f"Summary.Value with {sorted(other)}: hand-built "
                                          f"summaries hold simple_value scalars; use "
                                          f"summary.histogram/image/text/audio ops for the rest")
            self.tag, self.simple_value = tag, simple_value

    def __init__(self, value=()):
        self.value = _Values(value)

    def __str__(self):
        scalars = {}
        for value in self.value:
            if value.simple_value is None:
                raise ValueError(f"Summary.Value {value.tag!r} has no simple_value")
            scalars[value.tag] = float(value.simple_value)
        return json.dumps({"scalars": scalars})

    def SerializeToString(self):  # noqa: N802 - the protobuf method's name
        return str(self).encode()
