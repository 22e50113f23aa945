"""`casd:search` through the SPARQL endpoint and `kg query`: a full-text search joined with the rest of a query,
answered from the index of the data served, within the endpoint's limits, and declared in the service
description. Expectations come from the graph itself."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.config import Config
from kg.query.fulltext.rewrite import FORM
from kg.server import create_app
from kg.server.queries import TRUNCATED_HEADER
from kg.store.embedded import EmbeddedStore
from kg.vocab import CASD

PREFIXES = ("PREFIX casd: <https://w3id.org/casd/ontology#>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
JSON = "application/sparql-results+json"
FAST = {"client_rate": 1e6, "client_burst": 10**6}


@pytest.fixture(scope="module")
def store(built):
    return built.store


@pytest.fixture(scope="module")
def client(store):
    return create_app(Config(**FAST), store=EmbeddedStore(store)).test_client()


def _labelled(store: ox.Store, label: str, lang: str) -> set[str]:
    """The project's IRIs whose rdfs:label is exactly this one (the Wikidata items it links share some labels)."""
    return {row["s"].value for row in store.query(
        f'SELECT DISTINCT ?s WHERE {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> "{label}"@{lang} '
        f'FILTER(STRSTARTS(STR(?s), "https://w3id.org/casd/")) }}',
        use_default_graph_as_union=True)}


def _select(client, text: str, **config) -> tuple[int, list[dict]]:
    r = client.post("/sparql", data=text, headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    if r.status_code != 200:
        return r.status_code, [{"error": r.get_data(as_text=True), "type": r.mimetype}]
    bindings = json.loads(r.data)["results"]["bindings"]
    return 200, [{k: v["value"] for k, v in b.items()} for b in bindings]


def test_a_person_is_found_by_a_differently_cased_turkish_name_and_joined(client, store):
    person = _labelled(store, "İmamali Rahman", "tr")
    assert len(person) == 1
    status, rows = _select(client, PREFIXES + """SELECT ?hit ?en WHERE {
        ?hit casd:search "IMAMALI rahman" .
        ?hit a casd:Person ; rdfs:label ?en FILTER(LANG(?en) = "en") }""")
    assert status == 200 and {r["hit"] for r in rows} == person, rows


def test_score_and_snippet_come_with_each_hit(client, store):
    status, rows = _select(client, PREFIXES + """SELECT ?hit ?score ?snippet WHERE {
        (?hit ?score ?snippet) casd:search "Kazakistan" } ORDER BY DESC(?score)""")
    assert status == 200 and rows
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert all("kazakistan" in r["snippet"].lower().replace("İ", "i") for r in rows[:5]), rows[:5]
    assert _labelled(store, "Kazakistan", "tr") <= {r["hit"] for r in rows}


def test_the_row_cap_applies_to_a_search_as_to_any_query(store):
    capped = create_app(Config(max_rows=2, **FAST), store=EmbeddedStore(store)).test_client()
    r = capped.post("/sparql", data=PREFIXES + 'SELECT ?hit WHERE { ?hit casd:search "zirve" }',
                    headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    assert r.status_code == 200 and len(json.loads(r.data)["results"]["bindings"]) == 2
    assert r.headers[TRUNCATED_HEADER] == "true; limit=2"


def test_a_misshapen_pattern_and_a_stop_word_query_are_plain_400s(client):
    status, rows = _select(client, PREFIXES + 'SELECT * WHERE { ?hit casd:search ?words }')
    assert status == 400 and rows[0]["type"] == "text/plain" and FORM in rows[0]["error"]
    status, rows = _select(client, PREFIXES + 'SELECT * WHERE { ?hit casd:search "ve ile bir" }')
    assert status == 400 and rows[0]["type"] == "text/plain" and "too common" in rows[0]["error"], rows


def test_the_service_description_declares_the_search(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = ox.Store()
    graph.load(r.data, format=ox.RdfFormat.TURTLE)
    feature = ox.NamedNode(str(CASD.search))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert list(graph.quads_for_pattern(None, ox.NamedNode(sd + "feature"), feature))
    assert list(graph.quads_for_pattern(feature, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                        ox.NamedNode(sd + "Feature")))


def test_kg_query_answers_the_pattern_with_its_predeclared_prefixes(capsys, tmp_path: Path, store):
    out = tmp_path / "build"
    assert main(["build", "--out", str(out), "--no-reason"]) == 0
    capsys.readouterr()
    code = main(["query", "--data", str(out), "--format", "json",
                 'SELECT ?hit WHERE { ?hit casd:search "Caparov" . ?hit a casd:Person }'])
    printed = capsys.readouterr().out
    assert code == 0
    found = {b["hit"]["value"] for b in json.loads(printed)["results"]["bindings"]}
    assert found == _labelled(store, "Sadyr Japarov", "en")
    assert main(["query", "--data", str(out), 'SELECT * WHERE { ?hit casd:search "ve" }']) == 2
    assert "too common" in capsys.readouterr().err
