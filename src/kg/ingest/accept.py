"""Accepting a curator's reviewed proposals: the facts left in the file move into data/<doc>.trig under
graph:<doc>, and the source text into data/sources/; every quote is checked again first, and a bad one
refuses the whole file, writing nothing."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF
from rdflib.term import Node

from kg.errors import KgError
from kg.files import write_atomically
from kg.ingest import proposals, selectors
from kg.vocab import CASD, OA, RES, bind_prefixes


@dataclass(frozen=True)
class Accepted:
    """What an acceptance wrote: the data file, the source copy, and how many facts and quotes."""

    data_file: Path
    source_file: Path
    facts: int
    quotes: int


def read_proposals(path: Path) -> tuple[str, Graph]:
    """(document name, proposals graph) of a proposals file; one graph:proposals-<doc> is expected."""
    ds = Dataset()
    try:
        ds.parse(Path(path), format="trig")
    except FileNotFoundError:
        raise KgError(f"{path}: no such file") from None
    except Exception as err:                       # rdflib raises many types for bad TriG
        raise KgError(f"{path}: not readable TriG ({str(err).splitlines()[0] if str(err) else type(err).__name__})"
                      ) from None
    prefix = str(RES["graph"]["proposals-"])
    names = sorted(str(g.identifier) for g in ds.graphs() if str(g.identifier).startswith(prefix))
    if len(names) != 1:
        raise KgError(f"{path}: expected one graph {prefix}<doc>, found {len(names)}")
    return names[0][len(prefix):], ds.graph(URIRef(names[0]))


def accepted_graph(doc: str, proposed: Graph) -> Graph:
    """The facts the curator kept: plain triples, with the statements whose triple is still there and the quotes
    those statements use; statements whose triple was deleted go, and so do the proposal-only marks."""
    kept = Graph()
    statements = set(proposed.subjects(RDF.type, RDF.Statement))
    quote_parts = _quote_triples(proposed)
    for triple in proposed:
        s, p, _ = triple
        if s in statements or triple in quote_parts or p in (proposals.PROPOSED_BY, proposals.PROPOSED_NEW):
            continue
        kept.add(triple)
    used: set[Node] = set()
    for st in statements:
        fact = (proposed.value(st, RDF.subject), proposed.value(st, RDF.predicate), proposed.value(st, RDF.object))
        if fact in kept:
            for triple in proposed.triples((st, None, None)):
                if triple[1] != proposals.PROPOSED_BY:
                    kept.add(triple)
            used.update(proposed.objects(st, PROV.wasDerivedFrom))
    for triple in quote_parts:
        if triple[0] in used or any((q, OA.hasSelector, triple[0]) in proposed for q in used):
            kept.add(triple)
    return kept


def _quote_triples(g: Graph) -> set[tuple[Node, Node, Node]]:
    """The triples describing quotes and their selectors."""
    out: set[tuple[Node, Node, Node]] = set()
    for q in g.subjects(RDF.type, CASD.Quote):
        out.update(g.triples((q, None, None)))
        for sel in g.objects(q, OA.hasSelector):
            out.update(g.triples((sel, None, None)))
    return out


def accept(path: Path, root: Path, source: Path | None = None) -> Accepted:
    """Check every quote of the proposals file against the source text (default: the file its text node names,
    under `root`), then write data/<doc>.trig and copy the text to data/sources/<doc>.txt. Nothing is written
    if a quote fails, if data/<doc>.trig exists, or if a different text is already in data/sources/."""
    doc, proposed = read_proposals(path)
    text_node = RES["document"][f"{doc}-text"]
    rel = proposed.value(text_node, DCTERMS.identifier)
    target_text = root / (str(rel) if rel is not None else f"{proposals.SOURCES_DIR}/{doc}.txt")
    source = Path(source) if source is not None else target_text
    selectors.read_text(source)                        # a missing or undecodable text is one clear line
    problems = selectors.verify(proposed, source)
    if problems:
        raise KgError(f"{path}: {len(problems)} quote(s) do not match {source}; nothing written: {problems[0]}")
    data_file = root / "data" / f"{doc}.trig"
    if data_file.exists():
        raise KgError(f"{data_file} exists; nothing written (merge the proposals into it by hand)")
    if target_text.exists() and target_text.read_bytes() != source.read_bytes():
        raise KgError(f"{target_text} exists with a different text; nothing written")
    kept = accepted_graph(doc, proposed)
    ds = Dataset()
    bind_prefixes(ds)
    g = ds.graph(RES["graph"][doc])
    for triple in sorted(kept):
        g.add(triple)
    header = (f"# Facts of {doc}, accepted from {Path(path).name} by `kg ingest --accept`.\n"
              f"# Text: {rel}. Quote offsets count Unicode code points (end exclusive).\n\n")
    if not target_text.exists():
        target_text.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target_text, source.read_bytes())
    write_atomically(data_file, header + ds.serialize(format="trig"))
    facts = len(set(kept.subjects(RDF.type, RDF.Statement)))
    return Accepted(data_file, target_text, facts, len(set(kept.subjects(RDF.type, CASD.Quote))))
