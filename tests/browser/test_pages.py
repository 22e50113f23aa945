"""Entity pages in a real browser: opened at the IRI's own path (303 followed), they show the graph's label, and
the language switch shows the other language's label; every page loads with its expected status. The `tab`
fixture fails each test on a request to another host or a console or page error."""
from __future__ import annotations

import pytest

from browser.browse import Tab
from browser.entities import Entity
from browser.places import NAMES, Place


@pytest.mark.parametrize("kind", ["person", "meeting"])
def test_an_entity_page_opens_from_its_iri_and_shows_its_label(tab: Tab, kind: str, request: pytest.FixtureRequest):
    entity: Entity = request.getfixturevalue(kind)
    response = tab.open(entity.path)
    assert tab.redirects(response) == [(tab.server.url(entity.path), 303)]
    assert response.url == tab.server.url("/page" + entity.path)
    assert tab.heading() == entity.en
    assert tab.page.title() == entity.en
    assert tab.watch.requests[0] == tab.server.url(entity.path)


def test_the_language_switch_shows_the_other_languages_label(tab: Tab, person: Entity):
    tab.open(person.path)
    for lang, name in (("tr", "Türkçe"), ("en", "English"), ("tr", "Türkçe")):
        with tab.page.expect_navigation():
            tab.page.get_by_role("link", name=name, exact=True).click()
        assert tab.heading() == person.label(lang)
        assert tab.page.locator("html").get_attribute("lang") == lang
        # the language just chosen is shown as the current one, not as a link
        assert tab.page.get_by_role("link", name=name, exact=True).count() == 0


@pytest.mark.parametrize("name", NAMES)
def test_each_page_loads_with_its_status(tab: Tab, place: dict[str, Place], name: str):
    response = tab.open(place[name].path, place[name].status)
    assert response.headers["content-type"].startswith("text/html")
    assert tab.heading()
