"""A VoID/DCAT description of a built dataset: graphs, triple counts, classes, properties, files."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple, TypedDict

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from kg import __version__
from kg.vocab import CASD, DATASET_IRI, DCAT, DOWNLOADS, IANA_MEDIA_TYPES, LICENCE, SD, VOID, bind_prefixes
from kg.store.embedded import query


class Counts(TypedDict):
    """A dataset's size: triples per named graph, instances per class, triples per property (IRI -> count)."""

    graphs: dict[str, int]
    classes: dict[str, int]
    properties: dict[str, int]
    quads: int


def counts(store: ox.Store | None, run: Callable[[str], Iterable[ox.QuerySolution]] | None = None) -> Counts:
    """Triple counts per named graph, and (over the union) per class and per property.

    `run(text)` evaluates a query; by default on a pyoxigraph store with the union default graph.
    """
    if run is None:
        if store is None:
            raise TypeError("counts() needs a store or a run function")
        run = selecting(store)
    per_graph = {str(s["g"].value): int(s["n"].value) for s in run(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    classes = {str(s["c"].value): int(s["n"].value) for s in run(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(ISIRI(?c)) } GROUP BY ?c")}
    props = {str(s["p"].value): int(s["n"].value) for s in run(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")}
    return {"graphs": per_graph, "classes": classes, "properties": props, "quads": sum(per_graph.values())}


def selecting(store: ox.Store) -> Callable[[str], ox.QuerySolutions]:
    """A run function for counts() and sources(): a SELECT on the store, over the union of its graphs."""
    def run(text: str) -> ox.QuerySolutions:
        result = query(store, text)
        assert isinstance(result, ox.QuerySolutions), text      # a SELECT is answered with solutions
        return result
    return run


def content_hash(nquads_file: Path) -> str:
    """A version identifier for the dataset: the SHA-256 of its sorted N-Quads."""
    return nquads_hash(Path(nquads_file).read_bytes())


def nquads_hash(nquads: bytes) -> str:
    """The version of a dataset written as canonical N-Quads (kg.build.pipeline.canonical): SHA-256 of its sorted lines."""
    return "sha256:" + hashlib.sha256(b"\n".join(sorted(nquads.splitlines()))).hexdigest()


LOCAL_ENDPOINT = "http://localhost:5000/sparql"   # where `kg serve` answers by default


class Distribution(NamedTuple):
    """One published file of the dataset, as its VoID/DCAT description names it."""

    name: str
    media_type: str
    size: int


# The documents the data is derived from: each one's original URL where the graph records it (rdfs:seeAlso),
# else the document's own IRI (the founding document: no URL of it is recorded).
SOURCES = f"""SELECT DISTINCT ?source WHERE {{
  ?doc <{CASD}textFile> ?text OPTIONAL {{ ?doc <{RDFS.seeAlso}> ?url }} BIND(COALESCE(?url, ?doc) AS ?source) }}"""


def sources(run: Callable[[str], Iterable[Any]]) -> list[str]:
    """The IRIs of the source documents the data is derived from (SOURCES), sorted."""
    return sorted(str(row["source"].value) for row in run(SOURCES))


def void_graph(stats: Counts, files: Iterable[Distribution], version: str, endpoint: str = LOCAL_ENDPOINT,
               about: Graph | None = None, derived_from: Iterable[str] = ()) -> Graph:
    """VoID + DCAT triples describing the dataset and its distributions; `about` is its recorded description
    (publisher, dates, rights: metadata/dataset.ttl), `derived_from` its source documents."""
    g = Graph()
    bind_prefixes(g)
    ds = URIRef(DATASET_IRI)
    for triple in about or ():
        g.add(triple)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("Orta Asya zirve diplomasisi bilgi grafiği", lang="tr")))
    g.add((ds, DCTERMS.title, Literal("Central Asian summit diplomacy knowledge graph", lang="en")))
    for said in (DCTERMS.hasVersion, DCAT.version, OWL.versionInfo):
        g.add((ds, said, Literal(version)))
    g.add((ds, DCTERMS.creator, Literal(f"kg {__version__}")))
    g.add((ds, DCTERMS.license, URIRef(LICENCE)))
    for source in derived_from:
        g.add((ds, DCTERMS.source, URIRef(source)))
    g.add((ds, VOID.triples, Literal(stats["quads"], datatype=XSD.integer)))
    g.add((ds, VOID.classes, Literal(len(stats["classes"]), datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(len(stats["properties"]), datatype=XSD.integer)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(endpoint)))
    for name, n in sorted(stats["graphs"].items()):
        sub = URIRef(name)
        g.add((ds, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, VOID.triples, Literal(n, datatype=XSD.integer)))
    for counted_terms, partition, pred, counted in (
            (stats["classes"], VOID.classPartition, VOID["class"], VOID.entities),
            (stats["properties"], VOID.propertyPartition, VOID.property, VOID.triples)):
        for term, n in sorted(counted_terms.items()):
            part = BNode()
            g.add((ds, partition, part))
            g.add((part, pred, URIRef(term)))
            g.add((part, counted, Literal(n, datatype=XSD.integer)))
    for file in sorted(files):
        _distribution(g, ds, file)
    return g


def _distribution(g: Graph, ds: URIRef, file: Distribution) -> None:
    """A dcat:Distribution of the dataset: where to download it, its IANA media type, size and licence."""
    dist = BNode()
    g.add((ds, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + file.media_type)))
    g.add((dist, DCAT.downloadURL, URIRef(DOWNLOADS + file.name)))
    g.add((dist, DCAT.byteSize, Literal(file.size, datatype=XSD.nonNegativeInteger)))
    g.add((dist, DCTERMS.license, URIRef(LICENCE)))
    g.add((dist, RDFS.label, Literal(file.name)))


SEARCH_COMMENT = ("Turkish-aware full-text search over labels, quotes and source texts: ?hit casd:search \"words\" . "
                  "or (?hit ?score ?snippet) casd:search \"words\" . as a triple pattern of its own. Before "
                  "evaluation it is replaced by VALUES of the hits (entities, quotes, source texts; best first; "
                  "score xsd:double, higher is better), within the query's timeout and row limit.")


def service_description(endpoint: str, named_graphs: list[str], writable: bool,
                        federated: bool = False) -> list[ox.Triple]:
    """A SPARQL 1.1 Service Description of the endpoint, as pyoxigraph triples, from the one format table; it
    claims sd:BasicFederatedQuery only where SERVICE may reach some endpoint (an allow-list is configured), and
    the full-text search pattern (casd:search, kg.query.fulltext.rewrite) as a feature of its own."""
    from kg.query import formats

    sd = lambda local: ox.NamedNode(SD + local)
    service, dataset, default = ox.NamedNode(endpoint), ox.BlankNode(), ox.BlankNode()
    rdf_type = ox.NamedNode(str(RDF.type))
    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, rdf_type, sd("Graph")),
        ox.Triple(service, ox.NamedNode(str(RDFS.comment)),
                  ox.Literal("The default graph is the union of the named graphs unless the request names a dataset.")),
    ]
    search = ox.NamedNode(str(CASD.search))
    triples += [
        ox.Triple(service, sd("feature"), search),
        ox.Triple(search, rdf_type, sd("Feature")),
        ox.Triple(search, ox.NamedNode(str(RDFS.label)), ox.Literal("full-text search", language="en")),
        ox.Triple(search, ox.NamedNode(str(RDFS.label)), ox.Literal("tam metin arama", language="tr")),
        ox.Triple(search, ox.NamedNode(str(RDFS.comment)), ox.Literal(SEARCH_COMMENT, language="en")),
    ]
    if federated:
        triples.append(ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    if writable:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    for fmt in formats.FORMATS:
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(fmt.w3c)))
    for name in named_graphs:
        node = ox.BlankNode()
        triples += [ox.Triple(dataset, sd("namedGraph"), node), ox.Triple(node, rdf_type, sd("NamedGraph")),
                    ox.Triple(node, sd("name"), ox.NamedNode(name))]
    return triples
