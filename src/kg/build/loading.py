"""Read RDF files strictly, with errors that name the file, line and column."""
from __future__ import annotations

import re
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
