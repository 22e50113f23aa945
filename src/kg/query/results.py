"""Serialise SPARQL results: the standard formats from pyoxigraph's writers, and a text table."""
from __future__ import annotations

import pyoxigraph as ox

from kg.query import formats
from kg.errors import KgError
from kg.vocab import compact

FORMAT_NAMES = ["table", *(f.name for f in formats.FORMATS)]


def render(result: formats.Result, fmt: str = "table") -> str:
    """Text of a query result in the requested format; a graph result's table is Turtle."""
    kind = formats.result_kind(result)
    if fmt == "table":
        if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):     # kind "solutions"
            return _table(result)
        fmt = "turtle"
    chosen = formats.lookup(fmt)
    if chosen is None or chosen.kind != kind:
        names = ", ".join(f.name for f in formats.of_kind(kind))
        what = "a CONSTRUCT/DESCRIBE" if kind == "rdf" else "a SELECT/ASK"
        raise KgError(f"{what} result cannot be written as {fmt}; use one of table, {names}")
    return formats.serialize(result, chosen).decode("utf-8")


def rows(result: ox.QuerySolutions) -> list[dict[str, str]]:
    """SELECT solutions as dicts of plain strings (IRIs and literal values), for tests and tables."""
    names = [v.value for v in result.variables]
    return [{n: _plain(s[n]) for n in names if s[n] is not None} for s in result]


def _plain(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return term.value


def _table(result: ox.QuerySolutions | ox.QueryBoolean) -> str:
    if isinstance(result, ox.QueryBoolean):
        return "true" if bool(result) else "false"
    names = [v.value for v in result.variables]
    body = [[_cell(s[n]) for n in names] for s in result]
    widths = [max([len(n)] + [len(r[i]) for r in body]) for i, n in enumerate(names)]
    line = lambda cells: " | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(names), "-+-".join("-" * w for w in widths)] + [line(r) for r in body]
    out.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(out)


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        text = term.value.replace("\n", "\\n")
        return text + (f"@{term.language}" if term.language else "")
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    return f"_:{term.value}"
