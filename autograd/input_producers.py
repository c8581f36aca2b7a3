"""TF1's queue-based input pipelines, as the CIFAR-10 and file-reading tutorials build them:

    filenames = tf.train.string_input_producer(files, num_epochs=2)   # a queue of names
    key, value = tf.TextLineReader().read(filenames)                   # one record a run
    x, y = tf.decode_csv(value, [[0.0], [0]])                          # parsed
    xs, ys = tf.train.shuffle_batch([x, y], 32, capacity=200, min_after_dequeue=100)

Each producer and batcher makes a queue and a QueueRunner for it (in the graph's
QUEUE_RUNNERS collection): nothing moves until `tf.train.start_queue_runners` starts
their threads. `num_epochs` counts through a local variable (run
local_variables_initializer), and when it is spent the producer's queue closes, then
each batch queue downstream, so the training loop ends with OutOfRangeError. Every queue
records how full it is as a scalar summary, as TF's do, which shows whether input keeps
up with training.
"""
from . import dtypes, nest, summary
from .graph import GraphKeys, control_dependencies, name_scope
from .ops.indexing import gather
from .ops.random import random_shuffle
from .ops.fill import range as range_
from .ops.scatter import count_up_to
from .ops.compare import cast
from .ops.shaping import identity, shape as shape_of
from .queue_runners import QueueRunner, add_queue_runner
from .queues import FIFOQueue, PaddingFIFOQueue, RandomShuffleQueue
from .registry import constant, convert_to_tensor
from .shapes import Shape
from .variables import Variable


def limit_epochs(tensor, num_epochs=None, name=None):
    """`tensor`, `num_epochs` times, then OutOfRangeError (counted in a local variable)."""
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError(f"num_epochs must be > 0 (or None for no limit), got {num_epochs}")
    with name_scope(name or "limit_epochs"):
        counter = Variable(constant(0, dtypes.int64), name="epochs", trainable=False,
                           collections=[GraphKeys.LOCAL_VARIABLES])
        with control_dependencies([count_up_to(counter, num_epochs)]):
            return identity(tensor, name="epochs_limited")


def input_producer(input_tensor, element_shape=None, num_epochs=None, shuffle=True, seed=None,
                   capacity=32, shared_name=None, summary_name=None, name=None,
                   cancel_op=None):
    """A queue that is fed the rows of `input_tensor`, shuffled each epoch if `shuffle`,
    for `num_epochs` epochs (None: forever)."""
    with name_scope(name or "input_producer") as scope:
        input_tensor = convert_to_tensor(input_tensor)
        rows = input_tensor.shape
        if element_shape is None:
            if rows is None:
                raise ValueError("input_producer needs element_shape when the input's shape "
                                 "is unknown")
            element_shape = Shape(list(rows)[1:])
        input_tensor = limit_epochs(input_tensor, num_epochs)
        if shuffle:
            input_tensor = random_shuffle(input_tensor, seed=seed)
        queue = FIFOQueue(capacity, [input_tensor.dtype], shapes=[element_shape],
                          shared_name=shared_name, name="fifo_queue")
        enqueue = queue.enqueue_many([input_tensor])
        add_queue_runner(QueueRunner(queue, [enqueue], cancel_op=cancel_op))
        if summary_name is not None:
            _fullness(queue, capacity, scope + summary_name)
        return queue


def string_input_producer(string_tensor, num_epochs=None, shuffle=True, seed=None,
                          capacity=32, shared_name=None, name=None, cancel_op=None):
    """A queue of file names (strings), for a reader: each epoch all of them, shuffled."""
    if isinstance(string_tensor, (list, tuple)) and not string_tensor:
        raise ValueError("string_input_producer needs at least one string (an empty list of "
                         "files: check the path or glob pattern that made it)")
    string_tensor = convert_to_tensor(string_tensor, dtypes.string)
    if string_tensor.dtype != dtypes.string:
        raise TypeError(f"string_input_producer needs strings, got "
                        f"{dtypes.name_of(string_tensor.dtype)}")
    with name_scope(name or "input_producer") as scope:
        return input_producer(string_tensor, Shape([]), num_epochs, shuffle, seed, capacity,
                              shared_name, f"fraction_of_{capacity}_full", name=scope,
                              cancel_op=cancel_op)


