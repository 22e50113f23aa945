"""The RDF that linking and enrichment write, and the links read back: each in its own named graph.

Links (`graph:wikidata-links`): the owl:sameAs itself, and beside it a casd:WikidataLink with the evidence (score,
matched name, checks passed, and where the item's facts came from). Enrichment (`graph:wikidata`): the selected
statements of the linked items in Wikidata's own RDF model (wdt: for plain values; p:/ps:/pq: for head of state
and positions held, with their start and end), in the ontology's terms where it has one that does not claim the
document's word (labels, schema:birthDate, casd:capital), and for each item where its facts came from.

Where the facts came from is said as it was, never made up:
- read from Wikidata: the item's data page (wdata:Q…) with the revision and modification time the API gave, and
  the retrieval time;
- read from recorded facts (a service that declares it answers from them, see `entity.Recorded`): a record of our
  own (wikidata-record:Q…) derived from the recorded facts and from each public source of the item's facts, with
  no revision, modification or retrieval time, since there is none to give.
Statement nodes are always our own IRIs (skolem IRIs under /.well-known/genid/wikidata/, named by the statement's
content, so the same statement keeps its IRI from run to run), never IRIs in Wikidata's namespace; each cites the
reference URLs of its statement.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, XSD

from kg.errors import KgError
from kg.build.loading import parse_file
from kg.vocab import (BASE, CASD, GEO, GRAPH_LINKS, GRAPH_WIKIDATA, RES, SCHEMA, WD, WDATA, WDP, WDPQ, WDPS,
                           WDT, bind_prefixes)
from kg.link.entity import Entity, Recorded, Statement, Time
from kg.link.outcomes import Outcome
from kg.files import write_atomically

LINKS_FILE = "wikidata-links.trig"
WIKIDATA_FILE = "wikidata.trig"
LABEL_LANGUAGES = ("tr", "en", "ru", "kk", "ky", "tg", "uz", "tk")   # ours, and the region's
# Wikidata property → our term, where the ontology has one that does not claim the document's word.
MAPPED = {"P36": CASD.capital, "P569": SCHEMA.birthDate}
PLAIN = ("P31", "P17", "P625")                 # kept as wdt: statements
QUALIFIED = ("P35", "P39")                     # head of state, position held: p:/ps:/pq:, with their start and end
QUALIFIERS = ("P580", "P582")
# Our own IRIs for what we write of Wikidata: statement nodes (skolem IRIs), and the record of an item read from
# recorded facts. (Candidates for kg.vocab, with a prefix, once the ontology names them.)
STATEMENTS = Namespace(BASE + ".well-known/genid/wikidata/")
RECORDS = Namespace(BASE + "wikidata-record/")


def links_graph(outcomes: list[Outcome]) -> Dataset:
    """The link graph for the outcomes that have a link."""
    ds = _dataset()
    g = ds.graph(GRAPH_LINKS)
    for outcome in outcomes:
        if outcome.link is None:
            continue
        entity, item, j = URIRef(outcome.target.iri), WD[outcome.link.item], outcome.link
        node = RES["link"][outcome.target.iri[len(BASE):]]
        g.add((entity, OWL.sameAs, item))
        g.add((node, RDF.type, CASD.WikidataLink))
        g.add((node, CASD.linkedEntity, entity))
        g.add((node, CASD.linkedItem, item))
        g.add((node, CASD.linkScore, Literal(f"{j.score:.3f}", datatype=XSD.decimal)))
        g.add((node, CASD.matchedLabel, Literal(j.matched[0], lang=j.matched[1] or None)))
        for check in j.passed:
            g.add((node, CASD.passedCheck, Literal(check)))
        recorded = j.entity.recorded if j.entity is not None else None
        if recorded is not None:
            g.add((node, PROV.wasDerivedFrom, URIRef(recorded.facts)))
        else:
            g.add((node, CASD.retrievedAt, Literal(j.retrieved, datatype=XSD.dateTime)))
            g.add((node, PROV.wasDerivedFrom, WDATA[outcome.link.item]))
    return ds


def origin(items: list[Entity], service: str) -> str:
    """What the items were read from, for a file's header: the recorded facts (served by a stand-in, whose passing
    address is left out so that a re-run writes the same file) or the Wikidata service."""
    recorded = next((i.recorded for i in items if i.recorded is not None), None)
    if recorded is None:
        return service
    return f"the recorded facts {recorded.file or recorded.facts} (served by a stand-in that declares them)"


def read_links(path: Path) -> dict[str, str]:
    """Entity IRI → item id of every owl:sameAs to a Wikidata item in a link file (parsed strictly: a malformed
    file is named with its line)."""
    if not path.is_file():
        raise KgError(f"{path}: no link file; run `kg link` first")
    same_as, items = str(OWL.sameAs), str(WD)
    return {q.subject.value: q.object.value[len(items):] for q in parse_file(path)
            if q.predicate.value == same_as and isinstance(q.object, ox.NamedNode) and q.object.value.startswith(items)
            and not isinstance(q.subject, ox.Triple)}


def wikidata_graph(items: list[tuple[Entity, str]]) -> Dataset:
    """The enrichment graph: for each (item, retrieval time), its data page and selected statements."""
    ds = _dataset()
    g = ds.graph(GRAPH_WIKIDATA)
    for item, retrieved in items:
        _describe(g, item, retrieved)
    return ds


def write(ds: Dataset, path: Path, header: str) -> None:
    """TriG with a header comment, written whole or not at all."""
    write_atomically(path, header + ds.serialize(format="trig"))


def _dataset() -> Dataset:
    ds = Dataset()
    bind_prefixes(ds)
    return ds


def _describe(g: Graph, item: Entity, retrieved: str) -> None:
    subject = WD[item.id]
    if item.recorded is not None:
        _recorded(g, item.id, item.recorded)
    else:
        page = WDATA[item.id]
        g.add((page, SCHEMA.about, subject))
        if item.revision is not None:
            g.add((page, SCHEMA.version, Literal(item.revision, datatype=XSD.integer)))
        if item.modified:
            g.add((page, SCHEMA.dateModified, Literal(item.modified, datatype=XSD.dateTime)))
        g.add((page, CASD.retrievedAt, Literal(retrieved, datatype=XSD.dateTime)))
    for language in LABEL_LANGUAGES:
        if language in item.labels:
            g.add((subject, RDFS.label, Literal(item.labels[language], lang=language)))
    for prop, term in MAPPED.items():
        for value in item.values(prop):
            g.add((subject, term, _term(value)))
    for prop in PLAIN:
        for value in item.values(prop):
            g.add((subject, WDT[prop], _term(value)))
    for prop in QUALIFIED:
        for statement in item.statements(prop):
            _statement(g, subject, prop, statement)


def _recorded(g: Graph, qid: str, recorded: Recorded) -> None:
    """Our record of an item read from recorded facts: derived from them and from each source of its facts."""
    record, facts = RECORDS[qid], URIRef(recorded.facts)
    g.add((record, SCHEMA.about, WD[qid]))
    g.add((record, PROV.wasDerivedFrom, facts))
    if recorded.file:
        g.add((facts, RDFS.label, Literal(recorded.file)))
    for iri, key, description in recorded.sources:
        source = URIRef(iri)
        g.add((record, PROV.wasDerivedFrom, source))
        if key:
            g.add((source, RDFS.label, Literal(key)))
        if description:
            g.add((source, RDFS.comment, Literal(description)))


def statement_iri(subject: str, prop: str, statement: Statement) -> URIRef:
    """Our IRI for a statement: a skolem IRI named by the item, the property and a digest of its content."""
    content = repr((subject, prop, _term(statement.value).n3(),
                    [(q, _term(v).n3()) for q in sorted(statement.qualifiers) for v in statement.qualifiers[q]]))
    return STATEMENTS[f"{subject}-{prop}-{hashlib.sha256(content.encode('utf-8')).hexdigest()[:16]}"]


def _statement(g: Graph, subject: URIRef, prop: str, statement: Statement) -> None:
    node = statement_iri(str(subject)[len(str(WD)):], prop, statement)
    g.add((subject, WDP[prop], node))
    g.add((node, WDPS[prop], _term(statement.value)))
    for qualifier in QUALIFIERS:
        value = statement.qualifier(qualifier)
        if value is not None:
            g.add((node, WDPQ[qualifier], _term(value)))
    for url in statement.sources:
        if url.startswith(("http://", "https://")):
            g.add((node, PROV.wasDerivedFrom, URIRef(url)))


def _term(value: object) -> URIRef | Literal:
    if isinstance(value, str) and value[:1] == "Q" and value[1:].isdigit():
        return WD[value]
    if isinstance(value, Time):
        day = value.earliest
        if value.precision >= 11:
            return Literal(day.isoformat(), datatype=XSD.date)
        if value.precision == 10:
            return Literal(day.isoformat()[:7], datatype=XSD.gYearMonth)
        return Literal(f"{day.year:04d}", datatype=XSD.gYear)
    if isinstance(value, tuple):
        lat, lon = value
        return Literal(f"Point({lon:g} {lat:g})", datatype=GEO.wktLiteral)
    return Literal(str(value))
