"""One HTTP client for the project's outgoing requests (a remote SPARQL store, Wikidata's services).

An exchange is bounded as a whole: connecting, waiting and reading the body must all end by one deadline, so a
peer that sends a byte now and then cannot hold the caller forever (a per-read timeout would reset at each byte).
HTTP error statuses are answers, returned like any other; only a peer that cannot be reached, or does not finish
in time, raises.
"""
from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from http.client import responses

READ_CHUNK = 1 << 16


class Unreachable(Exception):
    """The peer could not be reached, or (`late`) did not finish answering by the deadline."""

    def __init__(self, reason: str, late: bool = False):
        super().__init__(reason)
        self.reason, self.late = reason, late


@dataclass(frozen=True)
class Exchange:
    """What the peer answered: status, headers and the whole body."""

    status: int
    headers: Message
    body: bytes

    @property
    def media_type(self) -> str:
        """The Content-Type without its parameters, in lower case."""
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    @property
    def reason(self) -> str:
        """The standard reason phrase of the status."""
        return responses.get(self.status, "")


def exchange(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
             timeout: float = 60.0) -> Exchange:
    """One request and its whole answer within `timeout` seconds; raises Unreachable otherwise."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Exchange(response.status, response.headers, _read_by(response, deadline))
    except urllib.error.HTTPError as err:
        return Exchange(err.code, err.headers, _read_by(err, deadline))
    except (urllib.error.URLError, OSError) as err:
        raise Unreachable(str(getattr(err, "reason", err)), late=isinstance(err, TimeoutError)) from None


def _read_by(response, deadline: float) -> bytes:
    """The whole body, or Unreachable once the deadline passes."""
    sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Unreachable("the deadline passed", late=True)
        if sock is not None:
            sock.settimeout(remaining)
        try:
            chunk = response.read1(READ_CHUNK)
        except (TimeoutError, OSError) as err:
            raise Unreachable(str(err), late=True) from None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
