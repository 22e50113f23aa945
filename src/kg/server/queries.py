"""Answering one SPARQL query, apart from any web framework: the /sparql view and the WSGI fast path both call it.

Everything that decides a query's answer lives here once: the length limit and the fetch guard, the cache key
and ETag, evaluation (in this process, a query process, or the remote store), the status of each outcome and
the row cap header. Each function is handed the app's Services (config, store, evaluator, cache).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Mapping, cast

import pyoxigraph as ox
from werkzeug.http import parse_etags

from kg.query import formats
from kg.query import guard
from kg.query.fulltext.expand import expand
from kg.query.fulltext.index import SearchTimeout
from kg.sparql import nesting
from kg.errors import QueryError
from kg.query.executor import Answer, QueryTimeout
from kg.store.protocol import Store
from kg.store.remote import RemoteStore, RemoteStoreError
from kg.server import responses
from kg.server.reply import Reply
from kg.server.services import Services

TRUNCATED_HEADER = "Kg-Result-Truncated"   # set when an answer was cut at the row cap


@dataclass
class QueryRequest:
    """What a protocol request asks: the query, its dataset, the wanted representation, the base IRI."""

    text: str
    base_iri: str
    graphs: list[str] = field(default_factory=list)        # default-graph-uri
    named: list[str] = field(default_factory=list)         # named-graph-uri
    accept: str | None = None
    requested: str | None = None                           # ?format=
    if_none_match: str | None = None


def base_iri(environ: Mapping) -> str:
    """The endpoint's URL from the WSGI environ: the base for relative IRIs in a request."""
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}"


def vet(services: Services, text: str, base: str | None) -> tuple[str, Reply | None]:
    """The text to evaluate (its casd:search patterns answered from the full-text index, and the guard may write
    SERVICE and LOAD targets out in full), or the error for a query or update that is too long, nests too deep,
    searches for nothing searchable, or would fetch from a host not allowed. The engine has not parsed it yet."""
    config = services.config
    if len(text) > config.max_query_length:
        return text, responses.payload_too_large(config.max_query_length)
    try:
        nesting.check(text)
        text = expand(text, services.store, config.sources_dir, config.query_timeout)    # casd:search → VALUES
    except SearchTimeout as err:
        return text, responses.error(503, str(err), Retry_After="1")
    except QueryError as err:
        return text, responses.bad_request(str(err))
    try:
        return guard.check(text, config.allow_service, base), None
    except guard.Refused as err:
        return text, responses.forbidden(str(err))


def answer(services: Services, q: QueryRequest) -> tuple[Reply, int | None]:
    """The response to a query (from the cache, or evaluated), and its row count where known."""
    key = _cache_key(services.store, q)
    if key is not None and q.if_none_match and key in parse_etags(q.if_none_match):
        return Reply(b"", 304, _validators(key)), None
    cache = services.cache
    cached = cache.get(key) if cache is not None and key is not None else None
    if cached is not None:
        return Reply(cached[1], 200, [("Content-Type", cached[0]), *_validators(key)]), cached[2]
    evaluator = services.evaluator
    if evaluator is None:
        result = _remote_answer(cast(RemoteStore, services.store), q)     # only a remote store has no evaluator
    else:
        try:
            result = evaluator.evaluate(q.text, q.graphs, q.named, q.base_iri, q.accept, q.requested)
        except QueryTimeout as err:
            return responses.error(503, str(err), Retry_After="1"), None
    if result.status == "not-acceptable":
        return responses.not_acceptable(list(result.offered)), None
    if result.status == "unavailable":
        return responses.error(502, result.message), None
    if result.status == "error":
        return responses.bad_request(result.message), None
    headers = [("Content-Type", result.media_type)]
    if result.truncated_at is not None:
        headers.append((TRUNCATED_HEADER, f"true; limit={result.truncated_at}"))
    elif cache is not None and key is not None:
        cache.put(key, result.media_type, result.body, result.rows)
    return Reply(result.body, 200, headers + _validators(key)), result.rows


def _remote_answer(store: RemoteStore, q: QueryRequest) -> Answer:
    try:
        result, cut = store.answer(q.text, default_graphs=q.graphs, named_graphs=q.named,   # cut: the store's row limit
                                   base_iri=q.base_iri)
    except QueryError as err:
        return Answer("error", message=str(err))
    except RemoteStoreError as err:
        return Answer("unavailable", message=str(err))
    kind = formats.result_kind(result)
    fmt = formats.negotiate(kind, q.accept, q.requested)
    if fmt is None:
        return Answer("not-acceptable", offered=tuple(f.media_type for f in formats.of_kind(kind)))
    body = formats.serialize(result, fmt)
    return Answer("ok", fmt.content_type, body, truncated_at=cut,
                  rows=1 if isinstance(result, ox.QueryBoolean) else formats.count_rows(body, fmt))


def _cache_key(store: Store, q: QueryRequest) -> str | None:
    """One key per data version and representation (query, dataset, Accept, format); None for remote stores."""
    version = store.version
    if version is None:       # a remote store's data can change without our knowing
        return None
    parts = [str(version), q.text, q.accept or "", q.requested or "", *q.graphs, "|", *q.named]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]


def _validators(key: str | None) -> list[tuple[str, str]]:
    """The ETag of an answer and the instruction to revalidate it before reuse."""
    return [] if key is None else [("ETag", f'"{key}"'), ("Cache-Control", "no-cache")]
