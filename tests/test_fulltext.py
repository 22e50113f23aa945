"""The Turkish-aware full-text index (kg.query.fulltext, issue 15): folding, each matching case of the issue on the
built graph (expectations read from the data), the query syntax that must not reach FTS5, ranking, snippets,
deadlines, and the index kept per data version."""
from __future__ import annotations

import sqlite3
import time

import pyoxigraph as ox
import pytest

from conftest import ROOT
from kg.query.fulltext import index as fulltext_index
from kg.query.fulltext.collect import Entry
from kg.query.fulltext.fold import STOP_WORDS, fold, kept_words, stem, word_spans, words
from kg.query.fulltext.index import (MAX_HITS, MAX_QUERY_CHARS, Index, SearchRefused, SearchTimeout, build,
                                     index_for)
from kg.store.embedded import EmbeddedStore
from kg.vocab import RDFS, SKOS

R = "https://w3id.org/casd/"
SOURCES = ROOT / "data" / "sources"


@pytest.fixture(scope="module")
def index(built) -> Index:
    """The index of the built graph, made once for the module."""
    return build(EmbeddedStore(built.store), SOURCES)


def labelled(built, literal: str) -> set[str]:
    """The IRIs that carry this exact label or alias (in any language), read from the graph."""
    text = f"""SELECT DISTINCT ?s WHERE {{ ?s <{RDFS.label}>|<{SKOS.altLabel}> ?l FILTER(STR(?l) = "{literal}") }}"""
    return {s["s"].value for s in built.store.query(text, use_default_graph_as_union=True)}


def quotes_with(built, needle: str) -> set[str]:
    """The quotes whose exact words contain this text as it is written (case and all), read from the graph."""
    text = f"""SELECT DISTINCT ?q WHERE {{ ?q a <{R}ontology#Quote> ; <http://www.w3.org/ns/oa#hasSelector> ?s .
               ?s <http://www.w3.org/ns/oa#exact> ?e FILTER(CONTAINS(?e, "{needle}")) }}"""
    return {s["q"].value for s in built.store.query(text, use_default_graph_as_union=True)}


def found(index: Index, q: str, kinds: frozenset[str] | None = None) -> set[str]:
    return {hit.iri for hit in index.search(q, kinds=kinds)}


def small(*labels: str) -> Index:
    """An index of a few labels, one entity each (e0, e1, …), for spellings the data does not hold."""
    return Index(Entry(f"e{i}", "entity", label, "tr", label) for i, label in enumerate(labels))


# ------------------------------------------------------------------------------------------------ folding

def test_folding_turkish_i_both_ways_circumflexes_and_apostrophes():
    assert {fold(w) for w in ("İmamali", "imamali", "IMAMALI", "ımamali")} == {"imamali"}
    assert fold("Kırgızistan") == fold("KIRGIZISTAN") == "kirgizistan"
    assert fold("ığdır") == fold("IĞDIR") and fold("ışık") == fold("Işık") and fold("irak") == fold("ırak")
    assert fold("hâlâ") == "hala" and fold("ÇŞĞÖÜ") == "csgou"
    assert fold("I\u0307mamali") == "imamali"               # İ arriving decomposed (I + combining dot)
    assert words("Kazakistan'ın, Kazakistan’da; Kazakistanʼa") == ["kazakistan", "in", "kazakistan", "da",
                                                                    "kazakistan", "a"]
    assert stem("Kazakistanda") == stem("kazakistanda") and stem("KAZAKİSTANDA") == stem("kazakistanda")
    # the stemmer needs the Turkish lower case (vowel harmony): "KIRGIZLARI" lowered the English way keeps "lar"
    assert stem("KIRGIZLARI") == stem("kırgızları") == "kirgiz" and stem("IŞIKLARI") == "isik"
    assert all(fold(w) == w for w in STOP_WORDS)


def test_the_index_and_the_snippets_keep_the_same_words():
    # kept_words (the index's and the query's) and word_spans (the snippets') must agree, on every source text
    texts = [p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt"))]
    texts.append("Kazakistan'ın O‘zbekiston'da Taşkent’teki 'alıntı' Kazakistanʼa x'y")
    for text in texts:
        assert kept_words(text) == [text[a:b] for a, b in word_spans(text)]
    assert kept_words("Taşkent'te O‘zbekiston") == ["Taşkent", "O", "zbekiston"]


def test_sqlite_unicode61_alone_gets_these_wrong():
    # the reason for folding: unicode61 lower-cases I to i, so "ığdır" and "IĞDIR" do not meet
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO t VALUES (?)", [("ığdır",), ("ışık",), ("ırak",)])
    assert [db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (f'"{q}"',)).fetchone()[0]
            for q in ("IĞDIR", "IŞIK", "IRAK")] == [0, 0, 0]
    ours = small("ığdır", "ışık", "ırak", "İmamali")
    for q, iri in (("IĞDIR", "e0"), ("Işık", "e1"), ("IRAK", "e2"), ("irak", "e2"), ("İMAMALİ", "e3"),
                   ("ımamali", "e3")):
        assert found(ours, q) == {iri}, q


