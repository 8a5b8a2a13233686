"""Memory of a process that handles large arrays now and then (the queue worker): give
what it freed back to the system. glibc only; elsewhere (other C libraries) nothing
changes.

The queue worker computes the figures of L (4.2 million ties) in a few hundred MB and then
waits. glibc kept much of what a computation had freed: it raises its mmap threshold after
the first large frees and then serves large arrays from heaps it keeps, and the blocks the
reading thread used stay in that thread's arena. At L the worker stayed 250 MB above what it
used after a computation, and about 100 MB after the read alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache

M_MMAP_THRESHOLD = -3  # mallopt's parameter number (glibc's malloc.h)
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's initial value, kept fixed


def return_freed_arrays() -> None:
    """Give every allocation from 128 KiB up (numpy arrays) its own mapping, returned to
    the system when freed (setting the threshold also stops glibc from raising it)."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def trim_freed_memory() -> None:
    """Give the free pages of malloc's heaps back to the system (after a large read or a
    computation: millions of small objects and the reading thread's blocks)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


@cache
def _glibc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
