"""Opening the configured store, and the operational routes: health and the VoID description."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable

import pyoxigraph as ox
from flask import request

from kg.build import pipeline
from kg.build import describe, downloads
from kg.query import formats
from kg.config import Config
from kg.errors import KgError
from kg.build.gate import ShapeGate
from kg.build.loading import parse_files
from kg.rdfconv import graph_of
from kg.store.protocol import Store
from kg.store.remote import Endpoints, RemoteStore
from kg.server import observe, responses
from kg.server.pages import links
from kg.server.reply import Reply
from kg.server.services import Services, services
from kg.store.embedded import EmbeddedStore, memory_store

TEXT = "text/plain; charset=utf-8"


def open_store(config: Config) -> Store:
    """An empty store, the graph built into memory, or an on-disk Oxigraph store."""
    if config.empty:
        return EmbeddedStore(memory_store(parse_files(list(config.preload))))
    if config.store.startswith(("http://", "https://")):
        return RemoteStore(Endpoints.from_url(config.store), timeout=config.query_timeout,
                           gate=shape_gate(config) if config.write_token else None)
    if config.store == "memory":
        return EmbeddedStore(pipeline.check(config).store, gate=shape_gate(config))
    return EmbeddedStore(path=check_store_directory(config), gate=shape_gate(config))


def check_store_directory(config: Config) -> Path:
    """The configured on-disk store's folder, or KgError if there is none (checked without opening it)."""
    path = Path(config.store)
    if not path.is_dir():
        raise KgError(f"{path}: no Oxigraph store directory here (write one with `kg load --store DIR`)")
    return path


def shape_gate(config: Config) -> ShapeGate:
    """The gate every write passes: the project's shapes, with the ontology for its class hierarchy."""
    ontology = graph_of(parse_files(config.ontology_files))
    return ShapeGate(pipeline.load_shapes(config.shapes_files), ontology)


def health() -> Reply:
    """200 with the number of quads while the store answers; 503 when it does not (a remote store down)."""
    try:
        return responses.ok(f"ok {len(services().store)} quads\n", TEXT)
    except KgError as err:
        return responses.ok(f"unavailable: {err}\n", TEXT, status=503)


def void() -> Reply:
    """The VoID description, computed once per data version; its count queries obey the query timeout."""
    parts = services()
    store = parts.store
    turtle = formats.BY_NAME["turtle"].content_type
    endpoint = links.base_url(parts.config, request.url_root) + "/sparql"   # --base-url, else as asked (a prefix too)
    if parts.void is not None and store.version is not None and parts.void[0] == (store.version, endpoint):
        return responses.ok(parts.void[1], turtle)
    try:
        stats = describe.counts(None, run=_bounded(parts))
        sources = describe.sources(_bounded(parts))
    except KgError as err:                  # a timeout, or the remote store unavailable
        return responses.error(503, f"Counting the dataset for its VoID description failed: {err}")
    version = dataset_version(parts)
    body = describe.void_graph(stats, [], version, endpoint=endpoint, about=downloads.recorded(parts.config.metadata_file),
                               derived_from=sources).serialize(format="turtle").encode("utf-8")
    parts.void = ((store.version, endpoint), body)
    return responses.ok(body, turtle)


def dataset_version(parts: Services) -> str:
    """The version of the data served, as the VoID and the data documents say it: the hash `kg build` writes
    while the built graph is unchanged, else the store's own version."""
    store = parts.store
    built = parts.built_version                     # (store version at start, the build's version)
    if built is not None and store.version == built[0]:
        return built[1]
    return f"store-version-{store.version}" if store.version is not None else "remote"


def _bounded(parts: Services) -> Callable[[str], Iterable[Any]]:
    """Run a query as the endpoint does: through the evaluator (with its deadline) or at the remote store."""
    evaluator = parts.evaluator
    if evaluator is None:
        return parts.store.query
    json_results = formats.BY_NAME["json"]

    def run(text: str):
        answer = evaluator.evaluate(text, [], [], None, json_results.media_type, None)
        if answer.status != "ok":
            raise KgError(answer.message or answer.status)
        return ox.parse_query_results(answer.body, format=json_results.results_format)
    return run


def metrics() -> Reply:
    """The Prometheus metrics of every HTTP process of this server, with the store's size."""
    parts = services()
    return responses.ok(parts.metrics.render(len(parts.store)), observe.CONTENT_TYPE)
