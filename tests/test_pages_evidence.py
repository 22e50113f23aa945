"""Entity pages with their evidence and source-document pages (issue 14 §2 and §3). Every expectation is computed
from the built graph (or the text files): the quotes behind each fact in their context with the mark around the
exact words, the curator's readings and damaged text, a meeting's participants and neighbours, a person's meetings
and offices, and a source text rendered whole with each quote marked at its offsets and linked to its facts."""
from __future__ import annotations

from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
from markupsafe import escape

from kg.config import Config
from kg.server import create_app
from kg.server.pages import attribution, highlight, views
from kg.store.embedded import EmbeddedStore, query
from kg.vocab import BASE

ROOT = Path(__file__).resolve().parents[1]
SUMMIT = "summit/2021-turkmenistan"
# One test client sends every page: it has a rate of its own (pages are behind the per-client throttle).
UNTHROTTLED = {"client_rate": 1e6, "client_burst": 10**6}
VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "area", "base", "col", "embed", "source", "track"}


@pytest.fixture(scope="module")
def store(built):
    return built.store


@pytest.fixture(scope="module")
def client(store):
    return create_app(Config(executors=0, **UNTHROTTLED), store=EmbeddedStore(store)).test_client()


def select(store, text: str) -> list[dict[str, str]]:
    """A SELECT's distinct solutions, each as {variable: lexical form}."""
    result = query(store, text)
    names = [v.value for v in result.variables]
    out: list[dict[str, str]] = []
    for row in result:
        found = {n: row[n].value for n in names if row[n] is not None}
        if found not in out:
            out.append(found)
    return out


def local(iri: str) -> str:
    return iri[len(BASE):]


def page(client, path: str, lang: str = "en") -> str:
    r = client.get(path, headers={"Accept-Language": lang})
    assert r.status_code == 200, (path, r.status_code)
    return r.get_data(as_text=True)


