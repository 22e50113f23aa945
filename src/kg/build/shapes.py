"""Validate RDF against the SHACL shapes (pySHACL) and report in words a curator understands."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from xml.sax.saxutils import escape, quoteattr

from typing import Any, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.collection import Collection
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result as QueryResult

from kg.errors import KgError
from kg.vocab import SH, bind_prefixes, compact

SEVERITY_NAMES: dict[Node, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, flattened for reading."""

    focus: str
    focus_label: str
    path: str
    value: str
    message: str
    severity: str
    source_shape: str
    constraint: str
    place: str = ""                                            # file:line where the focus node was written
    node: Node | None = field(default=None, compare=False, repr=False)   # the result's node in the report graph
    focus_term: Node | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> tuple:
        """What makes two results the same finding, whichever validation run found them."""
        return (self.focus, self.path, self.value, self.source_shape, self.constraint, self.message)


@dataclass
class Report:
    """A validation report: the standard report graph and its results in reading order."""

    graph: Graph
    results: list[Result]

    @property
    def violation_count(self) -> int:
        """How many results are violations (warnings and infos are not)."""
        return sum(r.severity == "Violation" for r in self.results)

    @property
    def conforms(self) -> bool:
        """Whether the data passed: no violation (warnings allowed)."""
        return self.violation_count == 0


class ParsedOnce(Graph):
    """A graph whose query() parses each distinct query text once.

    pySHACL sends the text of a SHACL-SPARQL constraint to rdflib once per focus node, with $this bound, and rdflib
    parses it every time: on this project's data 9 texts were parsed 275 times, 60 % of the validation time. The
    parsed query is the one rdflib would have built from the same text and prefixes, so the results are the same.
    """

    def __init__(self) -> None:
        super().__init__()
        self._parsed: dict[str, Any] = {}

    def query(self, query_object: Any, processor: Any = "sparql", result: Any = "sparql", initNs: Any = None,
              initBindings: Any = None, use_store_provided: bool = True, **kwargs: Any) -> QueryResult:
        """rdflib's query, with a text seen before replaced by its parsed form."""
        if isinstance(query_object, str) and initNs is None and processor == "sparql" and not kwargs:
            parsed = self._parsed.get(query_object)
            if parsed is None:
                parsed = self._parsed[query_object] = prepareQuery(query_object, initNs=dict(self.namespaces()))
            query_object = parsed
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


def validate(data: Graph, shapes: Graph, ontology: Graph | None = None,
             focus: Sequence[URIRef] | None = None) -> Report:
    """Run pySHACL (core and SHACL-SPARQL) on the data together with the ontology; never fetch anything. With
    `focus`, only those nodes are validated as targets (pySHACL's focus_nodes): their results, and no others."""
    import pyshacl

    combined = ParsedOnce()
    for part in (data, ontology if ontology is not None else Graph()):
        for prefix, iri in part.namespaces():
            combined.bind(prefix, iri, override=False)
        combined += part
    from pyshacl.graph_abstraction import DataGraph

    _, report_graph, _ = pyshacl.validate(
        DataGraph.from_rdflib_graph(combined), shacl_graph=shapes, inference="none", inplace=True, advanced=True,
        allow_warnings=True, abort_on_first=False, meta_shacl=False, do_owl_imports=False,
        focus_nodes=[str(node) for node in focus] if focus else None)
    if not isinstance(report_graph, Graph):     # pySHACL's ValidationFailure: the shapes themselves cannot run
        raise KgError(f"the shapes cannot be run: {report_graph}")
    bind_prefixes(report_graph)
    return Report(report_graph, _results(report_graph, combined))


def _results(report: Graph, labels: Graph) -> list[Result]:
    out = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        value = report.value(node, SH.value)
        severity = report.value(node, SH.resultSeverity)
        out.append(Result(
            focus=short(focus), focus_label=_label(labels, focus),
            path=_path(report, report.value(node, SH.resultPath)),
            value=short(value) if value is not None else "",
            message="; ".join(sorted(str(m) for m in report.objects(node, SH.resultMessage))),
            severity=SEVERITY_NAMES.get(severity, "Violation") if severity is not None else "Violation",
            source_shape=short(report.value(node, SH.sourceShape)),
            constraint=short(report.value(node, SH.sourceConstraintComponent)),
            node=node, focus_term=focus,
        ))
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(out, key=lambda r: (order[r.severity], r.focus, r.path, r.message))


