"""TF1's cluster model on Ray: ClusterSpec, Server, and sessions whose variables live on
parameter-server tasks (see server, link and runtime)."""
from .. import targets
from . import aggregation
from .cluster import ClusterSpec
from .link import RemoteVariables
from .server import SCHEME, Server

targets.register(SCHEME, RemoteVariables)

__all__ = ["ClusterSpec", "Server", "RemoteVariables", "aggregation"]
