"""The SHACL gate: a write is validated before it is applied, and refused with the report if it breaks the shapes.

Two ways to judge a write, which agree (a test checks it on every negative fixture, with the exact delta):
- delta: when the write says exactly what it adds and removes (Graph Store Protocol, INSERT DATA / DELETE
  DATA), only the nodes whose verdict it can change are validated reading all they can read of the data as it
  would be after the write, so a small write into a large graph is checked in a small time;
- full: for any other update, the update is applied to a copy and the whole asserted data is validated.

Which nodes a write can affect: no shape reads further than READ_HOPS links from its focus node (the deepest
are the evidence check, focus <- statement -> quote type, and the series order, focus -> series <- summit ->
ordinal), so a node more than READ_HOPS links from every node the write touches keeps its verdict, and a node
within READ_HOPS reads nothing further than READ_HOPS links from itself. The delta check validates the quads
around the nodes within 2 x READ_HOPS and keeps the results about nodes within READ_HOPS. Links are followed both
ways through resources and blank nodes, never through classes, ontology terms or literals. (pySHACL's own
focus_nodes option cannot be used: in pySHACL 0.40 it also filters the value nodes of nested shapes, so
qualified counts and sh:node checks go wrong.)
"""
from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox
from rdflib import Graph

from kg.build import shapes
from kg.errors import KgError
from kg.vocab import CASD, GRAPH_INFERRED, GRAPH_ONTOLOGY, RDF_TYPE
from kg.rdfconv import graph_of, to_rdflib
from kg.sparql.lexer import declarations, operations, tokens
from kg.store.judge import QuadSource

READ_HOPS = 2    # the furthest a shape reads from its focus node; tests/test_gate.py checks it on every fixture


class WriteRejected(KgError):
    """The write would make the data violate the shapes; nothing was changed."""

    exit_code = 1

    def __init__(self, report: shapes.Report):
        self.report = report
        super().__init__(f"the write would break the shapes: {report.violation_count} violation(s)")


class ShapeGate:
    """Judges candidate writes against the shapes and the ontology."""

    def __init__(self, shapes_graph: Graph, ontology: Graph):
        self.shapes_graph, self.ontology = shapes_graph, ontology

    def check_write(self, store: QuadSource, text: str, base_iri: str | None = None) -> None:
        """Judge an update: one made only of INSERT/DELETE DATA on its neighbourhood, any other on a copy."""
        delta = explicit_delta(text, store)
        if delta is not None:
            self.check_delta(store, *delta)
        else:
            self.check_update(store, text, base_iri)

    # -- full

    def check_update(self, store: QuadSource, text: str, base_iri: str | None = None) -> None:
        """Apply the update to a copy and validate all asserted data; raise WriteRejected if it breaks a shape."""
        sandbox = ox.Store()
        sandbox.extend([q for q in store if _asserted(q)])
        sandbox.update(text, base_iri=base_iri)
        self._judge(graph_of(q for q in sandbox if _asserted(q)))

    def check_full(self, store: QuadSource, added: list[ox.Quad], removed: list[ox.Quad]) -> None:
        """Validate all asserted data as it would be after an explicit delta."""
        gone = set(removed)
        candidate = [q for q in store if _asserted(q) and q not in gone] + [q for q in added if _asserted(q)]
        self._judge(graph_of(candidate))

    # -- delta

    def check_delta(self, store: QuadSource, added: list[ox.Quad], removed: list[ox.Quad]) -> None:
        """Validate the nodes within READ_HOPS of what an explicit delta touches, on what they can read after it."""
        touched = {t for q in (*added, *removed) for t in _nodes(q)}
        if not touched:
            return
        after = _After(store, added, removed)
        near = after.within(touched, READ_HOPS)               # whose verdict the write can change
        read = after.within(near, READ_HOPS)                  # what their shapes read
        around = set(after.touching(read))
        report = shapes.validate(graph_of(around), self.shapes_graph, self.ontology)
        judged = {to_rdflib(n) for n in near}
        report.results = [r for r in report.results if r.focus_term in judged]
        if not report.conforms:
            raise WriteRejected(report)

    def _judge(self, data: Graph) -> None:
        report = shapes.validate(data, self.shapes_graph, self.ontology)
        if not report.conforms:
            raise WriteRejected(report)



