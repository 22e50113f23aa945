"""Plain SPARQL queries without Flask's request machinery: the hot path of a read endpoint.

A `GET /sparql?query=…`, or a POST to /sparql of a form with one `query=` or of `application/sparql-query`
in UTF-8, is read straight from the WSGI environ and answered by the same functions as the /sparql view:
`queries` decides the answer, `envelope` admits the request and adds CORS, gzip, metrics and the log line.
Everything else (other routes and methods, updates, repeated or missing parameters, other media types or
charsets, bodies without a length or over the upload limit) goes to Flask unchanged; a body already read
is put back first. Skipping Flask's request context, routing and form parser roughly halves the Python
work of a query that is answered from the cache.
"""
from __future__ import annotations

import io
import logging
import time
from typing import Callable, Iterable

from flask import Flask

from kg.query import formats
from kg.server import envelope, queries, responses, urlform
from kg.server.protocol import FORM, QUERY
from kg.server.reply import Reply

PATH = "/sparql"

log = logging.getLogger("kg.server")


class QueryFastPath:
    """WSGI middleware in front of the Flask app: answers plain queries, passes every other request on."""

    def __init__(self, app: Flask):
        self.parts = app.extensions
        self.next: Callable = app.wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") not in ("GET", "POST"):
            return self.next(environ, start_response)
        q = self._read(environ)
        if q is None:
            return self.next(environ, start_response)
        return self._answer(environ, q).wsgi(start_response)

    def _read(self, environ: dict) -> queries.QueryRequest | None:
        """The query of a plain request, or None to leave the request to Flask."""
        args = urlform.parse(environ.get("QUERY_STRING", ""))
        if environ["REQUEST_METHOD"] == "GET":
            return _request(environ, args, {}, args) if "update" not in args else None
        body = self._body(environ)
        if body is None:
            return None
        media, _, params = (environ.get("CONTENT_TYPE") or "").partition(";")
        media = media.strip().lower()
        if media == FORM and body.isascii():
            form = urlform.parse(body)
            return _request(environ, form, form, args) if "update" not in form else None
        if media == QUERY and params.replace(" ", "").lower() in ("", "charset=utf-8", "charset=utf8"):
            try:
                return _request(environ, {"query": [body.decode("utf-8")]}, {}, args)
            except UnicodeDecodeError:
                return None
        return None

    def _body(self, environ: dict) -> bytes | None:
        """The request body (and put back for Flask), or None if it has no length or is over the limit."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None
        if length > self.parts["kg.config"].max_upload_bytes:
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        return body

    def _answer(self, environ: dict, q: queries.QueryRequest) -> Reply:
        started, client, rows = time.perf_counter(), environ.get("REMOTE_ADDR"), None
        reply = envelope.admit(self.parts, client)
        if reply is None:
            try:
                q.text, reply = queries.vet(self.parts, q.text, q.base_iri)
                if reply is None:
                    reply, rows = queries.answer(self.parts, q)
            except Exception:                      # as Flask would: log it, answer 500
                log.exception("error answering a query")
                reply = responses.error(500, "The server failed while answering this query.")
            finally:
                self.parts["kg.cap"].leave()
        return envelope.finish_reply(self.parts, reply, method=environ["REQUEST_METHOD"], path=PATH, route="sparql",
                               accept_encoding=environ.get("HTTP_ACCEPT_ENCODING"), started=started, client=client,
                               text=q.text, rows=rows)


def _request(environ: dict, source: dict, form: dict, args: dict) -> queries.QueryRequest | None:
    """One query= in `source`; the dataset from the URL and the form, as the /sparql view reads them."""
    texts = source.get("query", [])
    if len(texts) != 1:
        return None
    both = lambda name: args.get(name, []) + (form.get(name, []) if form is not args else [])
    fmt = formats.requested(v for name in formats.FORMAT_PARAMETERS
                            for v in args.get(name, []) + (form.get(name, []) if form is not args else []))
    return queries.QueryRequest(texts[0], queries.base_iri(environ), both("default-graph-uri"), both("named-graph-uri"),
                                environ.get("HTTP_ACCEPT"), fmt, environ.get("HTTP_IF_NONE_MATCH"))