class Checked(HTMLParser):
    """Checks that every element is closed in order, and records the marks' text by quote, ids, links and headings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.problems: list[str] = []
        self.marked: dict[str, str] = {}           # quote name → the text inside its marks
        self.ids: dict[str, str] = {}              # id → element
        self.hrefs: list[str] = []
        self.headings: list[int] = []
        self.text_div: list[str] | None = None
        self.div_text: str = ""
        self.html_lang: str | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "html":
            self.html_lang = found.get("lang")
        if "id" in found:
            assert found["id"] not in self.ids, f"id {found['id']} twice"
            self.ids[str(found["id"])] = tag
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))
        if tag in ("h1", "h2", "h3", "h4"):
            self.headings.append(int(tag[1]))
        if tag not in VOID:
            self.stack.append((tag, found))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        for tag, found in self.stack:
            if tag == "mark" and found.get("data-quote"):
                name = str(found["data-quote"])
                self.marked[name] = self.marked.get(name, "") + data
        if any(tag == "div" and found.get("class") == "text" for tag, found in self.stack):
            self.div_text += data


def checked(html: str) -> Checked:
    parser = Checked()
    parser.feed(html)
    parser.close()
    assert not parser.problems and not parser.stack, (parser.problems[:3], parser.stack[-3:])
    assert parser.html_lang in ("en", "tr")
    assert parser.headings.count(1) == 1 and parser.headings[0] == 1
    assert all(b <= a + 1 for a, b in zip(parser.headings, parser.headings[1:])), parser.headings   # none skipped
    assert "<main>" in html and "<nav " in html
    return parser


def in_context(prefix: str, exact: str, suffix: str) -> str:
    """A quote as the entity page shows it: escaped, the mark around exactly the quoted words."""
    return f"{escape(prefix)}<mark>{escape(exact)}</mark>{escape(suffix)}"


QUOTES_OF = """SELECT ?st ?p ?o ?q ?exact ?prefix ?suffix ?text WHERE {{
  ?st rdf:subject <{iri}> ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?q .
  FILTER NOT EXISTS {{ ?st a casd:ConflictingClaim }}
  ?q oa:hasSource ?text ; oa:hasSelector ?s . ?s a oa:TextQuoteSelector ; oa:exact ?exact ; oa:prefix ?prefix ;
     oa:suffix ?suffix }}"""


def test_every_quote_of_a_meeting_is_shown_in_its_context_and_linked_to_its_passage(client, store):
    html = page(client, f"/page/{SUMMIT}")
    quotes = select(store, QUOTES_OF.format(iri=BASE + SUMMIT))
    assert len(quotes) > 20
    for q in quotes:
        assert in_context(q["prefix"], q["exact"], q["suffix"]) in html, q["q"]
        assert f'href="http://localhost/page/{local(q["text"])}#{q["q"].rsplit("/", 1)[1]}"' in html
    checked(html)


def test_a_fact_with_several_quotes_shows_them_all_in_its_row(client, store):
    several = select(store, """SELECT ?s ?p ?o (COUNT(DISTINCT ?q) AS ?n) WHERE {
        ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?q .
        FILTER(STRSTARTS(STR(?s), "https://w3id.org/casd/summit/") && isIRI(?o)) }
        GROUP BY ?s ?p ?o HAVING (COUNT(DISTINCT ?q) > 1) ORDER BY DESC(?n) ?s ?p ?o LIMIT 1""")[0]
    row = _row(page(client, f"/page/{local(several['s'])}"), several["p"], several["o"], is_iri=True)
    quotes = select(store, QUOTES_OF.format(iri=several["s"]))
    mine = [q for q in quotes if q["p"] == several["p"] and q["o"] == several["o"]]
    assert len({q["q"] for q in mine}) == int(several["n"]) > 1
    for q in mine:
        assert in_context(q["prefix"], q["exact"], q["suffix"]) in row


def _href(iri: str) -> str:
    """Where a page links an IRI: ours to its page here, others as they are."""
    return f"http://localhost/page/{local(iri)}" if iri.startswith(BASE) else iri


def _row(html: str, p: str, o: str, is_iri: bool) -> str:
    """The statements table's row of the entity page for one fact (property and value)."""
    for row in html.split('<tr id="')[1:]:
        cells = row.split("</td>")
        value = f'href="{_href(o)}"' if is_iri else f">{escape(o)}</span>"
        if f'href="{_href(p)}"' in cells[0] and value in cells[1]:
            return row.split("</tr>", 1)[0]
    raise AssertionError(f"no row for {p} {o}")


def _item(html: str, exact: str) -> str:
    """The evidence item (<li>) of a page's part that shows these quoted words."""
    at = html.index(f"<mark>{escape(exact)}</mark>")
    return html[html.rindex("<li>", 0, at):html.index("</li>", at)]


def test_curator_readings_are_marked_with_the_curators_comment(client, store):
    readings = select(store, """SELECT ?s ?p ?o ?iri ?exact ?comment WHERE {
        ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; casd:reading casd:CuratorReading ;
            rdfs:comment ?comment ; prov:wasDerivedFrom ?q . BIND(isIRI(?o) AS ?iri)
        FILTER NOT EXISTS { ?other rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?q ;
                                   casd:reading casd:Stated }
        FILTER(LANG(?comment) = "en" && STRSTARTS(STR(?s), "https://w3id.org/casd/summit/"))
        ?q oa:hasSelector ?sel . ?sel oa:exact ?exact } ORDER BY ?s ?exact LIMIT 5""")
    assert readings
    for r in readings:
        row = _row(page(client, f"/page/{local(r['s'])}"), r["p"], r["o"], r["iri"] == "true")
        item = _item(row, r["exact"])
        assert "Curator&#39;s reading:" in item and str(escape(r["comment"])) in item
    stated = select(store, """SELECT ?exact WHERE { ?st rdf:subject <https://w3id.org/casd/summit/2021-turkmenistan> ;
        prov:wasDerivedFrom ?q . ?q oa:hasSelector ?sel . ?sel oa:exact ?exact
        FILTER NOT EXISTS { ?any prov:wasDerivedFrom ?q ; casd:reading casd:CuratorReading } } LIMIT 1""")[0]
    assert "Curator" not in _item(page(client, f"/page/{SUMMIT}"), stated["exact"])


