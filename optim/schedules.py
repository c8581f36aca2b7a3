"""The global step and gradient clipping (learning-rate decays: optim.decay)."""
import autograd as ag

GLOBAL_STEP = ag.GraphKeys.GLOBAL_STEP


def get_or_create_global_step(graph=None):
    """The graph's step counter (an int64 Variable named global_step), created once."""
    graph = graph or ag.get_default_graph()
    existing = graph.get_collection(GLOBAL_STEP)
    if existing:
        return existing[0]
    with graph.as_default(), ag.name_scope(None):
        step = ag.Variable(0, dtype=ag.int64, trainable=False, name="global_step")
    graph.add_to_collection(GLOBAL_STEP, step)
    return step


def get_global_step(graph=None):
    """The graph's global step, or None."""
    existing = (graph or ag.get_default_graph()).get_collection(GLOBAL_STEP)
    return existing[0] if existing else None


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """`t` scaled down so that its L2 norm (over `axes`, default all) is at most
    clip_norm: t * clip_norm / max(norm, clip_norm). The norm's gradient at 0 is 0."""
    with ag.name_scope(name or "clip_by_norm"):
        t = ag.convert_to_tensor(t)
        squares = ag.reduce_sum(ag.square(t), axis=axes, keepdims=True)
        positive = ag.greater(squares, 0.0)
        safe = ag.where(positive, squares, ag.ones_like(squares))  # sqrt'(0) is infinite
        norm = ag.where(positive, ag.sqrt(safe), squares)
        limit = ag.convert_to_tensor(clip_norm, t.dtype)
        return ag.identity(t * limit / ag.maximum(norm, limit), name="clipped")


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scale every tensor by clip_norm / max(global_norm, clip_norm), where global_norm is
    the norm of all of them together; returns (clipped list, global_norm). None stays None."""
    with ag.name_scope(name or "clip_by_global_norm"):
        present = [ag.convert_to_tensor(t) for t in t_list if t is not None]
        if use_norm is None:
            squares = [ag.reduce_sum(ag.square(t)) for t in present]
            use_norm = ag.sqrt(ag.add_n(squares), name="global_norm")
        norm = ag.convert_to_tensor(use_norm)
        limit = ag.convert_to_tensor(clip_norm, norm.dtype)
        scale = limit / ag.maximum(norm, limit)
        clipped = [None if t is None else ag.convert_to_tensor(t) * ag.cast(scale, t.dtype)
                   for t in t_list]
        return clipped, norm
