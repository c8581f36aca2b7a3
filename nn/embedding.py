"""Embeddings: rows of a parameter matrix picked by integer ids."""
import autograd as ag


def embedding_lookup(params, ids, partition_strategy="mod", name=None, max_norm=None):
    """params[ids] (TF1's tf.nn.embedding_lookup, one unpartitioned params tensor); the
    gradient flows back only to the rows looked up."""
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise NotImplementedError("embedding_lookup over partitioned params (a list of "
                                      "several tensors) is not supported")
        params = params[0]
    return ag.gather(params, ids, name=name or "embedding_lookup")
