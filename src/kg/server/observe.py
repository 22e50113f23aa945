"""What the server tells its operators: a structured access log and Prometheus metrics."""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import defaultdict

access_log = logging.getLogger("kg.access")

DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def query_hash(text: str | None) -> str | None:
    """A short, stable name for a query, so logs can group repeats without storing the text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] if text else None


class Metrics:
    """Request counters and a latency histogram per route, written in the Prometheus text format."""

    def __init__(self):
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self.buckets: dict[str, list[int]] = defaultdict(lambda: [0] * (len(DURATION_BUCKETS) + 1))
        self.sums: dict[str, float] = defaultdict(float)

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(route, method, status)] += 1
            counts = self.buckets[route]
            for i, bound in enumerate(DURATION_BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
            counts[-1] += 1
            self.sums[route] += seconds

    def render(self, quads: int | None) -> str:
        lines = ["# HELP kg_http_requests_total HTTP requests answered, by route, method and status.",
                 "# TYPE kg_http_requests_total counter"]
        with self._lock:
            for (route, method, status), n in sorted(self.requests.items()):
                lines.append(f'kg_http_requests_total{{route="{route}",method="{method}",status="{status}"}} {n}')
            lines += ["# HELP kg_http_request_duration_seconds Time to answer a request, by route.",
                      "# TYPE kg_http_request_duration_seconds histogram"]
            for route, counts in sorted(self.buckets.items()):
                for bound, n in zip(DURATION_BUCKETS, counts):
                    lines.append(f'kg_http_request_duration_seconds_bucket{{route="{route}",le="{bound}"}} {n}')
                lines.append(f'kg_http_request_duration_seconds_bucket{{route="{route}",le="+Inf"}} {counts[-1]}')
                lines.append(f'kg_http_request_duration_seconds_sum{{route="{route}"}} {self.sums[route]:.6f}')
                lines.append(f'kg_http_request_duration_seconds_count{{route="{route}"}} {counts[-1]}')
        if quads is not None:
            lines += ["# HELP kg_store_quads Quads in the store.", "# TYPE kg_store_quads gauge", f"kg_store_quads {quads}"]
        return "\n".join(lines) + "\n"


def log_request(method: str, path: str, status: int, seconds: float, size: int | None, client: str | None,
                query: str | None, rows: int | None = None) -> None:
    """One JSON line per request; rows is null where the answer's format does not tell it exactly."""
    access_log.info(json.dumps({
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "method": method, "path": path,
        "status": status, "ms": round(seconds * 1000, 2), "bytes": size, "client": client,
        "query_hash": query_hash(query), "rows": rows}, separators=(",", ":")))
