"""axe-core finds no serious or critical accessibility violation on any page."""
from __future__ import annotations

import pytest

from browser import axe, yasgui
from browser.browse import Tab
from browser.places import NAMES, Place


@pytest.mark.context(bypass_csp=True)           # axe is injected as a script of the test's own
@pytest.mark.parametrize("name", NAMES)
def test_axe_finds_no_serious_violation(tab: Tab, place: dict[str, Place], name: str):
    tab.open(place[name].path, place[name].status)
    found = axe.violations(tab.page)
    assert not found, axe.summary(found)


@pytest.mark.context(bypass_csp=True)
def test_axe_finds_no_serious_violation_on_the_query_pages_results(tab: Tab, place: dict[str, Place]):
    """The query page once YASGUI has drawn more: a results table, then a second tab (an example's)."""
    tab.open(place["query"].path, place["query"].status)
    yasgui.run(tab.page, keys=False)
    found = axe.violations(tab.page)
    assert not found, "with results: " + axe.summary(found)
    tab.page.locator("a[data-example]").first.click()
    tab.page.locator(".tabsList [role=tab]").nth(1).wait_for()
    found = axe.violations(tab.page)
    assert not found, "with a second tab: " + axe.summary(found)
