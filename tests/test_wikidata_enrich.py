"""`kg enrich` brings Wikidata's statements of the linked items into their own graph, valid under the shapes."""
from __future__ import annotations

import re

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, XSD

from conftest import ROOT
from kg.build import pipeline
from kg.build import shapes
from kg.cli import main
from kg.build.loading import parse_files
from rdflib.namespace import RDFS
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
    assert (kazakhstan, WDT.P31, WD["Q3624078"]) in g and (kazakhstan, WDT.P35, None) not in g   # dated only
    heads = {(g.value(st, WDPS.P35), g.value(st, WDPQ.P580), g.value(st, WDPQ.P582)) for st in g.objects(kazakhstan, WDP.P35)}
    assert heads == {(tokayev, Literal("2019-03-20", datatype=XSD.date), Literal("2019-06-12", datatype=XSD.date)),
                     (tokayev, Literal("2019-06-12", datatype=XSD.date), None)}
    assert str(g.value(WD["Q1520"], WDT.P625)) == "Point(71.4333 51.1333)"          # the capital, followed
    labels = {l.language for l in g.objects(WD["Q265"], URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert labels == {"tr", "en", "ru", "kk", "ky", "tg", "uz", "tk"}
    terms = {(g.value(st, WDPQ.P580), g.value(st, WDPQ.P582)) for st in g.objects(tokayev, WDP.P39)
             if g.value(st, WDPS.P39) == WD["Q5256775"]}
    assert terms == {(Literal("2019-03-20", datatype=XSD.date), Literal("2019-06-12", datatype=XSD.date)),
                     (Literal("2019-06-12", datatype=XSD.date), None)}


RECORDED = "https://w3id.org/casd/wikidata-recorded/"


def test_every_item_says_it_came_from_the_recorded_facts_and_their_sources(enriched):
    """Read from the stand-in, which declares its recorded facts: each item's record is ours and derived from the
    facts and from each public source of its facts; no revision, modification or retrieval time is made up."""
    _, g = enriched
    records_ = list(g.subjects(SCHEMA.about, None))
    capitals = {"Q1520", "Q269", "Q23438", "Q9361", "Q9365"}     # Astana, Tashkent, Ashgabat, Bishkek, Dushanbe
    linked = set(records.read_links(ROOT / "data" / records.LINKS_FILE).values())
    assert len(linked) == 19 and {str(g.value(r, SCHEMA.about))[len(str(WD)):] for r in records_} == linked | capitals
    assert len(records_) == 24              # the 19 linked items and the 5 capitals, one record each
    for record in records_:
        assert str(record).startswith("https://w3id.org/casd/wikidata-record/Q")
        derived = {str(o) for o in g.objects(record, PROV.wasDerivedFrom)}
        assert RECORDED + "facts" in derived and any(d.startswith(RECORDED + "source/") for d in derived), record
        assert not {SCHEMA.version, SCHEMA.dateModified, CASD.retrievedAt} & set(g.predicates(record, None))
    tokayev = {str(o) for o in g.objects(URIRef("https://w3id.org/casd/wikidata-record/Q200881"), PROV.wasDerivedFrom)}
    assert {RECORDED + "source/WP-TOKAYEV", RECORDED + "source/HABERLER"} <= tokayev
    assert "Kazakhstan.md" in str(g.value(URIRef(RECORDED + "source/SW-KZ"), URIRef(str(RDFS) + "comment")))
    for st in g.objects(WD["Q232"], WDP.P35):                       # each statement cites its own sources
        assert {str(o) for o in g.objects(st, PROV.wasDerivedFrom)} == {RECORDED + "source/SW-KZ",
                                                                       RECORDED + "source/WP-TOKAYEV"}


WIKIDATAS_OWN = re.compile(r"wds:|http://www\.wikidata\.org/entity/statement/|Special:EntityData|wdata:|"
                           r"schema:version|schema:dateModified|retrievedAt|standin")


def test_no_shipped_file_makes_up_wikidatas_identifiers_revisions_or_times():
    """The shipped files were made from recorded facts: nothing in them may look like Wikidata's own statement
    IRIs, data pages, revisions, modification or retrieval times (the header comment is not data, and says so)."""
    for name in (records.WIKIDATA_FILE, records.LINKS_FILE):
        body = (ROOT / "data" / name).read_text(encoding="utf-8").split("\n", 2)[2]
        assert not WIKIDATAS_OWN.findall(body), (name, sorted(set(WIKIDATAS_OWN.findall(body))))
        assert RECORDED + "facts" in body or "wikidata-recorded/facts" in body, name


def test_statement_nodes_are_our_own_skolem_iris(enriched):
    _, g = enriched
    nodes = {o for p in (WDP.P35, WDP.P39) for o in g.objects(None, p)}
    assert len(nodes) >= 15
    assert all(str(n).startswith("https://w3id.org/casd/.well-known/genid/wikidata/Q") for n in nodes), nodes


def test_against_wikidata_itself_the_real_revision_and_times_are_written(tmp_path):
    """A service that does not declare recorded facts is Wikidata: its revision (lastrevid), modification time and
    the retrieval time are written on the item's data page, as before; statement nodes stay our own."""
    wikidata_like = StandIn(impersonate=True).start()
    try:
        out = tmp_path / "w.trig"
        assert main(["enrich", *service_args(wikidata_like, tmp_path / "cache"), "--out", str(out)]) == 0
    finally:
        wikidata_like.stop()
    ds = Dataset()
    ds.parse(out, format="trig")
    g = ds.graph(GRAPH_WIKIDATA)
    page = URIRef("https://www.wikidata.org/wiki/Special:EntityData/Q232")
    assert g.value(page, SCHEMA.version) == Literal(1, datatype=XSD.integer)       # the lastrevid it answered
    assert str(g.value(page, SCHEMA.dateModified)).startswith("2026-11-30T00:00:00")
    assert g.value(page, CASD.retrievedAt) is not None
    assert not list(g.subjects(SCHEMA.about, None)) or all("wikidata-record" not in str(s) for s in g.subjects(SCHEMA.about, None))
    assert all(str(o).startswith("https://w3id.org/casd/.well-known/genid/") for o in g.objects(None, WDP.P35))
    assert "wikidata-recorded" not in out.read_text(encoding="utf-8")


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
