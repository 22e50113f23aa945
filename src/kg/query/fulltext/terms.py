"""A search query read into terms (words, prefixes, "phrases") and written as an FTS5 MATCH expression made only
of our own folded tokens, each in double quotes, so that no FTS5 syntax in the query can reach SQLite."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import QueryError
from kg.query.fulltext.fold import STOP_WORDS, fold_word, kept_words, stem

MAX_QUERY_CHARS = 200       # a search query longer than this is refused
MAX_TERMS = 16              # words and phrases of one query, beyond which it is refused
MIN_PREFIX = 2              # a query word shorter than this matches only itself, not as a prefix
MIN_STEM = 3                # a stem shorter than this is not used as a prefix (it would match too much)
QUOTES = '"“”„«»'


class SearchRefused(QueryError):
    """A search query we will not run: empty, too long, or only stop words; the message says what to change."""


@dataclass(frozen=True)
class Term:
    """One query term: a word (matched as a prefix and by its stem) or a phrase of words in order."""

    words: tuple[str, ...]         # folded
    stems: tuple[str, ...]
    phrase: bool


def parse(q: str) -> list[Term]:
    """The terms of a query: words, and "phrases" between double quotes; stray quotes and FTS5 syntax are plain
    text here (a trailing * changes nothing: every word of MIN_PREFIX letters or more is matched as a prefix)."""
    if not q.strip():
        raise SearchRefused("empty search: type one or more words")
    if len(q) > MAX_QUERY_CHARS:
        raise SearchRefused(f"search too long ({len(q)} characters): use at most {MAX_QUERY_CHARS}")
    normal = re.sub(f"[{QUOTES}]", '"', q)
    pieces = normal.split('"')
    if len(pieces) % 2 == 0:        # an unbalanced quote: the last one is a stray and is ignored
        pieces[-2:] = [pieces[-2] + " " + pieces[-1]]
    terms: list[Term] = []
    for i, piece in enumerate(pieces):
        originals = kept_words(piece)
        found = [(fold_word(word), stem(word)) for word in originals]      # stemmed as typed (ı, ş, ğ matter)
        if i % 2 == 1 and len(found) > 1:
            terms.append(Term(tuple(w for w, _ in found), tuple(s for _, s in found), True))
        else:
            terms += [Term((w,), (s,), False) for w, s in found]
    kept = [t for t in terms if not all(w in STOP_WORDS for w in t.words)]
    if not terms:
        raise SearchRefused("nothing to search for: type words of letters or digits")
    if not kept:
        raise SearchRefused("every word is too common to search for (" + ", ".join(
            sorted({w for t in terms for w in t.words})) + "): add a more specific word")
    if len(kept) > MAX_TERMS:
        raise SearchRefused(f"too many words ({len(kept)}): use at most {MAX_TERMS}")
    return kept


def _q(token: str) -> str:
    """A token in double quotes (our tokens hold only letters and digits; any quote would be doubled anyway)."""
    return '"' + token.replace('"', '""') + '"'


def match_expression(terms: list[Term]) -> str:
    """The FTS5 MATCH text: every term must match (AND); a word as a prefix of the folded column, as a prefix by
    its stem, or by equal stems in the stem column; a phrase as its words in order, each a prefix."""
    parts = []
    for term in terms:
        if term.phrase:
            folded = " + ".join(_q(w) + "*" for w in term.words)
            stems = " + ".join(_q(s) for s in term.stems)
            parts.append(f"(folded : ({folded}) OR stems : ({stems}))")
            continue
        w, s = term.words[0], term.stems[0]
        if len(w) < MIN_PREFIX:                    # "k*" would read every word: one letter is a word of its own
            parts.append(f"folded : {_q(w)}")
            continue
        options = [f"stems : {_q(s)}"]
        if len(s) >= MIN_STEM:                     # a text word that starts with the stem ("kazakista"*) …
            options.append(f"folded : {_q(s)}*")
        if not (len(s) >= MIN_STEM and w.startswith(s)):   # … or with the word, unless the stem covers that
            options.append(f"folded : {_q(w)}*")
        parts.append("(" + " OR ".join(options) + ")")
    return " AND ".join(parts)
