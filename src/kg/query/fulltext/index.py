"""The full-text side index: SQLite FTS5 in memory over every label, quote and source text, with Turkish folding
and stems on both sides (`fold`), queried by words, prefixes and phrases (`terms`), built from a store and kept
per data version (`index_for`)."""
from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import QueryError
from kg.query.fulltext import snippet
from kg.query.fulltext.collect import Entry, entries
from kg.query.fulltext.fold import fold_word, stem, word_spans
from kg.query.fulltext.terms import MAX_QUERY_CHARS, SearchRefused, match_expression, parse
from kg.store.protocol import Store

__all__ = ["Hit", "Index", "SearchRefused", "SearchTimeout", "build", "index_for", "MAX_HITS", "MAX_QUERY_CHARS"]

MAX_HITS = 1000             # hits of one search, at most
REMOTE_SECONDS = 60.0       # a remote store's index is rebuilt after this many seconds (its writes are not seen)
PROGRESS_STEPS = 1000       # SQLite instructions between two looks at the deadline
EXACT_BONUS = 100.0         # added to an entity's score when its label is the query's words exactly
LABEL_WEIGHT, STEM_WEIGHT = 1.0, 0.5   # bm25 weights of the folded column and the stem column
KINDS = frozenset({"entity", "quote", "source"})
MAX_CACHED = 4              # indexes kept by index_for (one per store and sources folder)

SCHEMA = """
CREATE TABLE entry(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL, lang TEXT,
                   key TEXT NOT NULL, body TEXT NOT NULL, prefix TEXT NOT NULL, suffix TEXT NOT NULL);
CREATE INDEX entry_key ON entry(key, kind);
CREATE VIRTUAL TABLE fts USING fts5(folded, stems, content='', tokenize='unicode61 remove_diacritics 0',
                                    prefix='2 3 4');
"""
SELECT = """SELECT e.id, e.iri, e.kind, e.label, e.lang, e.body, e.prefix, e.suffix, -bm25(fts, ?, ?) AS score
            FROM fts JOIN entry e ON e.id = fts.rowid WHERE fts MATCH ? {where} ORDER BY score DESC"""


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
    folded, stems = [], []
    for start, end in word_spans(text):
        word = text[start:end]
        if folded_word := fold_word(word):
            folded.append(folded_word)
            stems.append(stem(word) or folded_word)
    return " ".join(folded), " ".join(stems)


class Index:
    """An SQLite FTS5 database in memory; one connection, used behind a lock by any thread."""

    def __init__(self, items: Iterable[Entry] = ()):
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._db.executescript(SCHEMA)
        self.size = 0
        self.add(items)

    def add(self, items: Iterable[Entry]) -> None:
        """Index more entries."""
        with self._lock, self._db:
            for item in items:
                folded, stems = columns(item.text)
                cur = self._db.execute(
                    "INSERT INTO entry(iri, kind, label, lang, key, body, prefix, suffix) VALUES (?,?,?,?,?,?,?,?)",
                    (item.iri, item.kind, item.label, item.lang, folded if item.kind == "entity" else "",
                     item.text, item.prefix, item.suffix))
                self._db.execute("INSERT INTO fts(rowid, folded, stems) VALUES (?,?,?)", (cur.lastrowid, folded, stems))
                self.size += 1

    def search(self, q: str, limit: int = MAX_HITS, kinds: frozenset[str] | None = None,
               deadline: float | None = None) -> list[Hit]:
        """Hits for a query, best first, one per IRI; SearchRefused for a query we will not run, SearchTimeout
        past the deadline (a time.monotonic() value)."""
        terms = parse(q)
        limit = max(0, min(limit, MAX_HITS))
        wanted = sorted(KINDS if kinds is None else kinds & KINDS)
        if not limit or not wanted:
            return []
        where = "AND e.kind IN (" + ",".join("?" * len(wanted)) + ")"
        args = (LABEL_WEIGHT, STEM_WEIGHT, match_expression(terms), *wanted)
        key = " ".join(w for term in terms for w in term.words)
        with self._lock:
            if deadline is not None:
                self._db.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
            try:
                exact = self._db.execute(SELECT.format(where=where + " AND e.key = ?"), (*args, key)).fetchall()
                cursor = self._db.execute(SELECT.format(where=where), args)
                return self._hits(exact, cursor, snippet.Marker(terms), limit)
            except sqlite3.OperationalError as err:
                if "interrupt" in str(err):
                    raise SearchTimeout(f"search took longer than its time limit: {q[:40]!r}") from None
                raise
            finally:
                self._db.set_progress_handler(None, 0)

    def _hits(self, exact: list[tuple], cursor: sqlite3.Cursor, marker: snippet.Marker, limit: int) -> list[Hit]:
        hits: dict[str, Hit] = {}
        for row in exact:
            if len(hits) < limit and row[1] not in hits:
                hits[row[1]] = _hit(row, marker, EXACT_BONUS)
        for row in cursor:
            if len(hits) >= limit:
                break
            if row[1] not in hits:
                hits[row[1]] = _hit(row, marker, 0.0)
        return list(hits.values())


def _hit(row: tuple, marker: snippet.Marker, bonus: float) -> Hit:
    _, iri, kind, label, lang, body, prefix, suffix, score = row
    if kind == "quote":
        pieces = marker.quote(prefix, body, suffix)
    elif kind == "source":
        pieces = marker.passage(body)
    else:
        pieces = marker.mark(body)
    return Hit(iri, kind, float(score) + bonus, label, lang, pieces)


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
