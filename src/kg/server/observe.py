"""What the server tells its operators: a structured access log and Prometheus metrics."""
from __future__ import annotations

import atexit
import bisect
import functools
import hashlib
import itertools
import json
import logging
import os
import threading
import time
from collections import defaultdict
from json.encoder import encode_basestring_ascii as _encode_string
from pathlib import Path
from typing import TextIO, TypedDict
from kg.files import write_atomically
from kg import forking

access_log = logging.getLogger("kg.access")

DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def query_hash(text: str | None) -> str | None:
    """A short, stable name for a query, so logs can group repeats without storing the text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] if text else None


FLUSH_SECONDS = 1.0   # how often an HTTP process publishes its counters for the others
ACCESS_FLUSH_SECONDS = 1.0        # the access log is written out at least this often …
ACCESS_BUFFER_BYTES = 64 * 1024   # … or when this much is waiting


class Totals(TypedDict):
    """The counters of Metrics, summed over processes: requests by (route, method, status), per-bucket
    latency counts and latency sums by route."""

    requests: dict[tuple[str, str, int], int]
    buckets: dict[str, list[int]]
    sums: dict[str, float]


class Metrics:
    """Request counters and a latency histogram per route, written in the Prometheus text format.

    With several HTTP processes, each publishes its counters to a shared folder (one JSON file per process,
    replaced atomically, at most FLUSH_SECONDS old) and /metrics sums its own with every other file, so that a
    scrape sees the whole server whichever process answers it. Files of processes that have exited stay: their
    requests were answered, and counters never go down.
    """

    def __init__(self, share_dir: Path | None = None):
        self._lock = threading.Lock()
        self.share_dir = share_dir
        self.requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self.buckets: dict[str, list[int]] = defaultdict(lambda: [0] * (len(DURATION_BUCKETS) + 1))
        self.sums: dict[str, float] = defaultdict(float)
        self._publisher = forking.PerProcess(self._start_publisher)

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request and its duration (and start publishing, once per process, if shared)."""
        with self._lock:
            self.requests[(route, method, status)] += 1
            self.buckets[route][bisect.bisect_left(DURATION_BUCKETS, seconds)] += 1   # per bucket; summed at render
            self.sums[route] += seconds
        if self.share_dir is not None:
            self._publisher.ensure()

    def snapshot(self) -> dict:
        """This process's counters, as JSON-ready data."""
        with self._lock:
            return {"requests": [[*key, n] for key, n in self.requests.items()],
                    "buckets": {route: list(counts) for route, counts in self.buckets.items()},
                    "sums": dict(self.sums)}

    def publish(self) -> None:
        """Write this process's counters where the other processes read them (only with a share_dir)."""
        if self.share_dir is None:
            raise RuntimeError("Metrics without a share_dir have no other processes to publish to")
        write_atomically(self.share_dir / f"{os.getpid()}.json", json.dumps(self.snapshot()))

    def totals(self) -> tuple[Totals, int]:
        """The counters of every process of this server, summed, and how many processes they came from."""
        merged: Totals = {"requests": defaultdict(int),
                          "buckets": defaultdict(lambda: [0] * (len(DURATION_BUCKETS) + 1)),
                          "sums": defaultdict(float)}
        snapshots = [self.snapshot()]
        if self.share_dir is not None:
            for path in self.share_dir.glob("*.json"):
                if path.stem != str(os.getpid()):
                    try:
                        snapshots.append(json.loads(path.read_text()))
                    except (OSError, ValueError):
                        continue           # being replaced this instant: its next version counts
        for snap in snapshots:
            for route, method, status, n in snap["requests"]:
                merged["requests"][(route, method, int(status))] += n
            for route, counts in snap["buckets"].items():
                merged["buckets"][route] = [a + b for a, b in zip(merged["buckets"][route], counts)]
            for route, seconds in snap["sums"].items():
                merged["sums"][route] += seconds
        return merged, len(snapshots)

    def render(self, quads: int | None) -> str:
        """The Prometheus text exposition of every process's counters, with the store's size if given."""
        merged, processes = self.totals()
        lines = ["# HELP kg_http_requests_total HTTP requests answered, by route, method and status.",
                 "# TYPE kg_http_requests_total counter"]
        for (route, method, status), n in sorted(merged["requests"].items()):
            lines.append(f'kg_http_requests_total{{route="{route}",method="{method}",status="{status}"}} {n}')
        lines += ["# HELP kg_http_request_duration_seconds Time to answer a request, by route.",
                  "# TYPE kg_http_request_duration_seconds histogram"]
        for route, per_bucket in sorted(merged["buckets"].items()):
            counts = list(itertools.accumulate(per_bucket))        # Prometheus buckets count everything up to `le`
            for bound, n in zip(DURATION_BUCKETS, counts):
                lines.append(f'kg_http_request_duration_seconds_bucket{{route="{route}",le="{bound}"}} {n}')
            lines.append(f'kg_http_request_duration_seconds_bucket{{route="{route}",le="+Inf"}} {counts[-1]}')
            lines.append(f'kg_http_request_duration_seconds_sum{{route="{route}"}} {merged["sums"][route]:.6f}')
            lines.append(f'kg_http_request_duration_seconds_count{{route="{route}"}} {counts[-1]}')
        throttled = sum(n for (_, _, status), n in merged["requests"].items() if status == 429)
        lines += ["# HELP kg_http_throttled_total Requests refused with 429 because their client exceeded --client-rate.",
                  "# TYPE kg_http_throttled_total counter", f"kg_http_throttled_total {throttled}"]
        lines += ["# HELP kg_http_processes HTTP processes whose counters are included (the living and the exited).",
                  "# TYPE kg_http_processes gauge", f"kg_http_processes {processes}"]
        if quads is not None:
            lines += ["# HELP kg_store_quads Quads in the store.", "# TYPE kg_store_quads gauge", f"kg_store_quads {quads}"]
        return "\n".join(lines) + "\n"

    def _start_publisher(self) -> None:
        """A daemon thread (one per process: forking.PerProcess) that publishes every FLUSH_SECONDS."""
        def loop() -> None:
            while True:
                try:
                    self.publish()
                except OSError:
                    pass                   # the folder is gone: the server is stopping
                time.sleep(FLUSH_SECONDS)
        threading.Thread(target=loop, daemon=True, name="kg-metrics").start()


