"""The passage shown with a hit: pieces of the original text, each flagged where a query word matched.

A word is marked when its folded form starts with a query word or with a query word's stem (one regular expression
over the folded text, which keeps the original's offsets); where folding changes the length (text that arrives
decomposed), each word is folded on its own instead. A word found only by an equal stem is not marked."""
from __future__ import annotations

import functools
import re

from kg.query.fulltext.fold import fold, fold_word, word_spans
from kg.query.fulltext.terms import MIN_PREFIX, MIN_STEM, Term

SNIPPET_CONTEXT = 80        # characters of context kept either side of the first match in a long text
ELLIPSIS = "…"
FOLDED_CACHE = 1024         # texts whose folded form is kept (the same source texts come back search after search)

Pieces = tuple[tuple[str, bool], ...]


@functools.lru_cache(maxsize=FOLDED_CACHE)
def _folded(text: str) -> str:
    return fold(text)


class Marker:
    """The words a query marks, as one compiled pattern over folded text."""

    def __init__(self, terms: list[Term]):
        starts = {w for t in terms for w in t.words if len(w) >= MIN_PREFIX}
        starts |= {s for t in terms for s in t.stems if len(s) >= MIN_STEM}
        whole = {w for t in terms for w in t.words if len(w) < MIN_PREFIX}
        alternatives = "|".join([re.escape(s) + "[^\\W_]*" for s in sorted(starts, key=len, reverse=True)]
                                + [re.escape(w) + "(?![^\\W_])" for w in sorted(whole)])
        self.word = re.compile(f"(?:{alternatives})")
        self.pattern = re.compile(f"(?<![^\\W_])(?:{alternatives})")

    def spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """(start, end) of each matched word of text[start:end]."""
        end = len(text) if end is None else end
        folded = _folded(text)
        if len(folded) == len(text):
            return [m.span() for m in self.pattern.finditer(folded, start, end)]
        return [(s, e) for s, e in word_spans(text)
                if s >= start and e <= end and self.word.fullmatch(fold_word(text[s:e]))]

    def first(self, text: str) -> tuple[int, int] | None:
        """The first matched word of the text, if any."""
        folded = _folded(text)
        if len(folded) == len(text):
            match = self.pattern.search(folded)
            return match.span() if match else None
        found = self.spans(text)
        return found[0] if found else None

    def mark(self, text: str) -> Pieces:
        """The whole text as pieces, the matched words flagged."""
        return _pieces(text, self.spans(text), 0, len(text))

    def passage(self, text: str, context: int = SNIPPET_CONTEXT) -> Pieces:
        """A window of a long text around its first match (or its start), cut at word boundaries, flagged."""
        first = self.first(text)
        if first is None:
            end = _cut_end(text, min(len(text), 2 * context), 0)
            return ((text[:end] + (ELLIPSIS if end < len(text) else ""), False),)
        start = _cut_start(text, max(0, first[0] - context), first[0])
        end = _cut_end(text, min(len(text), first[1] + context), first[1])
        pieces = list(_pieces(text, self.spans(text, start, end), start, end))
        if start > 0:
            pieces.insert(0, (ELLIPSIS, False))
        if end < len(text):
            pieces.append((ELLIPSIS, False))
        return tuple(pieces)

    def quote(self, prefix: str, exact: str, suffix: str) -> Pieces:
        """A quote in its context: the prefix and suffix as plain text, the exact words flagged."""
        return tuple(([(prefix, False)] if prefix else []) + list(self.mark(exact))
                     + ([(suffix, False)] if suffix else []))


def _cut_start(text: str, at: int, limit: int) -> int:
    """The first word boundary at or after `at`, never past `limit`."""
    while 0 < at < limit and not text[at - 1].isspace():
        at += 1
    return at


def _cut_end(text: str, at: int, limit: int) -> int:
    """The last word boundary at or before `at`, never before `limit`."""
    while limit < at < len(text) and not text[at].isspace():
        at -= 1
    return at


def _pieces(text: str, found: list[tuple[int, int]], start: int, end: int) -> Pieces:
    pieces: list[tuple[str, bool]] = []
    at = start
    for s, e in found:
        if s < start or e > end:
            continue
        if s > at:
            pieces.append((text[at:s], False))
        pieces.append((text[s:e], True))
        at = e
    if at < end:
        pieces.append((text[at:end], False))
    return tuple(pieces)
