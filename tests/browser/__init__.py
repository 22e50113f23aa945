"""Real-browser tests (issue 14 §6): Playwright driving Debian's chromium-headless-shell against a real `kg serve`.

A package, so that its conftest is `browser.conftest` and does not take the module name `conftest` from
tests/conftest.py (rootless conftests all share that name, and the suite imports helpers `from conftest`).

To cover a new page, add its name to places.NAMES and its path (and final status) to places.places(): it is then
loaded, walked with Tab and checked by axe-core like the others. For anything interactive, a test takes the `tab`
fixture (browse.Tab: tab.open(path), tab.page, tab.server.select(query) for the expectation), which fails the
test on any request to another host and on any console or page error. On the query page, yasgui.py runs the
active tab's query and reads YASGUI's results table back as SPARQL JSON terms, to compare with
tab.server.solutions(query)."""
