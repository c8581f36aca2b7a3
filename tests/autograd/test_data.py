"""tf.data pipelines: structures, transformations, iterators and the end of data."""
import numpy as np
import pytest

import autograd as ag

Dataset = ag.data.Dataset


def drain(fetch, sess, feed=None):
    values = []
    while True:
        try:
            values.append(sess.run(fetch, feed))
        except ag.errors.OutOfRangeError:
            return values


def test_slices_map_batch_repeat_and_the_end_of_data():
    x = np.arange(10, dtype=np.float32).reshape(5, 2)
    y = np.arange(5)
    dataset = Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a * 2.0, b + 1))
    dataset = dataset.batch(2).repeat(2)
    assert dataset.output_types == (ag.float32, ag.int64)
    assert dataset.output_shapes[0] == (None, 2)
    batch_x, batch_y = dataset.make_one_shot_iterator().get_next()
    with ag.Session() as sess:
        batches = drain([batch_x, batch_y], sess)
        assert [len(b[1]) for b in batches] == [2, 2, 1, 2, 2, 1]
        np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]),
                                      np.concatenate([y + 1, y + 1]))
        with pytest.raises(ag.errors.OutOfRangeError, match="End of sequence"):
            sess.run(batch_x)
    with ag.Session() as sess:  # each session has its own position
        assert len(drain(batch_y, sess)) == 6


def test_shuffle_is_a_permutation_and_seeded_runs_repeat():
    def order(seed):
        ag.reset_default_graph()
        ag.set_random_seed(seed)
        value = Dataset.range(20).shuffle(5).batch(20).make_one_shot_iterator().get_next()
        with ag.Session() as sess:
            return sess.run(value)
    first = order(3)
    assert sorted(first) == list(range(20)) and list(first) != list(range(20))
    np.testing.assert_array_equal(order(3), first)


def test_initializable_iterators_take_placeholders_and_restart():
    data = ag.placeholder(ag.float32, [None])
    iterator = Dataset.from_tensor_slices(data).filter(lambda v: v > 1.0) \
        .make_initializable_iterator()
    value = iterator.get_next()
    with ag.Session() as sess:
        with pytest.raises(ag.errors.FailedPreconditionError, match="not been initialized"):
            sess.run(value)
        sess.run(iterator.initializer, {data: [0.0, 2.0, 3.0]})
        assert drain(value, sess) == [2.0, 3.0]
        sess.run(iterator.initializer, {data: [5.0]})
        assert drain(value, sess) == [5.0]


def test_zip_take_skip_and_dict_elements():
    numbers = Dataset.range(10).skip(2).take(3)
    letters = Dataset.from_tensor_slices({"a": np.arange(3.0), "b": np.ones(3)})
    element = Dataset.zip((numbers, letters)).make_one_shot_iterator().get_next()
    with ag.Session() as sess:
        first = sess.run(element)
        assert first[0] == 2 and first[1]["a"] == 0.0 and first[1]["b"] == 1.0
        assert len(drain(element, sess)) == 2


def test_functions_must_not_use_outside_tensors():
    outside = ag.constant(2.0, ag.float64)
    with pytest.raises(ValueError, match="uses tensors from outside the dataset"):
        Dataset.from_tensor_slices(np.arange(3.0)).map(lambda v: v * outside)
