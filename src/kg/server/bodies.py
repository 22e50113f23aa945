"""An RSGI front for the WSGI app: each request body is read on the event loop, within a deadline, before a
request thread runs the app, so a client that sends its body slowly holds a connection but never a thread.

granian's WSGI interface calls the app as soon as the headers are in, and `wsgi.input.read` blocks the request
thread until the bytes arrive, with no timeout of its own (nor can a WSGI middleware bound it: the thread is
already inside the read). Here granian serves RSGI: the body is awaited on the loop; one that has not all
arrived after BODY_READ_SECONDS (plus a second per MIN_BODY_BYTES_PER_SECOND of it, for large uploads on slow
links) is answered 408 and its connection closed; only a complete body is handed, as `wsgi.input`, to the WSGI
app on one of `threads` request threads, which sends the app's answer as one bytes body (the app never
streams). A client that leaves mid-body is dropped (a declared length tells; a chunked body cut short cannot be
told from a complete one, as under granian's WSGI interface).

With a `deadline` (a read-only in-memory server, whose queries run in its HTTP processes), the request thread
itself evaluates, on a deep stack, and the loop keeps the deadline: a request not answered by then gets the
`overrun` reply (503) from the loop, every request still waiting for a thread gets it at once, and `overrun`
retires the process, whose runaway thread ends with it. One hand-off per request, not two.
"""
from __future__ import annotations

import asyncio
import io
import logging
import queue
import sys
import threading
from typing import Any, Callable, Iterable

from granian.rsgi import ProtocolClosed as RSGIProtocolClosed

from kg import deepstack

BODY_READ_SECONDS = 10.0              # a request body must arrive within this…
MIN_BODY_BYTES_PER_SECOND = 16_384    # …plus a second per this many bytes received
TIMEOUT_TEXT = b"The request body did not arrive in time.\n"
FAULT_TEXT = b"The server failed while answering this request; the failure was logged.\n"
TIMEOUT_HEADERS = [("Content-Type", "text/plain; charset=utf-8"), ("Connection", "close")]

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
Reply = tuple[int, list[tuple[str, str]], bytes]

log = logging.getLogger("kg.server")

_BASE_ENVIRON: dict[str, Any] = {
    "GATEWAY_INTERFACE": "CGI/1.1", "SCRIPT_NAME": "", "SERVER_SOFTWARE": "Granian",
    "wsgi.errors": sys.stderr, "wsgi.input_terminated": True, "wsgi.multiprocess": False,
    "wsgi.multithread": True, "wsgi.run_once": False, "wsgi.version": (1, 0),
}
_PLAIN = {"content-type": "CONTENT_TYPE", "content-length": "CONTENT_LENGTH"}


