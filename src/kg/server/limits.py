"""Admission control: a cap on requests in flight, and per-client throttling with Retry-After."""
from __future__ import annotations

import contextlib
import fcntl
import math
import mmap
import multiprocessing
import os
import struct
import threading
import time
import zlib
from pathlib import Path
from typing import BinaryIO, Iterator, Protocol

from kg.errors import KgError


class Cap(Protocol):
    """A limit on requests in flight: ConcurrencyCap in one process, SharedCap over forked processes."""

    limit: int

    def enter(self) -> bool:
        """Take a slot if one is free: True to go ahead (then `leave` once done), False to refuse the request."""

    def leave(self) -> None:
        """Give back the slot an admitted request took with `enter`."""


class Admission(Protocol):
    """A per-client rate: Throttle in one process, SharedThrottle over forked processes."""

    rate: float
    burst: int

    def admit(self, client: str, now: float | None = None) -> float:
        """0 if the request may go ahead, else the seconds to wait before the next one will be admitted."""


def take_token(tokens: float, last: float, now: float, rate: float, burst: int) -> tuple[float, float]:
    """The token-bucket step, written once for both throttles: refill the bucket for the time since `last` (never
    above `burst`), then take one token if there is one. Returns (tokens left, seconds to wait: 0 if admitted)."""
    tokens = min(float(burst), tokens + max(0.0, now - last) * rate)
    if tokens >= 1.0:
        return tokens - 1.0, 0.0
    return tokens, (1.0 - tokens) / rate


