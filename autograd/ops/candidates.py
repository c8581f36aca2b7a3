"""Candidate samplers (TF1's tf.random.*_candidate_sampler): draw the negative classes
that sampled losses (nce_loss, sampled_softmax_loss) score against the true ones, and
how often each class was expected to be drawn, so the losses can correct for it.

Each draw comes from the running session's generator for the op, seeded as the other
random ops are (graph seed, op seed): a seeded graph draws the same candidates every run.
"""
import math

import numpy as np

from .. import dtypes, errors
from ..graph import get_default_graph
from ..registry import convert_to_tensor, define_op
from ..shapes import fmt
from .random import seed_pair


def _probability(classes, range_max, distribution):
    """P(class) under the sampler: log-uniform (Zipf-like, for classes sorted by
    frequency) (log(k + 2) - log(k + 1)) / log(range_max + 1), or uniform."""
    classes = np.asarray(classes, dtype=np.float64)
    if distribution == "uniform":
        return np.full(classes.shape, 1.0 / range_max)
    return (np.log(classes + 2.0) - np.log(classes + 1.0)) / math.log(range_max + 1.0)


def _draw(rng, count, range_max, distribution):
    if distribution == "uniform":
        return rng.integers(0, range_max, count)
    drawn = np.exp(rng.random(count) * math.log(range_max + 1.0)) - 1.0
    return np.minimum(drawn.astype(np.int64), range_max - 1)


def _sampler_shape(true_classes, num_true, num_sampled, unique, range_max, distribution,
                   seed):
    if true_classes.dtype != dtypes.int64:
        raise TypeError(f"true_classes must be int64, got {true_classes.dtype.name}")
    if true_classes.shape is not None and (len(true_classes.shape) != 2 or
                                           true_classes.shape[1] not in (None, num_true)):
        raise ValueError(f"true_classes must be [batch, num_true={num_true}], got "
                         f"{fmt(true_classes.shape)}")
    return [((num_sampled,), dtypes.int64), (true_classes.shape, dtypes.float32),
            ((num_sampled,), dtypes.float32)]


def _sampler_forward(ctx, true_classes, num_true, num_sampled, unique, range_max,
                     distribution, seed):
    """(sampled, expected count of each true class, of each sampled class). With unique,
    draws repeat until num_sampled distinct classes came up, and a class's expected
    count is 1 - (1 - p)^tries; else it is p * num_sampled."""
    rng = ctx.rng()
    if not unique:
        sampled = _draw(rng, num_sampled, range_max, distribution)
        expected = _probability_times(num_sampled, range_max, distribution)
    else:
        picked, seen, tries = [], set(), 0
        while len(picked) < num_sampled:
            for value in _draw(rng, num_sampled, range_max, distribution):
                tries += 1
                if int(value) not in seen:
                    seen.add(int(value))
                    picked.append(int(value))
                    if len(picked) == num_sampled:
                        break
        sampled = np.array(picked, dtype=np.int64)

        def expected(classes):
            return -np.expm1(tries * np.log1p(-_probability(classes, range_max,
                                                            distribution)))
    return (sampled.astype(np.int64), expected(true_classes).astype(np.float32),
            expected(sampled).astype(np.float32))


def _probability_times(count, range_max, distribution):
    def expected(classes):
        return _probability(classes, range_max, distribution) * count
    return expected


CandidateSampler = define_op("CandidateSampler", forward=_sampler_forward,
                             shape=_sampler_shape, context=True)


def _sampler(distribution, true_classes, num_true, num_sampled, unique, range_max, seed,
             name):
    if unique and num_sampled > range_max:
        raise ValueError(f"cannot draw {num_sampled} distinct classes out of {range_max}")
    if num_sampled <= 0 or range_max <= 0:
        raise errors.InvalidArgumentError("num_sampled and range_max must be positive")
    graph = get_default_graph()
    name = graph.unique_name(name or f"{distribution.title().replace('_', '')}CandidateSampler")
    true_classes = convert_to_tensor(true_classes, dtypes.int64)
    return tuple(CandidateSampler(true_classes, num_true=int(num_true),
                                  num_sampled=int(num_sampled), unique=bool(unique),
                                  range_max=int(range_max), distribution=distribution,
                                  seed=seed_pair(graph, seed, name), name=name + "/"))


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                  seed=None, name=None):
    """Classes drawn log-uniformly from [0, range_max) (frequent, low ids more often):
    (sampled_candidates, true_expected_count, sampled_expected_count)."""
    return _sampler("log_uniform", true_classes, num_true, num_sampled, unique, range_max,
                    seed, name)


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                              seed=None, name=None):
    """Classes drawn uniformly from [0, range_max): (sampled_candidates,
    true_expected_count, sampled_expected_count)."""
    return _sampler("uniform", true_classes, num_true, num_sampled, unique, range_max,
                    seed, name)