class BodyFront:
    """RSGI application that serves the WSGI `app` on `threads` request threads per process, bodies read first.

    A declared body over `max_body` bytes is not read: the app sees its Content-Length and refuses it (413);
    a chunked body is read up to one byte past `max_body`, enough for the app to see that it is too long.
    A `deadline` needs its `overrun(environ, waiting)`, which makes the reply to a request not answered in time.
    """

    def __init__(self, app: WSGIApp, threads: int, max_body: int, body_seconds: float = BODY_READ_SECONDS,
                 min_rate: float = MIN_BODY_BYTES_PER_SECOND, deadline: float | None = None,
                 overrun: Callable[[dict, bool], Reply] | None = None):
        self.app, self.threads, self.max_body = app, max(1, threads), max_body
        self.body_seconds, self.min_rate = body_seconds, min_rate
        self.deadline, self.overrun = deadline, overrun
        self._loop: asyncio.AbstractEventLoop      # this HTTP process's loop, set by __rsgi_init__ before any request
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._retiring = False

    def __rsgi_init__(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the request threads in this HTTP process (granian calls this after the fork, with its loop)."""
        self._loop, self._jobs, self._retiring = loop, queue.SimpleQueue(), False
        for i in range(self.threads):
            deepstack.start(self._work, f"kg-request-{i}")

    async def __rsgi__(self, scope: Any, proto: Any) -> None:
        """Read the body within its deadline, then wait while a request thread runs the app and answers."""
        environ = _environ(scope)
        body = b""
        if "CONTENT_LENGTH" in environ or "HTTP_TRANSFER_ENCODING" in environ:
            received = await self._body(proto, environ.get("CONTENT_LENGTH"))
            if received is None:
                proto.response_bytes(408, TIMEOUT_HEADERS, TIMEOUT_TEXT)
                return
            body = received
        environ["wsgi.input"] = io.BytesIO(body)
        exchange = _Exchange(proto)
        if self._retiring:
            exchange.send(*self._overrun(environ, True))
            return
        done = self._loop.create_future()
        self._jobs.put((environ, exchange, done))
        if self.deadline is None:
            await done
            return
        timer = self._loop.call_later(self.deadline, self._overran, environ, exchange, done)
        await done
        timer.cancel()

    def _overran(self, environ: dict, exchange: "_Exchange", done: asyncio.Future) -> None:
        """On the loop, at a request's deadline: answer it (its thread runs on) and retire."""
        exchange.send(*self._overrun(environ, False))
        _settle(done)
        self._retire()

    def _overrun(self, environ: dict, waiting: bool) -> Reply:
        """The `overrun` reply: for a request past its deadline, or (waiting) one no thread will take."""
        assert self.overrun is not None     # only a deadline leads here, and a deadline comes with its `overrun`
        return self.overrun(environ, waiting)

    def _retire(self) -> None:
        """After an overrun: every request still waiting for a thread is answered at once (the threads are held
        by runaway queries and will not take them before the process ends)."""
        self._retiring = True
        while True:
            try:
                environ, exchange, done = self._jobs.get_nowait()
            except queue.Empty:
                return
            exchange.send(*self._overrun(environ, True))
            _settle(done)

    async def _body(self, proto: Any, declared: str | None) -> bytes | None:
        """The whole body; b"" for a declared body over the limit; None if it did not all arrive in time."""
        try:
            if declared is not None and declared.isdigit():      # one await; raises if the client leaves mid-body
                if int(declared) > self.max_body:
                    return b""
                async with asyncio.timeout(self.body_seconds + int(declared) / self.min_rate):
                    return await proto()
            return await self._chunked(proto)
        except (TimeoutError, RSGIProtocolClosed):
            return None

    async def _chunked(self, proto: Any) -> bytes:
        """A body of unknown length, read up to one byte past the limit, its deadline growing as bytes arrive."""
        parts: list[bytes] = []
        received, start = 0, self._loop.time()
        async with asyncio.timeout_at(start + self.body_seconds) as limit:
            async for chunk in proto:
                parts.append(chunk)
                received += len(chunk)
                if received > self.max_body:
                    break
                limit.reschedule(start + self.body_seconds + received / self.min_rate)
        return b"".join(parts)

    def _work(self) -> None:
        """One request thread: run the app for each request handed over, answer, wake the waiting coroutine."""
        jobs, loop = self._jobs, self._loop
        while True:
            environ, exchange, done = jobs.get()
            try:
                self._respond(environ, exchange)
            finally:
                loop.call_soon_threadsafe(_settle, done)

    def _respond(self, environ: dict, exchange: "_Exchange") -> None:
        """Run the WSGI app and send its status, headers and whole body; 500 if it raises."""
        head: list = [500, []]

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            head[0], head[1] = int(status[:3]), headers

        try:
            result = self.app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        except Exception:
            log.exception("the application raised while answering %s %s",
                          environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
            head, body = [500, [("Content-Type", "text/plain; charset=utf-8")]], FAULT_TEXT
        exchange.send(head[0], head[1], body)


class _Exchange:
    """One request's answer, sent once: by the request thread, or by the loop when the deadline passed first."""

    __slots__ = ("proto", "sent", "lock")

    def __init__(self, proto: Any):
        self.proto, self.sent, self.lock = proto, False, threading.Lock()

    def send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        with self.lock:
            if self.sent:
                return
            self.sent = True
        self.proto.response_bytes(status, headers, body)


def _settle(done: asyncio.Future) -> None:
    if not done.done():
        done.set_result(None)


def _environ(scope: Any) -> dict[str, Any]:
    """The WSGI environ granian's WSGI interface would build for this request (its body is set later)."""
    host, _, port = scope.server.rpartition(":")
    environ = {
        **_BASE_ENVIRON,
        "REQUEST_METHOD": scope.method,
        "PATH_INFO": scope.path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.query_string,
        "SERVER_NAME": host, "SERVER_PORT": port,
        "SERVER_PROTOCOL": "HTTP/" + scope.http_version,
        "REMOTE_ADDR": scope.client.rpartition(":")[0].strip("[]"),
        "wsgi.url_scheme": scope.scheme,
    }
    for name, value in scope.headers.items():
        key = _PLAIN.get(name) or "HTTP_" + name.upper().replace("-", "_")
        environ[key] = environ[key] + "," + value if key in environ else value
    if "HTTP_HOST" not in environ and scope.authority:
        environ["HTTP_HOST"] = scope.authority
    return environ
