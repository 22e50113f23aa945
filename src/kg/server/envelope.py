"""What every response gets on its way out, whichever path made it (Flask view or fast path): CORS headers,
gzip when asked, the metrics and one access-log line. Admission (throttle, concurrency cap) is here too."""
from __future__ import annotations

import gzip
import time
from typing import Mapping

from flask import Response

from kg.server import limits, observe, responses
from kg.server.queries import TRUNCATED_HEADER
from kg.server.reply import Reply

CORS_HEADERS = [("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS"),
                ("Access-Control-Allow-Headers", "Accept, Content-Type, Authorization"),
                ("Access-Control-Expose-Headers", f"ETag, Content-Type, Content-Encoding, Location, {TRUNCATED_HEADER}")]
GZIP_MIN_BYTES = 1024   # smaller bodies are sent as they are


def admit(parts: Mapping, client: str | None) -> Reply | None:
    """Throttle each client, then cap the requests in flight; both answer at once with Retry-After.
    None means admitted: the caller must call parts["kg.cap"].leave() when done."""
    wait = parts["kg.throttle"].admit(client or "?")
    if wait > 0:
        return responses.error(429, "Too many requests from this client; slow down.", Retry_After=limits.retry_after(wait))
    if not parts["kg.cap"].enter():
        return responses.error(503, "The server is answering as many requests as it may; try again shortly.",
                               Retry_After="1")
    return None


def finish(parts: Mapping, response: Response, *, method: str, path: str, route: str, accept_encoding: str | None,
           started: float, client: str | None, text: str | None, rows: int | None) -> Response:
    """Add CORS, compress if asked, count and log the request (a Flask response)."""
    response.headers.extend(CORS_HEADERS)             # any origin may read; credentials are never allowed
    response.vary.add("Accept")
    if not response.direct_passthrough and "Content-Encoding" not in response.headers:
        packed = _compressed(response.status_code, response.get_data(), accept_encoding)
        if packed is not None:
            response.set_data(packed)
            response.headers["Content-Encoding"] = "gzip"
            response.vary.add("Accept-Encoding")
    _record(parts, method, path, route, response.status_code, started, response.calculate_content_length(), client,
            text, rows)
    return response


def finish_reply(parts: Mapping, reply: Reply, *, method: str, path: str, route: str, accept_encoding: str | None,
                 started: float, client: str | None, text: str | None, rows: int | None) -> Reply:
    """The same as `finish`, for a Reply (the fast path's responses)."""
    body, headers, vary = reply.body, [*reply.headers, *CORS_HEADERS], "Accept"
    packed = _compressed(reply.status, body, accept_encoding) if reply.header("Content-Encoding") is None else None
    if packed is not None:
        body, vary = packed, "Accept, Accept-Encoding"
        headers.append(("Content-Encoding", "gzip"))
    headers.append(("Vary", vary))
    _record(parts, method, path, route, reply.status, started, len(body), client, text, rows)
    return Reply(body, reply.status, headers)


def _compressed(status: int, body: bytes, accept_encoding: str | None) -> bytes | None:
    """The gzip form of a body worth compressing for a client that accepts it, else None."""
    if status < 200 or status in (204, 304) or "gzip" not in (accept_encoding or "") or len(body) < GZIP_MIN_BYTES:
        return None
    return gzip.compress(body, compresslevel=5)


def _record(parts: Mapping, method: str, path: str, route: str, status: int, started: float, size: int | None,
            client: str | None, text: str | None, rows: int | None) -> None:
    seconds = time.perf_counter() - started
    parts["kg.metrics"].observe(route, method, status, seconds)
    observe.log_request(method, path, status, seconds, size, client, text, rows)
