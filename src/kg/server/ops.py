"""Opening the configured store, and the operational routes: health and the VoID description."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from flask import Response, current_app

from kg import build, describe, formats
from kg.config import Config
from kg.errors import KgError
from kg.gate import ShapeGate
from kg.loading import parse_files
from kg.rdfconv import graph_of
from kg.remote import Endpoints, RemoteStore
from kg.store import EmbeddedStore, memory_store


def open_store(config: Config) -> EmbeddedStore:
    """An empty store, the graph built into memory, or an on-disk Oxigraph store."""
    if config.empty:
        return EmbeddedStore(memory_store(parse_files(list(config.preload))))
    if config.store.startswith(("http://", "https://")):
        return RemoteStore(Endpoints.from_url(config.store), timeout=config.query_timeout)
    if config.store == "memory":
        return EmbeddedStore(build.check(config).store, gate=shape_gate(config))
    path = Path(config.store)
    if not path.is_dir():
        raise KgError(f"{path}: no Oxigraph store directory here (write one with `kg load --store DIR`)")
    return EmbeddedStore(path=path, gate=shape_gate(config))


def shape_gate(config: Config) -> ShapeGate:
    """The gate every write passes: the project's shapes, with the ontology for its class hierarchy."""
    ontology = graph_of(parse_files(config.ontology_files))
    return ShapeGate(build.load_shapes(config.shapes_files), ontology)


def health() -> Response:
    """200 with the number of quads while the store answers; 503 when it does not (a remote store down)."""
    store = current_app.extensions["kg.store"]
    try:
        return Response(f"ok {len(store)} quads\n", content_type="text/plain; charset=utf-8")
    except KgError as err:
        return Response(f"unavailable: {err}\n", status=503, content_type="text/plain; charset=utf-8")


def void() -> Response:
    store = current_app.extensions["kg.store"]
    stats = describe.counts(None, run=store.query)
    graph = describe.void_graph(stats, {}, f"store-version-{store.version}" if store.version else "remote")
    fmt = formats.BY_NAME["turtle"]
    return Response(graph.serialize(format="turtle"), content_type=fmt.content_type)


def metrics() -> Response:
    store = current_app.extensions["kg.store"]
    text = current_app.extensions["kg.metrics"].render(len(store))
    return Response(text, content_type="text/plain; version=0.0.4; charset=utf-8")
