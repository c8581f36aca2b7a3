"""tf.compat: `tf.compat.v1` is the facade itself (autograd.tf1 sets `v1` on import), as
TF 1.15 programs that spell `tf.compat.v1.logging...` expect."""
