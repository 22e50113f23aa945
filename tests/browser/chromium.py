"""Debian's chromium-headless-shell, launched by Playwright (never `playwright install`, which downloads browsers):
where its binary is and the flags that keep it from reaching outside on its own. Shared by the tests, the page
benchmark and the screenshot script."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from playwright.sync_api import Browser, Playwright

# The package's real binary (/usr/bin/chromium-headless-shell is a shell script around it: Playwright would then
# stop the script, not the browser); KG_CHROMIUM names another.
CANDIDATES = ("/usr/lib/chromium/chromium-headless-shell", "chromium-headless-shell")
MISSING = ("Debian's chromium-headless-shell is not installed: `apt-get install chromium-headless-shell` "
           "(.ci/run does), or set KG_CHROMIUM to a Chromium binary")
# No sandbox (CI runs as root), no GPU, and none of the browser's own traffic: QUIC, updates, sync, field trials.
FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-default-apps")


def binary() -> str | None:
    """The Chromium binary to drive, or None when none is installed."""
    named = os.environ.get("KG_CHROMIUM")
    for candidate in ((named,) if named else CANDIDATES):
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found:
            return found
    return None


def launch(playwright: Playwright) -> Browser:
    """The headless browser, with a fresh profile (Playwright gives each launch a new temporary user-data-dir)."""
    path = binary()
    if path is None:
        raise RuntimeError(MISSING)
    return playwright.chromium.launch(executable_path=path, args=list(FLAGS), headless=True)
