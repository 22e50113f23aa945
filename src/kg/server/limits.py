"""Admission control: a cap on requests in flight, and per-client throttling with Retry-After."""
from __future__ import annotations

import fcntl
import math
import mmap
import os
import struct
import threading
import time
import zlib
from pathlib import Path


class ConcurrencyCap:
    """At most `limit` SPARQL requests run at once; the next one is turned away at once (503), not queued."""

    def __init__(self, limit: int):
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)

    def enter(self) -> bool:
        return self._slots.acquire(blocking=False)

    def leave(self) -> None:
        self._slots.release()


class Throttle:
    """A token bucket per client: `rate` requests a second on average, bursts of up to `burst`."""

    MAX_CLIENTS = 10_000   # buckets kept; the idlest are forgotten beyond this

    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self._buckets: dict[str, tuple[float, float]] = {}   # client -> (tokens, last refill time)
        self._lock = threading.Lock()

    def admit(self, client: str, now: float | None = None) -> float:
        """0 if the request may go ahead, else the seconds to wait before the next one will be admitted."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                self._forget_idle()
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _forget_idle(self) -> None:
        if len(self._buckets) > self.MAX_CLIENTS:
            for client, _ in sorted(self._buckets.items(), key=lambda kv: kv[1][1])[: len(self._buckets) // 10]:
                del self._buckets[client]


class SharedThrottle:
    """The same token buckets, shared by every HTTP process forked from this one, so that a client gets its rate
    once however its connections are spread. The buckets live in a memory-mapped file; each update holds a thread
    lock and a lock on that file, taken through the process's own opening of it (a lock the kernel releases if the
    process dies). Clients are kept in SLOTS buckets by a hash of their address: two clients that fall into one
    bucket share it (stricter, never looser)."""

    SLOTS = 4096
    _BUCKET = struct.Struct("dd")         # tokens, last refill time (monotonic clock, the same in every process)

    def __init__(self, rate: float, burst: int, path: Path):
        self.rate, self.burst, self.path = rate, burst, path
        size = self.SLOTS * self._BUCKET.size
        with open(path, "w+b") as f:
            f.truncate(size)
            self._table = mmap.mmap(f.fileno(), size)       # a shared mapping: forked processes see one table
        self._lock = threading.Lock()
        self._opened: tuple[int, object] | None = None     # (pid, this process's own file for locking)

    def admit(self, client: str, now: float | None = None) -> float:
        """0 if the request may go ahead, else the seconds to wait before the next one will be admitted."""
        now = time.monotonic() if now is None else now
        offset = zlib.crc32(client.encode("utf-8", "replace")) % self.SLOTS * self._BUCKET.size
        with self._lock:
            lock_file = self._lock_file()
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                tokens, last = self._BUCKET.unpack_from(self._table, offset)
                if last == 0.0:                   # never used: a full bucket
                    tokens, last = float(self.burst), now
                tokens = min(float(self.burst), tokens + max(0.0, now - last) * self.rate)
                admitted = tokens >= 1.0
                self._BUCKET.pack_into(self._table, offset, tokens - 1.0 if admitted else tokens, now)
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)
        return 0.0 if admitted else (1.0 - tokens) / self.rate

    def _lock_file(self):
        """An opening of the file made in this process: a lock taken through an opening inherited across fork
        would be one lock shared with the parent and siblings, excluding nobody."""
        if self._opened is None or self._opened[0] != os.getpid():
            self._opened = (os.getpid(), open(self.path, "rb"))    # noqa: SIM115 — kept for the process's life
        return self._opened[1]


def retry_after(seconds: float) -> str:
    """The Retry-After header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
