"""The page of a source text (/page/document/<stem>-text): the stored text with every quoted span marked at its
TextPositionSelector offsets (checked against oa:exact), each mark linked to the facts it supports, and what the
words not marked are: what the graph has not taken. With the document's attribution, original URL and the
publisher's rights. Three queries: the text's documents, its quotes with their statements, their terms' labels."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.server.pages import attribution, highlight
from kg.server.pages.evidence import CURATOR_READING
from kg.server.pages.terms import HEADER, Shown, group, labels, local_name, pick, show
from kg.store.protocol import Store

DOCUMENT = HEADER + """SELECT ?doc ?url ?pub ?date ?title ?dl ?pl ?tl ?tc WHERE {{
  OPTIONAL {{ {iri} rdfs:label ?tl }} OPTIONAL {{ {iri} rdfs:comment ?tc }}
  OPTIONAL {{ ?doc casd:textFile {iri}
    OPTIONAL {{ ?doc rdfs:label ?dl }} OPTIONAL {{ ?doc rdfs:seeAlso ?url }} OPTIONAL {{ ?doc dcterms:title ?title }}
    OPTIONAL {{ ?doc casd:publisher ?pub OPTIONAL {{ ?pub rdfs:label ?pl }} }}
    OPTIONAL {{ ?doc casd:datePublished ?date }} }}
}}"""

# The quotes and the statements citing them: two queries, since Oxigraph (0.5) took 6 ms for the two joined by
# OPTIONAL and 9 ms by UNION, against 1.4 ms for both apart (the founding document's 27 quotes, 151 statements).
QUOTES = HEADER + """SELECT ?quote ?exact ?start ?end ?damage WHERE {{
  ?quote oa:hasSource {iri} ; oa:hasSelector ?qs . ?qs a oa:TextQuoteSelector ; oa:exact ?exact .
  OPTIONAL {{ ?quote oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }}
  OPTIONAL {{ ?quote casd:textDamage ?damage }}
}}"""

SUPPORTED = HEADER + """SELECT ?quote ?s ?p ?o ?reading ?claim ?asserted WHERE {{
  ?quote oa:hasSource {iri} . ?st prov:wasDerivedFrom ?quote ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL {{ ?st casd:reading ?reading }} OPTIONAL {{ ?st a casd:ConflictingClaim BIND(true AS ?claim) }}
  BIND(EXISTS {{ ?s ?p ?o }} AS ?asserted)
}}"""


@dataclass(frozen=True)
class Supported:
    """A fact a quote supports: subject, property and value, and how the graph reads it."""

    subject: Shown
    property: Shown
    value: Shown
    curator: bool
    claim: bool                      # held as a conflicting claim, not asserted
    asserted: bool                   # the graph asserts the fact (else a source's less precise or conflicting form)


@dataclass
class Entry:
    """A quote of the text: its number, name (the mark's id), words, place, and the facts it supports."""

    number: int
    name: str
    exact: str
    start: int | None
    end: int | None
    damage: str | None
    facts: list[Supported] = field(default_factory=list)
    problem: str | None = None       # why it is not marked in the text


@dataclass(frozen=True)
class Document:
    """A document this text renders: its page, original URL, publisher, date and language."""

    shown: Shown
    url: str | None
    publisher: str | None
    date: str | None
    lang: str | None


def context(store: Store, iri: ox.NamedNode, identifier: str, root: Any, lang: str, base: str,
            words: dict[str, str]) -> dict[str, Any]:
    """Everything the source page shows, for the text `iri` whose file dcterms:identifier names."""
    documents, _title, comment = _documents(store, iri, lang, base)
    path = attribution.text_path(root, identifier)
    text = path.read_text(encoding="utf-8") if path is not None else None
    entries = _entries(store, iri, lang, base)
    for entry in entries:
        entry.problem = _problem(entry, text)
    placed = [e for e in entries if e.problem is None]
    spans = [highlight.Span(e.start or 0, e.end or 0, e.name, e.number) for e in placed]
    covered = len({i for e in placed for i in range(e.start or 0, e.end or 0)})
    return {"comment": comment, "documents": documents, "entries": entries,
            "attribution": attribution.of(root, identifier.rsplit("/", 1)[-1]), "file": identifier,
            "marked": highlight.marked(text, spans, lambda span: f"{words['quote']} {span.number}: {words['supports']}")
            if text is not None else None, "covered": covered, "length": len(text) if text is not None else 0,
            "text_lang": next((d.lang for d in documents if d.lang), None)}


def _problem(entry: Entry, text: str | None) -> str | None:
    """Why a quote cannot be marked in the text (None if it can): no text, no offsets, or other words there."""
    if text is None:
        return "no-text"
    if entry.start is None or entry.end is None:
        return "no-offsets"
    if not 0 <= entry.start < entry.end <= len(text) or text[entry.start:entry.end] != entry.exact:
        return "mismatch"
    return None


def _documents(store: Store, iri: ox.NamedNode, lang: str,
               base: str) -> tuple[list[Document], str | None, str | None]:
    """The documents whose text this is, and the text's own label and comment."""
    found: list[Document] = []
    labels: list[ox.Literal] = []
    comments: list[ox.Literal] = []
    keys = ("doc", "url", "pub", "date", "title")
    for (doc, url, _pub, date, title), (dl, pl, tl, tc) in group(store.query(DOCUMENT.format(iri=iri)), keys,
                                                                  ("dl", "pl", "tl", "tc")):
        labels += [x for x in tl if x not in labels]
        comments += [x for x in tc if x not in comments]
        if doc is not None and all(d.shown.href != show(doc, [], lang, base).href for d in found):
            found.append(Document(show(doc, dl, lang, base), url.value if isinstance(url, ox.NamedNode) else None,
                                  pick(pl, lang), date.value if isinstance(date, ox.Literal) else None,
                                  title.language if isinstance(title, ox.Literal) else None))
    return found, pick(labels, lang), pick(comments, lang)


def _entries(store: Store, iri: ox.NamedNode, lang: str, base: str) -> list[Entry]:
    """The text's quotes in the order of the text, each with the facts its statements state."""
    entries: dict[Any, Entry] = {}
    for (quote, exact, start, end), (damage,) in group(store.query(QUOTES.format(iri=iri)),
                                                       ("quote", "exact", "start", "end"), ("damage",)):
        if quote not in entries:
            entries[quote] = Entry(0, local_name(quote.value) if isinstance(quote, ox.NamedNode) else "",
                                   exact.value, _int(start), _int(end), pick(damage, lang))
    supported = list(store.query(SUPPORTED.format(iri=iri)))
    names = labels(store, {row[v] for row in supported for v in ("s", "p", "o")})
    for row in supported:
        subject, prop, value = (show(row[v], names.get(row[v], []), lang, base) for v in ("s", "p", "o"))
        curator = isinstance(row["reading"], ox.NamedNode) and row["reading"].value == CURATOR_READING
        asserted = isinstance(row["asserted"], ox.Literal) and row["asserted"].value == "true"
        fact = Supported(subject, prop, value, curator, row["claim"] is not None, asserted)
        entry = entries.get(row["quote"])
        if entry is not None and fact not in entry.facts:
            entry.facts.append(fact)
    ordered = sorted(entries.values(), key=lambda e: (e.start if e.start is not None else -1, e.name))
    for number, entry in enumerate(ordered, 1):
        entry.number = number
    return ordered


def _int(term: Any) -> int | None:
    """An integer literal's value, or None."""
    try:
        return int(term.value) if isinstance(term, ox.Literal) else None
    except ValueError:
        return None