def log_request(method: str, path: str, status: int, seconds: float, size: int | None, client: str | None,
                query: str | None, rows: int | None = None) -> None:
    """One JSON line per request; rows is null where the answer's format does not tell it exactly."""
    if not access_log.isEnabledFor(logging.INFO):
        return
    line = (f'{{"time":"{_utc_second(int(time.time()))}","method":{_json(method)},"path":{_json(path)},'
            f'"status":{status},"ms":{round(seconds * 1000, 2)},"bytes":{_json(size)},"client":{_json(client)},'
            f'"query_hash":{_json(query_hash(query))},"rows":{_json(rows)}}}')
    handlers = access_log.handlers
    if len(handlers) == 1 and type(handlers[0]) is LineBuffer:
        handlers[0].write_line(line)         # the server's own handler: no LogRecord, no formatting, no write
    else:
        access_log.info(line)                # handlers configured elsewhere (tests, embedding applications)


def _json(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return _encode_string(value)
    return str(value)


class LineBuffer(logging.Handler):
    """The access log's handler in the server: lines are gathered in memory and written out every
    ACCESS_FLUSH_SECONDS or ACCESS_BUFFER_BYTES, whichever comes first (as nginx's `access_log … buffer=`), so
    that a request costs no system call. A process that is killed loses at most that last second of lines."""

    def __init__(self, stream: TextIO):
        super().__init__()
        self.stream = stream
        self._lines: list[str] = []
        self._size = 0
        self._buffer_lock = threading.Lock()
        self._flusher = forking.PerProcess(self._start_flusher)
        atexit.register(self.flush)

    def write_line(self, line: str) -> None:
        """Add one line to the buffer; write the buffer out if it is full."""
        with self._buffer_lock:
            self._lines.append(line)
            self._size += len(line) + 1
            full = self._size >= ACCESS_BUFFER_BYTES
        if full:
            self.flush()
        self._flusher.ensure()

    def emit(self, record: logging.LogRecord) -> None:
        """A log record, formatted, as one buffered line."""
        self.write_line(self.format(record))

    def flush(self) -> None:
        """Write out the buffered lines now (a stream that is gone is ignored: the server is stopping)."""
        with self._buffer_lock:
            lines, self._lines, self._size = self._lines, [], 0
        if lines:
            try:
                self.stream.write("\n".join(lines) + "\n")
                self.stream.flush()
            except (OSError, ValueError):
                pass                          # the stream is gone: the server is stopping

    def _start_flusher(self) -> None:
        """A daemon thread (one per process that logs: forking.PerProcess) that writes the buffer out."""
        def loop() -> None:
            while True:
                time.sleep(ACCESS_FLUSH_SECONDS)
                self.flush()
        threading.Thread(target=loop, daemon=True, name="kg-access-log").start()


@functools.lru_cache(maxsize=4)
def _utc_second(second: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second))
