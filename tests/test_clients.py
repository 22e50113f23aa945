"""Every client served: the real SPARQLWrapper, with its defaults, for every query form and return format (issue 11).

SPARQLWrapper names the format in ?format=, ?output= and ?results= at once, with names such as json-ld, xml,
n3 or rdf+xml (and the media type as a second value for some), besides its Accept header.
"""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from conftest import start_kg_serve, stop

SOLUTIONS = {"SELECT ?s ?o WHERE { ?s <urn:x:p> ?o }": "SELECT", "ASK { ?s <urn:x:p> 1 }": "ASK"}
GRAPHS = {"CONSTRUCT { ?s <urn:x:q> ?o } WHERE { ?s <urn:x:p> ?o }": "CONSTRUCT", "DESCRIBE <urn:x:s>": "DESCRIBE"}
MEDIA = {JSON: "application/sparql-results+json", XML: "application/sparql-results+xml", CSV: "text/csv",
         TSV: "text/tab-separated-values"}
GRAPH_MEDIA = {TURTLE: "text/turtle", N3: "text/turtle", RDFXML: "application/rdf+xml", XML: "application/rdf+xml",
               RDF: "application/rdf+xml", JSONLD: "application/ld+json"}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    data = tmp_path_factory.mktemp("clients") / "data.nq"
    data.write_bytes(ox.serialize([ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal(1),
                                           ox.NamedNode("urn:x:g"))], format=ox.RdfFormat.N_QUADS))
    proc, port = start_kg_serve("--empty", "--preload", str(data), writable=False)
    yield f"http://127.0.0.1:{port}/sparql"
    stop(proc)


def _ask(endpoint: str, query: str, fmt: str):
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client.query()


@pytest.mark.parametrize("fmt", list(MEDIA))
@pytest.mark.parametrize("query", list(SOLUTIONS), ids=list(SOLUTIONS.values()))
def test_select_and_ask_in_every_result_format(endpoint, query, fmt):
    result = _ask(endpoint, query, fmt)
    assert result.response.status == 200
    assert result._get_responseFormat() is not None and MEDIA[fmt] in result.info()["content-type"]
    assert result.convert()


@pytest.mark.parametrize("fmt", list(GRAPH_MEDIA))
@pytest.mark.parametrize("query", list(GRAPHS), ids=list(GRAPHS.values()))
def test_construct_and_describe_in_every_graph_format(endpoint, query, fmt):
    result = _ask(endpoint, query, fmt)
    assert result.response.status == 200 and GRAPH_MEDIA[fmt] in result.info()["content-type"]
    converted = result.convert()
    assert converted is not None and (not hasattr(converted, "__len__") or len(converted) > 0)
