"""Keyboard navigation: the elements a page makes focusable, and the ones that pressing Tab from the top of the
page really reaches, each element named by an index the page is given for the test."""
from __future__ import annotations

from playwright.sync_api import Page

# Tags every control that Tab should reach with data-kg-focus=N and returns how many, in document order: every
# visible, enabled, not inert link, button, input, select, textarea, summary and iframe (a tabindex of -1 on one
# of them hides it from the keyboard, which counts as a miss, except inside a composite widget whose items the
# arrow keys move between: ARIA's roving tabindex), and any element given a tabindex of 0 or more.
TAG_FOCUSABLE = """() => {
  const controls = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, iframe, summary';
  const roving = '[role=tablist], [role=menu], [role=menubar], [role=listbox], [role=grid], [role=tree], '
               + '[role=radiogroup], [role=toolbar], [role=treegrid]';
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const wanted = e => e.tabIndex >= 0 || (e.matches(controls) && !e.closest(roving));
  const found = [...document.querySelectorAll(controls + ', [tabindex], [contenteditable]')].filter(
    e => !e.disabled && !e.closest('[inert]') && shown(e) && wanted(e));
  found.forEach((e, i) => { e.dataset.kgFocus = String(i); });
  return found.length;
}"""

# What has focus now: its index, or a description of an element that was not tagged, or null for none.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  return e.dataset.kgFocus !== undefined ? Number(e.dataset.kgFocus) : e.outerHTML.slice(0, 120);
}"""


def tabbing(page: Page) -> tuple[int, list[int | str]]:
    """How many elements should take focus, and what Tab reaches from the top of the page, in order, until focus
    leaves the page or comes back round (at most one press more than there are elements)."""
    count = page.evaluate(TAG_FOCUSABLE)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    reached: list[int | str] = []
    for _ in range(count + 1):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if now is None or now in reached:
            break
        reached.append(now)
    return count, reached


def described(page: Page, indices: set[int]) -> list[str]:
    """The elements of some indices, as HTML, for a failure message."""
    return page.evaluate("""ix => ix.map(i => document.querySelector(`[data-kg-focus="${i}"]`).outerHTML.slice(0, 120))""",
                         sorted(indices))
