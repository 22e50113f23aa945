"""The one table of result and RDF formats: the CLI, content negotiation and the service description read it."""
from __future__ import annotations

import re

import functools
import itertools
import json
from dataclasses import dataclass
from typing import Iterable, Protocol

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header
from kg.vocab import FORMATS_NS

W3C_FORMATS = str(FORMATS_NS)


@dataclass(frozen=True)
class Format:
    """A serialisation: its short name (for ?format= and --format), media type and writer."""

    name: str
    media_type: str
    kind: str            # "solutions" (SELECT/ASK results) or "rdf" (graphs and datasets)
    writer: ox.QueryResultsFormat | ox.RdfFormat   # pyoxigraph's, by kind
    w3c: str             # its IRI in http://www.w3.org/ns/formats/
    datasets: bool = False   # writes named graphs (N-Quads, TriG)

    @property
    def content_type(self) -> str:
        """The Content-Type header of an answer in this format (every format here is UTF-8)."""
        return f"{self.media_type}; charset=utf-8"

    @property
    def results_format(self) -> ox.QueryResultsFormat:
        """pyoxigraph's writer and parser of a "solutions" format; TypeError for an RDF format."""
        if not isinstance(self.writer, ox.QueryResultsFormat):
            raise TypeError(f"{self.name} is not a query results format")
        return self.writer

    @property
    def rdf_format(self) -> ox.RdfFormat:
        """pyoxigraph's writer and parser of an "rdf" format; TypeError for a query results format."""
        if not isinstance(self.writer, ox.RdfFormat):
            raise TypeError(f"{self.name} is not an RDF format")
        return self.writer


class GraphAnswer(Protocol):
    """A CONSTRUCT/DESCRIBE answer that is not pyoxigraph's own (kg.store.remote.GraphResult), written the same way."""

    is_graph: bool

    def serialize(self, format: ox.RdfFormat) -> bytes:
        """The triples written in an RDF format."""


# What a store answers a query with: solutions (SELECT), a boolean (ASK), or triples (CONSTRUCT/DESCRIBE).
Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | GraphAnswer


FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "solutions", ox.QueryResultsFormat.JSON, W3C_FORMATS + "SPARQL_Results_JSON"),
    Format("xml", "application/sparql-results+xml", "solutions", ox.QueryResultsFormat.XML, W3C_FORMATS + "SPARQL_Results_XML"),
    Format("csv", "text/csv", "solutions", ox.QueryResultsFormat.CSV, W3C_FORMATS + "SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", "solutions", ox.QueryResultsFormat.TSV, W3C_FORMATS + "SPARQL_Results_TSV"),
    Format("turtle", "text/turtle", "rdf", ox.RdfFormat.TURTLE, W3C_FORMATS + "Turtle"),
    Format("ntriples", "application/n-triples", "rdf", ox.RdfFormat.N_TRIPLES, W3C_FORMATS + "N-Triples"),
    Format("rdfxml", "application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML, W3C_FORMATS + "RDF_XML"),
    Format("jsonld", "application/ld+json", "rdf", ox.RdfFormat.JSON_LD, W3C_FORMATS + "JSON-LD"),
    Format("nquads", "application/n-quads", "rdf", ox.RdfFormat.N_QUADS, W3C_FORMATS + "N-Quads", datasets=True),
    Format("trig", "application/trig", "rdf", ox.RdfFormat.TRIG, W3C_FORMATS + "TriG", datasets=True),
)

BY_NAME = {f.name: f for f in FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
# Media types clients send for the same formats.
ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml",
           "application/x-turtle": "turtle", "text/plain": "ntriples", "application/x-trig": "trig"}
