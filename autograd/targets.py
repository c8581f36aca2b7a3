"""Session targets: what `Session(target)` runs against.

"" (and any target no module serves, such as a TF gRPC address) is this process. A module
that serves a scheme registers a link factory for it: autograd.distributed serves
"ray://", the targets of its tf.train.Server. The link then holds the session's variables
that live elsewhere (see autograd.distributed.link).
"""
_links = {}


def register(scheme, make_link):
    """`make_link(target)` returns the link of a session whose target starts `scheme`."""
    _links[scheme] = make_link


def link(target):
    """The link for `target`, or None for this process."""
    for scheme, make_link in _links.items():
        if target and str(target).startswith(scheme):
            return make_link(str(target))
    return None
