"""tf.metrics: streaming metrics over local variables (built in nn.running_metrics)."""
from nn.running_metrics import (accuracy, auc, mean, mean_absolute_error,  # noqa: F401
                                mean_iou, mean_squared_error, precision, recall)
