"""Evidence in a real browser: on a meeting's page each quote's exact words are highlighted inside their sentence,
its link lands on those words in the source text, and the source page links back to the facts and the meeting.
The quotes are chosen from the served graph by SPARQL."""
from __future__ import annotations

import re

from browser.browse import Tab
from browser.entities import Entity

OA = "PREFIX oa: <http://www.w3.org/ns/oa#>\n"
QUOTES = OA + """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?quote ?exact WHERE {{
  ?statement rdf:subject <{iri}> ; prov:wasDerivedFrom ?quote .
  ?quote oa:hasSelector ?selector . ?selector a oa:TextQuoteSelector ; oa:exact ?exact .
}} ORDER BY ?quote"""

TRANSPARENT = "rgba(0, 0, 0, 0)"


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def test_the_meetings_quotes_are_highlighted_and_lead_to_their_words(tab: Tab, meeting: Entity):
    quotes = tab.server.select(QUOTES.format(iri=meeting.iri))
    assert quotes, f"no quote states anything of {meeting.iri}"
    tab.open(meeting.path)
    for row in quotes:                         # every quote of the meeting's own facts is shown, marked
        link = tab.page.locator(f'ul.evidence a[href$="#{_local(row["quote"])}"]').first
        assert link.count() == 1, f"no evidence link to {row['quote']}"
        marks = link.locator("xpath=ancestor::li[1]//mark")
        assert _words(row["exact"]) in [_words(t) for t in marks.all_inner_texts()], row
    first = quotes[0]
    mark = tab.page.locator(f'ul.evidence a[href$="#{_local(first["quote"])}"]').first.locator(
        "xpath=ancestor::li[1]//mark").first
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") != TRANSPARENT      # visibly highlighted
    with tab.page.expect_navigation():
        tab.page.locator(f'ul.evidence a[href$="#{_local(first["quote"])}"]').first.click()
    target = tab.page.evaluate("""() => { const t = document.querySelector(':target');
        const pieces = [...document.querySelectorAll(`[data-quote="${t.id}"]`)];
        const box = t.getBoundingClientRect();
        return {id: t.id, tag: t.tagName, text: pieces.map(p => p.textContent).join(''),
                visible: box.top >= -1 && box.bottom <= window.innerHeight + 1, box: [box.top, box.bottom, window.innerHeight, window.scrollY]}; }""")
    assert target["id"] == _local(first["quote"]) and target["tag"] == "MARK"
    assert _words(target["text"]) == _words(first["exact"])          # the highlight lands on the quoted words
    assert target["visible"], f"the passage was not scrolled into view: {target}"


def test_the_source_page_links_back_to_the_facts_and_the_meeting(tab: Tab, meeting: Entity):
    first = tab.server.select(QUOTES.format(iri=meeting.iri))[0]
    source = tab.server.select(OA + f"SELECT ?doc WHERE {{ <{first['quote']}> oa:hasSource ?doc }}")[0]["doc"]
    tab.open(tab.server.local(source))
    local = _local(first["quote"])
    tab.page.locator(f'a.ref[href="#facts-{local}"]').first.click()            # an in-page link
    tab.page.wait_for_function(f"() => location.hash === '#facts-{local}'")
    facts = tab.page.locator(f"li#facts-{local} li.fact")
    assert facts.count() >= 1
    back = facts.locator(f'a[href$="{meeting.path}"]').first
    with tab.page.expect_navigation():
        back.click()
    assert tab.heading() == meeting.en
    assert tab.page.locator(f'ul.evidence a[href$="#{local}"]').count() >= 1      # and the quote is there again

