"""A bounded cache of serialised query answers, keyed by the data version, so a repeat costs no evaluation.

The bound counts what an entry really costs in memory, not just its answer bytes, and an answer is admitted
only on its second sighting, so a stream of distinct queries cannot fill the cache (issue 10).
"""
from __future__ import annotations

import sys
import threading
from array import array

from cachetools import LRUCache

RESULT_CACHE_BYTES = 64 * 1024 * 1024   # total counted cost of cached answers (see entry_cost)
LARGEST_CACHED_ANSWER = 4 * 1024 * 1024  # bigger answers are not cached
DOORKEEPER_SLOTS = 1 << 16               # sightings remembered: 8 B each, 512 KiB whatever the traffic
MEDIA_TYPES_SHARED = 64                  # distinct media type strings kept once and shared by every entry

# What one entry costs beyond its own objects: its slots in the three mappings of cachetools' LRUCache (data
# dict, size dict, OrderedDict for the order, with their hash indexes and spare room). Measured (CPython 3.11,
# cachetools 8.0) for an entry of a 32-char key and a 27-byte answer, which this figure counts at 422 B (the old
# count was 27 B): tracemalloc 362 B to 432 B per entry over 1,000 to 500,000 entries (the dicts' spare room
# varies with their last doubling); RSS of a fresh process 449 B to 505 B per entry over 200,000 and 500,000
# entries (pymalloc's pools on top). 100 kB and 1 MB answers: within 0.5 % either way.
MAPPING_SLOT_BYTES = 150
ALLOCATION_GRAIN = 16   # pymalloc hands out small objects in multiples of this
_VALUE_TUPLE_BYTES = sys.getsizeof((None, None, None, None))   # (media type, body, rows, cost)
_COST_INT_BYTES = sys.getsizeof(1 << 20)                       # the cost itself, a non-cached int
_MASK64 = (1 << 64) - 1

CachedAnswer = tuple[str, bytes, int | None]


def entry_cost(key: str, media_type: str, body: bytes, rows: int | None, shared_media_type: bool = True) -> int:
    """The bytes an entry holds in memory: key, body, value tuple, ints, and the mappings' per-entry slots."""
    objects: list[object] = [key, body]
    if not shared_media_type:
        objects.append(media_type)
    if rows is not None and not -5 <= rows <= 256:   # CPython shares the small ints
        objects.append(rows)
    sizes = [sys.getsizeof(o) for o in objects] + [_VALUE_TUPLE_BYTES, _COST_INT_BYTES]
    return sum(-(-n // ALLOCATION_GRAIN) * ALLOCATION_GRAIN for n in sizes) + MAPPING_SLOT_BYTES


class Doorkeeper:
    """A fixed-size table of 64-bit key hashes that says whether a key was seen before (not thread-safe)."""

    def __init__(self, slots: int = DOORKEEPER_SLOTS):
        self._table = array("Q", bytes(8 * slots))
        self._slots = slots

    def seen_before(self, key: str) -> bool:
        """True on a key's second sighting (and forget it); else remember it, in place of whatever shared its slot.

        Two keys sharing a slot evict each other (a later admission); two keys with one 64-bit hash admit each
        other early. Neither does harm: the doorkeeper only decides what is worth caching.
        """
        mark = (hash(key) & _MASK64) or 1
        slot = mark % self._slots
        if self._table[slot] == mark:
            self._table[slot] = 0
            return True
        self._table[slot] = mark
        return False

    @property
    def nbytes(self) -> int:
        """The memory of the table itself."""
        return self._table.itemsize * len(self._table)


class ResultCache:
    """Least-recently-used answers: key -> (media type, body, rows), bounded by their real memory cost.

    Sightings are recorded in `put` (that is, after each successful evaluation): the first put of a key only
    records it in the doorkeeper; the next put of that key (after its second miss) stores the answer.
    """

    def __init__(self, max_bytes: int = RESULT_CACHE_BYTES, largest: int = LARGEST_CACHED_ANSWER,
                 doorkeeper_slots: int = DOORKEEPER_SLOTS):
        self.max_bytes, self.largest = max_bytes, largest
        self._items: LRUCache = LRUCache(max_bytes, getsizeof=_cost_of)
        self._door = Doorkeeper(doorkeeper_slots)
        self._media_types: dict[str, str] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str) -> CachedAnswer | None:
        """The cached answer for key (now the most recently used), or None."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self.hits += 1
            return item[0], item[1], item[2]

    def put(self, key: str, media_type: str, body: bytes, rows: int | None = None) -> None:
        """Store an answer if this is its key's second sighting and it fits; evict the least recently used."""
        if len(body) > self.largest:
            return
        with self._lock:
            if key in self._items or not self._door.seen_before(key):
                return
            media_type, shared = self._shared(media_type)
            cost = entry_cost(key, media_type, body, rows, shared)
            if cost <= self.max_bytes:
                self._items[key] = (media_type, body, rows, cost)

    def _shared(self, media_type: str) -> tuple[str, bool]:
        """The one kept copy of a media type string, and whether it is shared (so not counted per entry)."""
        kept = self._media_types.get(media_type)
        if kept is not None:
            return kept, True
        if len(self._media_types) < MEDIA_TYPES_SHARED:
            self._media_types[media_type] = media_type
            return media_type, True
        return media_type, False

    @property
    def size(self) -> int:
        """The counted cost of every cached entry, in bytes."""
        with self._lock:
            return int(self._items.currsize)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._items


def _cost_of(value: tuple[str, bytes, int | None, int]) -> int:
    """The cost stored with an entry (computed once, in put)."""
    return value[3]
