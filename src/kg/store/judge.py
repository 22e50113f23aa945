"""What a store asks of whoever judges its writes, and the delta of a whole-graph write.

The store knows no SHACL: a server that wants writes judged hands the store a WriteJudge (kg.build.gate.ShapeGate
is one). The store calls it inside its own write transaction, on a read-only view of its data, so that the
verdict and the write see the same data and no other write comes between them.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Protocol

import pyoxigraph as ox


class QuadSource(Protocol):
    """The data a judge reads: quads by pattern, membership and all quads. A pyoxigraph Store is one; so is the
    remote store's kg.store.remote_view.RemoteView."""

    def quads_for_pattern(self, subject: ox.NamedNode | ox.BlankNode | ox.Triple | None,
                          predicate: ox.NamedNode | None,
                          object: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None,
                          graph_name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None,
                          /) -> Iterable[ox.Quad]:
        """The quads matching a pattern (None for any term; graph_name None for any graph)."""

    def __contains__(self, quad: ox.Quad, /) -> bool:
        """Whether the quad is there."""

    def __iter__(self) -> Iterator[ox.Quad]:
        """Every quad."""


class WriteJudge(Protocol):
    """Judges a write before it is applied; raises (kg.errors.KgError) to refuse it, returns to allow it."""

    def check_delta(self, store: QuadSource, added: list[ox.Quad], removed: list[ox.Quad]) -> None:
        """Judge a write that says exactly which quads it adds and removes."""

    def check_write(self, store: QuadSource, text: str, base_iri: str | None = None) -> None:
        """Judge a SPARQL update."""


def graph_delta(store: QuadSource, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph, triples: list[ox.Triple],
                merge: bool) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """(added, removed) when a graph is replaced by `triples` (or, with merge, has them added)."""
    new = {ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples}
    old: set[ox.Quad] = set() if merge else set(store.quads_for_pattern(None, None, None, graph))
    return list(new - old), list(old - new)
