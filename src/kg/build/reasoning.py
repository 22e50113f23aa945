"""Check consistency with HermiT (through owlready2) and materialise what it infers."""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.errors import InconsistentOntology, KgError
from kg.vocab import BASE, CASD, RDF_PLAIN_LITERAL, compact

log = logging.getLogger(__name__)

_STRUCTURAL = {OWL.sameAs, OWL.differentFrom}

# HermiT knows only the OWL 2 datatype map; these are compared as strings instead, so that
# functional-property clashes on them are still found.
_AS_STRING = {XSD.date, XSD.gYear, XSD.duration, XSD.gYearMonth, XSD.time}
_PLAIN = URIRef(RDF_PLAIN_LITERAL)


def reasoner_input(ontology: Graph, data: Graph) -> Graph:
    """Ontology plus the data triples that carry OWL meaning, with datatypes HermiT lacks read as strings.

    The record of where each fact came from (the rdf:Statement of each fact and the quote it cites) is left out:
    it is two thirds of the triples the reasoner would read and more than half of its time, HermiT infers nothing
    about it that close_under_hierarchy does not add (bench/reasoning.py compares both outputs), and the quote
    check and the shapes are what judge it."""
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    props = set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    records = provenance_records(ontology, data)
    g = Graph()
    for s, p, o in ontology:
        if p == RDFS.range and o in _AS_STRING:
            o = XSD.string
        elif p == RDFS.range and o == RDF.langString:
            o = _PLAIN
        g.add((s, p, o))
    for s, p, o in data:
        if s in records or o in records:
            continue
        if (p == RDF.type and o in classes) or p in props or p in _STRUCTURAL:
            if isinstance(o, Literal) and o.datatype in _AS_STRING:
                o = Literal(str(o), datatype=XSD.string)
            g.add((s, p, o))
    return g


def provenance_records(ontology: Graph, data: Graph) -> set:
    """The statements (rdf:Statement and its subclasses) and quotes (casd:Quote and its subclasses) of the data."""
    kinds = {RDF.Statement, CASD.Quote}
    below = _ancestors(ontology, RDFS.subClassOf)
    kinds |= {c for c, parents in below.items() if parents & kinds}
    return {s for kind in kinds for s in data.subjects(RDF.type, kind)}


def infer(ontology: Graph, data: Graph) -> Graph:
    """Run HermiT; raise InconsistentOntology if unsatisfiable, else return the new triples about our resources."""
    import owlready2

    source = reasoner_input(ontology, data)
    world = owlready2.World()
    with tempfile.TemporaryDirectory(prefix="kg-reason-") as tmp:
        path = Path(tmp) / "input.nt"
        source.serialize(path, format="nt", encoding="utf-8")
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            raise InconsistentOntology(_explain(ontology, data)) from None
        except owlready2.OwlReadyJavaError as err:
            raise KgError(f"HermiT failed to run (is Java 11+ on PATH?): {str(err).strip().splitlines()[-1]}") from None
        result = world.as_rdflib_graph()
        asserted = {(s, p, _value(o)) for s, p, o in source}
        inferred = Graph()
        for s, p, o in result:
            if _about_our_resources(s, p, o) and (s, p, _value(o)) not in asserted:
                inferred.add((s, p, o))
    return close_under_hierarchy(ontology, data, inferred)


def _value(term):
    """A term as a value: HermiT writes back "1.000"^^xsd:decimal as 1 and a plain string as xsd:string."""
    if not isinstance(term, Literal) or term.language:
        return term
    return (term.datatype or XSD.string, term.toPython() if term.datatype not in (None, XSD.string) else str(term))


def _about_our_resources(s, p, o) -> bool:
    """Keep inferences about the graph's own resources, named by their own IRIs.

    owl:sameAs makes HermiT repeat every fact with the Wikidata IRI in place of ours; those copies are
    dropped so that a query finds each participant once.
    """
    if not (isinstance(s, URIRef) and str(s).startswith(BASE)) or str(s).startswith(str(CASD)):
        return False
    if p == RDF.type:
        return o != OWL.Thing       # every individual is one; saying so adds nothing
    return str(p).startswith(str(CASD)) and (isinstance(o, Literal) or str(o).startswith(BASE))


def close_under_hierarchy(ontology: Graph, data: Graph, inferred: Graph) -> Graph:
    """Add every superclass type and super-property value, so queries need no reasoning."""
    superclasses = _ancestors(ontology, RDFS.subClassOf)
    superprops = _ancestors(ontology, RDFS.subPropertyOf)
    out = Graph()
    for g in (data, inferred):
        for s, p, o in g:
            if not (isinstance(s, URIRef) and str(s).startswith(BASE)):
                continue
            if p == RDF.type:
                extra = [(s, RDF.type, c) for c in superclasses.get(o, ())]
            else:
                extra = [(s, q, o) for q in superprops.get(p, ())]
            for t in [(s, p, o)] + extra:
                if t not in data:
                    out.add(t)
    return out


def _ancestors(ontology: Graph, relation: URIRef) -> dict:
    """Transitive closure of a hierarchy over named terms."""
    parents: dict = {}
    for child, parent in ontology.subject_objects(relation):
        if isinstance(parent, URIRef):
            parents.setdefault(child, set()).add(parent)
    closure = {}
    for start in parents:
        seen, todo = set(), list(parents[start])
        while todo:
            cur = todo.pop()
            if cur not in seen:
                seen.add(cur)
                todo.extend(parents.get(cur, ()))
        closure[start] = seen
    return closure


def _explain(ontology: Graph, data: Graph) -> str:
    """A best-effort pointer to the cause: individuals asserted in two disjoint classes."""
    disjoint = set()
    for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        head = ontology.value(axiom, OWL.members)
        members = list(ontology.items(head)) if head is not None else []
        disjoint |= {(a, b) for a in members for b in members if a != b}
    disjoint |= {(a, b) for a, b in ontology.subject_objects(OWL.disjointWith)}
    disjoint |= {(b, a) for a, b in list(disjoint)}
    superclasses = _ancestors(ontology, RDFS.subClassOf)
    clashes = []
    for s in set(data.subjects(RDF.type, None)):
        types = set()
        for c in data.objects(s, RDF.type):
            types |= {c} | superclasses.get(c, set())
        hit = sorted(f"{compact(str(a))} and {compact(str(b))}" for a, b in disjoint
                     if a in types and b in types and str(a) < str(b))
        if hit:
            clashes.append(f"{compact(str(s))} is both {hit[0]}")
    detail = "; ".join(sorted(clashes)[:5]) or "no individual is asserted in two disjoint classes; look at property domains, ranges and functional properties"
    return f"the ontology and data are inconsistent (HermiT): {detail}"

