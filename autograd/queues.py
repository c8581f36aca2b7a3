"""Queues: TF1's way of moving data between threads of one program, inside the graph.

    q = tf.FIFOQueue(capacity=100, dtypes=[tf.float32, tf.int32], shapes=[[784], []])
    enqueue = q.enqueue_many([images, labels])   # run by a thread (a QueueRunner)
    x, y = q.dequeue_many(32)                     # run by the training loop

A queue object describes the queue; its contents live in each session, as a variable's
value does (`ctx.resource`), so two sessions never share one. The ops:

- the queue's own op (`FIFOQueueV2`, ...) gives a handle, so that its users draw as
  linked to it;
- enqueue, enqueue_many: block while the queue is full; on a closed queue they raise
  CancelledError;
- dequeue, dequeue_many(n), dequeue_up_to(n): block until enough elements are there; on
  a closed queue with too few they raise OutOfRangeError (dequeue_up_to gives what is
  left, if anything), which is how an input pipeline says "the epochs are over";
- close(cancel_pending_enqueues=False), size(), is_closed().

A wait ends with the run's deadline (RunOptions.timeout_in_ms), with Ctrl-C, or when the
session closes (CancelledError); a dequeue that gives up puts back what it had taken, so
an interrupted run changes nothing. Dequeues are served one at a time, in arrival order,
so two dequeue_many never each hold half of what both need.
"""
import collections
import heapq
import itertools
import random
import threading

import numpy as np

from . import dtypes, errors
from .graph import get_default_graph
from .ops.random import seed_pair
from .registry import convert_to_tensor, define_op
from .shapes import Shape, compatible, fmt, make_shape, merge
from .waiting import wait_until

_queue_numbers = itertools.count()


class QueueSpec:
    """What every op of one queue knows about it (an attr of each of its ops)."""

    def __init__(self, kind, name, capacity, types, shapes, names, min_after_dequeue=0,
                 seed=None):
        self.kind, self.name, self.capacity = kind, name, int(capacity)
        self.dtypes, self.shapes, self.names = types, shapes, names
        self.min_after_dequeue, self.seed = int(min_after_dequeue), seed

    def __repr__(self):
        return f"{self.kind} {self.name!r}"


# -- the contents, in one session -------------------------------------------------------------
class _Fifo:
    def __init__(self, spec):
        self.items = collections.deque()

    def __len__(self):
        return len(self.items)

    def put(self, element):
        self.items.append(element)

    def take(self):
        return self.items.popleft()

    def put_back(self, elements):
        self.items.extendleft(reversed(elements))


class _Shuffled:
    """RandomShuffleQueue: any element may come out next; the rng is the queue's seed's."""

    def __init__(self, spec):
        self.items = []
        # Python's generator: one draw per element, where numpy's call overhead shows
        self.rng = random.Random(None if spec.seed is None
                                 else spec.seed[0] * 2 ** 32 + spec.seed[1])

    def __len__(self):
        return len(self.items)

    def put(self, element):
        self.items.append(element)

    def take(self):
        index = self.rng.randrange(len(self.items))
        self.items[index], self.items[-1] = self.items[-1], self.items[index]
        return self.items.pop()

    def put_back(self, elements):
        self.items.extend(elements)


class _Prioritised:
    """PriorityQueue: the element with the smallest priority (component 0) first; equal
    priorities in arrival order."""

    def __init__(self, spec):
        self.items, self.arrivals = [], itertools.count()

    def __len__(self):
        return len(self.items)

    def put(self, element):
        heapq.heappush(self.items, (int(element[0]), next(self.arrivals), element))

    def take(self):
        return heapq.heappop(self.items)[2]

    def put_back(self, elements):
        for element in elements:
            self.put(element)


_STORAGE = {"FIFOQueue": _Fifo, "PaddingFIFOQueue": _Fifo, "RandomShuffleQueue": _Shuffled,
            "PriorityQueue": _Prioritised}


