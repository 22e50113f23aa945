"""The remote store as the shape gate reads a store: quads by pattern, membership, all quads."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import pyoxigraph as ox

from kg.store.virtuoso import not_in

TOUCH_BATCH = 100     # nodes asked about in one request (a batch the store cuts is split in halves)

if TYPE_CHECKING:
    from kg.store.remote import RemoteStore


class RemoteView:
    """The remote store as the shape gate reads a store: quads by pattern, membership, all quads.

    The check and the write are two exchanges, not one transaction: a write by another client of the remote
    store in between is not seen. Blank nodes cannot be named across requests, so a pattern on one matches
    nothing here, and a quad with one is never taken as already present (it is always judged). On a store
    whose default graph is the union of its graphs (Virtuoso) there is no default graph of its own: no quad
    is in it, and the store's own graphs are left out.
    """

    def __init__(self, remote: RemoteStore):
        self.remote = remote

    def quads_for_pattern(self, s: ox.NamedNode | ox.BlankNode | ox.Triple | None, p: ox.NamedNode | None,
                          o: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None,
                          g: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None) -> list[ox.Quad]:
        """The quads matching a pattern (None for any term; g=None for any graph, the default one included)."""
        if any(isinstance(t, ox.BlankNode) for t in (s, p, o, g)):
            return []
        union = self.remote.union_default_graph
        if union and isinstance(g, ox.DefaultGraph):
            return []
        triple = " ".join(str(t) if t is not None else v for t, v in ((s, "?s"), (p, "?p"), (o, "?o")))
        if isinstance(g, ox.DefaultGraph):
            where = triple
        elif g is not None:
            where = f"GRAPH {g} {{ {triple} }}"
        elif union:
            where = f"GRAPH ?g {{ {triple} }} {not_in(self.remote.own_graphs())}"
        else:
            where = f"{{ GRAPH ?g {{ {triple} }} }} UNION {{ {triple} }}"
        rows = self.remote.select(f"SELECT ?g ?s ?p ?o WHERE {{ {where} }}")
        return [ox.Quad(s if s is not None else row["s"], p if p is not None else row["p"],
                        o if o is not None else row["o"], g if g is not None else row["g"] or ox.DefaultGraph())
                for row in rows]

    def quads_touching(self, nodes: set) -> list[ox.Quad]:
        """The quads with one of the nodes (IRIs; a blank node cannot be named here) as subject or object, asked
        TOUCH_BATCH nodes a request; a batch the store would cut at its row limit is asked again in halves."""
        iris = sorted((n for n in nodes if isinstance(n, ox.NamedNode)), key=str)
        return [q for start in range(0, len(iris), TOUCH_BATCH) for q in self._touching(iris[start:start + TOUCH_BATCH])]

    def _touching(self, iris: list[ox.NamedNode]) -> list[ox.Quad]:
        if not iris:
            return []
        union = self.remote.union_default_graph
        values = " ".join(map(str, iris))
        sides = []
        for pattern, bind in (("?x ?p ?o", "?x AS ?s"), ("?s ?p ?x", "?x AS ?o")):
            sides.append(f"{{ GRAPH ?g {{ {pattern} }} BIND ({bind}) }}")
            if not union:
                sides.append(f"{{ {pattern} BIND ({bind}) }}")
        own = not_in(self.remote.own_graphs()) if union else ""
        text = f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?x {{ {values} }} {' UNION '.join(sides)} {own} }}"
        rows, cut = self.remote.answer(text)
        if cut is not None and len(iris) > 1:
            half = len(iris) // 2
            return self._touching(iris[:half]) + self._touching(iris[half:])
        if cut is not None or not isinstance(rows, ox.QuerySolutions):
            rows = self.remote.select(text)          # raises: cut at the store's row limit, or not solutions
        return [ox.Quad(row["s"], row["p"], row["o"], row["g"] or ox.DefaultGraph()) for row in rows]

    def __contains__(self, quad: ox.Quad) -> bool:
        if any(isinstance(t, ox.BlankNode) for t in (quad.subject, quad.object, quad.graph_name)):
            return False
        default = isinstance(quad.graph_name, ox.DefaultGraph)
        if default and self.remote.union_default_graph:
            return False
        triple = f"{quad.subject} {quad.predicate} {quad.object}"
        where = triple if default else f"GRAPH {quad.graph_name} {{ {triple} }}"
        return bool(self.remote.query(f"ASK {{ {where} }}"))

    def __iter__(self) -> Iterator[ox.Quad]:
        """Every quad, asked graph by graph: a store's row limit (Virtuoso's ResultSetMaxRows, 10,000 as Debian
        ships it) then bounds a graph, not the whole store; a graph over it is still refused, never cut."""
        graphs: list[ox.NamedNode | ox.DefaultGraph] = [ox.NamedNode(g) for g in self.remote.named_graphs()]
        if not self.remote.union_default_graph:
            graphs.insert(0, ox.DefaultGraph())
        for graph in graphs:
            yield from self.quads_for_pattern(None, None, None, graph)
