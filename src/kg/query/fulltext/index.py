"""The full-text side index: SQLite FTS5 in memory over every label, quote and source text, with Turkish folding
and stems on both sides (`fold`), queried by words, prefixes and phrases (`terms`), built from a store and kept
per data version (`index_for`)."""
from __future__ import annotations

import heapq
import itertools
import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import QueryError
from kg.query.fulltext import snippet
from kg.query.fulltext.collect import Entry, entries
from kg.query.fulltext.fold import fold_word, kept_words, stem
from kg.query.fulltext.terms import MAX_QUERY_CHARS, SearchRefused, match_expression, parse
from kg.store.protocol import Store

__all__ = ["Hit", "Index", "SearchRefused", "SearchTimeout", "build", "index_for", "MAX_HITS", "MAX_QUERY_CHARS"]

MAX_HITS = 1000             # hits of one search, at most
REMOTE_SECONDS = 60.0       # a remote store's index is rebuilt after this many seconds (its writes are not seen)
LOOKUP_BATCH = 20           # ranked rows whose entries are read in one statement, at least
PROGRESS_STEPS = 1000       # SQLite instructions between two looks at the deadline
EXACT_BONUS = 100.0         # added to an entity's score when its label is the query's words exactly
LABEL_WEIGHT, STEM_WEIGHT = 1.0, 0.5   # bm25 weights of the folded column and the stem column
KIND_ORDER = ("source", "entity", "quote")   # the order of the rows (a few long texts first)
GROUPS = (("source", "entity"), ("quote",))   # kinds ranked by one statement each (bm25 reads the index once for each)
MAX_RANKED = 500            # matches of one group ranked by bm25 (or `limit`, if more): ~1 µs each after ~1 ms of
                            # set-up; at 1M triples the top 20 of bench/search.py's queries are the same as with 1000
MAX_CACHED = 4              # indexes kept by index_for (one per store and sources folder)

SCHEMA = """
CREATE TABLE entry(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL, lang TEXT,
                   key TEXT NOT NULL, body TEXT NOT NULL, prefix TEXT NOT NULL, suffix TEXT NOT NULL);
CREATE INDEX entry_key ON entry(key, kind);  -- an entity's folded label, for exact matches
CREATE VIRTUAL TABLE fts USING fts5(folded, stems, content='', tokenize='unicode61 remove_diacritics 0',
                                    prefix='2 3 4');
"""


class SearchTimeout(QueryError):
    """A search that ran past its deadline and was interrupted."""


@dataclass(frozen=True)
class Hit:
    """One thing found: an entity (by a label), a quote, or a source document, with its passage."""

    iri: str
    kind: str                       # "entity" | "quote" | "source"
    score: float                    # higher is better
    label: str                      # the entity's label / the quote's exact words / the document's label
    lang: str | None
    snippet: tuple[tuple[str, bool], ...]   # the passage as pieces, True where a query word matched


def columns(text: str) -> tuple[str, str]:
    """The folded words and their stems, one for one, as the two indexed columns."""
    pairs = [(folded, word) for word in kept_words(text) if (folded := fold_word(word))]
    return " ".join(f for f, _ in pairs), " ".join(stem(word) or f for f, word in pairs)