def test_damaged_text_is_marked_where_the_quote_says_so(client, store):
    damaged = select(store, """SELECT ?s ?exact ?damage WHERE {
        ?st rdf:subject ?s ; prov:wasDerivedFrom ?q . ?q casd:textDamage ?damage ; oa:hasSelector ?sel .
        ?sel oa:exact ?exact FILTER(LANG(?damage) = "tr" && STRSTARTS(STR(?s), "https://w3id.org/casd/summit/")) }
        ORDER BY ?s ?exact LIMIT 5""")
    assert damaged
    for d in damaged:
        item = _item(page(client, f"/page/{local(d['s'])}", "tr"), d["exact"])
        assert "Hasarlı metin:" in item and str(escape(d["damage"])) in item
    clean = select(store, """SELECT ?exact WHERE { ?st rdf:subject <https://w3id.org/casd/summit/2021-turkmenistan> ;
        prov:wasDerivedFrom ?q . ?q oa:hasSelector ?sel . ?sel oa:exact ?exact
        FILTER NOT EXISTS { ?q casd:textDamage ?any } } LIMIT 1""")[0]
    assert "Damaged" not in _item(page(client, f"/page/{SUMMIT}"), clean["exact"])


def test_facts_without_a_quote_say_so(client, store):
    for path in (SUMMIT, "state/turkmenistan", "person/natalia-gherman"):
        iri = BASE + path
        facts = select(store, f"""SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o
            FILTER(?p NOT IN (rdf:type, owl:sameAs)) }}""")
        quoted = select(store, f"""SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o . ?st rdf:subject <{iri}> ;
            rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?q }}""")
        html = page(client, f"/page/{path}")
        assert html.count("No quote in the graph.") == len(facts) - len(quoted), path
        assert html.count('<tr id="fact-') == len(facts)


def test_what_sources_state_but_the_graph_does_not_assert_is_shown_apart(client, store):
    held = select(store, """SELECT ?s ?p ?o ?iri ?claim WHERE { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o
        FILTER NOT EXISTS { ?s ?p ?o } FILTER(STRSTARTS(STR(?s), "https://w3id.org/casd/"))
        BIND(isIRI(?o) AS ?iri) BIND(EXISTS { ?st a casd:ConflictingClaim } AS ?claim) }""")
    assert any(h["claim"] == "true" for h in held) and any(h["claim"] == "false" for h in held)
    for subject in {h["s"] for h in held}:
        html = page(client, f"/page/{local(subject)}")
        section = html.split("<h2>Stated by sources, not asserted (", 1)[1].split("</table>", 1)[0]
        mine = {(h["p"], h["o"]): h for h in held if h["s"] == subject}
        assert section.startswith(f"{len(mine)})") and section.count('<tr id="held-') == len(mine)
        for h in mine.values():
            row = _row(section, h["p"], h["o"], h["iri"] == "true")
            assert ("conflicting claim" in row) == (h["claim"] == "true") and "<mark>" in row


MEETINGS = """SELECT ?m ?n ?series WHERE { ?m a casd:Summit ; casd:ordinal ?n ; casd:partOfSeries ?series }"""


def test_a_meeting_lists_every_participant_with_role_and_office(client, store):
    for meeting in {m["m"] for m in select(store, MEETINGS)}:
        parts = select(store, f"""SELECT ?part ?agent ?office WHERE {{ ?part casd:meeting <{meeting}>
            OPTIONAL {{ ?part casd:agent ?agent }} OPTIONAL {{ ?part casd:inCapacityOf ?office }} }}""")
        html = page(client, f"/page/{local(meeting)}")
        table = html.split('<h3>Participants (', 1)[1].split("</table>", 1)[0]
        assert table.startswith(f"{len({p['part'] for p in parts})})")
        assert table.count('<tr class="participant">') == len({p["part"] for p in parts}) > 0
        for p in parts:
            row = table.split(f'/page/{local(p["part"])}"')[0].rsplit('<tr class="participant">', 1)[1]
            if "agent" in p:
                assert f'/page/{local(p["agent"])}"' in row
            if "office" in p:
                assert f'/page/{local(p["office"])}"' in row
        roles = select(store, f"""SELECT DISTINCT ?l WHERE {{ ?part casd:meeting <{meeting}> ; casd:role ?r .
            ?r rdfs:label ?l FILTER(LANG(?l) = "en") }}""")
        assert all(f'>{r["l"]}</a>' in table for r in roles)


