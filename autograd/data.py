"""Input pipelines as TF 1.4+ tutorials write them (tf.data):

    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    dataset = dataset.shuffle(1000).batch(100).repeat(2)
    iterator = dataset.make_one_shot_iterator()        # or make_initializable_iterator()
    batch_x, batch_y = iterator.get_next()              # tensors, a new batch every run
    ... sess.run(train, ...) until tf.errors.OutOfRangeError

A Dataset describes the pipeline; its elements are computed in the session, by the
iterator's ops: the initializer (`MakeIterator`, which reads the pipeline's source
tensors, so placeholders fed at initialization work) and `IteratorGetNext`, which takes
the next element and raises OutOfRangeError at the end. `map` and `filter` functions are
traced once into function bodies (autograd.function_graph) and run per element. Each session
keeps its own position in each iterator.
"""
import numpy as np

from . import dtypes, errors, nest, readers, records
from .function_graph import FunctionBody, as_body_tensor, trace_function
from .graph import get_default_graph
from .ops.random import seed_pair
from .registry import convert_to_tensor, define_op
from .shapes import Shape


class Dataset:
    """A pipeline of elements, each a structure (a tensor, tuple or dict) of arrays."""

    def __init__(self, structure, specs, sources, make):
        self._structure = structure   # nest of placeholders for the element's parts
        self._specs = specs           # [(shape, dtype)] per flattened part
        self._sources = sources       # tensors the pipeline reads when initialized
        self._make = make             # (source values, context) -> iterator of flat lists

    # -- sources ---------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors):
        """One element per row of `tensors` (a tensor, array, or a tuple/dict of them,
        all with the same first dimension)."""
        flat = [convert_to_tensor(t) for t in nest.flatten(tensors)]
        for t in flat:
            if t.shape is not None and len(t.shape) == 0:
                raise ValueError(f"from_tensor_slices slices along the first axis, but "
                                 f"{t.name} is a scalar; use from_tensors for one element")
        specs = [(None if t.shape is None else Shape(list(t.shape)[1:]), t.dtype)
                 for t in flat]

        def make(values, context):
            counts = {len(v) for v in values}
            if len(counts) > 1:
                raise errors.InvalidArgumentError(
                    f"from_tensor_slices: the parts have different first dimensions "
                    f"{sorted(counts)}")
            return ([v[i] for v in values] for i in range(counts.pop() if counts else 0))
        return Dataset(tensors, specs, flat, make)

    @staticmethod
    def from_tensors(tensors):
        """One element: `tensors` whole."""
        flat = [convert_to_tensor(t) for t in nest.flatten(tensors)]
        return Dataset(tensors, [(t.shape, t.dtype) for t in flat], flat,
                       lambda values, context: iter([list(values)]))

    @staticmethod
    def range(*args):
        """Integers as Python's range(start, stop, step) gives them (int64)."""
        values = list(range(*args))
        return Dataset(0, [(Shape([]), dtypes.int64)], [],
                       lambda _, context: ([np.int64(v)] for v in values))

    @staticmethod
    def zip(datasets):
        """Elements made of one element of each dataset, until the shortest ends."""
        parts = list(datasets)
        counts = [len(d._sources) for d in parts]

        def make(values, context):
            starts = np.cumsum([0] + counts)
            iterators = [d._make(values[a:b], context)
                         for d, a, b in zip(parts, starts, starts[1:])]
            return (_first_failure(items) or [x for item in items for x in item]
                    for items in zip(*iterators))
        structure = tuple(d._structure for d in parts)
        return Dataset(structure, [s for d in parts for s in d._specs],
                       [t for d in parts for t in d._sources], make)

    # -- transformations -------------------------------------------------------------------
    def _then(self, specs, transform, structure=None):
        previous = self._make
        return Dataset(self._structure if structure is None else structure, specs,
                       self._sources,
                       lambda values, context: transform(previous(values, context), context))

    def map(self, map_func, num_parallel_calls=None):
        """`map_func(*element)` (or `map_func(element)` for a single tensor) on each
        element, traced once as a function body."""
        body, result = self._trace(map_func, "Dataset.map")
        specs = [(t.shape, t.dtype) for t in body.outputs]

        def transform(elements, context):
            for element in elements:
                if isinstance(element, _Failed):
                    yield element
                    continue
                try:
                    yield context.run(body, element, {})
                except errors.OpError as exc:   # this element fails; the next ones go on
                    yield _Failed(exc)
        return self._then(specs, transform, result)

    def filter(self, predicate):
        """Only the elements for which `predicate(*element)` is true."""
        body, _ = self._trace(predicate, "Dataset.filter")
        found = body.outputs[0]
        if found.dtype != dtypes.bool or (found.shape is not None and len(found.shape) != 0):
            raise ValueError(f"Dataset.filter's predicate must return a scalar bool tensor, "
                             f"got {dtypes.name_of(found.dtype)} of shape {found.shape}")

        def transform(elements, context):
            for element in elements:
                if isinstance(element, _Failed):
                    yield element
                    continue
                try:
                    keep = bool(context.run(body, element, {})[0])
                except errors.OpError as exc:
                    yield _Failed(exc)
                    continue
                if keep:
                    yield element
        return self._then(self._specs, transform)

    def _trace(self, function, kind):
        def call(args):
            element = nest.pack_sequence_as(self._structure, args)
            return function(*element) if isinstance(element, tuple) else function(element)
        graph, args, result = trace_function(get_default_graph(), kind, call, self._specs)
        body = FunctionBody(graph, args, [as_body_tensor(graph, r)
                                          for r in nest.flatten(result)])
        if body.captures():
            raise ValueError(f"{kind}: the function uses tensors from outside the dataset "
                             f"({', '.join(t.name for t in body.captures())}); pass them in "
                             f"as constants or through the dataset")
        return body, result

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True):
        """Elements in random order, drawn from a buffer of `buffer_size` (TF's rule)."""
        size = int(buffer_size)
        if size <= 0:
            raise ValueError(f"shuffle needs a buffer_size > 0, got {size}")

        def transform(elements, context):
            rng, buffer = context.rng, []
            for element in elements:
                buffer.append(element)
                if len(buffer) >= size:
                    yield buffer.pop(int(rng.integers(len(buffer))))
            while buffer:
                yield buffer.pop(int(rng.integers(len(buffer))))
        return self._then(self._specs, transform)

    def batch(self, batch_size, drop_remainder=False):
        """Elements stacked `batch_size` at a time (the last batch may be smaller)."""
        size = int(batch_size)
        if size <= 0:
            raise ValueError(f"batch needs a batch_size > 0, got {size}")
        specs = [(None if shape is None else Shape([size if drop_remainder else None] +
                                                   list(shape)), dtype)
                 for shape, dtype in self._specs]

        def transform(elements, context):
            batch = []
            for element in elements:
                batch.append(element)
                if len(batch) == size:
                    yield _first_failure(batch) or [np.stack(part) for part in zip(*batch)]
                    batch = []
            if batch and not drop_remainder:
                yield _first_failure(batch) or [np.stack(part) for part in zip(*batch)]
        return self._then(specs, transform)

    def repeat(self, count=None):
        """The dataset `count` times over (forever when None or -1)."""
        previous = self._make

        def make(values, context):
            round_number = 0
            while count is None or count < 0 or round_number < count:
                empty = True
                for element in previous(values, context):
                    empty = False
                    yield element
                round_number += 1
                if empty:
                    return
        return Dataset(self._structure, self._specs, self._sources, make)

    def take(self, count):
        def transform(elements, context):
            for number, element in enumerate(elements):
                if count >= 0 and number >= count:
                    return
                yield element
        return self._then(self._specs, transform)

    def skip(self, count):
        """All but the first `count` elements (count -1: none, as TF)."""
        count = int(count)
        if count < -1:
            raise ValueError(f"skip needs a count >= -1, got {count}")
        if count == -1:
            count = float("inf")

        def transform(elements, context):
            for number, element in enumerate(elements):
                if number >= count:
                    yield element
        return self._then(self._specs, transform)

    def prefetch(self, buffer_size):
        """Accepted for TF programs; elements are made when asked for."""
        return self

    def cache(self, filename=""):
        return self

    # -- iterators -------------------------------------------------------------------------
    @property
    def output_types(self):
        return nest.pack_sequence_as(self._structure, [d for _, d in self._specs])

    @property
    def output_shapes(self):
        return nest.pack_sequence_as(self._structure, [s for s, _ in self._specs])

    def make_one_shot_iterator(self):
        """An iterator that starts by itself, on the first get_next of each session."""
        return Iterator(self._structure, self._specs, self, one_shot=True)

    def make_initializable_iterator(self, shared_name=None):
        """An iterator to (re)start with `sess.run(iterator.initializer, feed_dict)`."""
        return Iterator(self._structure, self._specs, self, one_shot=False)


