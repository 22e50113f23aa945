"""/search and its JSON (issue 15, "On the pages"): entities, quotes and source documents from the full-text index,
ranked, each linking to its page here, in process on the built graph. Every expectation is computed from the
graph (SPARQL) or the stored texts, with Turkish case rules written out here, not taken from the index."""
from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest

from kg.config import Config
from kg.query.fulltext import fold as folding
from kg.query.fulltext import index as fulltext
from kg.server import create_app, search
from kg.server.pages import attribution
from kg.store.embedded import EmbeddedStore, memory_store
from kg.vocab import BASE, ONTOLOGY_IRI, PREFIXES, RDFS

HEAD = "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in ("casd", "rdfs", "skos", "oa", "dcterms", "owl"))
NAMES = HEAD + f"""SELECT DISTINCT ?x ?l WHERE {{ ?x rdfs:label|skos:altLabel ?l
  FILTER (isIRI(?x) && STRSTARTS(STR(?x), "{BASE}") && !STRSTARTS(STR(?x), "{ONTOLOGY_IRI}")) }}"""
QUOTES = HEAD + """SELECT ?quote ?exact ?text WHERE { ?quote a casd:Quote ; oa:hasSource ?text ;
  oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ?exact ] }"""
TEXTS = HEAD + 'SELECT ?text ?id WHERE { ?text dcterms:identifier ?id FILTER STRSTARTS(?id, "data/sources/") }'
WORD = re.compile(r"\w+")
MARK = re.compile(r"<mark>([^<]*)</mark>")


@pytest.fixture(scope="module")
def store(built):
    return EmbeddedStore(built.store)


@pytest.fixture(scope="module")
def client(store):
    """The app on the built graph, its per-client throttle off (this module sends about a hundred requests)."""
    return create_app(Config(client_rate=float("inf")), store=store).test_client()


def lower(text: str) -> str:
    """Lower case by Turkish rules (I → ı, İ → i), then ı → i and no circumflexes: how the index matches."""
    return text.replace("I", "ı").replace("İ", "i").lower().replace("ı", "i").replace("â", "a").replace("î", "i") \
        .replace("û", "u")


def upper(text: str) -> str:
    """Upper case by Turkish rules."""
    return text.replace("i", "İ").replace("ı", "I").upper()


def found(client, q: str, **params: str) -> list[dict]:
    """The hits of one search, as JSON; the answer must be 200."""
    r = client.get("/search", query_string={"q": q, "format": "json", **params})
    assert r.status_code == 200, (q, r.status_code, r.get_data(as_text=True))
    return r.get_json()["hits"]


def rows(store, query: str) -> list[dict[str, str]]:
    """A SELECT's solutions (every variable bound), each value as text."""
    answer = store.query(query)
    variables = [v.value for v in answer.variables]
    return [{name: row[name].value for name in variables} for row in answer]


def names(store) -> list[tuple[str, str]]:
    """Every (IRI, label or alias) of the entities under the base."""
    return [(r["x"], r["l"]) for r in rows(store, NAMES)]


def rarest_word(texts: list[str], among: list[str], wanted) -> str:
    """Of the words of `among` that `wanted` accepts (4 letters or more, not a stop word), the one found in the
    fewest of `texts` (folded), the longest first on a tie."""
    counts = Counter(word for text in texts for word in set(WORD.findall(lower(text))))
    words = {w for text in among for w in WORD.findall(text) if len(w) >= 4 and wanted(w) and not w.isdigit()
             and lower(w) not in folding.STOP_WORDS}
    assert words, "no word of that kind in the graph"
    return min(sorted(words), key=lambda w: (counts[lower(w)], -len(w)))


@pytest.mark.parametrize("letter, typed", [("ı", upper), ("İ", lower), ("i", upper), ("I", str.lower)])
def test_dotted_and_dotless_i_both_ways(client, store, letter, typed):
    """A name with ı, İ, i or I, searched with that letter in the other case (Turkish rules; for I the default
    rule's i as a reader types it), finds the entity; str.lower would miss each."""
    every = names(store)
    word = rarest_word([l for _, l in every], [l for _, l in every], lambda w: letter in w)
    iris = {iri for iri, label in every if word in WORD.findall(label)}
    q = typed(word)
    assert q != word and letter not in q
    hits = found(client, q, kind="entity")
    assert iris & {h["iri"] for h in hits}, (word, q)