def test_a_meeting_shows_its_date_place_host_and_neighbours_in_the_series(client, store):
    meetings = select(store, MEETINGS)
    for m in meetings:
        html = page(client, f"/page/{local(m['m'])}")
        summary = html.split('<dl class="summary">', 1)[1].split("</dl>", 1)[0]
        for prop, word in (("date", "Date"), ("hostState", "Host"), ("location", "Place")):
            for v in select(store, f"SELECT ?v WHERE {{ <{m['m']}> casd:{prop} ?v }}"):
                value = f'/page/{local(v["v"])}"' if v["v"].startswith(BASE) else f"<span>{v['v']}</span>"
                assert f"<dt>{word}</dt>" in summary and value in summary, (m["m"], prop)
        neighbours = html.split('<nav aria-label="In the series">', 1)[1].split("</nav>", 1)[0]
        for step, rel in ((-1, "prev"), (1, "next")):
            other = [o["m"] for o in meetings if o["series"] == m["series"] and int(o["n"]) == int(m["n"]) + step]
            if other:
                assert f'<a href="http://localhost/page/{local(other[0])}" rel="{rel}">' in neighbours
            else:
                assert f'rel="{rel}"' not in neighbours


def test_a_person_shows_the_meetings_attended_and_the_offices_held(client, store):
    busiest = select(store, """SELECT ?person (COUNT(DISTINCT ?part) AS ?n) WHERE { ?part casd:agent ?person .
        ?person a casd:Person } GROUP BY ?person ORDER BY DESC(?n) ?person LIMIT 1""")[0]
    html = page(client, f"/page/{local(busiest['person'])}")
    attended = html.split("<h2>Meetings attended (", 1)[1].split("</table>", 1)[0]
    parts = select(store, f"""SELECT ?part ?m ?date WHERE {{ ?part casd:agent <{busiest['person']}> ;
        casd:meeting ?m . ?m casd:date ?date }}""")
    assert attended.count('<tr class="attended">') == int(busiest["n"]) == len({p["part"] for p in parts})
    for p in parts:
        assert f'/page/{local(p["part"])}"' in attended and f'<time datetime="{p["date"]}">' in attended
    dates = [d.split('"', 1)[0] for d in attended.split('<time datetime="')[1:]]
    assert dates == sorted(dates)
    offices = html.split("<h2>Offices held (", 1)[1].split("</table>", 1)[0]
    for o in select(store, f"""SELECT DISTINCT ?office WHERE {{ ?part casd:agent <{busiest['person']}> ;
            casd:inCapacityOf ?office }}"""):
        assert f'/page/{local(o["office"])}"' in offices
    tenures = select(store, """SELECT ?person ?position ?tenure WHERE { ?tenure casd:holder ?person ;
        casd:position ?position }""")
    assert tenures
    for t in tenures:
        held = page(client, f"/page/{local(t['person'])}").split("<h2>Offices held (", 1)[1].split("</table>")[0]
        row = held.split(f'/page/{local(t["position"])}"', 1)[1].split("</tr>", 1)[0]
        assert f'/page/{local(t["tenure"])}"' in row


def test_query_this_opens_the_query_page_on_a_describe_or_the_meetings_facts(client, store):
    html = page(client, f"/page/{SUMMIT}")
    links = [h for h in checked(html).hrefs if urlsplit(h).path == "/" and urlsplit(h).query.startswith("query=")]
    texts = [unquote(urlsplit(unescape(h)).query.removeprefix("query=")) for h in links]
    assert f"DESCRIBE <{BASE + SUMMIT}>" in texts
    facts = next(t for t in texts if "VALUES ?summit" in t)
    answer = select(store, facts)
    assert answer and {a["subject"] for a in answer} >= {BASE + SUMMIT}
    assert not any("VALUES ?summit" in t for t in
                   (unquote(h) for h in checked(page(client, "/page/state/turkmenistan")).hrefs))


