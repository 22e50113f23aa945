"""Refuse queries and updates that nest deeper than a named limit, before the engine parses them.

The engine's parser is recursive, and its cost grows steeply with depth: 80 nested `[ ]` took 1.4 s, 160 took
22 s; 3,000 nested OPTIONAL took 22 s (measured on pyoxigraph 0.5.13). A depth counts the brackets `{ ( [` open
at a point, plus the prefix operators `! + -` written in a row there (each one is a level of the expression
tree). Real queries stay far below the limit; the deep-stack threads (`kg.deepstack`) are the second line.
"""
from __future__ import annotations

import re

from kg.errors import QueryError
from kg.sparql.lexer import tokens

MAX_NESTING = 64

_OPEN, _CLOSE, _PREFIX_OPERATORS = "{([", "})]", "!+-"
_LONG_RUN = re.compile(r"[!+\-](?:\s*[!+\-]){%d}" % (MAX_NESTING // 2))


def depth(text: str) -> int:
    """The deepest nesting of brackets and prefix operators outside strings, IRIs and comments."""
    deepest = level = run = 0
    for tok in tokens(text):
        if tok.kind != "other":
            run = 0
            continue
        if tok.text in _OPEN:
            level, run = level + 1, 0
        elif tok.text in _CLOSE:
            level, run = max(0, level - 1), 0
        elif tok.text in _PREFIX_OPERATORS:
            run += 1
        else:
            run = 0
        deepest = max(deepest, level + run)
    return deepest


def check(text: str, what: str = "request") -> None:
    """Raise QueryError, naming the limit, if the text nests deeper than MAX_NESTING."""
    if _surely_shallow(text):
        return
    found = depth(text)
    if found > MAX_NESTING:
        raise QueryError(f"the {what} nests {found} levels deep (brackets and prefix operators); this server "
                         f"refuses more than {MAX_NESTING} (MAX_NESTING) before parsing")


def _surely_shallow(text: str) -> bool:
    """True when counting characters alone proves the depth is within the limit (no tokenising: C speed)."""
    brackets = text.count("{") + text.count("(") + text.count("[")
    return brackets <= MAX_NESTING // 2 and _LONG_RUN.search(text) is None
