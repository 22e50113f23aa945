"""The deeply nested and long-chained texts that crashed the engine (issue 10), and a live server to feed them to.

CRASH_DEPTHS are the depths at which each construct overflowed an ordinary 8 MiB thread's stack in
pyoxigraph 0.5.13, as measured when the issue was filed; for blank-node brackets and collections, the depths
that took 50 s and 22 s to parse. `build(name, n)` writes the construct n deep.
"""
from __future__ import annotations

from pathlib import Path

CRASH_DEPTHS = {"brace": 2500, "paren": 4670, "optional": 2922, "not": 9345, "and": 9346, "plus": 6883,
                "union": 6543, "path-paren": 13761, "update-brace": 1000, "bnode": 800, "collection": 200}

_TEMPLATES = {
    "brace": ("SELECT * WHERE ", "{", "", "}", ""),
    "paren": ("SELECT * WHERE { FILTER(", "(", "1", ")", ") }"),
    "optional": ("SELECT * WHERE { ?s ?p ?o ", "OPTIONAL { ?s ?p ?o ", "", "}", " }"),
    "not": ("SELECT * WHERE { FILTER(", "!", "true", "", ") }"),
    "and": ("SELECT * WHERE { FILTER(true", "&&true", "", "", ") }"),
    "plus": ("SELECT * WHERE { FILTER(1", "+1", "", "", " > 0) }"),
    "union": ("SELECT * WHERE { {?s ?p ?o}", "UNION{?s ?p ?o}", "", "", " }"),
    "path-paren": ("SELECT * WHERE { ?s ", "(", "<http://p>", ")", " ?o }"),
    "bnode": ("SELECT * WHERE { ?s ?p ", "[ ?p ", "1", " ]", " }"),
    "collection": ("SELECT * WHERE { ?s ?p ", "( ", "1", " )", " }"),
    "update-brace": ("INSERT { <urn:x:a> <urn:x:b> <urn:x:c> } WHERE ", "{", "", "}", ""),
}


def build(name: str, n: int) -> str:
    """The construct `name` repeated (nested or chained) n times."""
    head, open_, middle, close, tail = _TEMPLATES[name]
    return head + open_ * n + middle + close * n + tail


def longest(name: str, limit: int) -> int:
    """The largest n whose text still fits in `limit` characters."""
    head, open_, middle, close, tail = _TEMPLATES[name]
    return (limit - len(head) - len(middle) - len(tail)) // (len(open_) + len(close))


def children(pid: int) -> set[int]:
    """The processes a process started (its HTTP workers), from /proc."""
    return {int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()}