class QueueState:
    """One queue's contents in one session. One lock guards it; enqueues wait on `space`
    and dequeues on `arrivals` (two conditions, so that a dequeue wakes only waiting
    enqueues and the other way round), and each wakes the other side once per run of
    elements moved, not once per element."""

    def __init__(self, spec):
        self.spec = spec
        self.items = _STORAGE[spec.kind](spec)
        self.lock = threading.Lock()
        self.space = threading.Condition(self.lock)
        self.arrivals = threading.Condition(self.lock)
        self.closed = False
        self.enqueues_cancelled = False
        self.session_closed = False
        self.lines = {"enqueue": collections.deque(), "dequeue": collections.deque()}

    def _wake_all(self):
        self.space.notify_all()
        self.arrivals.notify_all()

    def cancel(self):
        with self.lock:
            self.session_closed = True
            self._wake_all()

    def close(self, cancel_pending_enqueues):
        with self.lock:
            self.closed = True
            self.enqueues_cancelled = self.enqueues_cancelled or cancel_pending_enqueues
            self._wake_all()

    def size(self):
        with self.lock:
            return len(self.items)

    def enqueue(self, elements, op):
        """Add `elements` in order, waiting for room; all at once when they fit. An
        enqueue that was waiting when the queue closed still completes, unless the close
        cancelled pending enqueues (TF's rule)."""
        with self.lock:
            self._check_open(op)
            with _Turn(self, "enqueue", self.space, op):
                whole = len(elements) <= self.spec.capacity
                done = 0
                while done < len(elements):
                    needed = len(elements) - done if whole else 1
                    wait_until(self.space, lambda n=needed: self._room_for(n, op),
                               f"room in {self.spec}", op)
                    room = self.spec.capacity - len(self.items)
                    for element in elements[done:done + room]:
                        self.items.put(element)
                    done += min(room, len(elements) - done)
                    self.arrivals.notify_all()

    def _check_open(self, op):
        if self.closed:
            raise errors.CancelledError(f"{self.spec.kind} '{self.spec.name}' is closed.", op)

    def _room_for(self, count, op):
        self._check_session(op)
        if self.enqueues_cancelled:
            raise errors.CancelledError(f"Enqueue operation was cancelled: "
                                        f"{self.spec.kind} '{self.spec.name}' was closed "
                                        f"with cancel_pending_enqueues=True", op)
        return self.spec.capacity - len(self.items) >= count

    def dequeue(self, count, up_to, op):
        """`count` elements in queue order; fewer only for `up_to` on a closed queue."""
        with self.lock, _Turn(self, "dequeue", self.arrivals, op):
            taken = []
            try:
                while len(taken) < count:
                    if wait_until(self.arrivals, lambda: self._can_take(op),
                                  f"elements of {self.spec}", op) != "take":
                        break
                    while len(taken) < count and self._can_take(op) == "take":
                        taken.append(self.items.take())
                    self.space.notify_all()
            except BaseException:   # a deadline, Ctrl-C, the session closing
                self.items.put_back(taken)
                raise
            if len(taken) < count and not (up_to and taken):
                self.items.put_back(taken)
                raise errors.OutOfRangeError(
                    f"{self.spec.kind} '{self.spec.name}' is closed and has insufficient "
                    f"elements (requested {count}, current size {len(self.items)})", op)
            return taken

    def _can_take(self, op):
        self._check_session(op)
        keep = 0 if self.closed else self.spec.min_after_dequeue
        if len(self.items) > keep:
            return "take"
        return "closed" if self.closed else None

    def _check_session(self, op):
        if self.session_closed:
            raise errors.CancelledError(f"the session was closed while {op.name!r} waited "
                                        f"on {self.spec}", op)


class _Turn:
    """One waiting op at a time of each kind (enqueue, dequeue), in arrival order; a
    turn waits on its kind's condition (called with the queue's lock held)."""

    def __init__(self, state, kind, condition, op):
        self.state, self.line, self.condition, self.op = state, state.lines[kind], condition, op

    def __enter__(self):
        me = object()
        self.line.append(me)
        try:
            wait_until(self.condition, lambda: self.line[0] is me or
                       self.state._check_session(self.op), f"its turn on {self.state.spec}",
                       self.op)
        except BaseException:
            self.line.remove(me)
            self.condition.notify_all()
            raise

    def __exit__(self, *exc):
        self.line.popleft()
        self.condition.notify_all()
        return False


def state_of(ctx, spec):
    """The contents of the queue `spec` in the running session (made on first use)."""
    return ctx.resource(spec, lambda: QueueState(spec))


# -- the ops ----------------------------------------------------------------------------------
def _handle_shape(*, queue):
    return (), dtypes.string


def _handle_forward(ctx, *, queue):
    return np.array(queue.name.encode(), dtype=object)


QUEUE_OPS = {kind: define_op(kind + "V2", forward=_handle_forward, shape=_handle_shape,
                             context=True, default_name=default)
             for kind, default in [("FIFOQueue", "fifo_queue"),
                                   ("PaddingFIFOQueue", "padding_fifo_queue"),
                                   ("RandomShuffleQueue", "random_shuffle_queue"),
                                   ("PriorityQueue", "priority_queue")]}


