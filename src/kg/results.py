"""Serialise SPARQL results: the standard formats from pyoxigraph's writers, and a text table."""
from __future__ import annotations

import pyoxigraph as ox

from kg.errors import KgError
from kg.namespaces import compact

SOLUTION_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
FORMAT_NAMES = ["table", *SOLUTION_FORMATS, *GRAPH_FORMATS]


def render(result, fmt: str = "table") -> str:
    """Text of a query result in the requested format; a graph result defaults to Turtle."""
    if isinstance(result, ox.QueryTriples):
        fmt = "turtle" if fmt == "table" else fmt
        if fmt not in GRAPH_FORMATS:
            raise KgError(f"a CONSTRUCT/DESCRIBE result cannot be written as {fmt}; use one of {', '.join(GRAPH_FORMATS)}")
        return result.serialize(format=GRAPH_FORMATS[fmt]).decode("utf-8")
    if fmt == "table":
        return _table(result)
    if fmt not in SOLUTION_FORMATS:
        raise KgError(f"a SELECT/ASK result cannot be written as {fmt}; use one of table, {', '.join(SOLUTION_FORMATS)}")
    return result.serialize(format=SOLUTION_FORMATS[fmt]).decode("utf-8")


def rows(result) -> list[dict[str, str]]:
    """SELECT solutions as dicts of plain strings (IRIs and literal values), for tests and tables."""
    names = [v.value for v in result.variables]
    return [{n: _plain(s[n]) for n in names if s[n] is not None} for s in result]


def _plain(term) -> str:
    return term.value


def _table(result) -> str:
    if isinstance(result, ox.QueryBoolean):
        return "true" if bool(result) else "false"
    names = [v.value for v in result.variables]
    body = [[_cell(s[n]) for n in names] for s in result]
    widths = [max([len(n)] + [len(r[i]) for r in body]) for i, n in enumerate(names)]
    line = lambda cells: " | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(names), "-+-".join("-" * w for w in widths)] + [line(r) for r in body]
    out.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(out)


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        text = term.value.replace("\n", "\\n")
        return text + (f"@{term.language}" if term.language else "")
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    return f"_:{term.value}"
