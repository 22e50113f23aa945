"""Plain SPARQL queries answered in front of Flask: the hot path of a read endpoint.

The row of kg.server.ROUTES marked `front` is served here: a GET or POST to /sparql that carries one query, as
its handler (protocol.plain_query, with the one reader, kg.server.operation) says. Such a request is admitted,
answered by protocol.answer and finished by envelope.finish: the very functions the Flask view and its hooks
call. Every other request goes on to Flask unchanged, which finds what the reader read kept in the environ.
Skipping Flask's request context, routing and hooks pays (bench/endpoint.py, 10,005 triples, 4 clients, paired
rounds against the same server without this path): 1.3-1.6× the throughput on the distinct mix and 1.1-1.4× on
the sub-millisecond one over three runs, with 28 % and 39 % less server CPU per request; the rule is 15 %.
"""
from __future__ import annotations

import logging
from typing import Callable, Iterable

from kg.server import envelope, protocol, responses
from kg.server.envelope import Exchange
from kg.server.operation import Operation
from kg.server.services import Services

log = logging.getLogger("kg.server")

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


class QueryFastPath:
    """WSGI middleware in front of the Flask app: answers the requests `take` picks, passes every other one on."""

    def __init__(self, app: WSGIApp, parts: Services, path: str, methods: list[str], endpoint: str,
                 take: Callable[[Services, dict], Operation | None]):
        self.next, self.parts = app, parts
        self.path, self.methods, self.endpoint, self.take = path, frozenset(methods), endpoint, take

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Answer a plain query here, or hand the request to Flask."""
        if environ.get("PATH_INFO") != self.path or environ.get("REQUEST_METHOD") not in self.methods:
            return self.next(environ, start_response)
        op = self.take(self.parts, environ)
        if op is None:
            return self.next(environ, start_response)
        exchange = Exchange(environ["REQUEST_METHOD"], self.path, self.endpoint, environ.get("REMOTE_ADDR"),
                            environ.get("HTTP_ACCEPT_ENCODING"), text=op.text)      # logged even if refused
        reply = envelope.admit(self.parts, exchange.client)
        if reply is None:
            try:
                reply = protocol.answer(self.parts, environ, op, exchange)
            except Exception:                      # as Flask's handler does: logged, answered 500
                log.exception("error answering %s %s", exchange.method, exchange.path)
                reply = responses.server_error()
            finally:
                self.parts.cap.leave()
        return envelope.finish(self.parts, reply, exchange).wsgi(start_response)