def narrowed(report: Report, keep: list[Result],
             extra: Sequence[tuple[Result, list[tuple[Node, Node, Node]]]] = ()) -> Report:
    """A report of only the results in `keep` (each with its place), plus `extra` results given with their
    triples: the report graph holds exactly the results listed, and sh:conforms says whether any is a violation."""
    graph = Graph()
    for prefix, iri in report.graph.namespaces():
        graph.bind(prefix, iri, override=False)
    root = next(report.graph.subjects(RDF.type, SH.ValidationReport), None) or URIRef("urn:kg:report")
    graph.add((root, RDF.type, SH.ValidationReport))
    for result in keep:
        assert result.node is not None      # every result read from a report has its node there
        graph.add((root, SH.result, result.node))
        for triple in _closure(report.graph, result.node):
            graph.add(triple)
    for result, triples in extra:
        assert result.node is not None
        graph.add((root, SH.result, result.node))
        for triple in triples:
            graph.add(triple)
    results = [*keep, *(r for r, _ in extra)]
    conforms = not any(r.severity == "Violation" for r in results)
    graph.add((root, SH.conforms, Literal(conforms)))
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return Report(graph, sorted(results, key=lambda r: (order[r.severity], r.place == "", r.place, r.focus, r.path, r.message)))


def _closure(g: Graph, node: Node) -> list[tuple[Node, Node, Node]]:
    """The triples about a node and the blank nodes it reaches (a result, its path lists, its details)."""
    out: list[tuple[Node, Node, Node]] = []
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for s, p, o in g.triples((current, None, None)):
            out.append((s, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return out


def placed(result: Result, place: str) -> Result:
    """The same result, saying where its focus node was written."""
    return replace(result, place=place)


def _label(g: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    labels = {l.language: str(l) for l in g.objects(node, RDFS.label) if isinstance(l, Literal)}
    return labels.get("en") or labels.get("tr") or next(iter(labels.values()), short(node))


def _path(g: Graph, path: Node | None) -> str:
    if path is None:
        return ""
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + short(inverse)
    if (path, RDF.first, None) in g:
        return "/".join(short(p) for p in Collection(g, path))
    return short(path)


def short(term: Node | None) -> str:
    """A compact name using the project's prefixes, for human reports."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        if term.language:
            return f"{str(term)!r}@{term.language}"
        return repr(str(term)) + f"^^{compact(str(term.datatype or XSD.string))}"
    if isinstance(term, URIRef):
        return compact(str(term))
    return f"_:{term}"


def format_text(report: Report) -> str:
    """A plain report: one block per result, focus node's label first."""
    if not report.results:
        return "Valid: the data conforms to the shapes."
    lines = []
    for r in report.results:
        lines.append(f"{r.place + ': ' if r.place else ''}{r.severity}: {r.focus_label} ({r.focus})")
        if r.path:
            lines.append(f"  property: {r.path}" + (f"  value: {r.value}" if r.value else ""))
        lines.append(f"  {r.message or r.constraint}")
        lines.append(f"  shape: {r.source_shape}  ({r.constraint})")
    warnings = len(report.results) - report.violation_count
    lines.append(f"{report.violation_count} violation(s), {warnings} warning(s)")
    return "\n".join(lines)


def format_turtle(report: Report) -> str:
    """The standard SHACL validation report graph."""
    return report.graph.serialize(format="turtle")


def format_junit(report: Report, suite: str = "shacl") -> str:
    """JUnit XML: each violation a failed test case, so any CI system lists it."""
    cases = []
    for r in report.results:
        name = quoteattr(f"{r.focus} {r.path}".strip())
        classname = quoteattr(r.source_shape)
        body = escape(f"{r.focus_label} ({r.focus})\nproperty: {r.path}\nvalue: {r.value}\n{r.message}\n{r.constraint}")
        where = f' file={quoteattr(r.place.rsplit(":", 1)[0])} line="{r.place.rsplit(":", 1)[1]}"' if r.place else ""
        if r.severity == "Violation":
            cases.append(f'  <testcase name={name} classname={classname}{where}>\n'
                         f'    <failure message={quoteattr(r.message or r.constraint)} type="{r.constraint}">{body}</failure>\n'
                         f'  </testcase>')
        else:
            cases.append(f'  <testcase name={name} classname={classname}{where}>\n'
                         f'    <system-out>{escape(r.severity)}: {body}</system-out>\n  </testcase>')
    if not cases:
        cases.append('  <testcase name="conforms" classname="shacl"/>')
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuite name={quoteattr(suite)} tests="{max(len(report.results), 1)}" '
            f'failures="{report.violation_count}" errors="0">\n' + "\n".join(cases) + "\n</testsuite>\n")


FORMATTERS = {"text": format_text, "turtle": format_turtle, "junit": format_junit}