def range_input_producer(limit, num_epochs=None, shuffle=True, seed=None, capacity=32,
                         shared_name=None, name=None):
    """A queue of the integers 0 .. limit-1 (int32), each epoch."""
    with name_scope(name or "input_producer") as scope:
        return input_producer(range_(limit), Shape([]), num_epochs, shuffle, seed, capacity,
                              shared_name, f"fraction_of_{capacity}_full", name=scope)


def slice_input_producer(tensor_list, num_epochs=None, shuffle=True, seed=None, capacity=32,
                         shared_name=None, name=None):
    """One row of each tensor of `tensor_list` per run (the same row of each)."""
    tensors = [convert_to_tensor(t) for t in tensor_list]
    if not tensors:
        raise ValueError("slice_input_producer needs at least one tensor")
    with name_scope(name or "input_producer"):
        count = shape_of(tensors[0], out_type=dtypes.int32)[0]
        indices = range_input_producer(count, num_epochs, shuffle, seed, capacity,
                                       shared_name).dequeue()
        return [gather(t, indices) for t in tensors]


def _fullness(queue, capacity, tag):
    fraction = cast(queue.size(), dtypes.float32) * (1.0 / capacity)
    summary.scalar(tag, fraction)


# -- batching ---------------------------------------------------------------------------------
def _flat(tensors):
    if isinstance(tensors, dict):
        keys = sorted(tensors)
        return [convert_to_tensor(tensors[k]) for k in keys], (lambda parts:
                                                               dict(zip(keys, parts)))
    if isinstance(tensors, (list, tuple)):
        flat = [convert_to_tensor(t) for t in nest.flatten(tensors)]
        # TF's rule: a list of one tensor gives back the batched tensor alone
        return flat, lambda parts: parts[0] if len(parts) == 1 else \
            nest.pack_sequence_as(list(tensors), list(parts))
    return [convert_to_tensor(tensors)], lambda parts: parts[0]


def _shapes(tensors, shapes, enqueue_many, dynamic_pad, what):
    if shapes is not None:
        return [Shape(list(s)) if s is not None else None for s in shapes]
    found = []
    for tensor in tensors:
        shape = tensor.shape
        if shape is not None and enqueue_many:
            shape = Shape(list(shape)[1:])
        if shape is None or (not dynamic_pad and any(d is None for d in shape)):
            raise ValueError(f"{what}: all shapes must be fully defined; {tensor.name} has "
                             f"shape {tensor.shape}. Give shapes=, set its shape, or use "
                             f"dynamic_pad=True for varying lengths")
        found.append(shape)
    return found


