"""tf.python_io: writing and reading TFRecord files (TF 1.x's names)."""
from autograd import records as _records

TFRecordCompressionType = _records.TFRecordCompressionType
TFRecordOptions = _records.TFRecordOptions
TFRecordWriter = _records.TFRecordWriter
tf_record_iterator = _records.tf_record_iterator
