"""Finding entities by name: case-insensitive containment over every rdfs:label and skos:altLabel (any language)
of the IRIs under the base, read from the store once per dataset version. A stand-in that the Turkish-aware full
text search of a later issue replaces: its interface is find(parts, q) and the Hit it returns.

Two foldings, and a label matches when either contains the query folded the same way: the Turkish one (I → ı and
İ → i before lower-casing, so KIRGIZ finds Kırgızistan and İSTANBUL finds İstanbul, which str.lower gets wrong)
and plain case folding (so independence still finds Independence, which the Turkish one turns into ındependence).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import pyoxigraph as ox

from kg.server import ops
from kg.server.services import Services
from kg.vocab import BASE, CASD, GRAPH_INFERRED, RDFS, SKOS, compact

MAX_HITS = 50                   # hits in one answer, the best first
MAX_QUERY_CHARS = 100           # a longer ?q= is refused (400)
REMOTE_SECONDS = 300            # a remote store has no version to key on: its labels are read again this often

LABELS = f"""SELECT ?s ?l ?t WHERE {{
  ?s <{RDFS.label}>|<{SKOS.altLabel}> ?l .
  FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{BASE}") && isLiteral(?l))
  OPTIONAL {{ GRAPH ?g {{ ?s a ?t }} FILTER (?g != <{GRAPH_INFERRED}>) }}
}}"""


@dataclass(frozen=True)
class Hit:
    """One entity found: its IRI, the label that matched, that label's language (None if it has none), its type
    (compact, an asserted casd: class first) and its page on this server."""

    iri: str
    label: str
    lang: str | None
    type: str | None
    page: str


@dataclass(frozen=True)
class Entry:
    """One label of one IRI, with both foldings made once."""

    iri: str
    label: str
    lang: str | None
    turkish: str
    plain: str


@dataclass(frozen=True)
class LabelIndex:
    """Every label read from the store at one dataset version, and each IRI's type."""

    key: tuple[str, int]
    entries: tuple[Entry, ...]
    types: dict[str, str]


def turkish_fold(text: str) -> str:
    """Lower case by Turkish rules: I is the capital of ı, İ that of i."""
    return text.replace("I", "ı").replace("İ", "i").lower()


def plain_fold(text: str) -> str:
    """Lower case by Unicode's default rules."""
    return text.casefold()


def problem(q: str) -> str | None:
    """Why a query cannot be searched for (empty or too long), or None."""
    if not q.strip():
        return "Give a name to search for: /search?q=NAME."
    if len(q) > MAX_QUERY_CHARS:
        return f"The name searched for is longer than {MAX_QUERY_CHARS} characters."
    return None


def find(parts: Services, q: str, page_of: Callable[[str], str]) -> list[Hit]:
    """The entities with a label containing q (folded), one hit per IRI by its best label: equal, then starting
    with q, then containing it; shorter labels first. `page_of(iri)` is the IRI's page."""
    wanted = (turkish_fold(q.strip()), plain_fold(q.strip()))
    index = labels(parts)
    best: dict[str, tuple[tuple[int, int, str], Entry]] = {}
    for entry in index.entries:
        rank = _rank(entry, wanted)
        if rank is not None and (entry.iri not in best or (rank, len(entry.label), entry.label) < best[entry.iri][0]):
            best[entry.iri] = ((rank, len(entry.label), entry.label), entry)
    ordered = sorted(best.values(), key=lambda found: (found[0], found[1].iri))[:MAX_HITS]
    return [Hit(e.iri, e.label, e.lang, index.types.get(e.iri), page_of(e.iri)) for _, e in ordered]


def _rank(entry: Entry, wanted: tuple[str, str]) -> int | None:
    """0 for a label equal to the query, 1 for one starting with it, 2 for one containing it, else None."""
    ranks = [0 if have == want else 1 if have.startswith(want) else 2 if want in have else 3
             for have, want in zip((entry.turkish, entry.plain), wanted)]
    return min(ranks) if min(ranks) < 3 else None


def labels(parts: Services) -> LabelIndex:
    """The label index of the data served now: made again when the dataset version changes."""
    version = ops.dataset_version(parts)
    key = (version, int(time.monotonic() // REMOTE_SECONDS) if version == "remote" else 0)
    index = parts.labels
    if not isinstance(index, LabelIndex) or index.key != key:
        index = parts.labels = read(parts, key)
    return index


def read(parts: Services, key: tuple[str, int]) -> LabelIndex:
    """Every label and asserted type of the IRIs under the base, from the store."""
    entries: dict[tuple[str, str, str | None], Entry] = {}
    types: dict[str, set[str]] = {}
    for row in parts.store.query(LABELS):
        iri, label, kind = row["s"].value, row["l"], row["t"]
        if isinstance(label, ox.Literal):
            lang = label.language or None
            entries.setdefault((iri, label.value, lang), Entry(iri, label.value, lang, turkish_fold(label.value),
                                                               plain_fold(label.value)))
        if isinstance(kind, ox.NamedNode):
            types.setdefault(iri, set()).add(kind.value)
    return LabelIndex(key, tuple(entries.values()), {iri: _type(found) for iri, found in types.items()})


def _type(found: set[str]) -> str:
    """The type shown for an IRI: one of the ontology's classes if it has any, else any, compact."""
    ours = sorted(t for t in found if t.startswith(str(CASD)))
    return compact((ours or sorted(found))[0])
