"""Proposals as TriG: each fact as a plain triple and an rdf:Statement with its quote (both selectors, offsets
computed from the text), in the named graph graph:proposals-<doc>; the same input gives the same bytes."""
from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from kg.ingest import selectors, turkish
from kg.ingest.extract import Extraction
from kg.vocab import CASD, OA, RES, SCHEMA, bind_prefixes

PROPOSED_BY = CASD.proposedBy         # proposal-only terms: `kg ingest --accept` drops them
PROPOSED_NEW = CASD.proposedNew
SOURCES_DIR = "data/sources"


def graph_name(doc: str) -> URIRef:
    """The named graph of a document's proposals."""
    return RES["graph"][f"proposals-{doc}"]


def build(doc: str, text: str, found: Extraction, url: str, publisher: str, published: Literal | None) -> Dataset:
    """The proposals dataset of one document: its description, the new entities marked as new, and every fact
    with its statement and quote."""
    ds = Dataset()
    bind_prefixes(ds)
    g = ds.graph(graph_name(doc))
    document, text_node = RES["document"][doc], RES["document"][f"{doc}-text"]
    org = RES["organization"][turkish.ascii_slug(publisher) or "publisher"]
    g.add((document, RDF.type, CASD.SourceDocument))
    g.add((document, SCHEMA.url, URIRef(url)))
    g.add((document, CASD.publisher, org))
    g.add((document, CASD.textFile, text_node))
    g.add((org, RDF.type, CASD.Organization))
    g.add((org, RDFS.label, Literal(publisher)))
    if published is not None:
        g.add((document, CASD.datePublished, published))
    g.add((text_node, RDF.type, CASD.SourceDocument))
    g.add((text_node, DCTERMS.identifier, Literal(f"{SOURCES_DIR}/{doc}.txt")))
    g.add((text_node, DCTERMS.format, Literal("text/plain; charset=utf-8")))
    for iri, (cls, label) in sorted(found.new.items()):
        g.add((iri, RDF.type, cls))
        g.add((iri, RDFS.label, Literal(label, lang="tr")))
        g.add((iri, PROPOSED_NEW, Literal(True)))
    for fact in sorted(found.facts, key=lambda f: (f.start, f.end, str(f.subject), str(f.predicate), str(f.object))):
        quote = RES["quote"][f"{doc}-{fact.start}-{fact.end}"]
        if (quote, RDF.type, CASD.Quote) not in g:
            g.add((quote, RDF.type, CASD.Quote))
            g.add((quote, RDF.type, OA.SpecificResource))
            g.add((quote, OA.hasSource, text_node))
            selectors.add_selectors(g, quote, selectors.selector(text, fact.start, fact.end))
        g.add((fact.subject, fact.predicate, fact.object))
        key = "|".join(str(t) for t in (fact.subject, fact.predicate, fact.object))
        # in text order, then a digest of the triple: stable, and a curator reads the file in the text's order
        st = RES["statement"][f"{doc}-{fact.start:06d}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"]
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, fact.subject))
        g.add((st, RDF.predicate, fact.predicate))
        g.add((st, RDF.object, fact.object))
        g.add((st, PROV.wasDerivedFrom, quote))
        g.add((st, CASD.reading, fact.reading))
        g.add((st, PROPOSED_BY, Literal(f"{fact.kind}: {fact.rule}")))
        if fact.comment:
            g.add((st, RDFS.comment, Literal(fact.comment, lang="en")))
    return ds


def serialise(ds: Dataset, doc: str, header: str) -> str:
    """The dataset as TriG after a comment header (rdflib's serialiser sorts subjects; blank nodes are named after
    their quote, so the bytes are stable)."""
    body = ds.serialize(format="trig")
    return header + body


def quotes_of(graph: Graph) -> list[URIRef]:
    """The quotes of a graph, sorted."""
    return sorted(q for q in graph.subjects(RDF.type, CASD.Quote) if isinstance(q, URIRef))


def published_literal(value: str) -> Literal:
    """A --published value as a literal at its precision (2021-09-24, 2021-09 or 2021)."""
    import re
    for pattern, dtype in ((r"\d{4}-\d\d-\d\d", XSD.date), (r"\d{4}-\d\d", XSD.gYearMonth), (r"\d{4}", XSD.gYear)):
        if re.fullmatch(pattern, value):
            return Literal(value, datatype=dtype)
    raise ValueError(f"{value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")


def doc_name(source: Path) -> str:
    """The document's short name: the text file's name without .txt."""
    return Path(source).stem
