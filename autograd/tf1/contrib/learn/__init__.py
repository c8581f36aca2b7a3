"""tf.contrib.learn: what tutorials still used of it: the MNIST loader
(`learn.datasets.mnist.read_data_sets`, also at `learn.python.learn.datasets`) and
`preprocessing.VocabularyProcessor`. Its Estimators became tf.estimator."""
import types

from ...examples.tutorials.mnist import input_data as _input_data

from . import preprocessing  # noqa: F401

datasets = types.SimpleNamespace(mnist=_input_data)
python = types.SimpleNamespace(learn=types.SimpleNamespace(datasets=datasets,
                                                           preprocessing=preprocessing))
