"""The query page in a real browser: it asks only its own server, a typed query, an example and a share link run
and show exactly the rows the endpoint gives for the same query, the editor lets Tab out, and the search box finds
a Turkish name typed in the other case. The `tab` fixture fails each test on a request to another host or on a
console or page error."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from browser import yasgui
from browser.browse import Tab
from browser.entities import Entity
from browser.yasgui import ACTIVE
from kg.query import examples

TYPED = ("SELECT ?label WHERE { ?s a <https://w3id.org/casd/ontology#Summit> ; "
         "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label")
LISTED = """() => [location.href, ...[...document.querySelectorAll('link[rel=stylesheet]')].map(e => e.href),
                   ...[...document.querySelectorAll('script[src]')].map(e => e.src)]"""
# The entities under the base with one Turkish label containing a letter, the shortest labels first, with every
# other name of theirs (the search matches any).
TURKISH_NAMES = """SELECT ?x ?tr ?other WHERE {{
  ?x rdfs:label ?tr FILTER (LANG(?tr) = "tr" && CONTAINS(?tr, "{letter}"))
  FILTER (STRSTARTS(STR(?x), "https://w3id.org/casd/") && !STRSTARTS(STR(?x), "https://w3id.org/casd/ontology"))
  FILTER NOT EXISTS {{ ?x rdfs:label ?two FILTER (LANG(?two) = "tr" && ?two != ?tr) }}
  OPTIONAL {{ ?x rdfs:label|<http://www.w3.org/2004/02/skos/core#altLabel> ?other FILTER (?other != ?tr) }}
}} ORDER BY STRLEN(?tr) ?x"""


def open_editor(tab: Tab, path: str = "/") -> None:
    """Load the query page and wait for YASGUI to draw its editor."""
    tab.open(path)
    tab.page.locator(f"{ACTIVE} .CodeMirror").wait_for()


def test_the_page_asks_only_its_own_server(tab: Tab):
    open_editor(tab)
    tab.page.wait_for_load_state("networkidle")
    listed = tab.page.evaluate(LISTED)
    assert all(url.startswith(tab.server.origin + "/") for url in tab.watch.requests), tab.watch.requests
    assert sorted(set(tab.watch.requests)) == sorted(set(listed)), tab.watch.requests
    assert not tab.watch.outside


def test_a_typed_query_runs_and_shows_the_endpoints_rows(tab: Tab):
    names, bindings = tab.server.solutions(TYPED)
    assert bindings
    open_editor(tab)
    tab.page.locator(f"{ACTIVE} .CodeMirror-code").click()
    tab.page.keyboard.press("Control+A")
    tab.page.keyboard.type(TYPED)
    assert yasgui.editor_text(tab.page) == TYPED
    yasgui.run(tab.page, keys=True)
    assert yasgui.shown(tab.page) == (names, yasgui.rows_of(names, bindings))


def test_an_example_runs_in_its_own_tab(tab: Tab):
    open_editor(tab)
    titles = dict(tab.page.evaluate("() => [...document.querySelectorAll('a[data-example]')].map("
                                    "a => [a.dataset.example, a.textContent.trim()])"))
    assert list(titles) == examples.names()
    # the first example, in the page's order, that asks this graph alone (no SERVICE) and selects some rows
    for name in titles:
        text = examples.text(name)
        if "SERVICE" not in text.upper() and "SELECT" in text.upper():
            names, bindings = tab.server.solutions(text)
            if bindings:
                break
    else:
        pytest.fail("no example selects rows from this graph alone")
    tab.page.get_by_role("link", name=titles[name], exact=True).click()
    tab.page.get_by_role("tab", name=examples.title(name)[:30]).wait_for()
    assert yasgui.editor_text(tab.page) == text
    yasgui.run(tab.page, keys=False)
    shown_names, rows = yasgui.shown(tab.page)
    expected = yasgui.rows_of(names, bindings)
    assert shown_names == names and len(rows) == len(expected)
    assert (rows if "ORDER BY" in text else yasgui.ordered(rows)) == \
        (expected if "ORDER BY" in text else yasgui.ordered(expected))


def test_a_share_link_opens_and_runs_its_query(tab: Tab, meeting: Entity):
    query = f"DESCRIBE <{meeting.iri}>"
    expected: list[list[yasgui.Term | None]] = [[yasgui.as_term(t.subject), yasgui.as_term(t.predicate),
                                                 yasgui.as_term(t.object)]
                for t in tab.server.triples(query)]
    assert expected
    with tab.page.expect_response(yasgui.is_sparql_post):
        open_editor(tab, "/?query=" + quote(query))
    assert yasgui.editor_text(tab.page) == query
    names, rows = yasgui.shown(tab.page)
    assert names == ["subject", "predicate", "object"]
    assert yasgui.ordered(rows) == yasgui.ordered(expected)


def test_tab_leaves_the_editor_and_ctrl_bracket_indents(tab: Tab):
    open_editor(tab)
    hint = tab.page.locator("#editor-keys")
    assert hint.is_visible() and "Ctrl+]" in hint.inner_text()
    area = tab.page.locator(f"{ACTIVE} .CodeMirror textarea")
    assert area.get_attribute("aria-describedby") == "editor-keys" and area.get_attribute("aria-label")
    before = yasgui.editor_text(tab.page)
    area.focus()
    tab.page.keyboard.press("Tab")
    assert not area.evaluate("e => e === document.activeElement")
    tab.page.keyboard.press("Shift+Tab")
    assert area.evaluate("e => e === document.activeElement")
    assert yasgui.editor_text(tab.page) == before                     # neither key wrote into the query
    tab.page.keyboard.press("Control+]")
    unit = tab.page.evaluate(f"() => document.querySelector('{ACTIVE} .CodeMirror').CodeMirror.getOption('indentUnit')")
    changed = [(a, b) for a, b in zip(before.split("\n"), yasgui.editor_text(tab.page).split("\n")) if a != b]
    assert len(changed) == 1 and changed[0][1] == " " * unit + changed[0][0]


def turkish_lower(text: str) -> str:
    """Lower case by Turkish rules."""
    return text.replace("I", "ı").replace("İ", "i").lower()


def turkish_name(tab: Tab, letter: str) -> tuple[str, str, str]:
    """An entity, its Turkish label with `letter` (ı or İ) and a word of it in the other case (upper for ı, lower
    for İ) that no other name of the entity matches, so that its hit shows this label."""
    names: dict[tuple[str, str], list[str]] = {}
    for row in tab.server.select(TURKISH_NAMES.format(letter=letter)):
        names.setdefault((row["x"], row["tr"]), []).extend([row["other"]] if "other" in row else [])
    for (iri, label), others in names.items():
        word = max((w for w in label.split() if letter in w), key=len)
        typed = word.replace("i", "İ").replace("ı", "I").upper() if letter == "ı" else turkish_lower(word)
        if not any(fold(typed) in fold(other) for other in others for fold in (turkish_lower, str.casefold)):
            assert typed not in label and typed.lower() not in label.lower()  # only Turkish case rules match it
            return iri, label, typed
    pytest.fail(f"the graph has no entity with a Turkish label with {letter} of its own")


@pytest.mark.context(locale="tr-TR")
@pytest.mark.parametrize("letter", ["ı", "İ"])
def test_the_search_box_finds_a_turkish_name_in_the_other_case(tab: Tab, letter: str):
    iri, label, typed = turkish_name(tab, letter)
    open_editor(tab)
    tab.page.locator("#q").click()
    tab.page.keyboard.type(typed)
    with tab.page.expect_navigation():
        tab.page.keyboard.press("Enter")
    hit = tab.page.locator(f'ol.hits a[href$="/page{tab.server.local(iri)}"]')
    assert hit.inner_text() == label
    with tab.page.expect_navigation():
        hit.click()
    assert tab.heading() == label