def _enqueue_shape(handle, *components, queue, many, masked=False):
    return []


def _enqueue_forward(ctx, handle, *components, queue, many, masked=False):
    """Enqueue one element, or each row (`many`); with `masked`, the last input says
    which (a bool scalar, or one per row): tf.train.maybe_batch's keep_input."""
    arrays = [np.asarray(c) for c in components]
    keep = arrays.pop() if masked else None
    if keep is not None and keep.ndim == 0 and not keep:
        return []
    if keep is not None and keep.ndim == 1:
        arrays = [a[keep] for a in arrays]
    if many:
        counts = {len(a) if a.ndim else -1 for a in arrays}
        if len(counts) != 1 or -1 in counts:
            raise errors.InvalidArgumentError(
                f"enqueue_many on {queue} needs components with one shared first dimension "
                f"(the batch), got shapes {[fmt(a.shape) for a in arrays]}", ctx.op)
        elements = list(zip(*arrays))
    else:
        elements = [tuple(arrays)]
    _check_rows(queue, arrays, many, ctx.op)
    state_of(ctx, queue).enqueue(elements, ctx.op)
    return []


def _check_rows(queue, arrays, many, op):
    """Each component's element shape (a row's, for enqueue_many) fits the queue's."""
    for index, (value, shape) in enumerate(zip(arrays, queue.shapes)):
        given = value.shape[1:] if many else value.shape
        if shape is not None and not compatible(shape, given):
            raise errors.InvalidArgumentError(
                f"Shape mismatch in tuple component {index} of {queue}. Expected "
                f"{fmt(shape)}, got {fmt(given)}", op)


QueueEnqueue = define_op("QueueEnqueueV2", forward=_enqueue_forward, shape=_enqueue_shape,
                         context=True, blocking=True)


def _dequeue_shape(handle, *, queue, count, up_to):
    batch = [] if count is None else [None if up_to else count]
    specs = [(None if s is None else Shape(batch + list(s)), d)
             for s, d in zip(queue.shapes, queue.dtypes)]
    return specs[0] if len(specs) == 1 else specs


def _dequeue_forward(ctx, handle, *, queue, count, up_to):
    elements = state_of(ctx, queue).dequeue(1 if count is None else count, up_to, ctx.op)
    if count is None:
        parts = [np.asarray(v, dtype=_numpy_dtype(d)) for v, d in zip(elements[0], queue.dtypes)]
    else:
        parts = [_stack([e[i] for e in elements], d, queue, ctx.op)
                 for i, d in enumerate(queue.dtypes)]
    return parts[0] if len(parts) == 1 else tuple(parts)


def _numpy_dtype(dtype):
    return object if dtype == dtypes.string else dtype


def _stack(values, dtype, queue, op):
    """The values of one component as a batch: padded with zeros (empty strings) to the
    largest shape in the batch for a PaddingFIFOQueue, else of one shape."""
    arrays = [np.asarray(v, dtype=_numpy_dtype(dtype)) for v in values]
    shapes = {a.shape for a in arrays}
    if len(shapes) > 1:
        if queue.kind != "PaddingFIFOQueue":
            raise errors.InvalidArgumentError(
                f"dequeue_many on {queue}: its elements have different shapes "
                f"{sorted(shapes)}; give the queue shapes, or use a PaddingFIFOQueue "
                f"(tf.train.batch(..., dynamic_pad=True))", op)
        widest = tuple(max(sizes) for sizes in zip(*shapes))
        fill = b"" if dtype == dtypes.string else 0
        padded = []
        for a in arrays:
            out = np.full(widest, fill, dtype=a.dtype)
            out[tuple(slice(0, n) for n in a.shape)] = a
            padded.append(out)
        arrays = padded
    return np.stack(arrays) if arrays else np.zeros((0,), dtype=_numpy_dtype(dtype))


QueueDequeue = define_op("QueueDequeueV2", forward=_dequeue_forward, shape=_dequeue_shape,
                         context=True, blocking=True)


def _close_forward(ctx, handle, *, queue, cancel_pending_enqueues):
    state_of(ctx, queue).close(cancel_pending_enqueues)
    return []


QueueClose = define_op("QueueCloseV2", forward=_close_forward,
                       shape=lambda handle, **_: [], context=True)


def _size_forward(ctx, handle, *, queue):
    return np.int32(state_of(ctx, queue).size())


QueueSize = define_op("QueueSizeV2", forward=_size_forward,
                      shape=lambda handle, **_: ((), dtypes.int32), context=True)


