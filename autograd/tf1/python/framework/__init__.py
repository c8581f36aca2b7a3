"""tensorflow.python.framework: ops and dtypes, as tutorials import them."""
