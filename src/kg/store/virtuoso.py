"""Virtuoso's dialect, as kg's remote-store client meets it (docs/remote-stores.md lists the differences).

Virtuoso (tested: Debian's virtuoso-opensource 7.2.5) answers queries and updates at /sparql and the Graph
Store Protocol at /sparql-graph-crud. Its default graph is the union of all graphs, its own included (the
RDF views' metadata, LDP's vocabulary, a service description named after the endpoint): kg leaves those out
of the graphs it lists and counts. It has no default graph of its own to write into, keeps no empty graphs,
carries out DROP ALL / CLEAR ALL / DROP NAMED as no-ops while saying they were done, and refuses DROP GRAPH
for a graph that was never made with CREATE GRAPH: kg sends those as CLEAR GRAPH of each graph instead.
"""
from __future__ import annotations

import re
from typing import Callable
from urllib.parse import urlsplit

from kg.sparql.lexer import Token, operations, tokens
from kg.vocab import LDP, VIRTRDF

# Graphs every Virtuoso holds for itself; its service description graph is found by what it says.
OWN_GRAPHS = (VIRTRDF, LDP)
SERVICE_GRAPHS = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a "
                  "<http://www.w3.org/ns/sparql-service-description#Service> } }")
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"   # sent when an answer reached the server's ResultSetMaxRows
# Its results name a blank node "nodeID://b10000", which is no blank node label: the label is what follows.
_NODE_ID = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*"|<bnode>)nodeID://')


def is_endpoint(url: str) -> bool:
    """Whether a store URL is Virtuoso's layout: its SPARQL endpoint at /sparql on the server's root."""
    return urlsplit(url).path.rstrip("/") == "/sparql"


def graph_store(url: str) -> str:
    """The Graph Store Protocol endpoint beside a Virtuoso /sparql endpoint."""
    return url.rstrip("/") + "-graph-crud"


def readable_results(body: bytes) -> bytes:
    """SPARQL results (JSON or XML) with Virtuoso's blank node names made labels (nodeID://b1 -> b1)."""
    return _NODE_ID.sub(rb"\1", body)


def not_in(graphs: list[str]) -> str:
    """A FILTER that leaves the graphs out of a pattern on ?g (nothing if there are none)."""
    return f"FILTER (?g NOT IN ({', '.join(f'<{g}>' for g in graphs)}))" if graphs else ""


def rewrite_update(text: str, user_graphs: Callable[[], list[str]]) -> str | None:
    """The update as Virtuoso must be sent it to do what SPARQL 1.1 says; None when nothing is left to do.

    DROP/CLEAR [SILENT] ALL|NAMED become CLEAR SILENT GRAPH for each of `user_graphs()` (asked only then);
    DROP [SILENT] GRAPH g becomes CLEAR [SILENT] GRAPH g; DROP/CLEAR [SILENT] DEFAULT are left out (there is
    no default graph of its own to empty). Other operations go as they are. The text is unchanged when no
    operation needs it, so Virtuoso's own messages quote what the client sent.
    """
    toks = tokens(text)
    if not any(t.is_word("DROP", "CLEAR") for t in toks):
        return text
    sent, pending, changed = [], "", False
    for op in operations(toks):
        body = _after_prologue(op)
        prologue = pending + (text[op[0].start:body[0].start] if body else _span(text, op))
        if not body:
            pending = prologue
            continue
        replacement = _replace(text, body, user_graphs)
        if replacement is None:
            sent.append(prologue + _span(text, body))
            pending = ""
            continue
        changed = True
        pending = "" if replacement else prologue
        if replacement:
            sent.append(prologue + replacement)
    if not changed:
        return text
    return " ;\n".join(sent) if sent else None


def _replace(text: str, body: list[Token], user_graphs: Callable[[], list[str]]) -> str | None:
    """The text an operation becomes ('' for none), or None to leave it as it is."""
    if not body[0].is_word("DROP", "CLEAR"):
        return None
    rest = body[1:]
    silent = bool(rest) and rest[0].is_word("SILENT")
    target = rest[1:] if silent else rest
    if len(target) == 1 and target[0].is_word("ALL", "NAMED"):
        return " ;\n".join(f"CLEAR SILENT GRAPH <{g}>" for g in user_graphs())
    if len(target) == 1 and target[0].is_word("DEFAULT"):
        return ""
    if body[0].is_word("DROP") and len(target) == 2 and target[0].is_word("GRAPH"):
        return "CLEAR " + text[rest[0].start:body[-1].end]
    return None


def _after_prologue(op: list[Token]) -> list[Token]:
    """The operation without its leading PREFIX and BASE declarations."""
    i = 0
    while i < len(op):
        if op[i].is_word("PREFIX") and i + 2 < len(op):
            i += 3
        elif op[i].is_word("BASE") and i + 1 < len(op):
            i += 2
        else:
            break
    return op[i:]


def _span(text: str, toks: list[Token]) -> str:
    return text[toks[0].start:toks[-1].end] + " " if toks else ""