def _file_records(filenames, records_of):
    """A dataset of one scalar string per record of each file of `filenames` (a name,
    a list of names or a string tensor), in order."""
    source = convert_to_tensor(filenames, dtypes.string)

    def make(values, context):
        for name in np.asarray(values[0], dtype=object).reshape(-1):
            path = name.decode() if isinstance(name, bytes) else str(name)
            for _, record in records_of(path):
                yield [dtypes.string_array([record], ())]
    return Dataset(0, [(Shape([]), dtypes.string)], [source], make)


def TFRecordDataset(filenames, compression_type=None, buffer_size=None,  # noqa: N802
                    num_parallel_reads=None):
    """The records of TFRecord files, as scalar strings (serialized Examples, usually)."""
    return _file_records(filenames, readers.tf_records(records.compression_name(
        compression_type)))


def TextLineDataset(filenames, compression_type=None, buffer_size=None,  # noqa: N802
                    num_parallel_reads=None):
    """The lines of text files, without their newlines."""
    if records.compression_name(compression_type):
        raise ValueError("TextLineDataset: compressed text files are not supported; "
                         "decompress them first")
    return _file_records(filenames, readers.lines(0))


def FixedLengthRecordDataset(filenames, record_bytes, header_bytes=None,  # noqa: N802
                             footer_bytes=None, buffer_size=None, compression_type=None,
                             num_parallel_reads=None):
    """Records of `record_bytes` bytes, between a header and a footer of each file."""
    return _file_records(filenames, readers.fixed_length(
        int(record_bytes), int(header_bytes or 0), int(footer_bytes or 0), 0))


