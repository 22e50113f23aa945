"""What every response gets on its way out, whichever path made it (Flask view or fast path): CORS headers,
gzip when asked, the metrics and one access-log line. `finish` is the one finisher: both paths hand it a Reply
and the Exchange that describes the request. Admission (throttle, concurrency cap) is here too."""
from __future__ import annotations

import gzip
import time
from dataclasses import dataclass, field

from kg.server import limits, observe, responses
from kg.server.queries import TRUNCATED_HEADER
from kg.server.reply import Reply
from kg.server.services import Services

CORS_HEADERS = [("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS"),
                ("Access-Control-Allow-Headers", "Accept, Content-Type, Authorization"),
                ("Access-Control-Expose-Headers", f"ETag, Content-Type, Content-Encoding, Location, {TRUNCATED_HEADER}")]
GZIP_MIN_BYTES = 1024   # smaller bodies are sent as they are


@dataclass
class Exchange:
    """One request as the access log and the metrics see it; the handler adds the operation's text and rows."""

    method: str
    path: str
    route: str                                # the endpoint name of the ROUTES row, or "unknown"
    client: str | None
    accept_encoding: str | None
    started: float = field(default_factory=time.perf_counter)
    text: str | None = None                   # the query or update, as the client sent it
    rows: int | None = None                   # solutions or triples in the answer, where known


def admit(services: Services, client: str | None) -> Reply | None:
    """Throttle each client, then cap the requests in flight; both answer at once with Retry-After.
    None means admitted: the caller must call services.cap.leave() when done."""
    wait = services.throttle.admit(client or "?")
    if wait > 0:
        return responses.error(429, "Too many requests from this client; slow down.", Retry_After=limits.retry_after(wait))
    if not services.cap.enter():
        return responses.error(503, "The server is answering as many requests as it may; try again shortly.",
                               Retry_After="1")
    return None


def finish(services: Services, reply: Reply, exchange: Exchange) -> Reply:
    """The reply with CORS and Vary, compressed if the client accepts gzip; the request counted and logged."""
    body, headers, vary = reply.body, [*reply.headers, *CORS_HEADERS], "Accept"   # any origin; never credentials
    if reply.header("Content-Encoding") is None:
        packed = _compressed(reply.status, body, exchange.accept_encoding)
        if packed is not None:
            body, vary = packed, "Accept, Accept-Encoding"
            headers.append(("Content-Encoding", "gzip"))
    if reply.header("Vary") is None:
        headers.append(("Vary", vary))
    else:                                         # a handler's own Vary: ours are added to it
        headers = [(k, _vary(v, vary) if k.lower() == "vary" else v) for k, v in headers]
    _record(services, exchange, reply.status, len(body))
    return Reply(body, reply.status, headers)


def _vary(given: str, ours: str) -> str:
    have = [v.strip() for v in given.split(",") if v.strip()]
    return ", ".join(have + [v for v in ours.split(", ") if v.lower() not in {h.lower() for h in have}])


def _compressed(status: int, body: bytes, accept_encoding: str | None) -> bytes | None:
    """The gzip form of a body worth compressing for a client that accepts it, else None."""
    if status < 200 or status in (204, 304) or "gzip" not in (accept_encoding or "") or len(body) < GZIP_MIN_BYTES:
        return None
    return gzip.compress(body, compresslevel=5)


def _record(services: Services, exchange: Exchange, status: int, size: int | None) -> None:
    seconds = time.perf_counter() - exchange.started
    services.metrics.observe(exchange.route, exchange.method, status, seconds)
    observe.log_request(exchange.method, exchange.path, status, seconds, size, exchange.client, exchange.text,
                        exchange.rows)
