"""Read RDF files strictly, with errors that name the file, line and column."""
from __future__ import annotations

import re
from typing import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.vocab import RES

KNOWN_EXTENSIONS = (".ttl", ".trig", ".nq", ".nt", ".jsonld", ".rdf", ".owl")   # pyoxigraph names the format of each
_ALSO = {".owl": ox.RdfFormat.RDF_XML}          # OWL files are RDF/XML; pyoxigraph does not know the extension


def format_of(path: Path) -> ox.RdfFormat | None:
    """The RDF format a file's extension names (pyoxigraph's table, plus .owl); None for any other extension."""
    suffix = path.suffix.lower()
    if suffix not in KNOWN_EXTENSIONS:
        return None
    return _ALSO.get(suffix) or ox.RdfFormat.from_extension(suffix[1:])


def rdf_files(paths: list[Path]) -> list[Path]:
    """The paths, each folder replaced by the RDF files under it (by KNOWN_EXTENSIONS, sorted), so that a CI step
    can name its data folder instead of a shell pattern that misses subfolders."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and format_of(p) is not None)
            if not found:
                raise InputError(str(path), f"a folder with no RDF file in it (known: {', '.join(KNOWN_EXTENSIONS)})")
            out += found
        else:
            out.append(path)
    return out


def graph_name_for(path: Path) -> ox.NamedNode:
    """The named graph that the triples of a triples-only file go into."""
    return ox.NamedNode(str(RES["graph"][path.stem]))


def parse_file(path: Path, graph: ox.NamedNode | None = None) -> list[ox.Quad]:
    """Parse one file; triples-only formats land in `graph` (default: one named after the file)."""
    if path.is_dir():
        raise InputError(str(path), "a folder, not a file; name the RDF files in it")
    fmt = format_of(path)
    if fmt is None:
        raise InputError(str(path), f"unknown RDF file extension {path.suffix!r} (known: {', '.join(KNOWN_EXTENSIONS)})")
    if not path.is_file():
        raise InputError(str(path), "no such file")
    target = graph or graph_name_for(path)
    try:
        quads = list(ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri(),
                              without_named_graphs=not fmt.supports_datasets))
    except SyntaxError as err:
        raise InputError(str(path), _reason(err), err.lineno, err.offset) from None
    except (OSError, ValueError) as err:
        raise InputError(str(path), str(err)) from None
    return [q if not isinstance(q.graph_name, ox.DefaultGraph) else ox.Quad(q.subject, q.predicate, q.object, target)
            for q in quads]


def parse_files(paths: list[Path], graph: ox.NamedNode | None = None) -> list[ox.Quad]:
    """Parse several files into one list of quads."""
    return [q for p in paths for q in parse_file(Path(p), graph)]


def _reason(err: SyntaxError) -> str:
    """The parser's message without the location it repeats in parentheses."""
    text = str(err.msg or err)
    text = re.sub(r"^Parser error at line \d+ between columns \d+ and \d+: ", "", text)
    return re.sub(r" \([^()]*, line \d+\)$", "", text)


def one_home(quads: list[ox.Quad], known: Iterable[ox.Quad] = ()) -> list[ox.Quad]:
    """Each triple once, in the first graph that holds it (the ontology's, else the first file's in sorted order).

    A quad store's union default graph (Oxigraph 0.5, oxigraph/oxigraph#1919; Virtuoso likewise) matches a triple
    once per graph that holds it, so a fact that several documents state would be counted once per document. What
    each document states stays in its graph as its rdf:Statement with the quote."""
    seen = {(q.subject, q.predicate, q.object) for q in known}
    kept = []
    for quad in quads:
        triple = (quad.subject, quad.predicate, quad.object)
        if triple not in seen:
            seen.add(triple)
            kept.append(quad)
    return kept
