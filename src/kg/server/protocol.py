"""The SPARQL 1.1 Protocol: query and update at /sparql (the Graph Store HTTP Protocol, /store, is in graphstore.py)."""
from __future__ import annotations

import hmac
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Response, current_app, g, request
from werkzeug.datastructures import MultiDict

from kg.build import describe
from kg.query import formats
from kg.build import shapes
from kg.errors import QueryError
from kg.build.gate import WriteRejected
from kg.store.remote import RemoteStoreError
from kg.server import queries, responses
from kg.server.reply import Reply
from kg.sparql.lexer import DatasetConflict, add_using
from kg.store.embedded import UpdateError

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
SPARQL_METHODS = ["GET", "POST", "OPTIONS"]


@dataclass
class Operation:
    """One protocol request: a query or an update, with the dataset the request names."""

    kind: str
    text: str
    graphs: list[str] = field(default_factory=list)        # default-graph-uri / using-graph-uri
    named: list[str] = field(default_factory=list)         # named-graph-uri / using-named-graph-uri


def _base_iri() -> str:
    """The endpoint's URL, the base for relative IRIs in a request."""
    return queries.base_iri(request.environ)


def requested(values: MultiDict) -> str | None:
    """The formats a request names with ?format=, ?output= or ?results= (kg.query.formats.requested)."""
    return formats.requested(v for name in formats.FORMAT_PARAMETERS for v in values.getlist(name))


def _store():
    return current_app.extensions["kg.store"]


def _config():
    return current_app.extensions["kg.config"]


# ---------------------------------------------------------------- /sparql

def sparql() -> Response | Reply:
    """Query, update or (with neither) the service description, by the rules of the SPARQL 1.1 Protocol."""
    if request.method == "OPTIONS":
        return Response(status=204, headers={"Allow": ", ".join(SPARQL_METHODS)})
    if request.method not in ("GET", "POST"):
        return responses.method_not_allowed(SPARQL_METHODS)
    op = _read_operation()
    if isinstance(op, Reply):
        return op
    if op is None:
        return _service_description()
    g.operation_text = op.text
    op.text, refused = queries.vet(current_app.extensions, op.text, _base_iri())
    if refused is not None:
        return refused
    return _run_query(op) if op.kind == "query" else _run_update(op)


def _read_operation() -> Operation | Reply | None:
    """The operation a request carries, an error response, or None for a bare GET."""
    args = request.args
    if request.method == "GET":
        if "update" in args:
            return responses.method_not_allowed(["POST"])
        return _single(args, "query", args)
    media = (request.mimetype or "").lower()
    if media == FORM:
        return _single(request.form, None, args, request.form)
    if media in (QUERY, UPDATE):
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            return responses.unsupported_media_type(f"SPARQL in a request body must be UTF-8, not {charset}.")
        try:
            text = request.get_data().decode("utf-8")
        except UnicodeDecodeError as err:
            return responses.bad_request(f"The request body is not valid UTF-8: {err}")
        kind = "query" if media == QUERY else "update"
        return _with_dataset(Operation(kind, text), kind, args)
    return responses.unsupported_media_type(
        f"POST a query as {QUERY}, an update as {UPDATE}, or either as a form ({FORM}); got {media or 'no Content-Type'}.")


def _single(params, only: str | None, *dataset_sources) -> Operation | Reply | None:
    """Exactly one query= or update= parameter, given once."""
    found = [(k, v) for k in (("query",) if only else ("query", "update")) for v in params.getlist(k)]
    if not found:
        if request.method == "POST":
            return responses.bad_request("The form has neither a query= nor an update= field.")
        return None
    if len(found) > 1:
        return responses.bad_request("Give exactly one query= or update= parameter.")
    kind, text = found[0]
    return _with_dataset(Operation(kind, text), kind, *dataset_sources)


def _with_dataset(op: Operation, kind: str, *sources) -> Operation:
    names = ("default-graph-uri", "named-graph-uri") if kind == "query" else ("using-graph-uri", "using-named-graph-uri")
    for source in sources:
        op.graphs += source.getlist(names[0])
        op.named += source.getlist(names[1])
    return op


def _run_query(op: Operation) -> Response | Reply:
    """Answer by the rules shared with the fast path (kg.server.queries)."""
    q = queries.QueryRequest(op.text, _base_iri(), op.graphs, op.named, request.headers.get("Accept"),
                             requested(request.values), request.headers.get("If-None-Match"))
    reply, g.rows = queries.answer(current_app.extensions, q)
    return reply


def _run_update(op: Operation) -> Response | Reply:
    denied = check_write_token()
    if denied is not None:
        return denied
    try:
        text = add_using(op.text, op.graphs, op.named)
        _store().update(text, base_iri=_base_iri())
    except DatasetConflict as err:
        return responses.bad_request(str(err))
    except (QueryError, UpdateError) as err:
        return responses.bad_request(str(err))
    except WriteRejected as err:
        return rejected(err)
    except RemoteStoreError as err:
        return responses.error(502, str(err))
    return Response(status=204)


def rejected(err: WriteRejected) -> Response | Reply:
    """422 with the SHACL report: the standard report graph if the client asks for Turtle, else plain text."""
    if "text/turtle" in (request.headers.get("Accept") or ""):
        return Response(shapes.format_turtle(err.report), status=422, content_type=formats.BY_NAME["turtle"].content_type)
    return responses.error(422, f"Rejected: {err}. Nothing was changed.\n\n" + shapes.format_text(err.report))


def _service_description() -> Response | Reply:
    fmt = formats.negotiate("rdf", request.headers.get("Accept"), requested(request.args))
    if fmt is None:
        return responses.not_acceptable([f.media_type for f in formats.of_kind("rdf")])
    graph = describe.service_description(_base_iri(), _store().named_graphs(), _config().write_token is not None,
                                         federated=bool(_config().allow_service))
    return Response(ox.serialize(graph, format=fmt.writer), content_type=fmt.content_type)


def check_write_token() -> Reply | None:
    """None if the request may write; else the 403 that says why."""
    token = _config().write_token
    if not token:
        return responses.forbidden("This endpoint is read-only: start the server with a write token (KG_WRITE_TOKEN) to allow writes.")
    given = request.headers.get("Authorization", "")
    scheme, _, credential = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(credential.strip().encode(), token.encode()):
        return responses.forbidden("Writing needs the header 'Authorization: Bearer <token>' with the server's write token.", bearer=True)
    return None