def _batch(tensor_lists, batch_size, num_threads, capacity, enqueue_many, shapes,
           dynamic_pad, allow_smaller_final_batch, shared_name, name, keep_input,
           min_after_dequeue=None, seed=None, what="batch"):
    """The common core of batch, shuffle_batch, the _join and maybe_ variants: one queue,
    one enqueue per list of tensors (each run `num_threads` times over), one dequeue."""
    flats = [_flat(t) for t in tensor_lists]
    first, pack = flats[0]
    types = [t.dtype for t in first]
    for other, _ in flats[1:]:
        if [t.dtype for t in other] != types:
            raise ValueError(f"{what}: every list of tensors must have the same dtypes")
    with name_scope(name or what) as scope:
        queue_shapes = _shapes(first, shapes, enqueue_many, dynamic_pad, what)
        if min_after_dequeue is not None:
            queue = RandomShuffleQueue(capacity, min_after_dequeue, types, queue_shapes,
                                       seed=seed, shared_name=shared_name,
                                       name="random_shuffle_queue")
        elif dynamic_pad:
            queue = PaddingFIFOQueue(capacity, types, queue_shapes, shared_name=shared_name,
                                     name="padding_fifo_queue")
        else:
            queue = FIFOQueue(capacity, types, queue_shapes, shared_name=shared_name,
                              name="fifo_queue")
        put = queue.enqueue_many if enqueue_many else queue.enqueue
        enqueues = [put(flat, keep_input=keep_input) for flat, _ in flats
                    for _ in range(num_threads)]
        add_queue_runner(QueueRunner(queue, enqueues))
        if min_after_dequeue is None:
            _fullness(queue, capacity, f"{scope}fraction_of_{capacity}_full")
        else:
            summary.scalar(f"{scope}fraction_over_{min_after_dequeue}_of_"
                           f"{capacity - min_after_dequeue}_full",
                           cast(queue.size() - min_after_dequeue, dtypes.float32) *
                           (1.0 / (capacity - min_after_dequeue)))
        take = queue.dequeue_up_to if allow_smaller_final_batch else queue.dequeue_many
        out = take(batch_size, name=scope)
        parts = out if isinstance(out, list) else [out]
        return pack(parts)


def batch(tensors, batch_size, num_threads=1, capacity=32, enqueue_many=False, shapes=None,
          dynamic_pad=False, allow_smaller_final_batch=False, shared_name=None, name=None):
    """`tensors` (a list, dict or tensor) stacked `batch_size` runs at a time."""
    return _batch([tensors], batch_size, num_threads, capacity, enqueue_many, shapes,
                  dynamic_pad, allow_smaller_final_batch, shared_name, name, None)


def maybe_batch(tensors, keep_input, batch_size, num_threads=1, capacity=32,
                enqueue_many=False, shapes=None, dynamic_pad=False,
                allow_smaller_final_batch=False, shared_name=None, name=None):
    """batch, taking an element only when the bool tensor `keep_input` is true."""
    return _batch([tensors], batch_size, num_threads, capacity, enqueue_many, shapes,
                  dynamic_pad, allow_smaller_final_batch, shared_name, name, keep_input)


def batch_join(tensors_list, batch_size, capacity=32, enqueue_many=False, shapes=None,
               dynamic_pad=False, allow_smaller_final_batch=False, shared_name=None,
               name=None):
    """Batches mixing several sources: one thread per list of tensors."""
    return _batch(tensors_list, batch_size, 1, capacity, enqueue_many, shapes, dynamic_pad,
                  allow_smaller_final_batch, shared_name, name, None)


def shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, num_threads=1, seed=None,
                  enqueue_many=False, shapes=None, allow_smaller_final_batch=False,
                  shared_name=None, name=None):
    """Batches drawn at random from a queue kept above `min_after_dequeue` elements."""
    return _batch([tensors], batch_size, num_threads, capacity, enqueue_many, shapes, False,
                  allow_smaller_final_batch, shared_name, name, None, min_after_dequeue,
                  seed, what="shuffle_batch")


def maybe_shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, keep_input,
                        num_threads=1, seed=None, enqueue_many=False, shapes=None,
                        allow_smaller_final_batch=False, shared_name=None, name=None):
    return _batch([tensors], batch_size, num_threads, capacity, enqueue_many, shapes, False,
                  allow_smaller_final_batch, shared_name, name, keep_input,
                  min_after_dequeue, seed, what="shuffle_batch")


def shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue, seed=None,
                       enqueue_many=False, shapes=None, allow_smaller_final_batch=False,
                       shared_name=None, name=None):
    return _batch(tensors_list, batch_size, 1, capacity, enqueue_many, shapes, False,
                  allow_smaller_final_batch, shared_name, name, None, min_after_dequeue,
                  seed, what="shuffle_batch")
