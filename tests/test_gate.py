"""The SHACL gate: invalid writes are refused with 422 and change nothing; delta and full validation agree."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

import negative_cases
from conftest import FIXTURES, TOKEN
from kg.build import pipeline
from kg.config import Config
from kg.build.gate import ShapeGate, WriteRejected, explicit_delta
from kg.build.loading import parse_files
from kg.vocab import GRAPH_INFERRED, GRAPH_ONTOLOGY, PREFIXES
from kg.rdfconv import graph_of
from kg.server import create_app
from kg.store.embedded import EmbeddedStore

AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEGATIVE = sorted((FIXTURES / "negative").glob("*.ru"))


@pytest.fixture(scope="module")
def gate(config) -> ShapeGate:
    return ShapeGate(pipeline.load_shapes(config.shapes_files), graph_of(parse_files(config.ontology_files)))


@pytest.fixture()
def gated(built, gate):
    store = EmbeddedStore(ox.Store(), gate=gate)
    store.oxigraph.extend(list(built.store))
    return create_app(Config(write_token=TOKEN), store=store).test_client(), store


def snapshot(store: EmbeddedStore) -> set:
    return set(store.oxigraph)


def test_a_valid_write_passes(gated):
    client, store = gated
    r = client.post("/sparql", data='INSERT DATA { GRAPH <https://w3id.org/casd/graph/avim-blog-50> { '
                    '<https://w3id.org/casd/person/natalia-gherman> <http://www.w3.org/2004/02/skos/core#altLabel> "Natalia German"@en } }',
                    content_type="application/sparql-update", headers=AUTH)
    assert r.status_code == 204


def test_an_invalid_data_write_is_422_and_changes_nothing(gated):
    client, store = gated
    before = snapshot(store)
    r = client.post("/sparql", data='INSERT DATA { GRAPH <https://w3id.org/casd/graph/avim-blog-50> { '
                    '<https://w3id.org/casd/summit/2021-turkmenistan> <https://w3id.org/casd/ontology#slogan> "no tag" } }',
                    content_type="application/sparql-update", headers=AUTH)
    assert r.status_code == 422
    assert b"Nothing was changed" in r.data and b"cs:Summit-slogan" in r.data
    assert snapshot(store) == before


def test_an_invalid_where_update_is_judged_in_full(gated):
    client, store = gated
    before = snapshot(store)
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    update = prologue + (FIXTURES / "negative" / "two-chairs.ru").read_text()
    r = client.post("/sparql", data=update, content_type="application/sparql-update",
                    headers={**AUTH, "Accept": "text/turtle"})
    assert r.status_code == 422 and r.mimetype == "text/turtle"
    assert b"ValidationReport" in r.data and b"more than one chair" in r.data
    assert snapshot(store) == before


def test_graph_store_writes_pass_the_gate_too(gated):
    client, store = gated
    before = snapshot(store)
    r = client.delete("/store?graph=https://w3id.org/casd/graph/avim-blog-50", headers=AUTH)
    assert r.status_code == 422          # the founding document holds facts that other documents' statements cite
    assert snapshot(store) == before
    r = client.delete("/store?graph=https://w3id.org/casd/graph/ntv-2025-11-16", headers=AUTH)
    assert r.status_code == 204          # removing a document no other rests on leaves nothing dangling
    r = client.put("/store?graph=http://example.org/g", data="<https://w3id.org/casd/summit/x> a "
                   "<https://w3id.org/casd/ontology#Summit> .", content_type="text/turtle", headers=AUTH)
    assert r.status_code == 422 and b"cs:LabelTr" in r.data
    assert snapshot(store) != before and not store.oxigraph.contains_named_graph(ox.NamedNode("http://example.org/g"))


@pytest.fixture(scope="module")
def base(built):
    """The built store's asserted quads, and a store holding exactly them (the same blank nodes)."""
    quads = [q for q in built.store if q.graph_name.value not in (str(GRAPH_INFERRED), str(GRAPH_ONTOLOGY))]
    store = ox.Store()
    store.extend(quads)
    return quads, store


@pytest.fixture(scope="module")
def founding(config):
    """The fixtures' base (negative_cases.base) in a store, and the violations it has already."""
    quads, known = negative_cases.base(config)
    store = ox.Store()
    store.extend(quads)
    return store, known


@pytest.mark.parametrize("patch", NEGATIVE, ids=[p.stem for p in NEGATIVE])
def test_delta_and_full_validation_agree(config, founding, gate, patch):
    """The delta check on the fixture's exact quads (as a client's INSERT/DELETE DATA would send them) finds the
    violations that validating the whole data after the fixture adds (negative_cases, shared with test_shapes)."""
    store, known = founding
    case = negative_cases.judged(config, patch)
    assert 0 < len(case.added) + len(case.removed) <= 12, "the delta should be the fixture's few quads"
    with pytest.raises(WriteRejected) as caught:
        gate.check_delta(store, case.added, case.removed)
    delta = {negative_cases.key(r) for r in caught.value.report.results if r.severity == "Violation"} - known
    full = {negative_cases.key(r) for r in case.new}
    assert delta and delta == full


ENTITIES = ["summit/2021-turkmenistan", "summit/2019-uzbekistan", "state/kazakhstan", "series/central-asia-consultative-meetings",
            "person/kassym-jomart-tokayev", "issue/energy-security", "document/avim-blog-50"]


@pytest.mark.parametrize("entity", ENTITIES)
def test_a_valid_write_on_any_entity_passes_the_delta_check(founding, gate, entity):
    """An alternative label is valid anywhere; its neighbours' verdicts must be read on all they need. (On the
    fixtures' base, whose own violations the write must leave as they are and add none to.)"""
    store, known = founding
    node = ox.NamedNode(f"https://w3id.org/casd/{entity}")
    assert any(True for _ in store.quads_for_pattern(node, None, None)), f"{entity} is not in the graph"
    label = ox.Quad(node, ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"), ox.Literal("another name", language="en"),
                    ox.NamedNode("https://w3id.org/casd/graph/avim-blog-50"))
    try:
        gate.check_delta(store, [label], [])
    except WriteRejected as rejected:
        added = {negative_cases.key(r) for r in rejected.report.results if r.severity == "Violation"} - known
        assert not added, added


def test_explicit_delta_is_read_from_data_updates(built):
    text = ("PREFIX p: <https://w3id.org/casd/person/> INSERT DATA { GRAPH <http://g> { p:a <http://x/p> 1 } } ; "
            "DELETE DATA { GRAPH <https://w3id.org/casd/graph/avim-blog-50> { p:erkinbek-turginov "
            "<http://www.w3.org/2000/01/rdf-schema#label> \"Erkinbek Turginov\"@en } }")
    added, removed = explicit_delta(text, built.store)
    assert [q.subject.value for q in added] == ["https://w3id.org/casd/person/a"]
    assert len(removed) == 1
    assert explicit_delta("DELETE WHERE { ?s ?p ?o }", built.store) is None


def test_a_malformed_data_update_is_400_not_a_crash(gated):
    client, store = gated
    before = snapshot(store)
    r = client.post("/sparql", data="INSERT DATA <http://a> <http://b> <http://c>",
                    content_type="application/sparql-update", headers=AUTH)
    assert r.status_code == 400 and r.data.startswith(b"malformed update")
    assert snapshot(store) == before
