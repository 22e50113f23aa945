"""The full-text search pattern of SPARQL, `?hit casd:search "words"`, answered before the engine sees the query.

Two forms, each a triple pattern of its own (followed by `.` or the end of its group):

    ?hit casd:search "imamali rahman" .
    (?hit ?score ?snippet) casd:search "imamali rahman" .

The pattern is replaced, where it stands, by a VALUES block of the index's hits (kg.query.fulltext.index): the
IRIs of the entities, quotes and source texts found, best first, each with its score (xsd:double, higher is
better) and a passage of its text. So the engine evaluates an ordinary query, within the same timeout and row
cap, and a search joins with everything else. The pattern is found with the tokeniser that reads a request the
way the engine does (kg.sparql.lexer), so `casd:search` in a string or an IRI is left alone, and a use of
casd:search in any other shape is refused with the form it must take rather than passed on to match nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from kg.errors import QueryError
from kg.sparql.lexer import Token, declarations, resolve, tokens
from kg.vocab import CASD, XSD

SEARCH = str(CASD.search)
FORM = '?hit casd:search "words" .  or  (?hit ?score ?snippet) casd:search "words" .'
# Searches in one request, at most: each may stand for up to MAX_HITS rows of VALUES, so the text the engine is
# given stays bounded (thousands of patterns fit in a request and would have made gigabytes of VALUES).
MAX_SEARCHES = 8
_STRING_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


@dataclass(frozen=True)
class Found:
    """One search pattern in a request: the span of text it takes, its variables, and the words searched for."""

    start: int
    end: int
    variables: tuple[str, ...]
    words: str


@dataclass(frozen=True)
class Row:
    """One hit as the VALUES block gives it: an IRI, a score and a passage."""

    iri: str
    score: float
    snippet: str


def mentions_search(text: str) -> bool:
    """Whether a request may use the pattern at all (a cheap test before tokenising): its name, or an escape in
    an IRI that might spell it."""
    return "search" in text or "\\u" in text or "\\U" in text


def find(text: str, implicit: Mapping[str, str] | None = None) -> list[Found]:
    """Every search pattern in the request; QueryError for casd:search used in any other shape. `implicit` are
    prefixes declared outside the text (kg query's)."""
    toks = tokens(text)
    declared, base = declarations(toks)
    prefixes: dict[str, str | None] = {**(implicit or {}), **declared}
    found = []
    for i, tok in enumerate(toks):
        if tok.kind in ("iri", "pname") and resolve(tok, prefixes, base) == SEARCH:
            found.append(_pattern(text, toks, i))
    if len(found) > MAX_SEARCHES:
        raise QueryError(f"a request may search at most {MAX_SEARCHES} times (casd:search), this one {len(found)} times")
    return found


def _pattern(text: str, toks: list[Token], at: int) -> Found:
    """The pattern whose predicate is toks[at], or QueryError saying the form the pattern must take."""
    subject = _subject(toks, at)
    obj = at + 1
    if subject is None or obj >= len(toks) or toks[obj].kind != "string":
        raise QueryError(f"casd:search is a pattern of its own with a string of words: {FORM}")
    first, variables = subject
    end = obj + 1
    if end < len(toks) and toks[end].kind == "other" and toks[end].text.startswith("@"):
        end += 1                                                   # a language tag on the words: ignored
    if end < len(toks) and toks[end].text == ".":
        stop = toks[end].end
    elif end < len(toks) and toks[end].text == "}":
        stop = toks[end - 1].end
    else:
        raise QueryError(f"casd:search must end its triple pattern (no ; or , after it): {FORM}")
    before = toks[first - 1].text if first > 0 else ""
    if before not in ("{", ".", "}", ")"):
        raise QueryError(f"casd:search must start a triple pattern of its own: {FORM}")
    return Found(toks[first].start, stop, variables, _string_value(toks[obj].text))


def _subject(toks: list[Token], at: int) -> tuple[int, tuple[str, ...]] | None:
    """Where the subject of the pattern starts and its variables: ?hit, or a list of one to three variables."""
    if at >= 1 and toks[at - 1].kind == "var":
        return at - 1, (toks[at - 1].text[1:],)
    if at >= 3 and toks[at - 1].text == ")":
        i = at - 2
        while i >= 0 and toks[i].kind == "var":
            i -= 1
        names = tuple(t.text[1:] for t in toks[i + 1:at - 1])
        if i >= 0 and toks[i].text == "(" and 1 <= len(names) <= 3 and len(set(names)) == len(names):
            return i, names
    return None


def _string_value(literal: str) -> str:
    """A SPARQL string token's value: quotes removed, escapes decoded."""
    quote = 3 if literal[:3] in ('"""', "'''") else 1
    body = literal[quote:-quote]
    return _STRING_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if (m.group(1) or m.group(2))
                              else _ECHARS.get(m.group(3), m.group(0)), body)


def values(found: Found, rows: Sequence[Row]) -> str:
    """The VALUES block that stands for one pattern."""
    names = " ".join(f"?{name}" for name in found.variables)
    lines = [" ".join(_terms(row)[:len(found.variables)]) for row in rows]
    return f"VALUES ({names}) {{ " + " ".join(f"({line})" for line in lines) + " }"


def _terms(row: Row) -> tuple[str, str, str]:
    return f"<{row.iri}>", f'"{row.score!r}"^^<{XSD.double}>', _quoted(row.snippet)


def _quoted(text: str) -> str:
    """A string as a SPARQL literal: backslash, quote and line breaks escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def rewrite(text: str, search: Callable[[str], Sequence[Row]], implicit: Mapping[str, str] | None = None) -> str:
    """The request with each search pattern replaced by the VALUES block of its hits (`search(words)`)."""
    if not mentions_search(text):
        return text
    out, last = [], 0
    for found in find(text, implicit):
        out += [text[last:found.start], values(found, search(found.words))]
        last = found.end
    return "".join(out) + text[last:]
