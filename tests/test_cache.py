"""The answer cache: its bound counts real memory, it admits an answer on its second sighting, LRU by cost."""
from __future__ import annotations

import gc
import threading
import tracemalloc

import pytest

from kg.query.cache import DOORKEEPER_SLOTS, Doorkeeper, ResultCache, entry_cost

MEDIA = "application/sparql-results+json"
TOLERANCE = 0.20   # counted cost within 20 % of the memory tracemalloc sees


def _key(i: int) -> str:
    """A 32-hex-char key like the server's."""
    return f"{i * 0x9E3779B97F4A7C15 & (1 << 128) - 1:032x}"


def _admit(cache: ResultCache, key: str, body: bytes, rows: int | None = 1) -> None:
    """Two puts: the first is the sighting, the second stores."""
    cache.put(key, MEDIA, body, rows)
    cache.put(key, MEDIA, body, rows)


def _measured_per_entry(count: int, size: int) -> tuple[float, float]:
    """(traced bytes, counted bytes) per cached entry after caching `count` fresh answers of `size` bytes."""
    cache = ResultCache(max_bytes=1 << 40, largest=1 << 30)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(count):
            _admit(cache, _key(i), b"%d" % i + b"x" * size, 1000 + i)
        gc.collect()
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(cache) == count
    return used / count, cache.size / count


@pytest.mark.parametrize("count,size", [(2_000, 27), (30_000, 27), (30_000, 300), (200, 100_000)])
def test_counted_size_tracks_measured_memory(count: int, size: int) -> None:
    measured, counted = _measured_per_entry(count, size)
    assert abs(counted - measured) <= TOLERANCE * measured, (measured, counted)


def test_a_tiny_answer_counts_far_more_than_its_bytes() -> None:
    assert entry_cost(_key(1), MEDIA, b"x" * 27, 1) > 300


def test_distinct_keys_do_not_fill_the_cache_and_memory_stays_flat() -> None:
    cache = ResultCache()
    for i in range(1_000):   # warm up whatever the first puts allocate
        cache.put(_key(-i - 1), MEDIA, b"x" * 30, 1)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(200_000):
            cache.put(_key(i), MEDIA, b"%d" % i + b"x" * 27, 1)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(cache) <= 2       # only a 64-bit hash collision could admit one
    assert grown < 64 * 1024, grown


def test_a_repeated_key_is_admitted_on_its_second_put_and_then_hits() -> None:
    cache = ResultCache()
    key = _key(7)
    assert cache.get(key) is None
    cache.put(key, MEDIA, b"answer", 1)
    assert cache.get(key) is None and len(cache) == 0
    cache.put(key, MEDIA, b"answer", 1)
    assert cache.get(key) == (MEDIA, b"answer", 1)
    assert (cache.hits, cache.misses) == (1, 2)
    cache.put(key, MEDIA, b"other", 2)   # already cached: kept as it was
    assert cache.get(key) == (MEDIA, b"answer", 1)


def test_lru_eviction_counts_real_cost() -> None:
    one = entry_cost(_key(0), MEDIA, b"x" * 10, 1)
    cache = ResultCache(max_bytes=10 * one)
    for i in range(10):
        _admit(cache, _key(i), b"x" * 10)
    assert len(cache) == 10 and cache.size == 10 * one
    assert cache.get(_key(0)) is not None          # now the most recently used
    _admit(cache, _key(10), b"x" * 10)             # 110 answer bytes would fit a bytes-only bound easily
    assert len(cache) == 10 and cache.size <= cache.max_bytes
    assert _key(1) not in cache and _key(0) in cache and _key(10) in cache


def test_a_big_answer_evicts_as_many_small_ones_as_its_cost_needs() -> None:
    small = entry_cost(_key(0), MEDIA, b"x" * 10, 1)
    cache = ResultCache(max_bytes=100 * small)
    for i in range(100):
        _admit(cache, _key(i), b"x" * 10)
    _admit(cache, _key(1000), b"y" * (50 * small))
    assert _key(1000) in cache and 40 <= len(cache) - 1 <= 50
    assert cache.size <= cache.max_bytes


def test_largest_answer_rule_kept() -> None:
    cache = ResultCache(max_bytes=1 << 20, largest=1000)
    _admit(cache, _key(1), b"x" * 1001)
    _admit(cache, _key(2), b"x" * 1000)
    assert _key(1) not in cache and _key(2) in cache


def test_the_doorkeeper_costs_a_fixed_small_amount() -> None:
    door = Doorkeeper()
    assert door.nbytes == 8 * DOORKEEPER_SLOTS <= 1 << 20
    assert not door.seen_before("a") and door.seen_before("a") and not door.seen_before("a")


def test_threads_share_the_cache_safely() -> None:
    cache = ResultCache(max_bytes=200 * entry_cost(_key(0), MEDIA, b"x" * 20, 1))
    errors: list[BaseException] = []

    def work(seed: int) -> None:
        try:
            for i in range(5_000):
                key = _key((i * 7 + seed) % 500)
                if cache.get(key) is None:
                    cache.put(key, MEDIA, b"x" * 20, 1)
        except BaseException as err:   # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert cache.size == len(cache) * entry_cost(_key(0), MEDIA, b"x" * 20, 1) <= cache.max_bytes
    assert cache.hits + cache.misses == 8 * 5_000 and cache.hits > 0