class Index:
    """An SQLite FTS5 database in memory; one connection, used behind a lock by any thread. Rows are numbered by
    kind (KIND_ORDER) and, within a kind, shortest text first, so that each kind is one range of rowids."""

    def __init__(self, items: Iterable[Entry] = ()):
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._db.executescript(SCHEMA)
        self.ranges: dict[str, tuple[int, int]] = {}
        ordered = sorted(items, key=lambda e: (KIND_ORDER.index(e.kind), len(e.text)))
        texts = [columns(item.text) for item in ordered]
        with self._db:
            self._db.executemany(
                "INSERT INTO entry(id, iri, kind, label, lang, key, body, prefix, suffix) VALUES (?,?,?,?,?,?,?,?,?)",
                ((rowid, e.iri, e.kind, e.label, e.lang, folded if e.kind == "entity" else "", e.text, e.prefix,
                  e.suffix) for rowid, (e, (folded, _)) in enumerate(zip(ordered, texts), 1)))
            self._db.executemany("INSERT INTO fts(rowid, folded, stems) VALUES (?,?,?)",
                                 ((rowid, folded, stems) for rowid, (folded, stems) in enumerate(texts, 1)))
        for rowid, item in enumerate(ordered, 1):
            self.ranges[item.kind] = (self.ranges.get(item.kind, (rowid, rowid))[0], rowid)
        self.size = len(ordered)

    def search(self, q: str, limit: int = MAX_HITS, kinds: frozenset[str] | None = None,
               deadline: float | None = None) -> list[Hit]:
        """Hits for a query, best first, one per IRI; SearchRefused for a query we will not run, SearchTimeout
        past the deadline (a time.monotonic() value)."""
        terms = parse(q)
        limit = max(0, min(limit, MAX_HITS))
        wanted = [kind for kind in KIND_ORDER if kind in self.ranges and (kinds is None or kind in kinds)]
        if not limit or not wanted:
            return []
        expression = match_expression(terms)
        key = " ".join(w for term in terms for w in term.words)
        with self._lock:
            if deadline is not None:
                self._db.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
            try:
                ranked = [self._ranked(expression, [kind for kind in group if kind in wanted], max(MAX_RANKED, limit))
                          for group in GROUPS if any(kind in wanted for kind in group)]
                exact = [r[0] for r in self._db.execute("SELECT id FROM entry WHERE key = ? AND kind = 'entity'",
                                                        (key,))] if "entity" in wanted else []
                scores = {rowid: score for score, rowid in ranked[0]} if exact else {}
                best = sorted(((EXACT_BONUS + scores.get(rowid, 0.0), rowid) for rowid in exact), reverse=True)
                merged = heapq.merge(best, *ranked, key=lambda pair: pair[0], reverse=True)
                return self._hits(merged, snippet.Marker(terms), limit, deadline)
            except sqlite3.OperationalError as err:
                if "interrupt" in str(err):
                    raise SearchTimeout(f"search took longer than its time limit: {q[:40]!r}") from None
                raise
            finally:
                self._db.set_progress_handler(None, 0)

    def _ranked(self, expression: str, kinds: list[str], most: int) -> list[tuple[float, int]]:
        """(score, rowid) of the matches of kinds whose rows are contiguous, best first; if more than `most`
        match, the first `most` by rowid (the shortest texts, which bm25 favours) are ranked."""
        low, high = self.ranges[kinds[0]][0], self.ranges[kinds[-1]][1]
        cut = self._db.execute("SELECT rowid FROM fts WHERE fts MATCH ? AND rowid BETWEEN ? AND ? LIMIT 1 OFFSET ?",
                               (expression, low, high, most - 1)).fetchone()
        return self._db.execute(
            "SELECT -bm25(fts, ?, ?) AS score, rowid FROM fts WHERE fts MATCH ? AND rowid BETWEEN ? AND ? "
            "ORDER BY score DESC", (LABEL_WEIGHT, STEM_WEIGHT, expression, low, cut[0] if cut else high)).fetchall()

    def _hits(self, ranked: Iterable[tuple[float, int]], marker: snippet.Marker, limit: int,
              deadline: float | None) -> list[Hit]:
        """The first `limit` distinct IRIs of the ranked rows, with their snippets (rows read LOOKUP_BATCH at once)."""
        hits: dict[str, Hit] = {}
        ranked = iter(ranked)
        while len(hits) < limit and (batch := list(itertools.islice(ranked, max(limit - len(hits), LOOKUP_BATCH)))):
            if deadline is not None and time.monotonic() > deadline:
                raise sqlite3.OperationalError("interrupted")
            ids = [rowid for _, rowid in batch]
            rows = {row[0]: row[1:] for row in self._db.execute(
                "SELECT id, iri, kind, label, lang, body, prefix, suffix FROM entry WHERE id IN (SELECT value FROM "
                "json_each(?))", (json.dumps(ids),))}
            for score, rowid in batch:
                row = rows[rowid]
                if row[0] not in hits and len(hits) < limit:
                    hits[row[0]] = _hit(row, marker, score)
        return list(hits.values())


def _hit(row: tuple, marker: snippet.Marker, score: float) -> Hit:
    iri, kind, label, lang, body, prefix, suffix = row
    if kind == "quote":
        pieces = marker.quote(prefix, body, suffix)
    elif kind == "source":
        pieces = marker.passage(body)
    else:
        pieces = marker.mark(body)
    return Hit(iri, kind, float(score), label, lang, pieces)


def build(store: Store, sources_root: Path) -> Index:
    """The index of a store's labels, quotes and the source texts it names (read under sources_root)."""
    return Index(entries(store, sources_root))


_CACHE: dict[tuple[int, str], tuple[Store, int | None, float, Index]] = {}
_CACHE_LOCK = threading.Lock()


def index_for(store: Store, sources_root: Path) -> Index:
    """The index of the store's current data: rebuilt when its version changes (a write is seen at the next
    search), or for a remote store (no version) after REMOTE_SECONDS."""
    key = (id(store), str(sources_root))
    with _CACHE_LOCK:
        found = _CACHE.get(key)
        now = time.monotonic()
        if found is not None and found[0] is store:
            _, version, made, index = found
            if store.version is not None and version == store.version:
                return index
            if store.version is None and version is None and now - made < REMOTE_SECONDS:
                return index
        version = store.version
        index = build(store, sources_root)
        while len(_CACHE) >= MAX_CACHED:
            del _CACHE[next(iter(_CACHE))]
        _CACHE[key] = (store, version, now, index)
        return index
