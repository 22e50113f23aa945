"""The evidence of an entity's facts: for each (property, value) the quotes its rdf:Statements derive from, with
the quote's words in their context (prefix, exact, suffix), the source document (its page at the passage, its
publisher and date), the damage the text suffered and the curator's reading. Two queries a page: the statements
with their quotes, then the documents of the texts they quote."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.server.pages import links
from kg.server.pages.terms import HEADER, Shown, group, local_name, pick
from kg.store.protocol import Store
from kg.vocab import CASD

CURATOR_READING = str(CASD.CuratorReading)

STATEMENTS = HEADER + """SELECT ?st ?p ?o ?reading ?comment ?claim ?quote ?exact ?prefix ?suffix ?text ?damage WHERE {{
  ?st rdf:subject {iri} ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL {{ ?st casd:reading ?reading }}
  OPTIONAL {{ ?st rdfs:comment ?comment }}
  OPTIONAL {{ ?st a casd:ConflictingClaim BIND(true AS ?claim) }}
  OPTIONAL {{ ?st prov:wasDerivedFrom ?quote
    OPTIONAL {{ ?quote oa:hasSource ?text }}
    OPTIONAL {{ ?quote oa:hasSelector ?selector . ?selector a oa:TextQuoteSelector ; oa:exact ?exact
               OPTIONAL {{ ?selector oa:prefix ?prefix }} OPTIONAL {{ ?selector oa:suffix ?suffix }} }}
    OPTIONAL {{ ?quote casd:textDamage ?damage }} }}
}} ORDER BY ?st ?quote"""

DOCUMENTS = HEADER + """SELECT ?text ?doc ?dl ?tl ?pl ?date ?title WHERE {{
  VALUES ?text {{ {texts} }}
  OPTIONAL {{ ?text rdfs:label ?tl }}
  OPTIONAL {{ ?doc casd:textFile ?text
    OPTIONAL {{ ?doc rdfs:label ?dl }}
    OPTIONAL {{ ?doc casd:publisher ?pub OPTIONAL {{ ?pub rdfs:label ?pl }} }}
    OPTIONAL {{ ?doc casd:datePublished ?date }} OPTIONAL {{ ?doc dcterms:title ?title }} }}
}}"""


@dataclass(frozen=True)
class Cited:
    """One quote behind a fact, as the page shows it."""

    exact: str
    prefix: str
    suffix: str
    href: str | None                 # the source document's page at the passage (its <mark id>)
    document: Shown                  # the document the text belongs to (or the text itself)
    publisher: str | None
    date: str | None
    damage: str | None               # casd:textDamage: what the extraction lost
    curator: str | None              # casd:CuratorReading: the curator's comment ("" when none was given)
    lang: str | None = None          # the document's language (its title's), for the quoted words


Fact = tuple[Any, Any]               # (property, value) as pyoxigraph terms
Document = tuple[Shown, str | None, str | None, str | None]   # a text's document, publisher, date and language


def gather(store: Store, iri: ox.NamedNode, lang: str, base: str) -> tuple[dict[Fact, list[Cited]], set[Fact]]:
    """The quotes behind each fact stated about `iri` (statements whose rdf:subject it is), and which of those facts
    are conflicting claims (casd:ConflictingClaim: held with their quotes, not asserted)."""
    rows = list(store.query(STATEMENTS.format(iri=iri)))
    docs = _documents(store, {row["text"] for row in rows if isinstance(row["text"], ox.NamedNode)}, lang, base)
    by_quote: dict[tuple[Any, Any], list[Any]] = {}
    for row in rows:
        by_quote.setdefault((row["st"], row["quote"]), []).append(row)
    found: dict[Fact, list[Cited]] = {}
    claims: set[Fact] = set()
    for (st, p, o, reading, claim, quote), (comments,) in group(rows, ("st", "p", "o", "reading", "claim", "quote"),
                                                               ("comment",)):
        into = found.setdefault((p, o), [])
        if claim is not None:
            claims.add((p, o))
        curator = (pick(comments, lang) or "") if _is_curator(reading) else None
        cited = _cited(by_quote[(st, quote)], quote, docs, lang, base, curator) if quote is not None else None
        if cited is not None and cited not in into:
            into.append(cited)
    return found, claims


def _is_curator(reading: Any) -> bool:
    """Whether a statement's casd:reading is the curator's reading."""
    return isinstance(reading, ox.NamedNode) and reading.value == CURATOR_READING


def _cited(rows: list[Any], quote: Any, docs: dict[str, Document], lang: str,
           base: str, curator: str | None) -> Cited | None:
    """One quote of one statement from its rows (its damage notes and comments repeat it once per language)."""
    first = next((row for row in rows if row["exact"] is not None), None)
    if first is None:
        return None
    text = first["text"]
    unknown: Document = (Shown("?"), None, None, None)
    document, publisher, date, language = docs.get(text.value if text is not None else "", unknown)
    damages = [row["damage"] for row in rows if isinstance(row["damage"], ox.Literal)]
    return Cited(first["exact"].value, _value(first["prefix"]), _value(first["suffix"]),
                 passage(base, text, quote), document, publisher, date, pick(damages, lang), curator, language)


def passage(base: str, text: Any, quote: Any) -> str | None:
    """Where a quote stands: its text's page, at the <mark> named after the quote."""
    if not isinstance(text, ox.NamedNode):
        return None
    fragment = f"#{local_name(quote.value)}" if isinstance(quote, ox.NamedNode) else ""
    return links.href(base, text.value) + fragment


def _value(term: Any) -> str:
    """A literal's text, or "" when unbound."""
    return term.value if isinstance(term, ox.Literal) else ""


def _documents(store: Store, texts: set[ox.NamedNode], lang: str, base: str) -> dict[str, Document]:
    """For each quoted text: its document (labelled, linking to the text's page), the publisher's name, the
    date of publication and the language of its title, where the graph has them."""
    if not texts:
        return {}
    answer = store.query(DOCUMENTS.format(texts=" ".join(str(t) for t in sorted(texts, key=str))))
    out: dict[str, Document] = {}
    for (text, date), (doc_labels, text_labels, publishers, titles) in group(answer, ("text", "date"),
                                                                              ("dl", "tl", "pl", "title")):
        name = pick(doc_labels, lang) or pick(text_labels, lang) or text.value
        out[text.value] = (Shown(name, links.href(base, text.value)), pick(publishers, lang),
                           date.value if isinstance(date, ox.Literal) else None,
                           next((t.language for t in titles if t.language), None))
    return out
