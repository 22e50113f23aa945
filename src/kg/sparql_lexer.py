"""A small SPARQL tokeniser: enough to find the IRIs a request would fetch and where USING clauses go.

It never decides whether a query is valid (the engine's parser does that); it only sees keywords, IRIs,
prefixed names and variables outside strings and comments, so that a query that merely mentions a word
such as SERVICE in a string or a comment is not mistaken for one that uses it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urljoin

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*)?:(?:[\w:%\\\-\u00B7-\uFFFF](?:[\w.:%\\\-\u00B7-\uFFFF]*[\w:%\\\-\u00B7-\uFFFF])?)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[0-9]+)
  | (?P<other>.)
""", re.X | re.S)


_TAIL_LIMIT = re.compile(r"(?<![\w:])LIMIT\s+([0-9]+)", re.I)
_COMMENT = re.compile(r"#[^\n\r]*")


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind, its text and where it starts in the request."""

    kind: str
    text: str
    start: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


def tokens(text: str) -> list[Token]:
    """The significant tokens of a query or update (no whitespace, no comments)."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), m.start()))
    return out


def resolve(token: Token, prefixes: dict[str, str], base: str | None) -> str | None:
    """The absolute IRI an IRI token or prefixed name stands for; None if it is neither or cannot be resolved."""
    if token.kind == "iri":
        ref = token.text[1:-1]
        return urljoin(base, ref) if base else ref
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None


def declarations(toks: list[Token]) -> tuple[dict[str, str], str | None]:
    """The PREFIX and (last) BASE declarations of a request, in order of appearance."""
    prefixes: dict[str, str] = {}
    base = None
    for i, tok in enumerate(toks[:-1]):
        nxt = toks[i + 1]
        if tok.is_word("BASE") and nxt.kind == "iri":
            base = resolve(nxt, prefixes, base)
        elif tok.is_word("PREFIX") and nxt.kind == "pname" and i + 2 < len(toks) and toks[i + 2].kind == "iri":
            prefixes[nxt.text[:-1] if nxt.text.endswith(":") else nxt.text.split(":")[0]] = resolve(toks[i + 2], prefixes, base)
    return prefixes, base


def mentions(text: str, *words: str) -> bool:
    """Whether any of the words occurs at all, in any case: if not, no token can be that keyword (a cheap pre-check)."""
    folded = text.casefold()
    return any(word.casefold() in folded for word in words)


def top_level_limit(text: str) -> int | None:
    """The LIMIT of a query's outermost SELECT (outside every brace), if it has one."""
    if not mentions(text, "LIMIT"):
        return None
    tail = text[text.rfind("}") + 1:]
    if not any(c in tail for c in "\"'<\\"):    # only keywords, numbers and comments after the last brace
        found = _TAIL_LIMIT.search(_COMMENT.sub("", tail))
        if found:
            return int(found.group(1))
    depth, toks = 0, tokens(text)
    for i, tok in enumerate(toks):
        if tok.kind == "other" and tok.text == "{":
            depth += 1
        elif tok.kind == "other" and tok.text == "}":
            depth -= 1
        elif depth == 0 and tok.is_word("LIMIT") and i + 1 < len(toks) and toks[i + 1].kind == "number":
            return int(toks[i + 1].text)
    return None


def operations(toks: list[Token]) -> Iterator[list[Token]]:
    """Split an update request into its operations at top-level semicolons."""
    depth, current = 0, []
    for tok in toks:
        if tok.text in "{([" and tok.kind == "other":
            depth += 1
        elif tok.text in "})]" and tok.kind == "other":
            depth -= 1
        if tok.kind == "other" and tok.text == ";" and depth == 0:
            yield current
            current = []
        else:
            current.append(tok)
    if current:
        yield current


class DatasetConflict(ValueError):
    """An update names its dataset (USING/WITH) and the protocol request names one too."""


def add_using(text: str, using: list[str], using_named: list[str]) -> str:
    """The update with the protocol's using-graph-uri/using-named-graph-uri as USING clauses of each modify operation."""
    if not using and not using_named:
        return text
    toks = tokens(text)
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    inserts = []
    for op in operations(toks):
        words = [t for t in op if t.kind == "word"]
        if any(t.is_word("USING", "WITH") for t in words):
            raise DatasetConflict("the update has USING or WITH and the request has using-graph-uri/using-named-graph-uri")
        first = next((t for t in words if t.is_word("DELETE", "INSERT")), None)
        if first is None:
            continue
        where = _top_level_where(op)
        following = op[op.index(first) + 1] if op.index(first) + 1 < len(op) else None
        if where is not None and not (following is not None and following.is_word("WHERE", "DATA")):
            inserts.append(where.start)
    for pos in sorted(inserts, reverse=True):
        text = text[:pos] + clause + text[pos:]
    return text


def _top_level_where(op: list[Token]) -> Token | None:
    depth = 0
    for tok in op:
        if tok.kind == "other" and tok.text in "{([":
            depth += 1
        elif tok.kind == "other" and tok.text in "})]":
            depth -= 1
        elif depth == 0 and tok.is_word("WHERE"):
            return tok
    return None
