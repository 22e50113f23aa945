"""Move terms between pyoxigraph (the query engine) and rdflib (pySHACL, owlready2, serialisers)."""
from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from kg.vocab import XSD_STRING

_XSD_STRING = XSD_STRING

# What a pyoxigraph quad holds in subject or object (a Triple, RDF 1.2's quoted triple, has no rdflib twin here).
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def to_rdflib(term: OxTerm) -> URIRef | BNode | Literal:
    """One pyoxigraph term as the equal rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:   # RDF 1.1: a simple literal is an xsd:string; rdflib keeps them apart
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported RDF term {term!r}")


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """One rdflib term as the equal pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported RDF term {term!r}")


def quad_of(triple: tuple[Node, Node, Node], graph_name: ox.NamedNode | None = None) -> ox.Quad:
    """An rdflib triple as the equal pyoxigraph quad in graph_name (the default graph if None)."""
    s, p, o = (to_ox(t) for t in triple)
    if isinstance(s, ox.Literal) or not isinstance(p, ox.NamedNode):
        raise TypeError(f"not an RDF triple: {triple!r}")
    return ox.Quad(s, p, o, graph_name)


def graph_of(quads: Iterable[ox.Quad]) -> Graph:
    """An rdflib Graph with the triples of the given quads (graph names dropped)."""
    g = Graph()
    for q in quads:
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g
