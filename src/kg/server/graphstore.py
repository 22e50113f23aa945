"""The SPARQL 1.1 Graph Store HTTP Protocol at /store: read, replace, merge into, delete and create graphs.

A request names its graph in one of three ways:

* indirectly, /store?graph=IRI or /store?default, for any graph;
* directly, by a URL under /store: /store/people/1.ttl acts on the graph whose IRI is the request URL, that is
  the scheme and Host the client used, then the path (percent-decoded once, re-encoded where an IRI needs it).
  The IRI is the URL as this client names the server, so a graph is found directly only through the name it was
  written with: through another host name or port, or a proxy that rewrites Host, it is not the same graph, and a
  graph whose IRI is not a URL under this server's /store can only be named by ?graph=;
* not at all, by a POST to /store itself, which creates a graph: its IRI is minted under /store/graphs/ (a
  random UUID) from the request's own URL, and the answer is 201 Created with that IRI in Location. Being a URL
  under /store, it can then be read both by ?graph=<IRI> and directly, by GET on the Location.

A POST may send multipart/form-data: each part a file part holding one RDF document with its own Content-Type.
The parts are merged into the graph in one write (blank nodes kept apart per part), or none is, if any part is
refused. Every write needs the write token and passes the shape gate; errors are plain text.
"""
from __future__ import annotations

import uuid
from urllib.parse import quote

import pyoxigraph as ox
from flask import request

from kg.query import formats
from kg.errors import QueryError
from kg.build.gate import WriteRejected
from kg.store.remote import RemoteStoreError
from kg.server import protocol, queries, responses
from kg.server.operation import read_body
from kg.server.reply import Reply
from kg.server.services import services
from kg.errors import UpdateError

PATH = "/store"
NEW_GRAPHS = PATH + "/graphs/"      # where a POST to PATH mints the IRI of the graph it creates
METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"]
MULTIPART = "multipart/form-data"
_IRI_PATH_SAFE = "/!$&'()*+,;=:@-._~"    # kept as they are in a path; every other byte is percent-encoded


class _Create:
    """The target of a POST to /store with neither ?graph nor ?default: a graph to be created."""


def graph_store(name: str | None = None) -> Reply:
    """One Graph Store request, on the graph named by ?graph=, ?default or (with `name`) the request URL."""
    if request.method == "OPTIONS":
        return responses.empty(204, Allow=", ".join(METHODS))
    if request.method not in METHODS:
        return responses.method_not_allowed(METHODS)
    graph = _target_graph(name)
    if isinstance(graph, Reply):
        return graph
    try:
        return _graph_store_request(graph)
    except RemoteStoreError as err:
        return responses.error(502, str(err))


def direct_iri() -> str | None:
    """The IRI of the graph a request to a URL under /store names directly: that URL, without its query (None
    without a valid Host header, as werkzeug reads it)."""
    return _own_url(quote(request.path, safe=_IRI_PATH_SAFE))


def _own_url(path: str) -> str | None:
    """This server's URL for a path, as the request names the server (scheme, Host); None if Host is not valid."""
    return f"{request.root_url.rstrip('/')}{path}" if request.host else None


def _target_graph(name: str | None) -> ox.NamedNode | ox.DefaultGraph | _Create | Reply:
    has_default, names = "default" in request.args, request.args.getlist("graph")
    if name is not None:
        if has_default or names:
            return responses.bad_request(f"Name the graph either by a URL under {PATH} or by ?graph= or ?default, not both.")
        return _named(direct_iri(), "The request URL")
    if request.method == "POST" and not has_default and not names:
        return _Create()
    if has_default == bool(names) or len(names) > 1:
        return responses.bad_request("Name the graph with exactly one of ?default or ?graph=IRI, or by a URL under "
                                     f"{PATH}/ (a POST to {PATH} with neither creates a graph).")
    return ox.DefaultGraph() if has_default else _named(names[0], "?graph=")


def _named(iri: str | None, what: str) -> ox.NamedNode | Reply:
    if iri is None:
        return responses.bad_request(f"{what} needs a valid Host header to name a graph by this server's URL; "
                                     "name the graph by ?graph= instead.")
    try:
        return ox.NamedNode(iri)
    except ValueError as err:
        return responses.bad_request(f"{what} is not an absolute IRI: {err}")