TEXTS = """SELECT DISTINCT ?text ?id WHERE { ?text dcterms:identifier ?id . ?q oa:hasSource ?text }"""
QUOTES_IN = """SELECT ?q ?exact ?start ?end ?s WHERE {{ ?q oa:hasSource <{text}> ; oa:hasSelector ?a , ?b .
    ?a oa:exact ?exact . ?b oa:start ?start ; oa:end ?end
    OPTIONAL {{ ?st prov:wasDerivedFrom ?q ; rdf:subject ?s }} }}"""


def test_every_source_text_is_rendered_whole_with_each_quote_marked_and_linked_to_its_facts(client, store):
    texts = select(store, TEXTS)
    assert len(texts) >= 25
    for t in texts:
        html = page(client, f"/page/{local(t['text'])}")
        parsed = checked(html)
        assert parsed.div_text == (ROOT / t["id"]).read_text(encoding="utf-8")       # every word, unmarked or not
        quotes = select(store, QUOTES_IN.format(text=t["text"]))
        for q in quotes:
            name = q["q"].rsplit("/", 1)[1]
            assert parsed.ids.get(name) == "mark" and parsed.marked[name] == q["exact"], name
            assert parsed.ids.get(f"facts-{name}") == "li" and f"#facts-{name}" in parsed.hrefs
            facts = html.split(f'<li id="facts-{name}"', 1)[1].split('<li id="facts-', 1)[0]
            if "s" in q:
                assert f'/page/{local(q["s"])}"' in facts
        assert set(parsed.marked) == {q["q"].rsplit("/", 1)[1] for q in quotes}


def test_crossing_quotes_are_split_and_nested_ones_nested():
    text = "one two three four five"
    spans = [highlight.Span(0, 13, "a", 1), highlight.Span(4, 18, "b", 2), highlight.Span(8, 13, "c", 3),
             highlight.Span(8, 13, "d", 4), highlight.Span(19, 23, "e", 5), highlight.Span(3, 3, "empty", 6)]
    html = f'<html lang="en"><body><h1>x</h1><main><nav ></nav><div class="text">' \
           f'{highlight.marked(text, spans, lambda s: str(s.number))}</div></main></body></html>'
    parsed = checked(html)
    assert parsed.div_text == text
    for span in spans[:5]:
        assert parsed.marked[span.name] == text[span.start:span.end] and parsed.ids[span.name] == "mark"
    assert "empty" not in parsed.marked and html.count('id="b"') == 1 and html.count('data-quote="b"') == 2


