"""The engine's syntax errors in words a person can act on.

pyoxigraph reports where parsing stopped and what its grammar could have read there, including character
classes of Unicode ranges (an undeclared prefix gives five lines of them). Here the position stays; an
undeclared prefix is named, a request that does not begin with a query form or update operation says so, and
the list of what was expected keeps only the words and punctuation a person would type.
"""
from __future__ import annotations

import re

from kg.sparql.lexer import tokens

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_OPERATIONS = ("INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD")
MAX_EXPECTED = 12         # alternatives listed at most

_WHERE = re.compile(r"^error at (\d+):(\d+): ")
_CLASS = re.compile(r"\[[^\[\]]*\]")
_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*')


def explain(message: str, text: str, kind: str = "query", known: tuple[str, ...] = ()) -> str:
    """A clearer message for a SyntaxError the engine raised on `text` (a query or an update); `known` are the
    prefixes declared for it outside the text."""
    where = _WHERE.match(message)
    position = f"error at {where.group(1)}:{where.group(2)}: " if where else ""
    undeclared = _undeclared_prefix(text, known) if "Prefix not found" in message else None
    if undeclared is not None:
        return f"{position}the prefix {undeclared}: is not declared (add PREFIX {undeclared}: <…> before the {kind})"
    first = _first_word(text)
    forms = QUERY_FORMS if kind == "query" else UPDATE_OPERATIONS
    if first is not None and first.upper() not in forms and first.upper() not in ("PREFIX", "BASE"):
        return f"{position}{'an' if kind == 'update' else 'a'} {kind} begins with {', '.join(forms[:-1])} or {forms[-1]} (after any PREFIX and BASE), not {first!r}"
    return position + _readable_expectations(message[where.end():] if where else message)


def _undeclared_prefix(text: str, known: tuple[str, ...]) -> str | None:
    declared, toks = set(known), tokens(text)
    for i, tok in enumerate(toks):
        if tok.is_word("PREFIX") and i + 1 < len(toks):
            declared.add(toks[i + 1].text.split(":")[0])
        elif tok.kind == "pname" and not tok.text.startswith("_:") and (i == 0 or not toks[i - 1].is_word("PREFIX")):
            prefix = tok.text.split(":")[0]
            if prefix not in declared:
                return prefix
    return None


def _first_word(text: str) -> str | None:
    """The first keyword after the prologue (PREFIX p: <iri> and BASE <iri> declarations)."""
    toks, i = tokens(text), 0
    while i < len(toks):
        if toks[i].is_word("PREFIX"):
            i += 3
        elif toks[i].is_word("BASE"):
            i += 2
        else:
            return toks[i].text if toks[i].kind == "word" else None
    return None


def _readable_expectations(rest: str) -> str:
    """'expected one of …' without character classes, and at most MAX_EXPECTED alternatives."""
    head, found, listed = rest.partition("expected one of ")
    if not found:
        return rest
    items = _ITEM.findall(_CLASS.sub("", listed.replace("\n", " ")))
    if not items:
        return head + "unexpected text here"
    more = len(items) - MAX_EXPECTED
    return head + "expected one of " + ", ".join(items[:MAX_EXPECTED]) + (f" (and {more} more)" if more > 0 else "")
