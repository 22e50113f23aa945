"""The "query this" links of a page: the query page (at /, which opens the query in ?query=) on a DESCRIBE of the
IRI, and for a meeting the shipped example that lists its facts with their quotes, the meeting's IRI put in."""
from __future__ import annotations

import re
from urllib.parse import quote

from kg.query import examples

MEETING_EXAMPLE = "meeting-facts"                       # its VALUES line names the meeting it asks about
_VALUES = re.compile(r"VALUES \?summit \{ <[^<>\s]*> \}")


def query_url(base: str, text: str) -> str:
    """The query page opened on a query."""
    return f"{base}/?query={quote(text, safe='')}"


def describe(iri: str) -> str:
    """A DESCRIBE of one IRI."""
    return f"DESCRIBE <{iri}>"


def meeting_facts(iri: str) -> str | None:
    """The shipped meeting-facts example about this meeting, or None if its VALUES line is not where it was."""
    text = examples.text(MEETING_EXAMPLE)
    if not _VALUES.search(text):
        return None
    return _VALUES.sub(lambda _m: f"VALUES ?summit {{ <{iri}> }}", text, count=1)


def for_page(base: str, iri: str, meeting: bool) -> list[tuple[str, str]]:
    """(word of the page, link) for each query offered: DESCRIBE, and the meeting's facts for a meeting."""
    found = [("describe", query_url(base, describe(iri)))]
    facts = meeting_facts(iri) if meeting else None
    if facts is not None:
        found.append(("meeting_facts", query_url(base, facts)))
    return found