def _is_closed_forward(ctx, handle, *, queue):
    return np.bool_(state_of(ctx, queue).closed)


QueueIsClosed = define_op("QueueIsClosedV2", forward=_is_closed_forward,
                          shape=lambda handle, **_: ((), dtypes.bool), context=True)


# -- the queue objects users build --------------------------------------------------------
class QueueBase:
    """A queue of elements, each a tuple (or dict, with `names`) of tensors of the
    queue's dtypes and, when given, shapes."""

    _kind = None

    def __init__(self, capacity, dtypes_, shapes=None, names=None, shared_name=None,
                 name=None, min_after_dequeue=0, seed=None):
        graph = get_default_graph()
        if not isinstance(dtypes_, (list, tuple)):
            dtypes_ = [dtypes_]
        types = [dtypes.as_dtype(d) for d in dtypes_]
        if shapes is None:
            shapes = [None] * len(types)
        else:
            shapes = [make_shape(s) for s in shapes]
            if len(shapes) != len(types):
                raise ValueError(f"a queue with {len(types)} dtypes needs {len(types)} "
                                 f"shapes, got {len(shapes)}")
        if names is not None:
            names = list(names)
            if len(names) != len(types):
                raise ValueError(f"a queue with {len(types)} dtypes needs {len(types)} "
                                 f"names, got {len(names)}")
        if int(capacity) <= 0:
            raise ValueError(f"a queue needs a capacity > 0, got {capacity}")
        spec = QueueSpec(self._kind, shared_name, capacity, types, shapes, names,
                         min_after_dequeue)
        self._handle = QUEUE_OPS[self._kind](name=name, queue=spec)
        # ops on the queue are named after its last name part, in the caller's scope (TF)
        self._name = self._handle.op.name.split("/")[-1]
        # named after the op, as TF names a queue that has no shared_name
        spec.name = shared_name or f"_{next(_queue_numbers)}_{self._name}"
        if self._kind == "RandomShuffleQueue":
            spec.seed = seed_pair(graph, seed, self._handle.op.name)
        self._spec = spec

    # -- what TF1's QueueBase offers ---------------------------------------------------------
    @property
    def name(self):
        return self._handle.op.name

    @property
    def queue_ref(self):
        return self._handle

    @property
    def dtypes(self):
        return list(self._spec.dtypes)

    @property
    def shapes(self):
        return list(self._spec.shapes)

    @property
    def names(self):
        return self._spec.names

    def enqueue(self, vals, name=None, keep_input=None):
        """An op that adds one element (a tensor, a tuple, or a dict with the names);
        only when the bool tensor `keep_input` is true, if given."""
        return self._enqueue(vals, False, keep_input, name or f"{self._name}_enqueue")

    def enqueue_many(self, vals, name=None, keep_input=None):
        """An op that adds one element per row of `vals` (components share dimension 0);
        only the rows where `keep_input` (a bool vector, or scalar) is true, if given."""
        return self._enqueue(vals, True, keep_input, name or f"{self._name}_EnqueueMany")

    def _enqueue(self, vals, many, keep_input, name):
        tensors = self._components(vals, many)
        if keep_input is not None:
            keep = convert_to_tensor(keep_input, dtypes.bool)
            if keep.shape is not None and len(keep.shape) > (1 if many else 0):
                raise ValueError(f"keep_input must be a bool scalar{' or vector' * many}, "
                                 f"got shape {keep.shape}")
            tensors.append(keep)
        return QueueEnqueue.create([self._handle] + tensors, {
            "queue": self._spec, "many": many, "masked": keep_input is not None}, name)

    def dequeue(self, name=None):
        """The next element (blocks while the queue is empty)."""
        return self._dequeue(None, False, name or f"{self._name}_Dequeue")

    def dequeue_many(self, n, name=None):
        """The next `n` elements, each component stacked (blocks until there are `n`)."""
        return self._dequeue(_count(n), False, name or f"{self._name}_DequeueMany")

    def dequeue_up_to(self, n, name=None):
        """Like dequeue_many, but on a closed queue gives the last, smaller batch."""
        return self._dequeue(_count(n), True, name or f"{self._name}_DequeueUpTo")

    def close(self, cancel_pending_enqueues=False, name=None):
        """An op that closes the queue: later enqueues fail, dequeues drain what is left."""
        return QueueClose.create([self._handle], {
            "queue": self._spec, "cancel_pending_enqueues": bool(cancel_pending_enqueues)},
            name or f"{self._name}_Close")

    def size(self, name=None):
        return QueueSize(self._handle, queue=self._spec, name=name or f"{self._name}_Size")

    def is_closed(self, name=None):
        return QueueIsClosed(self._handle, queue=self._spec,
                             name=name or f"{self._name}_IsClosed")

    # -- helpers -----------------------------------------------------------------------------
    def _components(self, vals, many):
        spec = self._spec
        if isinstance(vals, dict):
            if spec.names is None:
                raise ValueError(f"{spec} has no names; enqueue a tuple, not a dict")
            if set(vals) != set(spec.names):
                raise ValueError(f"{spec} has names {spec.names}; the dict given has "
                                 f"{sorted(vals)}")
            vals = [vals[n] for n in spec.names]
        elif not isinstance(vals, (list, tuple)):
            vals = [vals]
        if len(vals) != len(spec.dtypes):
            raise ValueError(f"{spec} holds {len(spec.dtypes)} components per element; "
                             f"{len(vals)} were given")
        tensors = []
        for index, (value, dtype, shape) in enumerate(zip(vals, spec.dtypes, spec.shapes)):
            tensor = convert_to_tensor(value, dtype)
            if tensor.dtype != dtype:
                raise TypeError(f"component {index} of {spec} is {dtypes.name_of(dtype)}; "
                                f"the value given is {dtypes.name_of(tensor.dtype)}")
            given = tensor.shape
            if many and given is not None:
                if len(given) == 0:
                    raise ValueError(f"enqueue_many on {spec}: component {index} is a "
                                     f"scalar; it needs a batch dimension")
                given = Shape(list(given)[1:])
            try:
                merge(shape, given)
            except ValueError:
                raise ValueError(f"component {index} of {spec} has shape {fmt(shape)}; the "
                                 f"value given has {fmt(given)}"
                                 + (" per row" if many else "")) from None
            tensors.append(tensor)
        return tensors

    def _dequeue(self, count, up_to, name):
        out = QueueDequeue.create([self._handle], {"queue": self._spec, "count": count,
                                                   "up_to": up_to}, name)
        parts = list(out.outputs)
        if self._spec.names is not None:
            return dict(zip(self._spec.names, parts))
        return parts[0] if len(parts) == 1 else parts


