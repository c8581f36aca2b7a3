"""The op families of the core, layered so that imports run one way:

shaping -> broadcast -> math -> reduce -> joining -> indexing -> fill, linalg; random,
state and debug need only shaping. Each module defines its ops' kernels, shape rules and
gradients side by side.
"""
from . import (broadcast, debug, fill, indexing, joining, linalg, math,  # noqa: F401
               random, reduce, shaping, state)
