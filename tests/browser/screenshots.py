"""PNG screenshots of pages, through the browser the tests drive, into docs/screenshot-NAME.png.

    PYTHONPATH=src .venv/bin/python tests/browser/screenshots.py meeting=/summit/2021-turkmenistan \\
        [query=/] [source=/page/document/NAME-text] [--port PORT] [--full-page]

Each NAME=PATH is opened (an IRI's path follows its 303) in English at 1280x800; a page that asks another host
for anything, logs a console error or answers an error status is not written. Without --port a `kg serve` of the
built graph is started for the run (about 7 s); with it, the server already listening on that port is used.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import Browser, ViewportSize, sync_playwright  # noqa: E402

from browser import chromium, served  # noqa: E402
from browser.watch import Watch  # noqa: E402

DOCS = ROOT / "docs"
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}


def shoot(browser: Browser, origin: str, name: str, path: str, full_page: bool) -> Path:
    """One page's screenshot, written only if the page loaded cleanly."""
    context = browser.new_context(locale="en-US", service_workers="block", viewport=VIEWPORT)
    page = context.new_page()
    watch = Watch(origin)
    watch.attach(page)
    response = page.goto(origin + path, wait_until="networkidle")
    if response is None or response.status != 200 or watch.problems():
        status = response.status if response else None
        context.close()
        raise SystemExit(f"{path}: status {status}; {watch.problems()}")
    target = DOCS / f"screenshot-{name}.png"
    page.screenshot(path=str(target), full_page=full_page)
    context.close()
    return target


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("pages", nargs="+", metavar="NAME=PATH")
    ap.add_argument("--port", type=int, help="use the kg serve listening on this loopback port")
    ap.add_argument("--full-page", action="store_true", help="the whole page, not the first 800 pixels")
    args = ap.parse_args()
    wanted = [tuple(item.split("=", 1)) for item in args.pages]
    if any(len(pair) != 2 or not pair[1].startswith("/") for pair in wanted):
        ap.error("give each page as NAME=/path")
    with tempfile.TemporaryFile() as log:
        server = served.start(log) if args.port is None else None
        origin = server.origin if server else f"http://127.0.0.1:{args.port}"
        try:
            with sync_playwright() as playwright:
                browser = chromium.launch(playwright)
                for name, path in wanted:
                    print(shoot(browser, origin, name, path, args.full_page).relative_to(ROOT))
                browser.close()
        finally:
            if server:
                server.stop()


if __name__ == "__main__":
    main()
