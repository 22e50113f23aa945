"""What every response gets on its way out, whichever path made it (Flask view or fast path): CORS headers,
gzip when asked, the metrics and one access-log line. Admission (throttle, concurrency cap) is here too."""
from __future__ import annotations

import gzip
import time
from typing import Mapping

from flask import Response

from kg.server import limits, observe, responses
from kg.server.queries import TRUNCATED_HEADER

CORS_HEADERS = [("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Accept, Content-Type, Authorization"),
                ("Access-Control-Expose-Headers", f"ETag, Content-Type, Content-Encoding, {TRUNCATED_HEADER}")]
GZIP_MIN_BYTES = 1024   # smaller bodies are sent as they are


def admit(parts: Mapping, client: str | None) -> Response | None:
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
    """Add CORS, compress if asked, count and log the request."""
    response.headers.extend(CORS_HEADERS)             # any origin may read; credentials are never allowed
    response.vary.add("Accept")
    _gzip(response, accept_encoding or "")
    seconds = time.perf_counter() - started
    parts["kg.metrics"].observe(route, method, response.status_code, seconds)
    observe.log_request(method, path, response.status_code, seconds, response.calculate_content_length(), client,
                        text, rows)
    return response


def _gzip(response: Response, accept_encoding: str) -> None:
    if (response.direct_passthrough or response.status_code < 200 or response.status_code in (204, 304)
            or "gzip" not in accept_encoding or "Content-Encoding" in response.headers):
        return
    body = response.get_data()
    if len(body) < GZIP_MIN_BYTES:
        return
    response.set_data(gzip.compress(body, compresslevel=5))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
