"""Kernels compiled with numba, on first use.

Two loops of the analysis run as machine code: Louvain's first level
(:func:`.louvain._move_nodes`) and Brandes' betweenness of large graphs
(:func:`.betweenness._brandes`). numba is imported only when one of them runs, so web
workers, which never compute figures, do not load it and LLVM (~140 MB of a queue worker's
memory). The machine code is cached beside the module (``__pycache__``) or in the user's cache
(``NUMBA_CACHE_DIR``); compiling takes about 0.7 s once, or once per process where neither
is writable. The kernels release the GIL, so the two run side by side in the job's threads.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache


@cache
def compiled(function: Callable) -> Callable:
    """``function`` compiled by numba (plain Python code on numpy arrays and numbers)."""
    from numba import njit

    try:
        return njit(cache=True, nogil=True)(function)
    except RuntimeError:  # no writable cache (read-only install, no home directory)
        return njit(nogil=True)(function)
