"""The `tab` fixture's watch itself: a request to another host is aborted and recorded, and console and page
errors are recorded, so the browser tests' checks can fail."""
from __future__ import annotations

from browser.browse import Tab

OUTSIDE = "http://outside.invalid/picture.png"


def test_a_request_to_another_host_is_aborted_and_recorded(tab: Tab, place):
    tab.open(place["ontology"].path)
    loaded = tab.page.evaluate("""url => new Promise(done => { const i = new Image();
        i.onload = () => done(true); i.onerror = () => done(false); i.src = url; })""", OUTSIDE)
    assert loaded is False
    assert tab.watch.outside == [OUTSIDE] and OUTSIDE in tab.watch.requests
    assert tab.watch.problems() == [f"request to another host: {OUTSIDE}"]
    tab.watch.outside.clear()                   # seen: the fixture's own check would fail the test otherwise


def test_console_and_page_errors_are_recorded(tab: Tab, place):
    tab.open(place["ontology"].path)
    tab.page.evaluate("() => { console.error('seen by the watch'); setTimeout(() => { throw new Error('thrown'); }); }")
    tab.page.wait_for_timeout(100)
    problems = tab.watch.problems()
    assert any("seen by the watch" in p for p in problems) and any("thrown" in p for p in problems), problems
    tab.watch.errors.clear()


def test_an_error_status_counts_unless_the_test_asked_for_it(tab: Tab, place):
    tab.open(place["not-found"].path, 404)
    assert tab.watch.problems() == []
    tab.page.goto(tab.server.url(place["not-found"].path + "-too"))
    assert [p for p in tab.watch.problems() if "status of 404" in p], tab.watch.problems()
    tab.watch.errors.clear()
