"""The search behind /search and the home page's box: the Turkish-aware full-text index (kg.query.fulltext) asked
for one page of ranked hits (entities by their labels and aliases, quotes by their exact words, source documents
by their whole text), each then given where it links on this server and what the page shows beside it. Only the
IRIs under the base are shown: the Wikidata items the graph names (owl:sameAs, kg enrich) have no page here, and
each has an entity of ours with the same name.

Two steps per request: the index's hits (the index itself is made once per data version), then one query for
the hits of the page: an entity's type, a quote's text (its passage on the text's page: /page/document/<stem>-text
#<quote>) and that text's document's name. The index reads the source texts from the data folder the build reads
(Config.sources_dir, the folder the source pages read), so it shares its index with casd:search."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.query.fulltext import index as fulltext
from kg.server.pages import evidence, links
from kg.server.pages.terms import HEADER, pick
from kg.server.services import Services
from kg.vocab import CASD, GRAPH_INFERRED, compact

PAGE_SIZE = 20                                      # hits on one page of results (?page=N)
MAX_QUERY_CHARS = fulltext.MAX_QUERY_CHARS          # a longer ?q= is refused (400); the search box's maxlength
MAX_PAGES = -(-fulltext.MAX_HITS // PAGE_SIZE)      # the index answers at most MAX_HITS, the best first
KINDS = ("entity", "quote", "source")               # the kinds of hit, in the order the page groups them

# What the page shows of the hits on it: each IRI's asserted types, a quote's text and the labels of the text and
# of its document, a source text's own labels (a source hit is the text itself, whose page is its IRI's).
ABOUT = HEADER + """SELECT ?x ?t ?text ?dl ?tl ?own WHERE {{
  VALUES ?x {{ {iris} }}
  {{ GRAPH ?g {{ ?x a ?t }} FILTER (?g != <{inferred}>) }}
  UNION {{ ?x oa:hasSource ?text OPTIONAL {{ ?text rdfs:label ?tl }}
           OPTIONAL {{ ?doc casd:textFile ?text ; rdfs:label ?dl }} }}
  UNION {{ ?x dcterms:identifier ?id ; rdfs:label ?own }}
}}"""


@dataclass(frozen=True)
class Found:
    """One hit as the pages show it: the index's hit, where it links here, an entity's type (compact) and the
    name of a quote's document, or of a source text, in the page's language."""

    hit: fulltext.Hit
    page: str
    type: str | None = None
    document: str | None = None

    @property
    def passage(self) -> str:
        """The passage the index cut, as plain text (an entity's page shows it when it is not the label)."""
        return "".join(text for text, _ in self.hit.snippet)

    def as_json(self) -> dict[str, Any]:
        """The hit in /search's JSON: the passage as plain text and as pieces (true where a query word matched)."""
        hit = self.hit
        return {"iri": hit.iri, "kind": hit.kind, "label": hit.label, "lang": hit.lang, "score": hit.score,
                "type": self.type, "snippet": self.passage,
                "marked": [[text, matched] for text, matched in hit.snippet], "page": self.page}


@dataclass(frozen=True)
class Results:
    """One page of results: its hits, best first, and whether the next page has any."""

    hits: list[Found]
    number: int
    more: bool


def find(parts: Services, q: str, base: str, lang: str, kinds: tuple[str, ...] = KINDS, number: int = 1) -> Results:
    """Page `number` (from 1) of the hits for `q` among `kinds`, within the query timeout; raises the index's
    SearchRefused (nothing to search for) and SearchTimeout. `base` is this server's public root, `lang` the
    language a document's name is shown in."""
    index = fulltext.index_for(parts.store, parts.config.sources_dir)
    first, deadline = (number - 1) * PAGE_SIZE, time.monotonic() + parts.config.query_timeout
    limit = first + PAGE_SIZE + 1
    while True:                 # more hits asked for while those left out (not ours) leave the page short
        hits = index.search(q, limit=min(limit, fulltext.MAX_HITS), kinds=frozenset(kinds), deadline=deadline)
        ours = [hit for hit in hits if links.local_of(hit.iri) is not None]
        if len(ours) > first + PAGE_SIZE or len(hits) < limit or limit >= fulltext.MAX_HITS:
            break
        limit *= 2
    hits = ours
    shown = hits[first:first + PAGE_SIZE]
    about = _about(parts, [hit.iri for hit in shown])
    return Results([_found(hit, about.get(hit.iri, {}), base, lang) for hit in shown], number,
                   len(hits) > first + PAGE_SIZE)


def _about(parts: Services, iris: list[str]) -> dict[str, dict[str, list[Any]]]:
    """For each IRI, the terms ABOUT finds, by variable."""
    if not iris:
        return {}
    text = ABOUT.format(iris=" ".join(str(ox.NamedNode(iri)) for iri in dict.fromkeys(iris)),
                        inferred=GRAPH_INFERRED)
    found: dict[str, dict[str, list[Any]]] = {}
    for row in parts.store.query(text):
        into = found.setdefault(row["x"].value, {})
        for name in ("t", "text", "dl", "tl", "own"):
            term = row[name]
            if term is not None and term not in into.setdefault(name, []):
                into[name].append(term)
    return found


def _found(hit: fulltext.Hit, about: dict[str, list[Any]], base: str, lang: str) -> Found:
    """A hit with its link: an entity's page, a quote's passage on its text's page, a source text's page."""
    if hit.kind == "quote" and about.get("text"):
        text = about["text"][0]
        document = pick(about.get("dl", []), lang) or pick(about.get("tl", []), lang)
        return Found(hit, evidence.passage(base, text, ox.NamedNode(hit.iri)) or links.href(base, hit.iri),
                     document=document)
    if hit.kind == "source":
        return Found(hit, links.href(base, hit.iri), document=pick(about.get("own", []), lang))
    types = {t.value for t in about.get("t", []) if isinstance(t, ox.NamedNode)}
    return Found(hit, links.href(base, hit.iri), type=_type(types) if hit.kind == "entity" and types else None)


def _type(found: set[str]) -> str:
    """The type shown for an entity: one of the ontology's classes if it has any, else any, compact."""
    ours = sorted(t for t in found if t.startswith(str(CASD)))
    return compact((ours or sorted(found))[0])
