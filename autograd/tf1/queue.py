"""tf.queue: the queue classes under TF 1.14+'s names."""
from autograd import (FIFOQueue, PaddingFIFOQueue, PriorityQueue, QueueBase,  # noqa: F401
                      RandomShuffleQueue)