def test_an_apostrophe_form_finds_the_name_and_the_quote(client, store):
    """Kazakistan'ın (a name with a suffix after an apostrophe) finds the entity named Kazakistan; and a quote
    whose words hold such a form is found by the bare name."""
    every = names(store)
    single = {label: iri for iri, label in every if re.fullmatch(r"\w{5,}", label) and not label.isdigit()}
    quotes = rows(store, QUOTES)
    forms = [(m.group(1), q) for q in quotes for m in re.finditer(r"(\w{5,})['’]\w+", q["exact"])
             if m.group(1) in single]
    assert forms, "no quote holds a name of the graph with an apostrophe suffix"
    name, quote = min(forms, key=lambda f: (sum(lower(f[0]) in lower(q["exact"]) for q in quotes), f[0]))
    assert single[name] in {h["iri"] for h in found(client, f"{name}'ın", kind="entity")}
    hits = {h["iri"]: h for h in found(client, name, kind="quote")}
    assert quote["quote"] in hits, (name, quote["exact"])
    marks = [text for text, hit in hits[quote["quote"]]["marked"] if hit]
    assert any(lower(m).startswith(lower(name)) for m in marks), marks


def test_a_suffixed_form_finds_the_name(client, store):
    """Kazakistanda (the locative, no apostrophe) finds Kazakistan."""
    states = [(label, iri) for iri, label in names(store) if re.fullmatch(r"\w+istan", label)]
    assert states
    label, iri = sorted(states)[0]
    assert iri in {h["iri"] for h in found(client, label + "da", kind="entity")}
    assert iri in {h["iri"] for h in found(client, upper(label) + "'DA", kind="entity")}
    label, iri = next((label, iri) for label, iri in sorted(states) if "ı" in label)       # the README's example
    assert found(client, upper(label) + "'da")[0]["iri"] == iri                              # KIRGIZİSTAN'da


def test_three_spellings_find_one_person(client, store):
    """Zhaparov, Caparov and Japarov: the graph names one person each way (labels and aliases), and each
    spelling finds that person."""
    spellings = ("Zhaparov", "Caparov", "Japarov")
    people = {s: {iri for iri, label in names(store) if s in label and "/person/" in iri} for s in spellings}
    assert all(len(found_) == 1 for found_ in people.values()) and len(set().union(*people.values())) == 1, people
    (person,) = people["Caparov"]
    for spelling in spellings:
        assert person in {h["iri"] for h in found(client, spelling, kind="entity")}, spelling
        assert person in {h["iri"] for h in found(client, spelling.lower())}, spelling


def test_a_quote_is_marked_on_its_words_and_links_to_its_passage(client, store):
    quotes = rows(store, QUOTES)
    word = rarest_word([q["exact"] for q in quotes], [q["exact"] for q in quotes], str.isalpha)
    holders = [q for q in quotes if word in WORD.findall(q["exact"])]
    hits = {h["iri"]: h for h in found(client, word, kind="quote")}
    assert {q["quote"] for q in holders} <= set(hits), word
    quote = holders[0]
    hit = hits[quote["quote"]]
    assert hit["kind"] == "quote" and hit["label"] == quote["exact"] and hit["type"] is None
    marks = [text for text, matched in hit["marked"] if matched]
    assert marks and all(lower(m)[:4] == lower(word)[:4] for m in marks), (word, marks)
    assert any(lower(m) == lower(word) for m in marks)
    page = urlsplit(hit["page"])
    assert page.path == "/page/" + quote["text"][len(BASE):] and page.fragment == quote["quote"].rsplit("/", 1)[-1]
    source = client.get(page.path).get_data(as_text=True)
    assert f'id="{page.fragment}"' in source                    # the passage's mark on the source page
    html = client.get("/search", query_string={"q": word, "kind": "quote"}).get_data(as_text=True)
    assert f'href="{hit["page"]}"' in html
    assert any(lower(m) == lower(word) for m in MARK.findall(html))