class _Context:
    """What a pipeline needs while it runs: a way to run function bodies in the session
    that made the iterator, and a random generator."""

    def __init__(self, op_context, rng):
        self.run, self.rng = op_context.run, rng


def _make_iterator_shape(*sources, key, dataset, seed):
    return []


def _make_iterator_forward(ctx, *sources, key, dataset, seed):
    ctx.replace_resource(key, dataset._make(list(sources), _Context(ctx, ctx.rng())))


MakeIterator = define_op("MakeIterator", forward=_make_iterator_forward,
                         shape=_make_iterator_shape, context=True)


class _Failed:
    """An element whose map or filter function failed: get_next raises its error for
    that element, and the elements after it still come (TF's rule); a batch holding it
    fails as a whole."""

    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error


def _first_failure(elements):
    return next((e for e in elements if isinstance(e, _Failed)), None)


def _get_next_shape(*sources, key, dataset, specs, one_shot, seed):
    return list(specs)


def _get_next_forward(ctx, *sources, key, dataset, specs, one_shot, seed):
    def start():
        if not one_shot:
            raise errors.FailedPreconditionError(
                "GetNext() failed because the iterator has not been initialized. Ensure "
                "that you have run the initializer operation for this iterator before "
                "getting the next element.")
        return dataset._make(list(sources), _Context(ctx, ctx.rng()))
    position = ctx.resource(key, start)
    element = next(position, None)
    if element is None:
        raise errors.OutOfRangeError("End of sequence")
    if isinstance(element, _Failed):
        raise element.error
    # string parts stay object arrays: bytes (a binary record) may end in NULs
    values = [np.asarray(v, dtype=object if d == dtypes.string else d)
              for v, (_, d) in zip(element, specs)]
    return values[0] if len(values) == 1 else tuple(values)


IteratorGetNext = define_op("IteratorGetNext", forward=_get_next_forward,
                            shape=_get_next_shape, context=True)


class Iterator:
    """Hands out a dataset's elements: `get_next()` gives tensors whose run takes the next
    element; `initializer` (re)starts it."""

    def __init__(self, structure, specs, dataset, one_shot):
        self._structure, self._specs = structure, specs
        self.output_types = dataset.output_types
        self.output_shapes = dataset.output_shapes
        self._one_shot = one_shot
        self._key = object()   # this iterator's entry in each session's state
        graph = get_default_graph()
        name = graph.unique_name("Iterator")
        self._seed = seed_pair(graph, None, name)
        self._dataset = dataset
        self.initializer = None if one_shot else MakeIterator.create(
            list(dataset._sources), {"key": self._key, "dataset": dataset,
                                     "seed": self._seed}, name + "/initializer")

    def get_next(self, name=None):
        """The next element, as tensors in the dataset's structure; running them past the
        end raises tf.errors.OutOfRangeError."""
        # a one-shot iterator starts itself, from the sources; an initializable one was
        # started by its initializer (whose placeholders need no feed here)
        sources = self._dataset._sources if self._one_shot else []
        out = IteratorGetNext(*sources, key=self._key, dataset=self._dataset,
                              specs=tuple(self._specs), one_shot=self._one_shot,
                              seed=self._seed, name=name or "IteratorGetNext")
        flat = [out] if len(self._specs) == 1 else list(out)
        return nest.pack_sequence_as(self._structure, flat)


def make_one_shot_iterator(dataset):
    return dataset.make_one_shot_iterator()


def make_initializable_iterator(dataset, shared_name=None):
    return dataset.make_initializable_iterator()
