"""What TF 1.15's core (or this engine) has instead of the tf.contrib names not provided,
and the AttributeError that says so: one table for every contrib module."""

# tf.contrib.<name> -> what to use instead (TF 1.15's core, or this engine's)
REPLACEMENTS = {
    "keras": "tf.keras",
    "data": "tf.data (e.g. tf.data.TFRecordDataset)",
    "estimator": "tf.estimator",
    "losses": "tf.losses",
    "opt": "the optimizers of tf.train",
    "training": "tf.train (HParams: a plain dict)",
    "summary": "tf.summary",
    "image": "tf.image",
    "lookup": "tf.feature_column.categorical_column_with_vocabulary_list",
    "legacy_seq2seq": "tf.contrib.seq2seq.sequence_loss and tf.nn.dynamic_rnn",
    "cudnn_rnn": "the cells of tf.nn.rnn_cell (tf.contrib.rnn)",
    "bayesflow": "tf.contrib.distributions",
    "eager": "graphs and sessions (eager execution is not provided)",
    "predictor": "tf.train.Saver.restore and Session.run",
    "quantize": None, "tpu": None, "gan": None, "timeseries": None, "factorization": None,
    "graph_editor": None, "crf": None, "tensor_forest": None, "boosted_trees": None,
    "cluster_resolver": None, "distribute": None, "mixed_precision": None,
}
LAYER_REPLACEMENTS = {
    "linear": "tf.contrib.layers.fully_connected(..., activation_fn=None) or tf.layers.dense",
    "separable_conv2d": "tf.nn.separable_conv2d",
    "bias_add": "tf.nn.bias_add",
    "unit_norm": "tf.nn.l2_normalize",
    "softmax": "tf.nn.softmax",
    "real_valued_column": "tf.feature_column.numeric_column",
    "sparse_column_with_keys": "tf.feature_column.categorical_column_with_vocabulary_list",
    "sparse_column_with_integerized_feature":
        "tf.feature_column.categorical_column_with_identity",
    "bucketized_column": "tf.feature_column.bucketized_column",
    "crossed_column": "tf.feature_column.crossed_column",
    "embedding_column": "tf.feature_column.embedding_column",
    "one_hot_column": "tf.feature_column.indicator_column",
    "input_from_feature_columns": "tf.feature_column.input_layer",
    "weighted_sum_from_feature_columns": "tf.feature_column.linear_model",
    "sum_regularizer": "tf.contrib.layers.l1_l2_regularizer or sums of regularizers",
    "group_norm": "tf.contrib.layers.layer_norm",
}


def missing(module, name, table):
    """The AttributeError for tf.<module>.<name>, naming its replacement if known."""
    where = f"tf.{module}.{name}"
    if name in table:
        instead = table[name]
        hint = f"; in TF 1.15's core use {instead}" if instead else \
            "; it has no counterpart here"
        return AttributeError(f"{where} is not provided by this engine (tf.contrib left "
                              f"TensorFlow in 2.0){hint}")
    return AttributeError(f"{where} is not provided by this engine: tf.contrib here has "
                          f"only the parts tutorials used (see the README's TF1 table)")
