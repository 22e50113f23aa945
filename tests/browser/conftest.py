"""The browser tests' fixtures: one real `kg serve` and one Chromium per worker, and a fresh tab per test that
fails the test on any request to another host and on any console or page error."""
from __future__ import annotations

from typing import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from browser import chromium, entities, places, served
from browser.browse import Tab
from browser.entities import Entity
from browser.places import Place
from browser.served import Served
from browser.watch import Watch


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Served]:
    """`kg serve` of the built graph in memory (read-only), its access log to a file: one for the whole run, the
    pytest-xdist workers sharing it (building the graph is most of this folder's time)."""
    with open(tmp_path_factory.mktemp("browser") / "access.log", "wb") as log:
        if worker_id == "master":
            running = served.start(log)
            yield running
            running.stop()
        else:
            with served.shared(tmp_path_factory.getbasetemp().parent, log) as running:
                yield running


@pytest.fixture(scope="session")
def person(server: Served) -> Entity:
    """The person the tests open (entities.PERSON)."""
    return entities.person(server)


@pytest.fixture(scope="session")
def meeting(server: Served) -> Entity:
    """The meeting the tests open (entities.MEETING)."""
    return entities.meeting(server)


@pytest.fixture(scope="session")
def place(server: Served) -> dict[str, Place]:
    """Every page the tests visit, by name (places.NAMES)."""
    return places.places(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium-headless-shell through Playwright; a missing browser fails, it is not skipped (CI
    installs it, see .ci/run)."""
    if chromium.binary() is None:
        pytest.fail(chromium.MISSING)
    with sync_playwright() as playwright:
        launched = chromium.launch(playwright)
        yield launched
        launched.close()


@pytest.fixture
def tab(request: pytest.FixtureRequest, browser: Browser, server: Served) -> Iterator[Tab]:
    """A new browser context and page, English by default; `@pytest.mark.context(...)` passes other options to
    Browser.new_context (e.g. bypass_csp=True to inject a test script). Checked when the test ends."""
    marker = request.node.get_closest_marker("context")
    options = {"locale": "en-US", "service_workers": "block", **(marker.kwargs if marker else {})}
    context = browser.new_context(**options)
    page = context.new_page()
    watch = Watch(server.origin)
    watch.attach(page)
    yield Tab(page, server, watch)
    context.close()
    problems = watch.problems()[watch.reported:]        # what the test's own call did not already fail on
    assert not problems, "the page: " + "; ".join(problems)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail a test whose tab saw a request to another host or an error by the end of its call (the fixture's own
    check afterwards catches only what comes later, and can only report an error in teardown)."""
    result = yield
    tab = getattr(item, "funcargs", {}).get("tab")
    if isinstance(tab, Tab):
        problems = tab.watch.problems()
        tab.watch.reported = len(problems)
        if problems:
            pytest.fail("the page: " + "; ".join(problems), pytrace=False)
    return result


def pytest_configure(config: pytest.Config) -> None:
    """Declare the `context` marker."""
    config.addinivalue_line("markers", "context(**options): options for the browser context of the `tab` fixture")
