"""The full-text search in a real browser: the search box on the query page finds a quote (its passage marked on
the word typed) and a source text, and their links open the source page at the passage and the text's page; a
search of stop words says why nothing was searched for. The words are chosen from the served graph and texts."""
from __future__ import annotations

import pytest

from browser import searched
from browser.browse import Tab
from browser.places import Place
from kg.query.fulltext.fold import fold


def search_from_the_box(tab: Tab, words: str) -> None:
    """Type words into the page's search box and send them with Enter."""
    tab.page.locator("#q").fill("")
    tab.page.locator("#q").click()
    tab.page.keyboard.type(words)
    with tab.page.expect_navigation():
        tab.page.keyboard.press("Enter")


def test_the_box_finds_a_quote_and_its_link_opens_the_passage(tab: Tab):
    target = searched.quote(tab.server)
    local = target.iri.rsplit("/", 1)[-1]
    tab.open("/")
    search_from_the_box(tab, target.word)
    item = tab.page.locator(f'ol.hits.quote li:has(a[href$="/page{tab.server.local(target.text)}#{local}"])')
    assert item.count() == 1, f"no quote hit for {target.iri} searching {target.word!r}"
    marks = item.locator("blockquote mark").all_inner_texts()
    assert marks and fold(target.word) in [fold(m) for m in marks], marks
    with tab.page.expect_navigation():
        item.locator("a").click()
    shown = tab.page.evaluate("() => { const t = document.querySelector(':target'); return t && [t.id, t.tagName]; }")
    assert shown == [local, "MARK"]


def test_the_box_finds_a_source_text_and_its_link_opens_it(tab: Tab):
    target = searched.source(tab.server)
    tab.open("/search?q=x")
    search_from_the_box(tab, target.word)
    link = tab.page.locator(f'ol.hits.source a[href$="/page{tab.server.local(target.iri)}"]')
    assert link.count() == 1, f"no source hit for {target.iri} searching {target.word!r}"
    if target.label:
        assert link.inner_text() == target.label
    passage = link.locator("xpath=ancestor::li[1]//mark").all_inner_texts()
    assert fold(target.word) in [fold(m) for m in passage], passage
    with tab.page.expect_navigation():
        link.click()
    assert tab.page.url == tab.server.url("/page" + tab.server.local(target.iri))
    assert fold(target.word) in fold(tab.page.locator("main").inner_text())


@pytest.mark.context(locale="tr-TR")
def test_a_search_of_stop_words_says_why(tab: Tab):
    tab.open("/search?q=x")
    url = tab.server.url("/search?q=" + searched.stop_words().replace(" ", "+"))
    tab.watch.expected_failures.add(url)
    search_from_the_box(tab, searched.stop_words())
    alert = tab.page.get_by_role("alert")
    assert alert.is_visible() and alert.inner_text().startswith("Arama yapılmadı:")
    assert tab.page.locator("#q").input_value() == searched.stop_words()


def test_the_results_page_checked_by_axe_shows_every_kind(tab: Tab, place: dict[str, Place]):
    """The results page that places.py gives axe and the keyboard walk holds entities, quotes and source texts."""
    tab.open(place["search"].path)
    shown = tab.page.evaluate("() => [...document.querySelectorAll('main section ol.hits')].map(o => o.classList[1])")
    assert shown == ["entity", "quote", "source"]
    assert tab.page.locator("ol.hits.quote mark").count() > 0 and tab.page.locator("ol.hits.source mark").count() > 0
