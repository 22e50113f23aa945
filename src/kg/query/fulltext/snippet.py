"""The passage shown with a hit: pieces of the original text, each flagged where a query word matched."""
from __future__ import annotations

from kg.query.fulltext.fold import fold_word, spans, stem
from kg.query.fulltext.terms import Term

SNIPPET_CONTEXT = 80        # characters of context kept either side of the first match in a long text
ELLIPSIS = "…"

Pieces = tuple[tuple[str, bool], ...]


def matched_spans(text: str, terms: list[Term]) -> list[tuple[int, int]]:
    """(start, end) of each word of the text that a query term matches."""
    out = []
    for start, end in spans(text):
        word = text[start:end]
        folded = fold_word(word)
        if any(term.matches(folded, stem(word)) for term in terms):
            out.append((start, end))
    return out


def mark(text: str, terms: list[Term]) -> Pieces:
    """The whole text as pieces, the matched words flagged."""
    return _pieces(text, matched_spans(text, terms), 0, len(text))


def passage(text: str, terms: list[Term], context: int = SNIPPET_CONTEXT) -> Pieces:
    """A window of a long text around its first match (or its start), cut at word boundaries, pieces flagged."""
    found = matched_spans(text, terms)
    if not found:
        end = _cut_end(text, min(len(text), 2 * context), 0)
        return ((text[:end] + (ELLIPSIS if end < len(text) else ""), False),)
    first_start, first_end = found[0]
    start = _cut_start(text, max(0, first_start - context), first_start)
    end = _cut_end(text, min(len(text), first_end + context), first_end)
    pieces = list(_pieces(text, found, start, end))
    if start > 0:
        pieces.insert(0, (ELLIPSIS, False))
    if end < len(text):
        pieces.append((ELLIPSIS, False))
    return tuple(pieces)


def quote_passage(prefix: str, exact: str, suffix: str, terms: list[Term]) -> Pieces:
    """A quote in its context: the prefix and suffix as plain text, the exact words with their matches flagged."""
    pieces = ([(prefix, False)] if prefix else []) + list(mark(exact, terms)) + ([(suffix, False)] if suffix else [])
    return tuple(pieces)


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