def _count(n):
    try:
        count = int(n)
    except TypeError:
        raise TypeError(f"dequeue_many takes a Python int (or a constant), got {n!r}") from None
    if count < 0:
        raise ValueError(f"dequeue_many needs n >= 0, got {count}")
    return count


class FIFOQueue(QueueBase):
    """Elements come out in the order they went in."""

    _kind = "FIFOQueue"

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None,
                 name="fifo_queue"):
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)


class PaddingFIFOQueue(QueueBase):
    """A FIFOQueue whose dequeue_many pads each component to the batch's largest shape
    (shapes are required; None marks a dimension that may vary)."""

    _kind = "PaddingFIFOQueue"

    def __init__(self, capacity, dtypes, shapes, names=None, shared_name=None,
                 name="padding_fifo_queue"):
        if shapes is None:
            raise ValueError("PaddingFIFOQueue needs shapes (None for a dimension that "
                             "varies)")
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)


class RandomShuffleQueue(QueueBase):
    """Elements come out in random order; a dequeue waits until more than
    `min_after_dequeue` elements are in (unless the queue is closed), so that the
    elements it picks from stay mixed. Seeded by `seed` and the graph seed."""

    _kind = "RandomShuffleQueue"

    def __init__(self, capacity, min_after_dequeue, dtypes, shapes=None, names=None,
                 seed=None, shared_name=None, name="random_shuffle_queue"):
        if int(min_after_dequeue) >= int(capacity):
            raise ValueError(f"RandomShuffleQueue needs min_after_dequeue "
                             f"({min_after_dequeue}) < capacity ({capacity}), or no "
                             f"dequeue could ever run")
        super().__init__(capacity, dtypes, shapes, names, shared_name, name,
                         min_after_dequeue=min_after_dequeue, seed=seed)


class PriorityQueue(QueueBase):
    """Elements come out smallest priority first. Each element's first component is its
    int64 priority (not among `types`), given to enqueue and returned by dequeue."""

    _kind = "PriorityQueue"

    def __init__(self, capacity, types, shapes=None, names=None, shared_name=None,
                 name="priority_queue"):
        types = list(types) if isinstance(types, (list, tuple)) else [types]
        shapes = None if shapes is None else [[]] + list(shapes)
        names = None if names is None else ["priority"] + list(names)
        super().__init__(capacity, [dtypes.int64] + types, shapes, names, shared_name, name)
