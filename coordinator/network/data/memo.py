"""A small thread-safe LRU for per-process memos of network data.

The database cache (``network_cache``) is what all workers share; these memos only spare a
worker from reloading what it used a moment ago. Keys must include the database URL and the
data revision so that a stale entry is never served.
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class LruMemo:
    """Keep the ``size`` most recently used entries."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

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