class ConcurrencyCap:
    """At most `limit` SPARQL requests run at once; the next one is turned away at once (503), not queued."""

    def __init__(self, limit: int):
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)

    def enter(self) -> bool:
        """Take a slot if one is free: True to go ahead (then `leave` once done), False to refuse the request."""
        return self._slots.acquire(blocking=False)

    def leave(self) -> None:
        """Give back the slot an admitted request took with `enter`."""
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
        if self.rate == math.inf:            # configured without a limit: nothing to count
            return 0.0
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens, wait = take_token(tokens, last, now, self.rate, self.burst)
            self._buckets[client] = (tokens, now)
            if wait == 0.0:
                self._forget_idle()
            return wait

    def _forget_idle(self) -> None:
        if len(self._buckets) > self.MAX_CLIENTS:
            for client, _ in sorted(self._buckets.items(), key=lambda kv: kv[1][1])[: len(self._buckets) // 10]:
                del self._buckets[client]


class _SharedFile:
    """A memory-mapped file that the HTTP processes forked from this one share, and one lock over it: a thread
    lock, then a `flock` taken through this process's own opening of the file (one inherited across fork would
    be a single lock shared with the parent and siblings, excluding nobody). The kernel drops the `flock` of a
    process that dies."""

    def __init__(self, path: Path, size: int):
        self.path = path
        with open(path, "w+b") as f:
            f.truncate(size)
            self.table = mmap.mmap(f.fileno(), size)        # a shared mapping: forked processes see one table
        self._lock = threading.Lock()
        self._opened: tuple[int, BinaryIO] | None = None     # (pid, this process's own opening, for flock)

    @contextlib.contextmanager
    def locked(self) -> Iterator[mmap.mmap]:
        with self._lock:
            if self._opened is None or self._opened[0] != os.getpid():
                self._opened = (os.getpid(), open(self.path, "rb"))    # noqa: SIM115 — kept for the process's life
            handle = self._opened[1]
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield self.table
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


class SharedThrottle:
    """The token buckets of `Throttle`, shared by every HTTP process, so that a client gets its rate once however
    its connections are spread. Clients are kept in SLOTS buckets by a hash of their address: two clients that
    fall into one bucket share it (stricter, never looser)."""

    SLOTS = 4096
    _BUCKET = struct.Struct("dd")         # tokens, last refill time (monotonic clock, the same in every process)

    def __init__(self, rate: float, burst: int, path: Path):
        self.rate, self.burst = rate, burst
        self._shared = _SharedFile(path, self.SLOTS * self._BUCKET.size)

    def admit(self, client: str, now: float | None = None) -> float:
        """0 if the request may go ahead, else the seconds to wait before the next one will be admitted."""
        if self.rate == math.inf:
            return 0.0
        now = time.monotonic() if now is None else now
        offset = zlib.crc32(client.encode("utf-8", "replace")) % self.SLOTS * self._BUCKET.size
        with self._shared.locked() as table:
            tokens, last = self._BUCKET.unpack_from(table, offset)
            if last == 0.0:                       # never used: a full bucket
                tokens, last = float(self.burst), now
            tokens, wait = take_token(tokens, last, now, self.rate, self.burst)
            self._BUCKET.pack_into(table, offset, tokens, now)
        return wait


class SharedCap:
    """The cap of `ConcurrencyCap` over all HTTP processes: a semaphore in shared memory, created before the
    processes are forked, holds the permits (taking and returning one costs no system call). So that a process
    that dies with requests in flight (a process retired after a runaway query may be cut off) does not keep its
    permits, each process also counts its own requests in a slot of a shared table; before a refusal, the
    permits of dead processes are returned. A process that dies between taking a permit and counting it (a
    window of a few instructions) keeps that one permit: the cap errs on the strict side, never the loose one."""

    PROCESSES = 256                       # slots; more HTTP processes than this is a misconfiguration
    _SLOT = struct.Struct("qq")           # per process: pid, requests in flight

    def __init__(self, limit: int, path: Path, processes: int = 1):
        if processes > self.PROCESSES:
            raise KgError(f"{processes} HTTP processes: at most {self.PROCESSES} can share one concurrency cap")
        self.limit = limit
        self._permits = multiprocessing.get_context("fork").Semaphore(limit)
        self._shared = _SharedFile(path, self.PROCESSES * self._SLOT.size)
        self._lock = threading.Lock()
        self._mine: tuple[int, int] | None = None          # (pid, offset of this process's slot)

    def enter(self) -> bool:
        """Take a permit (after returning dead processes' permits if none is free): True to go ahead (then `leave`
        once done), False to refuse the request."""
        if not self._permits.acquire(False) and not (self._reclaim() and self._permits.acquire(False)):
            return False
        self._count(+1)
        return True

    def leave(self) -> None:
        """Give back the permit an admitted request took with `enter`."""
        self._count(-1)
        self._permits.release()

    def _count(self, change: int) -> None:
        """Only this process writes its slot (under a thread lock); others read it once it has died."""
        with self._lock:
            if self._mine is None or self._mine[0] != os.getpid():
                self._mine = (os.getpid(), self._claim())
            table, offset = self._shared.table, self._mine[1]
            pid, count = self._SLOT.unpack_from(table, offset)
            self._SLOT.pack_into(table, offset, pid, count + change)

    def _slots(self, table: mmap.mmap) -> Iterator[tuple[int, int, int]]:
        for offset in range(0, len(table), self._SLOT.size):
            pid, count = self._SLOT.unpack_from(table, offset)
            yield offset, pid, count

    def _reclaim(self) -> bool:
        """Return the permits of processes that no longer exist and free their slots; True if any came back."""
        freed = 0
        with self._shared.locked() as table:
            for offset, pid, count in self._slots(table):
                if pid and not _alive(pid):
                    self._SLOT.pack_into(table, offset, 0, 0)
                    freed += max(0, count)
        for _ in range(freed):
            self._permits.release()
        return freed > 0

    def _claim(self) -> int:
        self._reclaim()
        with self._shared.locked() as table:
            free = [offset for offset, pid, _ in self._slots(table) if not pid]
            if not free:
                raise RuntimeError(f"more than {self.PROCESSES} HTTP processes share one concurrency cap")
            self._SLOT.pack_into(table, free[0], os.getpid(), 0)
            return free[0]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def retry_after(seconds: float) -> str:
    """The Retry-After header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
