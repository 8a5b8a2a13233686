"""The analysis' inner loops as machine code: a C extension (``_kernels.c``), with the
Python reference of each loop as the fallback where the extension was not built.

The loops are CSR filling (:func:`.compact._fill_csr`), component labels
(:func:`.compact._bfs_labels`), Louvain's first level
(:func:`.louvain._move_nodes`), Brandes' betweenness of large graphs
(:func:`.betweenness._brandes`) and the map layout's pull along the ties
(:func:`.layout._pull_into`). Each is written once in Python beside the code that uses it
(readable, the specification) and once in C; ``tests/test_kernels.py`` checks that both give
identical results on random graphs. The C functions release the GIL, so Louvain and
betweenness still run side by side in the job's threads.

numba compiled the same Python loops before. It was replaced because numba and its LLVM
added ~190 MB to the queue worker (65 MB to import, ~120 MB more at the first compiled
call, even from its cache), about a third of the worker's peak at L; the C module adds
~30 kB and no start-up time. ``setup.py`` builds it on install (gcc or clang, which every
Linux server and CI has). Where no compiler was at hand (e.g. a Windows PC running the
demo), the install still succeeds and the Python references run: exact, fast enough for the
demo and S, but slow at M and L (:data:`NATIVE` tells which; the job logs it).

Examples
--------
>>> import numpy as np
>>> kernel = compiled(lambda x: x)  # no C version: the function itself
>>> kernel(3)
3
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

import numpy as np

try:
    from . import _kernels
except ImportError:  # built without a C compiler: the Python references run
    _kernels = None

NATIVE = _kernels is not None

log = logging.getLogger(__name__)


@cache
def compiled(function: Callable) -> Callable:
    """The C version of a kernel given by its Python reference, or the reference itself."""
    native = _NATIVE_BY_NAME.get(function.__name__)
    if native is None or not NATIVE:
        if native is not None:
            log.warning("C-Erweiterung _kernels fehlt: %s läuft in Python (langsam bei großen "
                        "Netzwerken; mit C-Compiler neu installieren)", function.__name__)
        return function
    return native


def _int32(array: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(_integers(array), dtype=np.int32)


def _int64(array: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(_integers(array), dtype=np.int64)


def _integers(array: np.ndarray) -> np.ndarray:
    """Refuse floats, which a cast to an integer dtype would silently truncate."""
    array = np.asarray(array)
    if not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"expected an integer array, got {array.dtype}")
    return array


def _written(array: np.ndarray, dtype: type) -> np.ndarray:
    """An output array, written in place: it must already have the kernel's dtype."""
    if array.dtype != dtype or not array.flags.c_contiguous:
        raise TypeError(f"expected a contiguous {np.dtype(dtype)} array, got {array.dtype}")
    return array


def _fill_csr(u, v, w, indptr, indices, weights):
    _kernels.fill_csr(_int32(u), _int32(v), _int32(w), _int64(indptr),
                      _written(indices, np.int32), _written(weights, np.int32))


def _move_nodes(indptr, indices, weights, degrees, m, two_m2, order, node2com):
    _kernels.move_nodes(_int64(indptr), _int32(indices), _int32(weights), _int64(degrees),
                        float(m), float(two_m2), _int64(order), _written(node2com, np.int64))


def _bfs_labels(indptr, indices, labels):
    return _kernels.component_labels(_int64(indptr), _int32(indices),
                                     _written(labels, np.int64))


def _pull_into(pos, src, dst, strength, k, step, disp):
    _kernels.pull_into(_float64(pos), _int32(src), _int32(dst), _float64(strength), float(k),
                       int(step), _written(disp, np.float64))


def _float64(array: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(array, dtype=np.float64)


def _brandes(indptr, indices, sources, n):
    raw = np.zeros(n)
    _kernels.brandes(_int64(indptr), _int32(indices), _int64(sources), raw)
    return raw


# The Python reference's name -> its C version (same arguments, same result).
_NATIVE_BY_NAME = {kernel.__name__: kernel for kernel in (_fill_csr, _move_nodes, _brandes,
                                                        _bfs_labels, _pull_into)}
