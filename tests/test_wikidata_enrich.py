"""`kg enrich` brings Wikidata's statements of the linked items into their own graph, valid under the shapes."""
from __future__ import annotations

import re

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD

from conftest import ROOT
from kg.build import pipeline
from kg.build import shapes
from kg.cli import main
from kg.build.loading import parse_files
from kg.vocab import CASD, GRAPH_WIKIDATA, SCHEMA, WD, WDP, WDPQ, WDPS, WDT
from kg.rdfconv import graph_of
from kg.link import records
from wikidata_standin import Recorded, StandIn

SHIPPED = ROOT / "data" / records.WIKIDATA_FILE


def service_args(server, cache) -> list[str]:
    return ["--api", server.api_url, "--cache", str(cache)]


@pytest.fixture(scope="module")
def enriched(wikidata, tmp_path_factory):
    out = tmp_path_factory.mktemp("enrich") / "wikidata.trig"
    assert main(["enrich", *service_args(wikidata, out.parent / "cache"), "--out", str(out)]) == 0
    ds = Dataset()
    ds.parse(out, format="trig")
    return out, ds.graph(GRAPH_WIKIDATA)


def _without_retrieval_times(text: str) -> str:
    return re.sub(r'casd:retrievedAt "[^"]+"', 'casd:retrievedAt "…"', text.split("\n", 2)[2])


def test_enrich_reproduces_the_shipped_graph(enriched):
    out, _ = enriched
    assert _without_retrieval_times(out.read_text()) == _without_retrieval_times(SHIPPED.read_text())


def test_the_selected_statements_are_there_in_the_ontologys_terms(enriched):
    _, g = enriched
    tokayev, kazakhstan = WD["Q200881"], WD["Q232"]
    assert (tokayev, SCHEMA.birthDate, Literal("1953-05-17", datatype=XSD.date)) in g
    assert (kazakhstan, CASD.capital, WD["Q1520"]) in g
    assert (kazakhstan, WDT.P35, tokayev) in g and (kazakhstan, WDT.P31, WD["Q3624078"]) in g
    assert str(g.value(WD["Q1520"], WDT.P625)) == "Point(71.4333 51.1333)"          # the capital, followed
    labels = {l.language for l in g.objects(WD["Q265"], URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert labels == {"tr", "en", "ru", "kk", "ky", "tg", "uz", "tk"}
    terms = {(g.value(st, WDPQ.P580), g.value(st, WDPQ.P582)) for st in g.objects(tokayev, WDP.P39)
             if g.value(st, WDPS.P39) == WD["Q5256775"]}
    assert terms == {(Literal("2019-03-20", datatype=XSD.date), Literal("2019-06-12", datatype=XSD.date)),
                     (Literal("2019-06-12", datatype=XSD.date), None)}


def test_every_item_records_its_revision_and_retrieval(enriched):
    _, g = enriched
    pages = list(g.subjects(SCHEMA.about, None))
    assert len(pages) == 22              # the 17 linked items and their 5 capitals
    for page in pages:
        assert g.value(page, SCHEMA.version) is not None and g.value(page, CASD.retrievedAt) is not None


def test_the_enriched_graph_passes_the_shapes(enriched, config):
    out, _ = enriched
    data = graph_of(parse_files([*(p for p in config.data_files if p != SHIPPED), out]))
    report = shapes.validate(data, pipeline.load_shapes(config.shapes_files), graph_of(parse_files(config.ontology_files)))
    assert report.violation_count == 0, shapes.format_text(report)


def test_a_link_that_no_longer_resolves_is_reported_not_enriched(tmp_path, capsys):
    changed = StandIn(Recorded()).start()
    try:
        changed.redirect("Q57808", "Q57366")
        code = main(["enrich", *service_args(changed, tmp_path / "cache"), "--out", str(tmp_path / "w.trig")])
    finally:
        changed.stop()
    assert code == 1
    assert "person:shavkat-mirziyoyev → Q57808: the item redirects to Q57366" in capsys.readouterr().out
    assert "wdata:Q57808 " not in (tmp_path / "w.trig").read_text()     # no statements of its own
