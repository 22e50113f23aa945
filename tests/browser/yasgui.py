"""The query page's YASGUI as a user drives it (the active tab's editor, run button and results table), and its
results table read back as SPARQL JSON terms, so a test can compare it with what the endpoint answers itself."""
from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from playwright.sync_api import Page, Response

ACTIVE = ".tabPanel.active"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Term = dict[str, str]

# The results table of the active tab: its column titles, and each row's cells as SPARQL JSON terms (null for an
# empty cell). YASR shows an IRI as <a class="iri" href=IRI> (shortened by the query's prefixes), a literal with a
# language or a datatype as "VALUE" then <sup>@LANG</sup> or <sup>^^<a href=DATATYPE></sup>, any other as VALUE.
READ_TABLE = """panel => {
  const table = document.querySelector(panel + ' .yasr table');
  const titles = [...table.querySelectorAll('thead th')].slice(1).map(th => th.textContent.trim());
  const term = td => {
    const span = td.querySelector(':scope > div > span');
    if (!span) return null;
    const iri = span.classList.contains('nonIri') ? null : span.querySelector('a.iri');
    if (iri) return {type: 'uri', value: iri.getAttribute('href')};
    const sup = span.querySelector(':scope > sup');
    const text = [...span.childNodes].filter(n => n !== sup).map(n => n.textContent).join('');
    if (!sup) return {type: 'literal', value: text};
    const found = {type: 'literal', value: text.slice(1, -1)};
    const datatype = sup.querySelector('a.iri');
    if (datatype) found.datatype = datatype.getAttribute('href'); else found['xml:lang'] = sup.textContent.slice(1);
    return found;
  };
  const rows = [...table.querySelectorAll('tbody tr')].map(tr => [...tr.cells].slice(1).map(term));
  return {titles, rows};
}"""


def editor_text(page: Page) -> str:
    """What the active tab's editor holds."""
    text: str = page.evaluate(f"() => document.querySelector('{ACTIVE} .CodeMirror').CodeMirror.getValue()")
    return text


def is_sparql_post(response: Response) -> bool:
    """Whether a response answers the page's query (YASGUI POSTs it to /sparql)."""
    return response.request.method == "POST" and response.url.split("?")[0].endswith("/sparql")


def run(page: Page, keys: bool) -> None:
    """Run the active tab's query, by Ctrl-Enter in its editor or by its run button, and wait for the table."""
    with page.expect_response(is_sparql_post) as answered:
        if keys:
            page.keyboard.press("Control+Enter")
        else:
            page.locator(f"{ACTIVE} .yasqe_queryButton").click()
    assert answered.value.status == 200, answered.value.status
    shown(page)


def shown(page: Page) -> tuple[list[str], list[list[Term | None]]]:
    """The active tab's results table, all its rows (the page size set to All): column titles and rows."""
    page.locator(f"{ACTIVE} .yasr table tbody tr").first.wait_for()
    page.locator(f"{ACTIVE} select.tableSizer").select_option("-1")
    table: dict[str, Any] = page.evaluate(READ_TABLE, ACTIVE)
    return table["titles"], [[plain(cell) for cell in row] for row in table["rows"]]


def plain(term: Term | None) -> Term | None:
    """A SPARQL JSON term without the datatype that a simple literal may or may not spell out (xsd:string)."""
    if term is None or term.get("datatype") != XSD_STRING:
        return term
    return {k: v for k, v in term.items() if k != "datatype"}


def rows_of(names: list[str], bindings: list[dict[str, Term]]) -> list[list[Term | None]]:
    """SPARQL JSON solutions as table rows, one cell per variable."""
    return [[plain(row.get(name)) for name in names] for row in bindings]


def as_term(term: Any) -> Term:
    """A pyoxigraph IRI or literal as a SPARQL JSON term."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    assert isinstance(term, ox.Literal), f"no blank node or quoted triple expected: {term}"
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    return plain({"type": "literal", "value": term.value, "datatype": term.datatype.value}) or {}


def ordered(rows: list[list[Term | None]]) -> list[list[Term | None]]:
    """Rows in one order whatever order they came in (for answers with no ORDER BY)."""
    return sorted(rows, key=lambda row: [sorted((cell or {}).items()) for cell in row])
