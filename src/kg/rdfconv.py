"""Move terms between pyoxigraph (the query engine) and rdflib (pySHACL, owlready2, serialisers)."""
from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from kg.vocab import XSD_STRING

_XSD_STRING = XSD_STRING


def to_rdflib(term):
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


def to_ox(term):
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


def graph_of(quads: Iterable) -> Graph:
    """An rdflib Graph with the triples of the given quads (graph names dropped)."""
    g = Graph()
    for q in quads:
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g