def _graph_store_request(graph) -> Reply:
    """Read, replace, merge into, delete or create one graph."""
    parts = services()
    store = parts.store
    if request.method in ("GET", "HEAD"):
        if not store.graph_exists(graph):
            return _not_found(graph)
        accept = request.headers.get("Accept")
        fmt = formats.negotiate("rdf", accept, formats.requested(
            v for name in formats.FORMAT_PARAMETERS for v in request.args.getlist(name)))
        if fmt is None:
            return responses.not_acceptable([f.media_type for f in formats.of_kind("rdf")])
        written = ox.serialize(store.triples(graph), format=fmt.rdf_format)
        assert written is not None  # serialize() returns None only when given an output to write to
        return responses.ok(written, fmt.content_type)
    denied = protocol.check_write_token(parts.config, request.headers.get("Authorization"))
    if denied is not None:
        return denied
    created = isinstance(graph, _Create)
    if created:
        graph = _named(_own_url(NEW_GRAPHS + uuid.uuid4().hex), f"A POST to {PATH}")
        if isinstance(graph, Reply):
            return graph
    existed = not created and store.graph_exists(graph)
    try:
        if request.method == "DELETE":
            if not existed:
                return _not_found(graph)
            store.drop_graph(graph)
            return responses.empty(204)
        triples = _read_body(graph)
        if isinstance(triples, Reply):
            return triples
        store.put_graph(graph, triples, merge=request.method == "POST")
    except (QueryError, UpdateError) as err:
        return responses.bad_request(str(err))
    except WriteRejected as err:
        return protocol.rejected(err, request.headers.get("Accept"))
    if created:
        return responses.empty(201, Location=graph.value)
    return responses.empty(204 if existed else 201)


def _not_found(graph) -> Reply:
    direct = (f" A URL under {PATH} names the graph whose IRI is that URL, as this request gave it (scheme, Host, "
              "path); name any other graph by ?graph=.")
    return responses.not_found(f"No graph <{graph.value}> in the store." + (direct if request.view_args else ""))


def _read_body(graph) -> list[ox.Triple] | Reply:
    """The triples of the request body: one RDF document, or (POST) the merged file parts of a multipart form."""
    media = (request.mimetype or "").lower()
    if media == MULTIPART:
        if request.method != "POST":
            return responses.unsupported_media_type(f"{MULTIPART} is accepted for POST only; {request.method} one RDF document.")
        return _read_parts(graph)
    fmt = _graph_format(media)
    if fmt is None:
        return responses.unsupported_media_type(f"Send the graph as one of: {_offered()}"
                                                + (f", or POST it as {MULTIPART}." if request.method == "POST" else "."))
    body = read_body(request.environ, services().config.max_upload_bytes)    # over the limit: 413, never cut short
    return body if isinstance(body, Reply) else _parse(body, fmt, graph, "body")


def _read_parts(graph) -> list[ox.Triple] | Reply:
    """Every part parsed before anything is written, so one bad part leaves the store as it was."""
    if request.form:
        return responses.unsupported_media_type(
            f"The multipart part {', '.join(map(repr, request.form))} is not a file part (no filename), so its "
            "Content-Type is not kept; send each graph as a file part with its own Content-Type.")
    parts = list(request.files.items(multi=True))
    if not parts:
        return responses.bad_request("The multipart body has no parts; send each graph as a file part with its own Content-Type.")
    triples: list[ox.Triple] = []
    for field, part in parts:
        label = f"part {field!r}" + (f" (file {part.filename!r})" if part.filename and part.filename != field else "")
        fmt = _graph_format((part.mimetype or "").lower())
        if fmt is None:
            return responses.unsupported_media_type(
                f"The multipart {label} is {part.mimetype or 'without a Content-Type'}; send each part as one of: {_offered()}.")
        parsed = _parse(part.read(), fmt, graph, f"multipart {label}")
        if isinstance(parsed, Reply):
            return parsed
        triples += _blank_nodes_apart(parsed)
    return triples


def _graph_format(media: str) -> formats.Format | None:
    fmt = formats.lookup(media) if media else None
    return fmt if fmt is not None and fmt.kind == "rdf" and not fmt.datasets else None


def _offered() -> str:
    return ", ".join(f.media_type for f in formats.of_kind("rdf") if not f.datasets)


def _parse(data: bytes, fmt: formats.Format, graph, what: str) -> list[ox.Triple] | Reply:
    base = graph.value if isinstance(graph, ox.NamedNode) else queries.base_iri(request.environ)
    try:
        return [q.triple for q in ox.parse(data, format=fmt.rdf_format, base_iri=base)]
    except SyntaxError as err:
        return responses.bad_request(f"The {fmt.name} {what} does not parse: {err}. Nothing was changed.")


def _blank_nodes_apart(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The triples with fresh blank nodes, so that _:b in one part is not _:b in another."""
    fresh: dict[str, ox.BlankNode] = {}

    def term(t):
        if isinstance(t, ox.BlankNode):
            if t.value not in fresh:
                fresh[t.value] = ox.BlankNode()
            return fresh[t.value]
        if isinstance(t, ox.Triple):
            return ox.Triple(term(t.subject), t.predicate, term(t.object))
        return t
    return [ox.Triple(term(t.subject), t.predicate, term(t.object)) for t in triples]
