"""What the server tells its operators: a structured access log and Prometheus metrics."""
from __future__ import annotations

import atexit
import functools
import hashlib
import logging
import threading
import time
from collections.abc import Iterator
from json.encoder import encode_basestring_ascii as _encode_string
from typing import TextIO

from prometheus_client import (CONTENT_TYPE_PLAIN_0_0_4, CollectorRegistry, Counter, Gauge, Histogram,
                               generate_latest, values)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from kg import forking

access_log = logging.getLogger("kg.access")

DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def query_hash(text: str | None) -> str | None:
    """A short, stable name for a query, so logs can group repeats without storing the text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] if text else None


CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4   # what render() writes: the Prometheus text format 0.0.4
ACCESS_FLUSH_SECONDS = 1.0        # the access log is written out at least this often …
ACCESS_BUFFER_BYTES = 64 * 1024   # … or when this much is waiting


def multiprocess_mode() -> bool:
    """Whether prometheus_client keeps its values in files that every process of this server sums: decided by
    $PROMETHEUS_MULTIPROC_DIR when it is first imported (kg serve sets it, kg.commands.serve)."""
    return values.ValueClass is not values.MutexValue


class Metrics:
    """Request counters and a latency histogram per route, kept and exposed by prometheus_client.

    In multiprocess mode (every `kg serve`: its HTTP processes are forked and may be replaced) each process
    writes its values to its own file in $PROMETHEUS_MULTIPROC_DIR on every request, and /metrics sums every
    file, so a scrape sees the whole server whichever process answers it. Files of processes that have exited
    stay: their requests were answered, and counters never go down. Otherwise (an app made in this process, as
    tests and embedding applications do) the values are this object's own.
    """

    def __init__(self) -> None:
        self.shared = multiprocess_mode()
        self._registry = None if self.shared else CollectorRegistry()     # in files, not in a registry
        self.requests = Counter("kg_http_requests", "HTTP requests answered, by route, method and status.",
                                ["route", "method", "status"], registry=self._registry)
        self.durations = Histogram("kg_http_request_duration_seconds", "Time to answer a request, by route.",
                                   ["route"], buckets=DURATION_BUCKETS, registry=self._registry)
        self.throttled = Counter("kg_http_throttled",
                                 "Requests refused with 429 because their client exceeded --client-rate.",
                                 registry=self._registry)
        self.processes = Gauge("kg_http_processes",
                               "HTTP processes whose counters are included (the living and the exited).",
                               registry=self._registry, multiprocess_mode="sum")
        self._counted = forking.PerProcess(lambda: self.processes.set(1))

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request and its duration."""
        self._counted.ensure()
        self.requests.labels(route, method, str(status)).inc()
        self.durations.labels(route).observe(seconds)
        if status == 429:
            self.throttled.inc()

    def render(self, quads: int | None) -> str:
        """The Prometheus text exposition of every process's counters, with the store's size if given."""
        self._counted.ensure()
        registry = CollectorRegistry()
        if self.shared:
            MultiProcessCollector(registry)        # every process's files, this one's included
        if quads is not None:
            registry.register(_Quads(quads))
        own = generate_latest(self._registry) if self._registry is not None else b""
        return (own + generate_latest(registry)).decode("utf-8")


class _Quads(Collector):
    """The store's size, measured by the scrape."""

    def __init__(self, quads: int):
        self.quads = quads

    def collect(self) -> Iterator[Metric]:
        """One gauge: the quads in the store."""
        yield GaugeMetricFamily("kg_store_quads", "Quads in the store.", value=self.quads)


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
