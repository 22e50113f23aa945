"""A bounded cache of serialised query answers, keyed by the data version, so a repeat costs no evaluation."""
from __future__ import annotations

import threading
from collections import OrderedDict

RESULT_CACHE_BYTES = 64 * 1024 * 1024   # total size of cached answers
LARGEST_CACHED_ANSWER = 4 * 1024 * 1024  # bigger answers are not cached


class ResultCache:
    """Least-recently-used answers: key -> (media type, body, rows)."""

    def __init__(self, max_bytes: int = RESULT_CACHE_BYTES, largest: int = LARGEST_CACHED_ANSWER):
        self.max_bytes, self.largest = max_bytes, largest
        self._items: OrderedDict[str, tuple[str, bytes, int | None]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str) -> tuple[str, bytes, int | None] | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item

    def put(self, key: str, media_type: str, body: bytes, rows: int | None = None) -> None:
        if len(body) > self.largest:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (media_type, body, rows)
            self._size += len(body)
            while self._size > self.max_bytes:
                _, (_, old, _) = self._items.popitem(last=False)
                self._size -= len(old)
