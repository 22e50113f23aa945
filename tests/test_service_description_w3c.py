"""The three W3C SPARQL 1.1 Service Description tests, run against a real `kg serve` on loopback.

The manifest (../shared/w3c/sparql/sparql11/service-description/manifest.ttl) names the tests but gives no
data: each is implemented here from its name and the Service Description recommendation
(https://www.w3.org/TR/sparql11-service-description/, section 3: the vocabulary, its domains and ranges).
"""
from __future__ import annotations

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from conftest import NO_SHARED, SHARED, http_sender, record_w3c

MANIFEST = SHARED / "w3c" / "sparql" / "sparql11" / "service-description" / "manifest.ttl"
if not MANIFEST.exists():
    pytest.skip(NO_SHARED, allow_module_level=True)
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RDF_TYPES = ("text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json", "application/trig",
             "application/n-quads")

# The vocabulary of section 3: classes, instances, and each property's domain and range.
CLASSES = {"Service", "Language", "Function", "Aggregate", "EntailmentRegime", "EntailmentProfile", "Feature",
           "GraphCollection", "Dataset", "NamedGraph", "Graph"}
INSTANCES = {"Language": {"SPARQL10Query", "SPARQL11Query", "SPARQL11Update"},
             "Feature": {"DereferencesURIs", "UnionDefaultGraph", "RequiresDataset", "EmptyGraphs", "BasicFederatedQuery"}}
PROPERTIES = {   # property: (domain, range); None = any resource
    "endpoint": ("Service", None), "feature": ("Service", "Feature"), "supportedLanguage": ("Service", "Language"),
    "resultFormat": ("Service", None), "inputFormat": ("Service", None), "defaultDataset": ("Service", "Dataset"),
    "availableGraphs": ("Service", "GraphCollection"), "extensionFunction": ("Service", "Function"),
    "extensionAggregate": ("Service", "Aggregate"), "languageExtension": ("Service", None),
    "propertyFeature": ("Service", None), "defaultEntailmentRegime": ("Service", "EntailmentRegime"),
    "entailmentRegime": (None, "EntailmentRegime"), "defaultSupportedEntailmentProfile": ("Service", "EntailmentProfile"),
    "supportedEntailmentProfile": (None, "EntailmentProfile"), "defaultGraph": ("Dataset", "Graph"),
    "namedGraph": ("GraphCollection", "NamedGraph"), "name": ("NamedGraph", None), "graph": ("NamedGraph", "Graph"),
}
SUBCLASSES = {"GraphCollection": {"Dataset"}}   # the classes that stand for a class: a Dataset is a GraphCollection


def _describe(port: int) -> tuple[int, str, Graph | None, str]:
    status, headers, body = http_sender(port)("GET", "/sparql", {"Accept": ", ".join(RDF_TYPES)}, b"")
    media = headers.get("content-type", "").split(";")[0].strip()
    graph = None
    if status == 200 and media in RDF_TYPES:
        graph = Graph().parse(data=body, format={"text/turtle": "turtle", "application/rdf+xml": "xml",
                                                 "application/n-triples": "nt", "application/ld+json": "json-ld",
                                                 "application/trig": "trig", "application/n-quads": "nquads"}[media])
    return status, media, graph, f"http://127.0.0.1:{port}/sparql"


def _typed(graph: Graph, node, cls: str) -> bool:
    if cls in INSTANCES and isinstance(node, URIRef) and node in {SD[i] for i in INSTANCES[cls]}:
        return True
    return any((node, RDF.type, SD[c]) in graph for c in {cls} | SUBCLASSES.get(cls, set()))


def returns_rdf(status, media, graph, endpoint) -> list[str]:
    return [] if graph is not None and len(graph) else [f"GET on the endpoint gave {status} {media!r}, not RDF"]


def has_endpoint_triple(status, media, graph, endpoint) -> list[str]:
    return [] if graph is not None and (None, SD.endpoint, URIRef(endpoint)) in graph else [f"no sd:endpoint <{endpoint}>"]


def conforms_to_schema(status, media, graph, endpoint) -> list[str]:
    if graph is None:
        return ["no description"]
    problems = []
    services = set(graph.subjects(RDF.type, SD.Service))
    if len(services) != 1:
        problems.append(f"{len(services)} sd:Service resources, not one")
    for s, p, o in graph:
        if p == RDF.type and str(o).startswith(str(SD)) and str(o)[len(SD):] not in CLASSES:
            problems.append(f"unknown class {o}")
        if not str(p).startswith(str(SD)):
            continue
        name = str(p)[len(SD):]
        if name not in PROPERTIES:
            problems.append(f"unknown property {p}")
            continue
        domain, range_ = PROPERTIES[name]
        if domain and not _typed(graph, s, domain):
            problems.append(f"{s} has sd:{name} but is not an sd:{domain}")
        if range_ and not _typed(graph, o, range_):
            problems.append(f"sd:{name} {o} is not an sd:{range_}")
    return problems


CHECKS = {"returns-rdf": returns_rdf, "has-endpoint-triple": has_endpoint_triple, "conforms-to-schema": conforms_to_schema}
TESTS = sorted(str(t).rsplit("#", 1)[1] for t in Graph().parse(MANIFEST).subjects(RDF.type, MF.ServiceDescriptionTest))


def test_manifest_has_3_tests():
    assert len(TESTS) == 3


@pytest.mark.parametrize("name", TESTS)
def test_w3c_service_description(name, empty_server):
    problems = CHECKS[name](*_describe(empty_server))
    record_w3c("W3C SPARQL 1.1 Service Description (kg serve)", len(TESTS), name, not problems)
    assert not problems


def test_the_schema_check_catches_a_wrong_description():
    bad = Graph()
    bad.add((URIRef("http://x/sparql"), RDF.type, SD.Service))
    bad.add((URIRef("http://x/sparql"), SD.supportedLanguage, SD.SPARQL12Query))
    bad.add((URIRef("http://x/sparql"), SD.endpoints, URIRef("http://x/sparql")))
    problems = conforms_to_schema(200, "text/turtle", bad, "http://x/sparql")
    assert any("SPARQL12Query" in p for p in problems) and any("endpoints" in p for p in problems)
