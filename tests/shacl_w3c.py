"""Read the W3C SHACL test suite and compare kg.build.shapes.validate's report with each expected report."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from kg.build import shapes

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
SH = Namespace("http://www.w3.org/ns/shacl#")
RESULT_KEYS = (SH.focusNode, SH.resultPath, SH.resultSeverity, SH.sourceConstraintComponent, SH.sourceShape, SH.value)


@dataclass
class ShaclTest:
    """One sht:Validate test: where its graphs are and what report it expects."""

    id: str                 # e.g. core/node/minInclusive-001
    file: Path
    manifest: Graph
    node: URIRef


def _graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())


def collect(manifest: Path, root: Path) -> list[ShaclTest]:
    """All tests reachable from a manifest through mf:include, in manifest order."""
    g = _graph(manifest)
    me = URIRef(manifest.resolve().as_uri())
    found = []
    entries = g.value(me, MF.entries)
    if entries is not None:
        for node in Collection(g, entries):
            found.append(ShaclTest(manifest.relative_to(root).with_suffix("").as_posix(), manifest, g, node))
    for inc in g.objects(me, MF.include):
        found += collect(Path(str(inc).removeprefix("file://")), root)
    return found


def run(test: ShaclTest) -> tuple[bool, str]:
    """(passed, explanation) for one test, validated through the project's validator."""
    g, node = test.manifest, test.node
    action = g.value(node, MF.action)
    data, shapes_graph = (_resolve(g, g.value(action, p), test.file) for p in (SHT.dataGraph, SHT.shapesGraph))
    expected = g.value(node, MF.result)
    try:
        report = shapes.validate(data, shapes_graph)
    except Exception as err:  # noqa: BLE001 - an expected sht:Failure is any refusal to validate
        return expected == SHT.Failure, f"raised {type(err).__name__}: {err}"
    if expected == SHT.Failure:
        return False, "validated, but the suite expects a failure"
    top = [r for rep in report.graph.subjects(RDF.type, SH.ValidationReport) for r in report.graph.objects(rep, SH.result)]
    actual_conforms = not top          # the suite's sh:conforms: no result of any severity (nested sh:detail aside)
    want_conforms = g.value(expected, SH.conforms).toPython()
    want = Counter(_key(g, r) for r in g.objects(expected, SH.result))
    got = Counter(_key(report.graph, r) for r in top)
    if actual_conforms != want_conforms or want != got:
        return False, f"conforms {actual_conforms} (want {want_conforms}); missing {want - got}; extra {got - want}"
    return True, ""


def _resolve(g: Graph, ref, manifest_file: Path) -> Graph:
    """The manifest graph itself for <>, else the named file parsed on its own."""
    if ref is None or str(ref) == manifest_file.resolve().as_uri():
        return g
    return _graph(Path(str(ref).removeprefix("file://")))


def _key(g: Graph, result) -> tuple:
    return tuple(_term(g, g.value(result, k)) for k in RESULT_KEYS)


def _term(g: Graph, term):
    """A comparable form: blank nodes by their structure (paths, shapes), other terms as they are."""
    if isinstance(term, BNode):
        if (term, RDF.first, None) in g:
            return ("list", tuple(_term(g, t) for t in Collection(g, term)))
        props = tuple(sorted((str(p), _term(g, o)) for p, o in g.predicate_objects(term)
                             if p in (SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath,
                                      SH.zeroOrOnePath)))
        return ("bnode", props)
    if isinstance(term, Literal):
        return ("literal", str(term), str(term.datatype or ""), term.language or "")
    return term
