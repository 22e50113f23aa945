"""What the server and the CLI ask of a store, whichever it is: kg.store.embedded.EmbeddedStore (Oxigraph in this
process) or kg.store.remote.RemoteStore (another SPARQL server). Both keep this protocol; neither inherits it."""
from __future__ import annotations

from typing import Any, Protocol

import pyoxigraph as ox

Graph = ox.NamedNode | ox.DefaultGraph


class Store(Protocol):
    """Quads behind the SPARQL Protocol and the Graph Store Protocol, with a version for caches and ETags."""

    @property
    def version(self) -> int | None:
        """A number that changes with every write; None when the data can change without our knowing (remote)."""

    def query(self, text: str, *, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str | None = None) -> Any:
        """The whole answer to a query (a pyoxigraph result, or one that reads like it)."""

    def update(self, text: str, *, base_iri: str | None = None) -> None:
        """Apply an update once the store's judge (if any) has allowed it; on any error nothing changes."""

    def graph_exists(self, graph: Graph) -> bool:
        """Whether the graph is there (the default graph always is)."""

    def triples(self, graph: Graph) -> list[ox.Triple]:
        """Every triple of one graph."""

    def put_graph(self, graph: Graph, triples: list[ox.Triple], merge: bool) -> None:
        """Replace a graph with the triples, or (merge) add them to it, in one write."""

    def drop_graph(self, graph: Graph) -> None:
        """Remove a graph (or empty the default graph)."""

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    def __len__(self) -> int:
        """The number of quads."""
