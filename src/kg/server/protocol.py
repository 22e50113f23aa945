"""The SPARQL 1.1 Protocol at /sparql: query, update and the service description (the Graph Store HTTP Protocol,
/store, is in graphstore.py).

The answer to a request is made here once, from the WSGI environ (kg.server.operation reads it): the Flask view
`sparql` answers every request to /sparql; the fast path (kg.server.fastpath) answers the plain queries that
`plain_query` picks before Flask sees them, with the same `answer`.
"""
from __future__ import annotations

import hmac

import pyoxigraph as ox
from flask import g, request

from kg.build import describe, shapes
from kg.build.gate import WriteRejected
from kg.config import Config
from kg.errors import QueryError, UpdateError
from kg.query import formats
from kg.server import queries, responses
from kg.server.envelope import Exchange
from kg.server.operation import Operation, read
from kg.server.reply import Reply
from kg.server.services import Services, services
from kg.sparql.lexer import DatasetConflict, add_using
from kg.store.remote import RemoteStoreError

SPARQL_METHODS = ["GET", "POST", "OPTIONS"]


def sparql() -> Reply:
    """The Flask view: query, update or (with neither) the service description, by the SPARQL 1.1 Protocol."""
    if request.method == "OPTIONS":
        return responses.empty(204, Allow=", ".join(SPARQL_METHODS))
    if request.method not in ("GET", "POST"):
        return responses.method_not_allowed(SPARQL_METHODS)
    parts = services()
    op = read(request.environ, parts.config.max_upload_bytes)
    if isinstance(op, Reply):
        return op
    return answer(parts, request.environ, op, g.exchange)


def plain_query(parts: Services, environ: dict) -> Operation | None:
    """The query of a GET or POST to /sparql that carries one, for the fast path; None leaves the request to Flask."""
    op = read(environ, parts.config.max_upload_bytes)
    return op if isinstance(op, Operation) and op.kind == "query" else None


def answer(parts: Services, environ: dict, op: Operation, exchange: Exchange) -> Reply:
    """The response to an operation read from the request; the exchange gets its text and rows for the log."""
    if op.kind == "description":
        return _service_description(parts, environ, op)
    exchange.text = op.text
    base = queries.base_iri(environ)
    text, refused = queries.vet(parts, op.text, base)
    if refused is not None:
        return refused
    if op.kind == "update":
        return _run_update(parts, environ, op, text, base)
    q = queries.QueryRequest(text, base, op.graphs, op.named, environ.get("HTTP_ACCEPT"), op.requested,
                             environ.get("HTTP_IF_NONE_MATCH"))
    reply, exchange.rows = queries.answer(parts, q)
    return reply


def _run_update(parts: Services, environ: dict, op: Operation, text: str, base: str) -> Reply:
    denied = check_write_token(parts.config, environ.get("HTTP_AUTHORIZATION"))
    if denied is not None:
        return denied
    try:
        parts.store.update(add_using(text, op.graphs, op.named), base_iri=base)
    except (DatasetConflict, QueryError, UpdateError) as err:
        return responses.bad_request(str(err))
    except WriteRejected as err:
        return rejected(err, environ.get("HTTP_ACCEPT"))
    except RemoteStoreError as err:
        return responses.error(502, str(err))
    return responses.empty(204)


def rejected(err: WriteRejected, accept: str | None) -> Reply:
    """422 with the SHACL report: the standard report graph if the client asks for Turtle, else plain text."""
    if "text/turtle" in (accept or ""):
        return responses.ok(shapes.format_turtle(err.report), formats.BY_NAME["turtle"].content_type, status=422)
    return responses.error(422, f"Rejected: {err}. Nothing was changed.\n\n" + shapes.format_text(err.report))


def _service_description(parts: Services, environ: dict, op: Operation) -> Reply:
    fmt = formats.negotiate("rdf", environ.get("HTTP_ACCEPT"), op.requested)
    if fmt is None:
        return responses.not_acceptable([f.media_type for f in formats.of_kind("rdf")])
    graph = describe.service_description(queries.base_iri(environ), parts.store.named_graphs(),
                                         parts.config.write_token is not None,
                                         federated=bool(parts.config.allow_service))
    written = ox.serialize(graph, format=fmt.rdf_format)
    assert written is not None  # serialize() returns None only when given an output to write to
    return responses.ok(written, fmt.content_type)


def check_write_token(config: Config, authorization: str | None) -> Reply | None:
    """None if a request with this Authorization header may write; else the 403 that says why."""
    token = config.write_token
    if not token:
        return responses.forbidden("This endpoint is read-only: start the server with a write token (KG_WRITE_TOKEN) to allow writes.")
    scheme, _, credential = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(credential.strip().encode(), token.encode()):
        return responses.forbidden("Writing needs the header 'Authorization: Bearer <token>' with the server's write token.", bearer=True)
    return None
