"""Admission control: a cap on requests in flight, and per-client throttling with Retry-After."""
from __future__ import annotations

import math
import threading
import time


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


def retry_after(seconds: float) -> str:
    """The Retry-After header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
