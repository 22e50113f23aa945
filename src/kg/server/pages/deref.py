"""Dereferencing (W3C "Cool URIs for the Semantic Web", 303 URIs): an IRI's local path answers 303 to its page or
its data by Accept or ?format=; the data document is the IRI's concise bounded description, with the dataset's
version and a strong ETag. Unknown IRIs are a 404 page for a browser, plain text for anything else."""
from __future__ import annotations

import functools
from pathlib import PurePosixPath
from typing import Callable

import pyoxigraph as ox
from flask import request

from kg.errors import KgError
from kg.query import formats
from kg.query.formats import Format
from kg.server import ops, responses
from kg.server.pages import links, views
from kg.server.reply import Reply
from kg.server.services import Services, services
from kg.vocab import BASE, GRAPH_ONTOLOGY

VERSION_HEADER = "Kg-Dataset-Version"


def store_answers(view: Callable[..., Reply]) -> Callable[..., Reply]:
    """A view whose store fails (a remote store down or slow) answers 503 in plain text, as the VoID does."""
    @functools.wraps(view)
    def guarded(*args: str, **kwargs: str) -> Reply:
        try:
            return view(*args, **kwargs)
        except KgError as err:
            return responses.error(503, f"The store did not answer: {err}")
    return guarded


@store_answers
def resource(local: str) -> Reply:
    """303 from an IRI's local path to its page or its data; 404 if the store knows nothing of the IRI."""
    iri = links.iri_of(local)
    if iri is None or (local != links.ONTOLOGY_LOCAL and not exists(services(), iri)):
        return not_found(local)
    return see_other(local)


def see_other(local: str) -> Reply:
    """The 303 itself, by ?format= (html, ttl, nt, jsonld, rdf, or a media type) or else by Accept."""
    base = links.base_url(services().config, request.url_root)
    asked = request.args.get("format")
    if asked is not None:
        chosen = links.requested_format(asked)
        if isinstance(chosen, str):
            names = ", ".join(["html", *(links.extension(f) for f in links.DOCUMENT_FORMATS)])
            return responses.bad_request(f"Unknown format {chosen!r}; use one of {names}.")
    else:
        chosen = links.negotiate(request.headers.get("Accept"))
    target = links.page_url(base, local) if chosen is None else links.data_url(base, local, chosen)
    return responses.empty(303, Location=target, Vary="Accept", Link=links.alternates(base, local))


def exists(parts: Services, iri: ox.NamedNode) -> bool:
    """Whether the store has the IRI as the subject or object of any triple."""
    answer = parts.store.query(f"ASK {{ {{ {iri} ?p ?o }} UNION {{ ?s ?p {iri} }} }}")
    return bool(answer)


@store_answers
def data(local: str) -> Reply:
    """The data document /data/LOCAL.EXT: the IRI's description (the ontology's: its whole graph) in that format."""
    stem, ext = str(PurePosixPath(local).with_suffix("")), PurePosixPath(local).suffix.lstrip(".")
    fmt = links.BY_EXTENSION.get(ext)
    iri = links.iri_of(stem)
    parts = services()
    if fmt is None or iri is None:
        return not_found(local)
    version = ops.dataset_version(parts)
    etag = f'"{version}-{ext}"'
    headers = {"ETag": etag, VERSION_HEADER: version, "Link": links.alternates(
        links.base_url(parts.config, request.url_root), stem)}
    if request.if_none_match.contains(etag.strip('"')):
        return responses.empty(304, **_named(headers))
    if stem != links.ONTOLOGY_LOCAL and not exists(parts, iri):
        return not_found(local)
    body = describe(parts, iri, fmt) if stem != links.ONTOLOGY_LOCAL else ontology_document(parts, fmt)
    reply = responses.ok(body, fmt.content_type)
    return reply._replace(headers=reply.headers + list(headers.items()))


def _named(headers: dict[str, str]) -> dict[str, str]:
    """Header names as responses.empty takes them (_ for -)."""
    return {name.replace("-", "_"): value for name, value in headers.items()}


# The concise bounded description: the IRI's own triples, those of the blank nodes they reach (up to three blank
# nodes deep: the data's selectors and lists are shallower), and the triples that point at the IRI.
DESCRIPTION = """CONSTRUCT {{ {iri} ?p ?o . ?b1 ?p1 ?o1 . ?b2 ?p2 ?o2 . ?b3 ?p3 ?o3 . ?s ?ip {iri} }} WHERE {{
  {{ {iri} ?p ?o }}
  UNION {{ {iri} ?x1 ?b1 FILTER(isBlank(?b1)) ?b1 ?p1 ?o1 }}
  UNION {{ {iri} ?x1 ?y1 FILTER(isBlank(?y1)) ?y1 ?x2 ?b2 FILTER(isBlank(?b2)) ?b2 ?p2 ?o2 }}
  UNION {{ {iri} ?x1 ?y1 FILTER(isBlank(?y1)) ?y1 ?x2 ?y2 FILTER(isBlank(?y2)) ?y2 ?x3 ?b3 FILTER(isBlank(?b3))
           ?b3 ?p3 ?o3 }}
  UNION {{ ?s ?ip {iri} }}
}}"""


def describe(parts: Services, iri: ox.NamedNode, fmt: Format) -> bytes:
    """The IRI's concise bounded description with incoming links, written in an RDF format."""
    return _written(parts.store.query(DESCRIPTION.format(iri=iri)), fmt)


def ontology_document(parts: Services, fmt: Format) -> bytes:
    """The ontology's graph, written in an RDF format."""
    return _written(parts.store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH_ONTOLOGY}> {{ ?s ?p ?o }} }}"),
                    fmt)


def _written(result: formats.Result, fmt: Format) -> bytes:
    """A CONSTRUCT answer without repeats (the union default graph yields a triple once per graph holding it)."""
    if isinstance(result, ox.QueryTriples):
        written = ox.serialize(sorted(set(result), key=str), format=fmt.rdf_format, prefixes=views.PREFIXES)
        assert written is not None      # serialize() returns None only when given an output to write to
        return written
    return formats.serialize(result, fmt)


def not_found(local: str) -> Reply:
    """A real 404: an HTML page for a browser, plain text for anything else."""
    iri = links.iri_of(local)
    message = f"Nothing is known of {iri.value if iri is not None else BASE + local} here."
    if not links.wants_html(request.headers.get("Accept")):
        return responses.not_found(message)
    body = views.render("not_found", message=message, lang="en")
    return responses.ok(body, links.HTML_TYPE, status=404)


def ontology() -> Reply:
    """The ontology's IRI (and, the fragment left out by the client, each of its terms): 303 like any other IRI."""
    return see_other(links.ONTOLOGY_LOCAL)
