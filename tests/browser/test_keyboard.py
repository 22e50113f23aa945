"""Keyboard navigation: pressing Tab from the top of each page reaches every link, button and input on it, and
nothing else, each once (on the 404 page, which has no control, Tab reaches nothing)."""
from __future__ import annotations

import pytest

from browser import focus
from browser.browse import Tab
from browser.places import NAMES, Place


@pytest.mark.parametrize("name", NAMES)
def test_tab_reaches_every_control(tab: Tab, place: dict[str, Place], name: str):
    tab.open(place[name].path, place[name].status)
    count, reached = focus.tabbing(tab.page)
    untagged = [r for r in reached if isinstance(r, str)]
    missed = set(range(count)) - {r for r in reached if isinstance(r, int)}
    assert not untagged, f"Tab reached elements the page does not mark focusable: {untagged}"
    assert not missed, f"Tab never reached {len(missed)} of {count}: {focus.described(tab.page, missed)[:5]}"
    assert len(reached) == count
