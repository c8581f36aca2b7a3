"""tf.io: file, record and parsing ops under TF 1.14+'s names."""
from autograd import (FixedLenFeature, FixedLenSequenceFeature, VarLenFeature,  # noqa: F401
                      decode_csv, decode_raw, matching_files, parse_example,
                      parse_single_example, read_file, write_file)
from autograd import records as _records

from . import gfile  # noqa: F401

TFRecordCompressionType = _records.TFRecordCompressionType
TFRecordOptions = _records.TFRecordOptions
TFRecordWriter = _records.TFRecordWriter
tf_record_iterator = _records.tf_record_iterator