# Names clients send as ?format=, ?output= or ?results= (SPARQLWrapper sends all three, and for TSV, RDF/XML and
# JSON-LD the media type as a second value; Virtuoso and Fuseki clients use format/output), read by the kind of
# result: "xml" and "json" name RDF/XML and JSON-LD for a graph.
FORMAT_PARAMETERS = ("format", "output", "results")
KIND_NAMES = {"solutions": {"srj": "json", "srx": "xml", "text": "tsv"},
              "rdf": {"xml": "rdfxml", "rdf": "rdfxml", "rdf+xml": "rdfxml", "json": "jsonld", "json-ld": "jsonld",
                      "ttl": "turtle", "n3": "turtle", "nt": "ntriples", "n-triples": "ntriples", "n-quads": "nquads"}}
DEFAULT = {"solutions": BY_NAME["json"], "rdf": BY_NAME["turtle"]}
NEGOTIATED = 512     # (kind, Accept, ?format=) combinations whose choice is remembered


def of_kind(kind: str) -> list[Format]:
    """The formats a result of this kind can be written in."""
    return [f for f in FORMATS if f.kind == kind]


def lookup(name_or_type: str, kind: str | None = None) -> Format | None:
    """A format by short name, media type or common alias (names read as this kind of result, if given)."""
    key = name_or_type.strip().lower()
    if kind is not None and key in KIND_NAMES[kind]:
        return BY_NAME[KIND_NAMES[kind][key]]
    return BY_NAME.get(key) or BY_MEDIA_TYPE.get(key) or BY_NAME.get(ALIASES.get(key, ""))


def requested(values: Iterable[str]) -> str | None:
    """The values of a request's format parameters (FORMAT_PARAMETERS, in order) as one key for `negotiate`."""
    given = [v.strip() for v in values if v and v.strip() and "," not in v]
    return ",".join(given) or None


def result_kind(result: Result) -> str:
    """Which formats a pyoxigraph query result takes."""
    return "rdf" if isinstance(result, ox.QueryTriples) or getattr(result, "is_graph", False) else "solutions"


# Each row of a written result adds at least one mark, so the marks bound the rows from above while the document
# is still being written: JSON rows are objects separated by `},{`, XML rows open with `<result` (as does the
# `<results>` around them), CSV and TSV rows are lines after the header. A mark inside a value only raises the
# bound. (mark, rows = marks + offset)
ROW_MARKS = {"json": (b"},{", 1), "xml": (b"<result", -1), "csv": (b"\n", -1), "tsv": (b"\n", -1)}


class _OverCap(Exception):
    """Raised inside pyoxigraph's writer to stop it."""


class _WithinCap:
    """A write target for pyoxigraph's result writer that stops it once the rows written might pass a cap."""

    def __init__(self, fmt: Format, max_rows: int):
        self.mark, offset = ROW_MARKS[fmt.name]
        self.allowed = max_rows - offset          # marks that keep the bound within the cap
        self.chunks: list[bytes] = []
        self.marks, self.tail = 0, b""

    def write(self, chunk: bytes | bytearray | memoryview) -> int:
        data = self.tail + bytes(chunk)
        self.marks += data.count(self.mark)       # the tail is shorter than a mark: none is counted twice
        keep = len(self.mark) - 1
        self.tail = data[-keep:] if keep else b""
        self.chunks.append(bytes(chunk))
        if self.marks > self.allowed:
            raise _OverCap
        return len(chunk)

    def flush(self) -> None:
        pass


def serialize_within(solutions: ox.QuerySolutions, fmt: Format, max_rows: int) -> bytes | None:
    """The written solutions if there are surely no more than max_rows; None (stopped early) if there may be."""
    target = _WithinCap(fmt, max_rows)
    try:
        # pyoxigraph's stub asks for typing.IO[bytes]; the writer only calls write() and flush() on its target
        solutions.serialize(target, format=fmt.results_format)  # type: ignore[arg-type]
    except _OverCap:
        return None
    return b"".join(target.chunks)