def test_a_source_document_is_found_by_a_word_of_its_text(client, store):
    texts = {r["text"]: (attribution.text_path(Config().root, r["id"]) or "").read_text(encoding="utf-8")
             for r in rows(store, TEXTS)}
    assert len(texts) > 1
    labels = [label for _, label in names(store)] + [q["exact"] for q in rows(store, QUOTES)]
    named = {w for text in labels for w in WORD.findall(lower(text))}
    word = rarest_word(list(texts.values()), list(texts.values()),
                       lambda w: w.isalpha() and len(w) >= 7 and lower(w) not in named)
    holders = {iri for iri, text in texts.items() if lower(word) in WORD.findall(lower(text))}
    hits = found(client, word, kind="source")
    assert holders and holders <= {h["iri"] for h in hits} | {_text_of(client, h) for h in hits}, word
    hit = next(h for h in hits if holders & {h["iri"], _text_of(client, h)})
    assert hit["kind"] == "source" and urlsplit(hit["page"]).path.startswith("/page/document/")
    assert urlsplit(hit["page"]).path.endswith("-text") and client.get(urlsplit(hit["page"]).path).status_code == 200
    assert any(matched and lower(text) == lower(word) for text, matched in hit["marked"])


def _text_of(client, hit: dict) -> str:
    """The text IRI a source hit's page shows."""
    return BASE + urlsplit(hit["page"]).path[len("/page/"):]


def test_only_stop_words_is_refused_with_the_reason(client):
    q = " ".join(sorted(folding.STOP_WORDS)[:3])
    r = client.get("/search", query_string={"q": q, "format": "json"})
    assert r.status_code == 400 and r.mimetype == "text/plain" and len(r.get_data(as_text=True).strip()) > 10
    reason = r.get_data(as_text=True).strip()
    page = client.get("/search", query_string={"q": q}, headers={"Accept": "text/html", "Accept-Language": "en"})
    assert page.status_code == 400 and page.mimetype == "text/html" and "Content-Security-Policy" in page.headers
    text = page.get_data(as_text=True)
    assert 'role="alert"' in text and _escaped(reason) in text and 'id="q"' in text
    for accept in ("*/*", "text/plain", None):               # curl and other clients that name no page
        r = client.get("/search", query_string={"q": q}, headers={"Accept": accept} if accept else {})
        assert r.status_code == 400 and r.mimetype == "text/plain", accept


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;") \
        .replace("'", "&#39;")


@pytest.mark.parametrize("q", ["", "   ", "x" * (search.MAX_QUERY_CHARS + 1)])
def test_empty_and_too_long_are_refused(client, q):
    r = client.get("/search", query_string={"q": q, "format": "json"})
    assert r.status_code == 400 and r.mimetype == "text/plain" and r.data.strip()
    assert client.get("/search", query_string={"q": q}, headers={"Accept": "text/html"}).status_code == 400
    assert client.get("/search").status_code == 400


def test_quotes_in_the_query(client, store):
    """A phrase in double quotes finds its entity; an unbalanced quote or markup is searched for, not obeyed."""
    person = next(iri for iri, label in names(store) if "Caparov" in label)
    label = next(label for iri, label in names(store) if iri == person and "Caparov" in label)
    assert person in {h["iri"] for h in found(client, f'"{label}"', kind="entity")}
    assert person in {h["iri"] for h in found(client, f'{label} "', kind="entity")}
    for q in ('"', "'\"", 'Caparov" OR "x', "<b>Caparov</b> NEAR(a b)", "zirve*", "\"'"):
        r = client.get("/search", query_string={"q": q, "format": "json"})
        assert r.status_code in (200, 400), (q, r.status_code)
        page = client.get("/search", query_string={"q": q}, headers={"Accept": "text/html"})
        assert page.status_code == r.status_code and "<b>" not in page.get_data(as_text=True)
        assert _escaped(q) in page.get_data(as_text=True)


def test_json_shape_and_ranking(client, store):
    q = "Orta Asya"
    by_accept = client.get("/search", query_string={"q": q}, headers={"Accept": "application/json"})
    by_format = client.get("/search", query_string={"q": q, "format": "json"})
    assert by_accept.mimetype == by_format.mimetype == "application/json" and "Accept" in by_accept.headers["Vary"]
    body = by_accept.get_json()
    assert body == by_format.get_json() and set(body) == {"q", "hits", "more"} and body["q"] == q
    hits = body["hits"]
    assert len(hits) == search.PAGE_SIZE and body["more"] is True
    assert {h["kind"] for h in hits} <= set(search.KINDS)
    for hit in hits:
        assert set(hit) == {"iri", "kind", "label", "lang", "score", "type", "snippet", "marked", "page"}
        assert hit["snippet"] == "".join(text for text, _ in hit["marked"]) and any(m for _, m in hit["marked"])
        assert (hit["type"] is not None) == (hit["kind"] == "entity")
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    entity = next(h for h in hits if h["kind"] == "entity")
    assert entity["type"].startswith("casd:") and urlsplit(entity["page"]).path == "/page/" + entity["iri"][len(BASE):]


