"""A small thread-safe LRU for per-process memos of network data.

The database cache (``network_cache``) is what all workers share; these memos only spare a
worker from reloading what it used a moment ago. Keys must include the database URL and the
data revision so that a stale entry is never served.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

_every_memo: weakref.WeakSet = weakref.WeakSet()


class LruMemo:
    """Keep the ``size`` most recently used entries."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        _every_memo.add(self)

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


def clear_process_memos() -> None:
    """Forget every memo of this process (benchmarks measure pages "with nothing cached")."""
    for memo in list(_every_memo):
        memo.clear()


class LatestMemo:
    """Keep, for each of the ``size`` most recently used keys, only the newest version of
    its value (e.g. the figures of one scope: the stored revision is the version).

    An :class:`LruMemo` keyed by revision kept every revision it saw until enough newer ones
    pushed it out: under load 16 parsed payloads, most of them stale, whose objects the
    cyclic garbage collector scanned on each full pass (~100 ms at M). Here a new version
    replaces the old one, which is freed at once."""

    def __init__(self, size: int):
        self.items = LruMemo(size)

    def get(self, key, version):
        found = self.items.get(key)
        if found is not None and found[0] == version:
            return found[1]
        return None

    def put(self, key, version, value) -> None:
        self.items.put(key, (version, value))