def capped(solutions: ox.QuerySolutions, max_rows: int) -> tuple[ox.QuerySolutions, int | None]:
    """At most max_rows solutions, and the cap if it cut any off; re-read through pyoxigraph so that its
    writers still write the answer."""
    variables = [v.value for v in solutions.variables]
    rows = list(itertools.islice(solutions, max_rows + 1))
    truncated = max_rows if len(rows) > max_rows else None
    bindings = [{name: _json_term(row[name]) for name in variables if row[name] is not None} for row in rows[:max_rows]]
    document = json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}).encode("utf-8")
    parsed = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)     # a document with "results" is read as solutions
    return parsed, truncated


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, object]:
    """One RDF term in the SPARQL 1.1 JSON results encoding."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise TypeError(f"unsupported term {term!r}")


def count_rows(body: bytes, fmt: Format) -> int | None:
    """Solutions or triples in a written SELECT/CONSTRUCT answer, for the access log: only where the format makes
    the count exact at C speed (no re-reading); None otherwise."""
    if fmt.name == "json":
        if body.endswith(b'"bindings":[]}}'):
            return 0
        if b"{},{" in body or b"},{}" in body:   # an empty row (all unbound), or a value that looks like one
            return None
        # rows with bindings are separated by `}},{"`; inside a JSON string a `"` is always escaped
        return body.count(b'}},{"') + 1 if b'"bindings":[{"' in body else None
    if fmt.name == "xml":
        return body.count(b"<result>") + body.count(b"<result/>")
    if fmt.name == "tsv":                       # no raw newline inside a TSV term
        return body.count(b"\n") - 1
    if fmt.name == "csv":                       # a quoted field may hold a line break
        return None if b'"' in body else body.count(b"\r\n") - 1
    if fmt.name in ("ntriples", "nquads"):      # one statement per line
        return body.count(b"\n")
    return None


def serialize(result: Result, fmt: Format) -> bytes:
    """Write a query result with pyoxigraph's writers (which round-trip all four SPARQL result formats)."""
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        written = result.serialize(format=fmt.results_format)
    else:
        written = result.serialize(format=fmt.rdf_format)
    assert written is not None      # serialize() returns None only when given an output to write to
    return written


@functools.lru_cache(maxsize=NEGOTIATED)
def negotiate(kind: str, accept: str | None, requested: str | None = None) -> Format | None:
    """The format to answer with, or None when the client accepts none of this kind (406); remembered, since
    clients send the same few Accept headers again and again."""
    candidates = of_kind(kind)
    if requested:                              # the first named format of this kind; none: 406
        for name in requested.split(","):
            fmt = lookup(name, kind)
            if fmt in candidates:
                return fmt
        return None
    accept = _UTF8.sub("", accept or "*/*")       # every format here is UTF-8: `;charset=utf-8` asks nothing more
    accepted = parse_accept_header(accept, MIMEAccept) or parse_accept_header("*/*", MIMEAccept)
    offered = [(f, f.media_type) for f in [DEFAULT[kind], *(f for f in candidates if f is not DEFAULT[kind])]]
    offered += [(BY_NAME[name], alias) for alias, name in ALIASES.items() if BY_NAME[name].kind == kind]
    # RFC 9110 §12.5.1: the most specific range sets a type's quality (text/csv;q=0.1 beats text/*;q=0.9 for
    # CSV, and a type at q=0 is refused); among equal qualities the client's order, then ours (default first)
    for _, (media, q) in sorted(enumerate(accepted), key=lambda item: (-item[1][1], item[0])):
        if q <= 0:
            break
        for fmt, offered_type in offered:
            if _covers(media, offered_type) and accepted.quality(offered_type) == q:
                return fmt
    return None


_UTF8 = re.compile(r'\s*;\s*charset\s*=\s*"?utf-?8"?\s*(?=[;,]|$)', re.I)


def _covers(media_range: str, media_type: str) -> bool:
    """Whether an Accept media range (*/*, type/*, or a type) includes this media type."""
    media_range = media_range.lower()
    if media_range in ("*/*", "*"):
        return True
    if media_range.endswith("/*"):
        return media_type.startswith(media_range[:-1])
    return media_range == media_type