# ------------------------------------------------------------------------------------------------ the cases

def test_dotted_and_dotless_i_in_both_directions(built, index):
    rahmon = labelled(built, "İmamali Rahman")
    assert R + "person/emomali-rahmon" in rahmon
    for q in ("İmamali", "imamali", "IMAMALI", "ımamali", "imamali rahman", "İMAMALİ RAHMAN"):
        assert rahmon <= found(index, q, frozenset({"entity"})), q
    kyrgyzstan = labelled(built, "Kırgızistan")
    assert R + "state/kyrgyzstan" in kyrgyzstan
    for q in ("Kırgızistan", "KIRGIZISTAN", "kirgizistan", "KİRGİZİSTAN"):
        assert kyrgyzstan <= found(index, q), q


def test_circumflexes(built, index):
    ours = small("hâlâ", "hala")
    assert found(ours, "hala") == found(ours, "HÂLÂ") == {"e0", "e1"}
    # a document's label spells "gayriresmî": the plain spelling and the upper case find it
    text = f"""SELECT DISTINCT ?s WHERE {{ ?s <{RDFS.label}> ?l FILTER(CONTAINS(?l, "gayriresmî")) }}"""
    spelled = {s["s"].value for s in built.store.query(text, use_default_graph_as_union=True)}
    assert spelled
    for q in ("gayriresmi", "GAYRİRESMÎ", "gayrıresmi"):
        assert spelled <= found(index, q, frozenset({"entity"})), q


def test_apostrophes(built, index):
    kazakhstan = labelled(built, "Kazakistan")
    assert R + "state/kazakhstan" in kazakhstan
    for q in ("Kazakistan'ın", "Kazakistan’da", "Kazakistanʼa", "Kazakistan'ndaki"):
        assert kazakhstan <= found(index, q), q
    tashkent = labelled(built, "Taşkent")             # a suffix that is no stop word ("te") is no word either
    assert tashkent and tashkent <= found(index, "Taşkent'te") and tashkent <= found(index, "TAŞKENT’TEKİ")
    written = quotes_with(built, "Kazakistan'")        # quotes that write the suffix after an apostrophe
    assert written and written <= found(index, "Kazakistan", frozenset({"quote"}))


def test_suffixes_meet_the_bare_word(built, index):
    kyrgyzstan = labelled(built, "Kırgızistan")
    for q in ("Kırgızistanda", "Kırgızistan'da", "kirgizistandaki"):
        assert kyrgyzstan <= found(index, q), q
    suffixed = quotes_with(built, "Kırgızistanda")     # the bare word finds the suffixed one
    assert suffixed and suffixed <= found(index, "Kırgızistan", frozenset({"quote"}))
    summits = labelled(built, "Zirve")
    assert summits and summits <= found(index, "zirve*") and summits <= found(index, "zirvede")


def test_transliterated_names_through_the_aliases(built, index):
    japarov = R + "person/sadyr-japarov"
    for alias in ("Sadır Caparov", "Sadyr Japarov", "Sadyr Zhaparov"):
        assert japarov in labelled(built, alias), alias
    for q in ("Caparov", "Japarov", "Zhaparov", "sadyr zhaparov"):
        assert japarov in found(index, q, frozenset({"entity"})), q
    zh = {p.name for p in SOURCES.glob("*.txt") if "Zhaparov" in p.read_text(encoding="utf-8")}
    assert zh == {"newscentralasia-2023-09-15.txt", "trend-2025-11-16.txt"}


def test_a_query_of_stop_words_only_is_refused_with_a_message():
    ours = small("ve")
    for q in ("ve ile", "the and of", "Ve İLE de"):
        with pytest.raises(SearchRefused, match="too common.*more specific"):
            ours.search(q)
    with pytest.raises(SearchRefused, match="empty"):
        ours.search("   ")
    with pytest.raises(SearchRefused, match=f"at most {MAX_QUERY_CHARS}"):
        ours.search("a" * (MAX_QUERY_CHARS + 1))
    assert found(small("Orta Asya ve Türkiye"), "ve türkiye") == {"e0"}     # a stop word beside others is dropped


def test_quotes_in_the_query_string(built, index):
    central_asia = labelled(built, "Orta Asya")
    assert central_asia <= found(index, '"orta asya"')
    ours = small("Orta Asya", "Asya orta")
    assert found(ours, '"orta asya"') == {"e0"} and found(ours, "orta asya") == {"e0", "e1"}
    assert found(ours, '“orta asya”') == {"e0"}
    assert found(ours, 'orta "asya') == {"e0", "e1"}           # an unbalanced quote is a stray


