"""axe-core finds no serious or critical accessibility violation on any page."""
from __future__ import annotations

import pytest

from browser import axe
from browser.browse import Tab
from browser.places import NAMES, Place


@pytest.mark.context(bypass_csp=True)           # axe is injected as a script of the test's own
@pytest.mark.parametrize("name", NAMES)
def test_axe_finds_no_serious_violation(tab: Tab, place: dict[str, Place], name: str):
    tab.open(place[name].path, place[name].status)
    found = axe.violations(tab.page)
    assert not found, axe.summary(found)