def test_only_our_iris_each_with_its_page_here(client, store):
    """A Wikidata item the graph labels (owl:sameAs, kg enrich) has no page here: its name finds our entity."""
    items = rows(store, HEAD + """SELECT ?x ?l ?ours WHERE { ?ours owl:sameAs ?x ; rdfs:label ?l . ?x rdfs:label ?l
        FILTER (STRSTARTS(STR(?x), "http://www.wikidata.org/")) } ORDER BY ?l LIMIT 1""")
    assert items, "the graph labels no Wikidata item with one of its own entities' names"
    hits = found(client, items[0]["l"])
    assert items[0]["ours"] in {h["iri"] for h in hits} and items[0]["x"] not in {h["iri"] for h in hits}
    for hit in hits + found(client, "Orta Asya", page="2"):
        assert hit["iri"].startswith(BASE) and urlsplit(hit["page"]).netloc == "localhost", hit


def test_pages_kinds_and_bad_parameters(client):
    q = "Orta Asya"
    first, second = (client.get("/search", query_string={"q": q, "format": "json", "page": n}).get_json()
                     for n in (1, 2))
    assert not {h["iri"] for h in first["hits"]} & {h["iri"] for h in second["hits"]}
    assert [h["iri"] for h in first["hits"] + second["hits"]] == \
        [h["iri"] for h in found(client, q)] + [h["iri"] for h in second["hits"]]
    html = client.get("/search", query_string={"q": q, "page": 2}, headers={"Accept-Language": "en"})
    assert 'rel="prev"' in html.get_data(as_text=True)
    for kind in search.KINDS:
        assert {h["kind"] for h in found(client, q, kind=kind)} == {kind}
    for bad in ({"kind": "person"}, {"page": "0"}, {"page": "x"}, {"page": str(search.MAX_PAGES + 1)},
                {"page": "²"}, {"page": "١"}, {"page": "9" * 5000}, {"page": "-1"},
                {"format": "xml"}):
        r = client.get("/search", query_string={"q": q, **bad})
        assert r.status_code == 400 and r.mimetype == "text/plain", bad


def test_the_page_groups_by_kind_in_both_languages(client):
    q = "Orta Asya"
    for lang, heading in (("en", "Quotes"), ("tr", "Alıntılar")):
        r = client.get("/search", query_string={"q": q}, headers={"Accept-Language": lang})
        html = r.get_data(as_text=True)
        assert r.headers["Content-Language"] == lang and f'<html lang="{lang}">' in html
        assert "Content-Security-Policy" in r.headers and "<script" not in html
        assert {"Accept", "Accept-Language"} <= {v.strip() for v in ",".join(r.headers.getlist("Vary")).split(",")}
        kinds = {k for k in search.KINDS if f'id="kind-{k}"' in html}
        assert kinds == {h["kind"] for h in found(client, q)} and f">{heading}</h2>" in html


def test_a_timeout_is_503(client, monkeypatch):
    class Slow:
        def search(self, *args, **kwargs):
            raise fulltext.SearchTimeout("past the deadline")

    monkeypatch.setattr(search.fulltext, "index_for", lambda store, root: Slow())
    r = client.get("/search", query_string={"q": "zirve"}, headers={"Accept": "text/html"})
    assert r.status_code == 503 and r.mimetype == "text/plain"


def test_a_write_is_found():
    store = EmbeddedStore(memory_store([]))
    client = create_app(Config(empty=True), store=store).test_client()
    assert found(client, "Aşkabat") == []
    store.update(f'INSERT DATA {{ GRAPH <{BASE}graph/t> {{ <{BASE}place/ashgabat> <{RDFS.label}> "Aşkabat"@tr }} }}')
    assert [h["iri"] for h in found(client, "AŞKABAT")] == [f"{BASE}place/ashgabat"]


def test_the_home_pages_box_searches_everything(client):
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<form class="search" action="/search" method="get" role="search">' in html
    box = re.search(r'<input id="q" name="q" type="search" maxlength="(\d+)"', html)
    assert box and int(box.group(1)) == search.MAX_QUERY_CHARS == fulltext.MAX_QUERY_CHARS
