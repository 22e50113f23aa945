"""A whole HTTP response as plain data, apart from any web framework.

The fast path hands it to the WSGI server as it is (one bytes body: no iterator for the server to drive);
a Flask view may return it unchanged, since Flask reads a (body, status, headers) tuple as a response.
"""
from __future__ import annotations

from http import HTTPStatus
from typing import Callable, NamedTuple

_STATUS_LINES = {s.value: f"{s.value} {s.phrase}" for s in HTTPStatus}
_NO_BODY = (204, 304)


class Reply(NamedTuple):
    """Status, headers and the whole body of one response."""

    body: bytes
    status: int
    headers: list[tuple[str, str]]

    def header(self, name: str) -> str | None:
        """The first value of a header, matched without regard to case."""
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    def wsgi(self, start_response: Callable) -> list[bytes]:
        """Send through a WSGI server: the status line, the headers with the body's length, the body."""
        if self.status in _NO_BODY:
            start_response(_STATUS_LINES[self.status], self.headers)
            return []
        start_response(_STATUS_LINES.get(self.status, str(self.status)),
                       [*self.headers, ("Content-Length", str(len(self.body)))])
        return [self.body]