def explicit_delta(text: str, store: QuadSource) -> tuple[list[ox.Quad], list[ox.Quad]] | None:
    """(added, removed) for an update made only of INSERT DATA / DELETE DATA operations; None otherwise."""
    toks = tokens(text)
    prefixes, base = declarations(toks)
    prologue = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in prefixes.items())
    added: list[ox.Quad] = []
    removed: list[ox.Quad] = []
    for op in operations(toks):
        words = [t for t in op if t.kind == "word" and not t.is_word("PREFIX", "BASE")]
        if len(words) < 2 or not words[1].is_word("DATA") or not words[0].is_word("INSERT", "DELETE"):
            return None
        open_brace = next((i for i, t in enumerate(op) if t.kind == "other" and t.text == "{"), None)
        if open_brace is None:
            return None        # malformed: let the engine report it
        block = text[op[open_brace].start + 1:op[-1].start]
        try:
            quads = list(ox.parse(prologue + block, format=ox.RdfFormat.TRIG, base_iri=base))
        except SyntaxError:
            return None        # let the engine report the error
        (added if words[0].is_word("INSERT") else removed).extend(quads)
    present = {q for q in removed if q in store}
    return [q for q in added if q not in store], list(present)


def _asserted(q: ox.Quad) -> bool:
    """Quads the shapes judge: every graph but the ontology and the inferences."""
    return not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in (str(GRAPH_INFERRED), str(GRAPH_ONTOLOGY)))


def _nodes(q: ox.Quad) -> list[ox.NamedNode | ox.BlankNode]:
    """The ends of a quad that the shapes may read from: resources, blank nodes and linked items such as
    Wikidata's, but not classes (the object of rdf:type), ontology terms or literals."""
    ends: list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = [q.subject]
    if q.predicate != _RDF_TYPE:
        ends.append(q.object)
    return [t for t in ends if isinstance(t, ox.BlankNode)
            or (isinstance(t, ox.NamedNode) and not t.value.startswith(str(CASD)))]


_RDF_TYPE = ox.NamedNode(RDF_TYPE)


class _After:
    """The asserted quads as they would be after a delta, read through the store's indexes."""

    def __init__(self, store: QuadSource, added: list[ox.Quad], removed: list[ox.Quad]):
        self.store, self.gone = store, set(removed)
        self.added: dict[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, list[ox.Quad]] = {}
        for q in added:
            if _asserted(q):
                for end in {q.subject, q.object}:
                    self.added.setdefault(end, []).append(q)

    def touching(self, nodes: set[ox.NamedNode | ox.BlankNode]) -> list[ox.Quad]:
        """The quads with one of these nodes as subject or object: in one request per batch where the store can
        answer for many nodes at once (the remote store's quads_touching), else two index lookups a node."""
        batch = getattr(self.store, "quads_touching", None)
        if batch is not None:
            stored: list[ox.Quad] = list(batch(nodes))
        else:
            stored = [q for node in nodes for pattern in ((node, None, None), (None, None, node))
                      for q in self.store.quads_for_pattern(*pattern)]
        return [q for q in stored if _asserted(q) and q not in self.gone] + [
            q for node in nodes for q in self.added.get(node, [])]

    def within(self, start: set[ox.NamedNode | ox.BlankNode], hops: int) -> set[ox.NamedNode | ox.BlankNode]:
        """The nodes at most `hops` links from the start nodes, links followed both ways (see _nodes)."""
        seen, frontier = set(start), set(start)
        for _ in range(hops):
            frontier = {t for q in self.touching(frontier) for t in _nodes(q)} - seen
            seen |= frontier
        return seen