def test_the_source_page_shows_attribution_url_rights_and_the_quotation_notice(client, store):
    readme = (ROOT / "data" / "sources" / "README.md").read_text(encoding="utf-8")
    for t in select(store, TEXTS):
        html = page(client, f"/page/{local(t['text'])}")
        name = t["id"].rsplit("/", 1)[1]
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{name}` |"))
        rights = row.rstrip(" |").rsplit(" | ", 1)[1]
        assert f'<dd class="rights">{escape(rights)}</dd>' in html
        for url in select(store, f"SELECT ?u WHERE {{ ?d casd:textFile <{t['text']}> ; rdfs:seeAlso ?u }}"):
            assert f'<a href="{escape(url["u"])}" rel="external">' in html
        assert "The quoted text remains its publisher&#39;s" in html
    tr = page(client, "/page/document/avim-blog-50-text", "tr")
    assert '<html lang="tr">' in tr and "Alıntılanan metin yayıncısınındır" in tr


def test_an_entity_pages_evidence_link_lands_on_the_quoted_words(client, store):
    for iri in (BASE + SUMMIT, BASE + "participation/2021-turkmenistan-gherman"):
        html = page(client, f"/page/{local(iri)}")
        for quote in select(store, QUOTES_OF.format(iri=iri))[:10]:
            href = f'http://localhost/page/{local(quote["text"])}#{quote["q"].rsplit("/", 1)[1]}'
            assert f'href="{href}"' in html
            target = page(client, urlsplit(href).path)
            assert checked(target).marked[urlsplit(href).fragment] == quote["exact"]


def test_a_quote_whose_offsets_miss_its_words_is_listed_not_marked(store):
    copy = ox.Store()
    copy.extend(store)
    quote = "https://w3id.org/casd/quote/avim-blog-50-slogan"
    copy.update(f"""PREFIX oa: <http://www.w3.org/ns/oa#>
        DELETE {{ GRAPH ?g {{ ?s oa:exact ?e ; oa:prefix ?p }} }}
        INSERT {{ GRAPH ?g {{ ?s oa:exact "not these words" ; oa:prefix "<i>x</i>" }} }}
        WHERE {{ GRAPH ?g {{ <{quote}> oa:hasSelector ?s . ?s oa:exact ?e ; oa:prefix ?p }} }}""")
    c = create_app(Config(executors=0, **UNTHROTTLED), store=EmbeddedStore(copy)).test_client()
    html = page(c, "/page/document/avim-blog-50-text")
    parsed = checked(html)
    assert "avim-blog-50-slogan" not in parsed.marked and "the text at its offsets reads otherwise" in html
    assert "<i>x</i>" not in page(c, f"/page/{SUMMIT}") and "&lt;i&gt;x&lt;/i&gt;" in page(c, f"/page/{SUMMIT}")


def test_only_files_under_data_sources_are_read():
    assert attribution.text_path(ROOT, "data/sources/avim-blog-50.txt") is not None
    for bad in ("data/sources/../../pyproject.toml", "/etc/passwd", "data/sources/README.md", "data/x.txt",
                "data/sources/missing.txt"):
        assert attribution.text_path(ROOT, bad) is None, bad


def test_every_kind_of_page_is_valid_in_turkish_and_english(client):
    assert set(views.WORDS["tr"]) == set(views.WORDS["en"])
    for path in (SUMMIT, "person/kassym-jomart-tokayev", "document/avim-blog-50-text", "state/turkmenistan",
                 "participation/2021-turkmenistan-gherman", "quote/avim-blog-50-title"):
        tr, en = page(client, f"/page/{path}", "tr"), page(client, f"/page/{path}", "en")
        assert checked(tr).html_lang == "tr" and checked(en).html_lang == "en" and tr != en, path
    quote = page(client, "/page/quote/avim-blog-50-title")
    assert '<a href="http://localhost/page/document/avim-blog-50-text#avim-blog-50-title">' in quote


def test_a_source_page_without_its_text_file_lists_its_quotes(store, tmp_path):
    c = create_app(Config(root=tmp_path, executors=0, **UNTHROTTLED), store=EmbeddedStore(store)).test_client()
    html = page(c, "/page/document/avim-blog-50-text")
    parsed = checked(html)
    quotes = select(store, QUOTES_IN.format(text=BASE + "document/avim-blog-50-text"))
    assert "The text file is not on this server." in html and not parsed.marked and parsed.div_text == ""
    assert html.count("Not marked in the text: no text") == len({q["q"] for q in quotes}) > 0


def test_the_description_under_the_title_is_in_the_pages_language(client, store):
    """An IRI with an rdfs:comment in each language shows the one of the page's language under its name."""
    rows = select(store, """SELECT ?s ?tr ?en WHERE { ?s rdfs:comment ?tr, ?en
        FILTER(LANG(?tr) = "tr" && LANG(?en) = "en" && STRSTARTS(STR(?s), "https://w3id.org/casd/person/")) }
        ORDER BY ?s LIMIT 1""")
    assert rows, "no person with a comment in both languages"
    row = rows[0]
    for lang in ("tr", "en"):
        html = page(client, "/page/" + local(row["s"]), lang)
        after_title = html[html.index("</h1>"):html.index("<code>")]
        assert f'<p class="description">{escape(row[lang])}</p>' in after_title, (lang, after_title)
