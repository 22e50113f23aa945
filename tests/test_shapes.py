"""The shipped data passes the shapes; each curator mistake in fixtures/negative is caught by the right shape."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import negative_cases
from conftest import FIXTURES, expectation, founding_quads, patched_store
from kg.build import pipeline
from kg.build import shapes
from kg.build.loading import parse_files
from kg.rdfconv import graph_of

NEGATIVE = sorted((FIXTURES / "negative").glob("*.ru"))


def test_shipped_data_conforms(built):
    assert built.report.conforms, shapes.format_text(built.report)
    assert built.report.violation_count == 0


def test_actors_without_wikidata_item_are_warnings_not_violations(built):
    warned = {r.focus for r in built.report.results if r.severity == "Warning"}
    assert "person:erkinbek-turginov" in warned
    assert all(r.source_shape == "cs:WikidataItemSuggested" for r in built.report.results)


def test_there_is_a_negative_fixture_for_each_kind_of_mistake():
    assert len(NEGATIVE) >= 20


@pytest.mark.parametrize("patch", NEGATIVE, ids=[p.stem for p in NEGATIVE])
def test_negative_fixture_fails_with_expected_shape_and_path(config, patch):
    shape, path = expectation(patch)
    case = negative_cases.judged(config, patch)
    assert case.added or case.removed, f"{patch.name} changed nothing"
    assert not case.report.conforms and case.new, f"{patch.name} adds no violation"
    found = {(r.source_shape, r.path or "-"): r.message for r in case.new}
    assert (shape, path) in found, f"expected {shape} on {path}; got {sorted(found)}"
    said = re.search(r"^# message: (.+)$", patch.read_text(encoding="utf-8"), re.M)
    if said:
        assert said.group(1) in found[(shape, path)], found[(shape, path)]


def test_each_message_speaks_of_one_kind_of_constraint(config):
    """A property shape's sh:message covers all its constraints, so a shape that limits both how many values
    there are and what they are would report a wrong class with a message about counts."""
    from rdflib.namespace import RDF
    from kg.vocab import SH

    graph = pipeline.load_shapes(config.shapes_files)
    counts = {SH.minCount, SH.maxCount}
    values = {SH["class"], SH.datatype, SH["in"], SH.nodeKind, SH.pattern, SH.minInclusive, SH.maxInclusive,
              SH["or"], SH.minLength, SH.hasValue, SH.node, SH.lessThanOrEquals}
    mixed = [shape for shape in graph.subjects(RDF.type, SH.PropertyShape)
             if (shape, SH.message, None) in graph
             and {p for _, p, _ in graph.triples((shape, None, None))} & counts
             and {p for _, p, _ in graph.triples((shape, None, None))} & values]
    assert mixed == []


def _plain_pyshacl(data, shapes_graph, ontology):
    """The report of pySHACL called the ordinary way (rdflib parses every query text each time)."""
    import pyshacl

    _, report, _ = pyshacl.validate(data + ontology, shacl_graph=shapes_graph, inference="none", advanced=True,
                                    allow_warnings=True, meta_shacl=False, do_owl_imports=False)
    return report


SPARQL_CAUGHT = [FIXTURES / "negative" / f"{name}.ru" for name in ("two-chairs", "same-wikidata-item-twice",
                                                                 "quote-offsets-wrong", "statement-typo")]


def test_parsing_each_query_once_gives_the_same_report(config):
    """shapes.ParsedOnce must not change a single result: with mistakes that SHACL-SPARQL constraints catch,
    the report graph is isomorphic to the one pySHACL gives the ordinary way."""
    from rdflib.compare import isomorphic
    from kg.vocab import PREFIXES

    ontology = graph_of(parse_files(config.ontology_files))
    shapes_graph = pipeline.load_shapes(config.shapes_files)
    store = patched_store(config, SPARQL_CAUGHT[0], founding_quads())     # plain pySHACL is slow: the small base
    for patch in SPARQL_CAUGHT[1:]:
        store.update(patch.read_text(encoding="utf-8"), prefixes=dict(PREFIXES))
    data = graph_of(store)
    fast = shapes.validate(data, shapes_graph, ontology)
    assert {r.source_shape for r in fast.results} >= {"cs:SummitShape", "cs:ActorShape", "cs:QuoteShape", "cs:StatementShape"}
    assert isomorphic(fast.graph, _plain_pyshacl(data, shapes_graph, ontology))
