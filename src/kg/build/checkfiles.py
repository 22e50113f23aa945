"""`kg validate`: SHACL and quote checks of RDF files in the context of the project's graph, each finding placed
at the file and line where its focus node was written.

A file is validated together with its context (the project's data, or the files given as context) and the
ontology, so that a reference to an entity described elsewhere is not taken for a missing type; a named graph that
the files write replaces the context's graph of that name (an edited copy of a project file). What is reported
is what the files add: findings that the context alone also has are left out. Quotes stated in the files are
checked against their source texts; a quote whose source text cannot be found is reported, not passed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.build import locate, provenance, shapes
from kg.build.loading import parse_files
from kg.build.pipeline import load_shapes
from kg.config import Config
from kg.errors import KgError
from kg.rdfconv import graph_of
from kg.vocab import CASD, CS, OA, SH

QUOTE_SHAPE = CS.QuoteMatchesSource                    # not a SHACL shape: the text lies outside the graph
QUOTE_COMPONENT = CS.QuoteTextConstraintComponent


def validate_files(config: Config, files: list[Path], context: list[Path] | None = None,
                   shapes_files: list[Path] | None = None) -> shapes.Report:
    """The report on `files` in the context of `context` (default: the project's data files other than
    `files`), with the project's ontology and shapes (or `shapes_files`)."""
    file_quads = parse_files(files)
    if not file_quads:
        raise KgError(f"{', '.join(map(str, files))}: no triples to validate")
    named = {Path(f).resolve() for f in files}
    context_files = [p for p in config.data_files if p.resolve() not in named] if context is None else context
    written = {q.graph_name for q in file_quads}            # a file stands in for the graphs it writes
    context_quads = [q for q in parse_files(context_files) if q.graph_name not in written]
    ontology = graph_of(parse_files(config.ontology_files))
    shapes_graph = load_shapes(shapes_files or config.shapes_files)
    union = graph_of(file_quads + context_quads)
    report = shapes.validate(union, shapes_graph, ontology)
    known = _known_to_context(graph_of(context_quads), shapes_graph, ontology, report) if context_quads else set()
    fresh = [r for r in report.results if r.key not in known]
    quotes = _quote_findings(union, graph_of(file_quads), _source_roots(config, files))
    where = locate.places(files, {str(r.focus_term) for r in fresh + [q for q, _ in quotes]
                                  if isinstance(r.focus_term, URIRef)})
    return shapes.narrowed(report, [_placed(r, where) for r in fresh], [(_placed(q, where), t) for q, t in quotes])


def _known_to_context(context: Graph, shapes_graph: Graph, ontology: Graph, report: shapes.Report) -> set:
    """The keys of the findings the context alone also has. Only the focus nodes of `report` can matter, so only
    they are validated (all of them if one is a blank node, which pySHACL cannot be given): on the project's data
    this is most of `kg validate FILE`'s time otherwise (bench/validate.py)."""
    foci = {r.focus_term for r in report.results}
    if not foci:
        return set()
    named = sorted(f for f in foci if isinstance(f, URIRef))
    focus = named if len(named) == len(foci) else None
    return {r.key for r in shapes.validate(context, shapes_graph, ontology, focus=focus).results}


def _source_roots(config: Config, files: Iterable[Path]) -> list[Path]:
    """Where quoted source texts are looked for: the working folder, each file's folder and its parents, the project."""
    roots: list[Path] = [Path.cwd()]
    for f in files:
        roots.extend(Path(f).resolve().parents)
    roots.append(config.root)
    return list(dict.fromkeys(r.resolve() for r in roots))


def _quote_findings(union: Graph, written: Graph, roots: list[Path]) -> list[tuple[shapes.Result, list]]:
    """A violation, with its report triples, for each quote written in the files that its source text belies."""
    out = []
    for quote, message in provenance.mismatches(union, roots, set(written.subjects(RDF.type, CASD.Quote))):
        node = BNode()
        triples = [(node, RDF.type, SH.ValidationResult), (node, SH.focusNode, quote),
                   (node, SH.resultPath, OA.hasSelector), (node, SH.resultSeverity, SH.Violation),
                   (node, SH.resultMessage, Literal(f"The quote does not match its source text: {message}.")),
                   (node, SH.sourceShape, QUOTE_SHAPE), (node, SH.sourceConstraintComponent, QUOTE_COMPONENT)]
        result = shapes.Result(
            focus=shapes.short(quote), focus_label=shapes.short(quote), path="oa:hasSelector", value="",
            message=f"The quote does not match its source text: {message}.", severity="Violation",
            source_shape=shapes.short(QUOTE_SHAPE), constraint=shapes.short(QUOTE_COMPONENT),
            node=node, focus_term=quote)
        out.append((result, triples))
    return out


def _placed(result: shapes.Result, where: dict[str, locate.Place]) -> shapes.Result:
    place = where.get(str(result.focus_term))
    return shapes.placed(result, str(place)) if place else result
