"""tf.feature_column: the feature columns of nn.feature_columns under TF 1.15's names."""
from nn.feature_columns import (bucketized_column,  # noqa: F401
                                categorical_column_with_identity,
                                categorical_column_with_vocabulary_list, crossed_column,
                                embedding_column, indicator_column, input_layer, linear_model,
                                numeric_column)
