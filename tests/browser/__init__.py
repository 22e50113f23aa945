"""Real-browser tests (issue 14 §6): Playwright driving Debian's chromium-headless-shell against a real `kg serve`.

A package, so that its conftest is `browser.conftest` and does not take the module name `conftest` from
tests/conftest.py (rootless conftests all share that name, and the suite imports helpers `from conftest`)."""
