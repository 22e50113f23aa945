"""Every IRI and prefix the project uses, in one place."""
from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD, DCTERMS, PROV

BASE = "https://w3id.org/casd/"
CASD = Namespace(BASE + "ontology#")
ONTOLOGY_IRI = BASE + "ontology"

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
WDP = Namespace("http://www.wikidata.org/prop/")                       # p:  item → statement
WDPS = Namespace("http://www.wikidata.org/prop/statement/")            # ps: statement → value
WDPQ = Namespace("http://www.wikidata.org/prop/qualifier/")            # pq: statement → qualifier value
WDS = Namespace("http://www.wikidata.org/entity/statement/")           # statement nodes
WDATA = Namespace("https://www.wikidata.org/wiki/Special:EntityData/") # an item's data: revision, modification
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
CS = Namespace(BASE + "shapes#")                                       # the project's SHACL shapes
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")                # W3C's names of media formats
VIRTRDF = "http://www.openlinksw.com/schemas/virtrdf#"                 # Virtuoso's own graphs …
LDP = "http://www.w3.org/ns/ldp#"                                      # … and the LDP graph it keeps
LICENCE = "https://creativecommons.org/licenses/by/4.0/"              # the dataset's licence (CC BY 4.0)
CODE_LICENCE = "https://spdx.org/licenses/MIT.html"                    # the code's licence (MIT)
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"     # + "application/trig": a media type's IRI
RDF_TYPE = str(RDF.type)
RDF_PLAIN_LITERAL = str(RDF) + "PlainLiteral"
XSD_STRING = str(XSD.string)
WIKIDATA_API = "https://www.wikidata.org/w/api.php"
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"

# Resource namespaces under the one base.
RES = {kind: Namespace(f"{BASE}{kind}/") for kind in (
    "state", "person", "organization", "place", "position", "summit", "series",
    "participation", "issue", "decision", "document", "quote", "statement", "graph", "link",
    "outcome", "tenure", "membership",
)}

GRAPH_ONTOLOGY = RES["graph"]["ontology"]
GRAPH_INFERRED = RES["graph"]["inferred"]
GRAPH_LINKS = RES["graph"]["wikidata-links"]     # kg link: owl:sameAs and the evidence of each link
GRAPH_WIKIDATA = RES["graph"]["wikidata"]        # kg enrich: statements of the linked items
DATASET_IRI = BASE + "dataset"
DOWNLOADS = BASE + "download/"                   # + a file's name: where the dataset's files are published
ENDPOINT = BASE + "sparql"                       # the SPARQL endpoint, when no public base URL is configured

PREFIXES: dict[str, str] = {
    "casd": str(CASD),
    "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD),
    "skos": str(SKOS), "dcterms": str(DCTERMS), "prov": str(PROV),
    "schema": str(SCHEMA), "org": str(ORG), "oa": str(OA), "sh": str(SH),
    "void": str(VOID), "dcat": str(DCAT), "wd": str(WD), "wdt": str(WDT),
    "p": str(WDP), "ps": str(WDPS), "pq": str(WDPQ), "wds": str(WDS), "wdata": str(WDATA), "geo": str(GEO),
    "cs": str(CS),
    **{kind: str(ns) for kind, ns in RES.items()},
}

WIKIDATA_ITEM_PATTERN = r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$"


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes on an rdflib graph so serialisations read well."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)


def compact(iri: str) -> str:
    """An IRI as prefix:local using the longest matching project prefix, else <iri>."""
    best = max((p for p in PREFIXES.items() if iri.startswith(p[1])), key=lambda p: len(p[1]), default=None)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else f"<{iri}>"
