"""HermiT finds inconsistent data, and what it infers lands in the inferred graph."""
from __future__ import annotations

import pytest

from conftest import FIXTURES, founding_quads, patched_store
from kg.build import pipeline
from kg.build import reasoning
from kg.errors import InconsistentOntology
from kg.vocab import GRAPH_INFERRED
from kg.rdfconv import graph_of
from kg.store.embedded import query

INCONSISTENT = sorted((FIXTURES / "inconsistent").glob("*.ru"))


@pytest.mark.parametrize("patch", INCONSISTENT, ids=[p.stem for p in INCONSISTENT])
def test_inconsistent_fixture_is_refused_by_hermit(config, patch):
    ontology_quads, _ = pipeline.load_sources(config)
    data = graph_of(patched_store(config, patch, founding_quads()))    # the small base: HermiT once per case
    with pytest.raises(InconsistentOntology, match="inconsistent"):
        reasoning.infer(graph_of(ontology_quads), data)


def test_disjointness_clash_is_explained(config):
    ontology_quads, _ = pipeline.load_sources(config)
    data = graph_of(patched_store(config, FIXTURES / "inconsistent" / "person-is-a-state.ru", founding_quads()))
    with pytest.raises(InconsistentOntology, match=r"person:emomali-rahmon is both .*Person.*State|emomali-rahmon is both"):
        reasoning.infer(graph_of(ontology_quads), data)


def _ask(store, pattern: str) -> bool:
    return bool(query(store, f"ASK {{ GRAPH <{GRAPH_INFERRED}> {{ {pattern} }} }}"))


@pytest.mark.parametrize("pattern", [
    # what a summit adopted, seen from the outcome; its classes up the hierarchy
    "decision:2021-annual-meetings casd:adoptedAt summit:2021-turkmenistan",
    "decision:2021-annual-meetings a casd:Outcome",
    "decision:2021-programme-for-the-future a prov:Entity",
    # the issues discussed, seen from the issue
    "issue:regional-food-security-monitoring-system casd:discussedAt summit:2021-turkmenistan",
    # inverses
    "state:turkmenistan casd:hosted summit:2021-turkmenistan",
    "summit:2021-turkmenistan casd:previousSummit summit:2019-uzbekistan",
    # transitivity over the series
    "summit:2018-kazakhstan casd:precedes summit:2021-turkmenistan",
    "summit:2021-turkmenistan casd:succeeds summit:2018-kazakhstan",
    # types up the class hierarchy, and super-properties
    "person:natalia-gherman a casd:Actor",
    "state:kazakhstan a casd:Place",
    "summit:2021-turkmenistan schema:about issue:regional-security",
])
def test_inferred_graph_holds(built, pattern):
    assert _ask(built.store, pattern), pattern


def test_inferred_graph_repeats_no_asserted_triple(built):
    overlap = query(built.store, f"""
        ASK {{ GRAPH <{GRAPH_INFERRED}> {{ ?s ?p ?o }}
               GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{GRAPH_INFERRED}>) }}""")
    assert not bool(overlap)


def test_inferred_graph_names_our_resources_not_their_wikidata_items(built):
    assert not bool(query(built.store, f"""
        ASK {{ GRAPH <{GRAPH_INFERRED}> {{ ?s ?p ?o FILTER (STRSTARTS(STR(?o), "http://www.wikidata.org/")
                                                        || STRSTARTS(STR(?s), "http://www.wikidata.org/")) }} }}"""))


def test_inferred_graph_has_no_owl_thing_noise(built):
    assert not bool(query(built.store, f"ASK {{ GRAPH <{GRAPH_INFERRED}> {{ ?s a owl:Thing }} }}"))