@pytest.mark.parametrize("q", ['"', "*", "NEAR(", "NEAR(a b)", "a OR b", "col:x", "folded:orta", "^", '"orta',
                               'orta"', '"""', "orta AND", "(orta", "orta)", "-orta", "orta + asya", "{folded}:x",
                               "'", "rowid=1", "x' OR 1=1 --"])
def test_no_fts5_syntax_reaches_sqlite(index, q):
    try:
        hits = index.search(q)
    except SearchRefused:
        return
    assert isinstance(hits, list)


# ------------------------------------------------------------------------------------------------ ranking, hits

def test_exact_labels_rank_first_and_one_hit_per_iri(built, index):
    hits = index.search("Kazakistan")
    assert {h.iri for h in hits[:len(labelled(built, "Kazakistan"))]} == labelled(built, "Kazakistan")
    assert len({h.iri for h in hits}) == len(hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_a_capped_ranking_keeps_exact_labels_first_and_every_kind(built, index, monkeypatch):
    monkeypatch.setattr(fulltext_index, "MAX_RANKED", 2)      # as for a word that matches thousands of texts
    exact = labelled(built, "Kırgızistan")
    assert {h.iri for h in index.search("Kırgızistan", limit=len(exact))} == exact
    for kind in ("entity", "source", "quote"):
        assert len(index.search("Kırgızistan", limit=2, kinds=frozenset({kind}))) == 2, kind


def test_kinds_limit_and_snippets(index):
    hits = index.search("Kırgızistan", limit=5)
    assert len(hits) == 5 and len(index.search("Kırgızistan", limit=MAX_HITS + 10)) <= MAX_HITS
    for kind in ("entity", "quote", "source"):
        some = index.search("Kırgızistan", kinds=frozenset({kind}))
        assert some and {h.kind for h in some} == {kind}, kind
        for hit in some:
            marked = [text for text, hit_word in hit.snippet if hit_word]
            assert marked and all(fold(t).startswith("kirgiz") for t in marked), hit
    quote = index.search("Kırgızistan", kinds=frozenset({"quote"}))[0]
    assert quote.label in "".join(text for text, _ in quote.snippet)


def test_a_search_past_its_deadline_is_interrupted(index):
    with pytest.raises(SearchTimeout):
        index.search("kirgizistan", deadline=time.monotonic() - 1)
    assert index.search("kirgizistan", deadline=time.monotonic() + 60)
    assert found(small("k", "kale"), "k*") == {"e0"}          # one letter is a word, not a prefix of every word
    assert [marked for _, marked in small("k kale").search("k")[0].snippet] == [True, False]


def test_the_index_follows_the_store_version(tmp_path):
    store = EmbeddedStore(ox.Store())
    assert index_for(store, tmp_path).search("Bişkek") == []
    assert index_for(store, tmp_path) is index_for(store, tmp_path)
    store.update(f'INSERT DATA {{ <{R}place/bishkek> <{RDFS.label}> "Bişkek"@tr }}')
    assert [h.iri for h in index_for(store, tmp_path).search("BİŞKEK")] == [R + "place/bishkek"]


def test_source_texts_are_read_only_under_the_sources_folder(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.txt").write_text("Kırgızistan'da bir toplantı", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("Kırgızistan gizli", encoding="utf-8")
    store = EmbeddedStore(ox.Store())
    ident = "http://purl.org/dc/terms/identifier"
    store.update(f'''INSERT DATA {{ <{R}document/a> <{ident}> "data/sources/a.txt" ; <{RDFS.label}> "A"@en .
        <{R}document/b> <{ident}> "data/sources/../secret.txt" . <{R}document/c> <{ident}> "data/sources/none.txt" }}''')
    hits = index_for(store, tmp_path / "sources").search("kirgizistan")
    assert [(h.iri, h.kind, h.label) for h in hits] == [(R + "document/a", "source", "A")]
    assert [text for text, marked in hits[0].snippet if marked] == ["Kırgızistan"]


class Unversioned:
    """A store whose data can change without our knowing (as a remote one): no version."""

    version = None

    def __init__(self, inner: EmbeddedStore):
        self.inner = inner

    def query(self, text: str, **kwargs):
        return self.inner.query(text, **kwargs)


def test_a_store_without_version_is_indexed_again_after_remote_seconds(tmp_path, monkeypatch):
    inner = EmbeddedStore(ox.Store())
    store = Unversioned(inner)
    first = index_for(store, tmp_path)
    inner.update(f'INSERT DATA {{ <{R}place/osh> <{RDFS.label}> "Oş"@tr }}')
    assert index_for(store, tmp_path) is first and first.search("oş") == []     # within REMOTE_SECONDS: kept
    monkeypatch.setattr(fulltext_index, "REMOTE_SECONDS", 0.0)
    assert [h.iri for h in index_for(store, tmp_path).search("OŞ")] == [R + "place/osh"]
