"""SPARQL protocol behaviour on the real graph: negotiation, errors, CORS, caching, compression, writes."""
from __future__ import annotations

import gzip
import json

import pytest

from conftest import TOKEN
from kg.config import Config
from kg.server import ROUTES, create_app, services
from kg.store.embedded import EmbeddedStore

ASK = "/sparql?query=ASK%7B%3Fs%20a%20casd%3ASummit%7D"   # uses a prefix the query does not declare
SELECT = "SELECT ?y WHERE { <https://w3id.org/casd/summit/2021-turkmenistan> <https://w3id.org/casd/ontology#date> ?y }"


@pytest.fixture(scope="module")
def graph_client(built):
    return create_app(Config(), store=EmbeddedStore(built.store)).test_client()


@pytest.fixture()
def writable():
    return create_app(Config(empty=True, write_token=TOKEN)).test_client()


@pytest.mark.parametrize("accept, media", [
    (None, "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("text/html, application/sparql-results+xml;q=0.9, */*;q=0.1", "application/sparql-results+xml"),
])
def test_select_content_negotiation(graph_client, accept, media):
    r = graph_client.post("/sparql", data=SELECT, content_type="application/sparql-query",
                          headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == f"{media}; charset=utf-8"
    assert "Accept" in r.headers["Vary"]
    assert b"2021" in r.data


@pytest.mark.parametrize("fmt, media", [("turtle", "text/turtle"), ("ntriples", "application/n-triples"),
                                        ("jsonld", "application/ld+json"), ("rdfxml", "application/rdf+xml"),
                                        ("nquads", "application/n-quads"), ("trig", "application/trig")])
def test_construct_formats_by_parameter(graph_client, fmt, media):
    q = ("CONSTRUCT { ?s <http://x/chair> ?o } WHERE { ?p <https://w3id.org/casd/ontology#role> "
         "<https://w3id.org/casd/ontology#Chair> ; <https://w3id.org/casd/ontology#agent> ?o ; <https://w3id.org/casd/ontology#meeting> ?s }")
    r = graph_client.get("/sparql", query_string={"query": q, "format": fmt})
    assert r.status_code == 200 and r.mimetype == media
    assert b"gurbanguly-berdimuhamedov" in r.data


def test_describe(graph_client):
    r = graph_client.get("/sparql", query_string={"query": "DESCRIBE <https://w3id.org/casd/person/natalia-gherman>"},
                         headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and b"Natalia Gherman" in r.data


def test_default_graph_is_the_union_of_named_graphs(graph_client):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://w3id.org/casd/ontology#hosted> ?o }"  # inferred graph
    r = graph_client.get("/sparql", query_string={"query": q}, headers={"Accept": "text/csv"})
    assert r.data.splitlines()[1] == b"7"   # one host state for each of the seven meetings, each counted once
    r = graph_client.get("/sparql", query_string={"query": q, "default-graph-uri": "https://w3id.org/casd/graph/avim-blog-50"},
                         headers={"Accept": "text/csv"})
    assert r.data.splitlines()[1] == b"0"   # asserted data holds casd:hostState, not its inferred inverse


def test_not_acceptable(graph_client):
    r = graph_client.post("/sparql", data="ASK {}", content_type="application/sparql-query", headers={"Accept": "image/png"})
    assert r.status_code == 406 and b"application/sparql-results+json" in r.data


def test_malformed_query_is_400_with_parser_position(graph_client):
    r = graph_client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400 and r.mimetype == "text/plain"
    assert r.data.startswith(b"malformed query: error at 1:")


def test_protocol_does_not_predeclare_prefixes(graph_client):
    assert graph_client.get(ASK).status_code == 400


@pytest.mark.parametrize("method, status", [("PUT", 405), ("DELETE", 405), ("PATCH", 405)])
def test_wrong_method(graph_client, method, status):
    r = graph_client.open("/sparql", method=method)
    assert r.status_code == status and "GET" in r.headers["Allow"]


def test_wrong_media_type(graph_client):
    r = graph_client.post("/sparql", data="ASK {}", content_type="text/plain")
    assert r.status_code == 415 and b"application/sparql-query" in r.data


def test_query_too_long(graph_client):
    r = graph_client.post("/sparql", data="ASK {}" + " " * 100_001, content_type="application/sparql-query")
    assert r.status_code == 413


def test_service_description(graph_client):
    r = graph_client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    assert b"sparql-service-description#endpoint> <http://localhost/sparql>" in r.data
    assert b"http://www.w3.org/ns/formats/SPARQL_Results_TSV" in r.data
    assert b"https://w3id.org/casd/graph/inferred" in r.data


def test_cors_allows_any_origin_never_credentials(graph_client):
    r = graph_client.options("/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"})
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in r.headers


def test_etag_gives_304_until_the_data_changes(writable):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    first = writable.get("/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D")
    again = writable.get("/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert writable.post("/sparql", data="INSERT DATA { <http://a> <http://b> 1 }",
                         content_type="application/sparql-update", headers=headers).status_code == 204
    changed = writable.get("/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and b"http://a" in changed.data


def test_gzip_when_asked(graph_client):
    q = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 200"}
    r = graph_client.get("/sparql", query_string=q, headers={"Accept-Encoding": "gzip"})
    assert r.headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(r.data))["results"]["bindings"]) == 200
    assert "Content-Encoding" not in graph_client.get("/sparql", query_string=q).headers


def test_read_only_without_a_token(graph_client):
    r = graph_client.post("/sparql", data="CLEAR ALL", content_type="application/sparql-update")
    assert r.status_code == 403 and b"read-only" in r.data
    assert graph_client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).data.endswith(b"true}")


@pytest.mark.parametrize("auth", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_writes_need_the_exact_bearer_token(writable, auth):
    r = writable.put("/store?default", data="<http://a> <http://b> <http://c> .", content_type="text/turtle",
                     headers={"Authorization": auth} if auth else {})
    assert r.status_code == 403 and r.headers["WWW-Authenticate"].startswith("Bearer")


def test_graph_store_protocol_round_trip(writable):
    h = {"Authorization": f"Bearer {TOKEN}"}
    assert writable.get("/store?graph=http://g").status_code == 404
    assert writable.put("/store?graph=http://g", data="<http://a> <http://b> 1 .", content_type="text/turtle", headers=h).status_code == 201
    assert writable.post("/store?graph=http://g", data='<http://a> <http://b> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .', content_type="application/n-triples", headers=h).status_code == 204
    r = writable.get("/store?graph=http://g", headers={"Accept": "application/n-triples"})
    assert sorted(r.data.decode().splitlines()) == ['<http://a> <http://b> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .',
                                                    '<http://a> <http://b> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .']
    assert writable.put("/store?graph=http://g", data="<http://a> <http://b> 3 .", content_type="text/turtle", headers=h).status_code == 204
    assert b'"3"' in writable.get("/store?graph=http://g", headers={"Accept": "application/n-triples"}).data
    assert writable.delete("/store?graph=http://g", headers=h).status_code == 204
    assert writable.get("/store?graph=http://g").status_code == 404


def test_graph_store_bad_input(writable):
    h = {"Authorization": f"Bearer {TOKEN}"}
    assert writable.get("/store").status_code == 400
    assert writable.get("/store?default&graph=http://g").status_code == 400
    r = writable.put("/store?default", data="<http://a> <http://b> .", content_type="text/turtle", headers=h)
    assert r.status_code == 400 and b"does not parse" in r.data
    assert writable.put("/store?default", data="x", content_type="image/png", headers=h).status_code == 415


def test_failed_update_leaves_the_store_as_it_was(writable):
    h = {"Authorization": f"Bearer {TOKEN}"}
    writable.post("/sparql", data="INSERT DATA { <http://a> <http://b> 1 }", content_type="application/sparql-update", headers=h)
    before = writable.get("/store?default", headers={"Accept": "application/n-triples"}).data
    r = writable.post("/sparql", data="INSERT DATA { <http://c> <http://d> 2 } ; INSERT DATA { <http://e> <http://f> ",
                      content_type="application/sparql-update", headers=h)
    assert r.status_code == 400
    assert writable.get("/store?default", headers={"Accept": "application/n-triples"}).data == before


def test_void_and_health(graph_client):
    r = graph_client.get("/.well-known/void")
    assert r.status_code == 200 and b"void:triples" in r.data
    assert graph_client.get("/health").data.startswith(b"ok ")


def test_every_route_is_in_the_table(graph_client):
    app = graph_client.application
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint != "static"}
    assert rules == {rule for rule, *_ in ROUTES}


def test_on_disk_store_is_served_and_writes_survive_a_restart(built, tmp_path):
    from kg.store.embedded import load_directory

    assert load_directory(tmp_path / "db", built.store) == len(built.store)
    config = Config(store=str(tmp_path / "db"), write_token=TOKEN)
    first = create_app(config).test_client()
    r = first.get("/sparql", query_string={"query": "ASK { ?s <https://w3id.org/casd/ontology#slogan> ?o }"})
    assert r.data.endswith(b"true}")
    h = {"Authorization": f"Bearer {TOKEN}"}
    assert first.put("/store?graph=http://note", data="<http://a> <http://b> <http://c> .", content_type="text/turtle",
                     headers=h).status_code == 201
    services(first.application).store.oxigraph.flush()
    del first
    import gc
    gc.collect()   # release the store's lock before reopening the directory
    again = create_app(config).test_client()
    assert again.get("/store?graph=http://note").status_code == 200
