"""Every quote in the data stands in the source text at its offsets; damaged passages are noted."""
from __future__ import annotations

import shutil

import pytest
from rdflib import Dataset, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from conftest import NO_SHARED, ROOT
from kg.build import provenance
from kg.config import Config
from kg.errors import ProvenanceError
from kg.rdfconv import graph_of
from kg.build import pipeline

OA = Namespace("http://www.w3.org/ns/oa#")
CASD = Namespace("https://w3id.org/casd/ontology#")
DOC_GRAPH = URIRef("https://w3id.org/casd/graph/avim-blog-50")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    ds = Dataset()
    ds.parse(ROOT / "data" / "avim-blog-50.trig", format="trig")
    return ds


def _quotes(ds: Dataset):
    g = ds.graph(DOC_GRAPH)
    for quote in g.subjects(RDF.type, CASD.Quote):
        sels = {g.value(s, RDF.type): s for s in g.objects(quote, OA.hasSelector)}
        tq, tp = sels[OA.TextQuoteSelector], sels[OA.TextPositionSelector]
        source_file = g.value(g.value(quote, OA.hasSource), DCTERMS.identifier)
        yield quote, str(source_file), str(g.value(tq, OA.exact)), int(g.value(tp, OA.start)), int(g.value(tp, OA.end)), \
            str(g.value(tq, OA.prefix)), str(g.value(tq, OA.suffix))


def test_source_text_is_the_corpus_copy():
    shipped = ROOT / "data" / "sources" / "avim-blog-50.txt"
    corpus = ROOT.parent / "shared" / "corpus" / "avim-blog-50.txt"
    if not corpus.exists():
        pytest.skip(NO_SHARED)
    assert shipped.read_bytes() == corpus.read_bytes()


def test_every_quote_matches_the_text_at_its_offsets(dataset):
    quotes = list(_quotes(dataset))
    assert len(quotes) >= 25
    for quote, source_file, exact, start, end, prefix, suffix in quotes:
        text = (ROOT / source_file).read_text(encoding="utf-8")
        assert text[start:end] == exact, quote
        assert text[:start].endswith(prefix) and text[end:].startswith(suffix), quote


def test_every_statement_names_an_existing_quote_and_every_participation_fact_has_one(dataset):
    """One provenance pattern: a participation's facts are quoted by statements, like every other fact."""
    g = dataset.graph(DOC_GRAPH)
    quotes = set(g.subjects(RDF.type, CASD.Quote))
    PROV = Namespace("http://www.w3.org/ns/prov#")
    statements = list(g.subjects(RDF.type, RDF.Statement))
    assert len(statements) > 100
    for node in statements:
        assert set(g.objects(node, PROV.wasDerivedFrom)) & quotes, node
    described = {(g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)) for st in statements}
    participations = set(g.subjects(RDF.type, CASD.Participation))
    assert len(participations) == 6
    for node in participations:
        assert not set(g.objects(node, PROV.wasDerivedFrom))      # no second pattern beside the statements
        facts = [(node, p, o) for p, o in g.predicate_objects(node) if p != RDF.type]
        assert len(facts) == 5 and all(fact in described for fact in facts), node


@pytest.mark.parametrize("words", [
    "Cumhurbaşkanı Sadır",                      # Kyrgyzstan and Japarov lost
    "Cumhurbaşkanı İmamali Rahman",             # Tajikistan lost
    "Özbekistan Cumhurbaşkanı \nŞavkat",       # Mirziyoyev lost
    "6 Ağustos 2021 tarihinde Türkmenistan gerçekleşmiştir",  # locative suffix lost
    "mücadele",                                 # object of the combat lost
])
def test_damaged_passages_carry_a_note(dataset, words):
    g = dataset.graph(DOC_GRAPH)
    damaged = [exact for quote, _, exact, *_ in _quotes(dataset) if g.value(quote, CASD.textDamage) is not None]
    assert any(words in exact for exact in damaged), words


def test_build_refuses_data_whose_text_changed(tmp_path):
    for part in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / part, tmp_path / part)
    text_file = tmp_path / "data" / "sources" / "avim-blog-50.txt"
    text_file.write_text(text_file.read_text(encoding="utf-8").replace("Bir elin", "Bir  elin"), encoding="utf-8")
    _, data = pipeline.load_sources(Config(root=tmp_path))
    with pytest.raises(ProvenanceError, match="do not match"):
        provenance.check_quotes(graph_of(data), tmp_path)
