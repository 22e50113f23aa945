"""axe-core (vendored for the tests only, see vendor/) injected into a page: its violations of the impacts that
fail a test."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

VERSION = "4.14.1"
SCRIPT = Path(__file__).resolve().parent / "vendor" / f"axe-core-{VERSION}" / "axe.min.js"
FAILING = ("serious", "critical")


def violations(page: Page, impacts: tuple[str, ...] = FAILING) -> list[dict[str, Any]]:
    """axe's violations on the page as loaded (all its default rules: WCAG 2 A and AA and best practices) whose
    impact is one of `impacts`."""
    page.add_script_tag(path=SCRIPT)
    assert page.evaluate("() => axe.version") == VERSION
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in impacts]


def summary(found: list[dict[str, Any]]) -> str:
    """One line per violation: its rule, impact, help and the first elements it names."""
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
                     for v in found)
