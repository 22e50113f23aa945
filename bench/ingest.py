"""Precision and recall of `kg ingest` per fact type, against a curated graph of each document.

Run by hand, not in CI:
    .venv/bin/python bench/ingest.py [--pair TEXT.txt CURATED.trig]… [--held-out NAME…]
Without --pair: the development documents (trtavaz and haberler against bench/ingest-expected/, AVİM Blog 50
against data/avim-blog-50.trig). --held-out names documents (by file stem) the rules were not developed on;
they are reported apart, with their own totals.

The proposals are made as `kg ingest` makes them, resolving names against the project's graph WITHOUT the
facts of the curated file being scored (else the answer would be in the gazetteer): of that file only the
entities' types, labels, cities' states and Wikidata links are kept (not the issues it alone names), as they would be for a new document about
people and places the graph already knows. Facts are compared as (subject,
predicate, object) after IRI resolution: an entity the proposals mark as new is the curated entity of the same
class with the same label (Turkish case folding, or the same spelling skeleton); a meeting is the curated
meeting of the same ordinal; a participation is (meeting, agent); a document adopted is (meeting, its class).
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.build.loading import parse_files
from kg.config import Config
from kg.ingest import extract, gazetteer, proposals, selectors, turkish
from kg.rdfconv import graph_of
from kg.vocab import CASD

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
TYPES = ["meeting", "date", "place", "host", "participant", "role", "issue", "document"]
PLACE_PROPERTIES = {extract.PLACE, CASD.city}
NAMES = {RDF.type, RDFS.label, SKOS.altLabel, CASD.inState, OWL.sameAs}


def default_pairs() -> list[tuple[Path, Path]]:
    """The development documents: (text, curated graph)."""
    def text(name: str) -> Path:
        local = ROOT / "data" / "sources" / name
        return local if local.is_file() else CORPUS / name
    return [(text("trtavaz-2019-11-30.txt"), ROOT / "bench" / "ingest-expected" / "trtavaz-2019-11-30.trig"),
            (text("haberler-2025-11-16.txt"), ROOT / "bench" / "ingest-expected" / "haberler-2025-11-16.trig"),
            (ROOT / "data" / "sources" / "avim-blog-50.txt", ROOT / "data" / "avim-blog-50.trig")]


def _plain(path: Path) -> Graph:
    ds = Dataset()
    ds.parse(path, format="trig")
    g = Graph()
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    return g


def facts(g: Graph) -> dict[str, set[tuple]]:
    """The graph's facts of each type, in comparable form."""
    out: dict[str, set[tuple]] = defaultdict(set)
    for s in g.subjects(RDF.type, CASD.Summit):
        out["meeting"].add((s, "summit"))
        for p, kind in ((CASD.ordinal, "meeting"), (CASD.partOfSeries, "meeting"), (CASD.date, "date"),
                        (CASD.hostState, "host"), (CASD.discussed, "issue"), *((p, "place") for p in PLACE_PROPERTIES)):
            for o in g.objects(s, p):
                out[kind].add((s, p, str(o) if p in (CASD.ordinal, CASD.date) else o))
        for o in g.objects(s, CASD.adopted):
            for cls in g.objects(o, RDF.type):
                out["document"].add((s, CASD.adopted, cls))
    for part in g.subjects(RDF.type, CASD.Participation):
        meeting, agent = g.value(part, CASD.meeting), g.value(part, CASD.agent)
        if meeting is None or agent is None:
            continue
        out["participant"].add((meeting, agent))
        for p in (CASD.inCapacityOf, CASD.onBehalfOf):
            for o in g.objects(part, p):
                out["participant"].add((meeting, agent, p, o))
        for o in g.objects(part, CASD.role):
            out["role"].add((meeting, agent, o))
    return out


def documents_count(g: Graph) -> dict[tuple, int]:
    """(meeting, class) → how many documents of that class the meeting adopted."""
    counts: dict[tuple, int] = defaultdict(int)
    for s, o in g.subject_objects(CASD.adopted):
        for cls in g.objects(o, RDF.type):
            counts[(s, cls)] += 1
    return counts


def resolver(proposed: Graph, curated: Graph) -> dict[Node, Node]:
    """Proposed IRI → curated IRI: new entities by class and label, meetings by ordinal."""
    mapping: dict[Node, Node] = {}
    for iri in proposed.subjects(proposals.PROPOSED_NEW, None):
        labels = {str(x) for x in proposed.objects(iri, RDFS.label)}
        for cls in proposed.objects(iri, RDF.type):
            for cand in curated.subjects(RDF.type, cls):
                theirs = {str(x) for p in (RDFS.label, SKOS.altLabel) for x in curated.objects(cand, p)}
                if any(_same_name(a, b) for a in labels for b in theirs):
                    mapping[iri] = cand
    for s, o in proposed.subject_objects(CASD.ordinal):
        for cand in curated.subjects(CASD.ordinal, None):
            if str(curated.value(cand, CASD.ordinal)) == str(o) and (cand, RDF.type, CASD.Summit) in curated:
                mapping[s] = cand
    return mapping


def _same_name(a: str, b: str) -> bool:
    fa, fb = turkish.fold(a).split(), turkish.fold(b).split()
    return fa == fb or (len(fa) == len(fb) and [turkish.skeleton(x) for x in fa] == [turkish.skeleton(x) for x in fb])


def score(text_path: Path, curated_path: Path, config: Config) -> dict[str, tuple[int, int, int]]:
    """(true positives, proposed, curated) per fact type for one document."""
    ontology = parse_files(config.ontology_files, None)
    others = [p for p in config.data_files if p.resolve() != curated_path.resolve()]
    known = graph_of(ontology + parse_files(others))
    curated = _plain(curated_path)
    issues = set(curated.subjects(RDF.type, CASD.Issue)) - set(known.subjects(RDF.type, CASD.Issue))
    for s, p, o in curated:                       # the scored file's entities, not its facts nor its new issues
        if p in NAMES and s not in issues and not (p == RDF.type and o in (CASD.Summit, CASD.Participation)):
            known.add((s, p, o))
    gaz = gazetteer.from_graph(known)
    text = selectors.read_text(text_path)
    found = extract.extract(text, gaz)
    doc = text_path.stem
    ds = proposals.build(doc, text, found, "https://example.org/", "bench", None)
    proposed = Graph()
    for t in ds.graph(proposals.graph_name(doc)):
        proposed.add(t)
    mapping = resolver(proposed, curated)
    resolved = Graph()
    for s, p, o in proposed:
        resolved.add((mapping.get(s, s), p, mapping.get(o, o)))
    mine, theirs = facts(resolved), facts(curated)
    out = {}
    for kind in TYPES:
        if kind == "document":
            a, b = documents_count(resolved), documents_count(curated)
            tp = sum(min(n, b.get(k, 0)) for k, n in a.items())
            out[kind] = (tp, sum(a.values()), sum(b.values()))
        else:
            out[kind] = (len(mine[kind] & theirs[kind]), len(mine[kind]), len(theirs[kind]))
    return out


def report(title: str, results: dict[str, dict[str, tuple[int, int, int]]]) -> None:
    """Print precision and recall per fact type, per document and in total."""
    print(f"\n{title}")
    print(f"  {'document':24} " + " ".join(f"{k:>13}" for k in TYPES))
    totals = {k: [0, 0, 0] for k in TYPES}
    for doc, per in results.items():
        cells = []
        for k in TYPES:
            tp, p, g = per[k]
            totals[k] = [totals[k][0] + tp, totals[k][1] + p, totals[k][2] + g]
            cells.append(_cell(tp, p, g))
        print(f"  {doc:24} " + " ".join(cells))
    print(f"  {'all':24} " + " ".join(_cell(*totals[k]) for k in TYPES))
    print("  (each cell: precision/recall; '-' where there is nothing to divide by)")


def _cell(tp: int, p: int, g: int) -> str:
    prec = f"{tp / p:.2f}" if p else "-"
    rec = f"{tp / g:.2f}" if g else "-"
    return f"{prec:>6}/{rec:<6}"


def main() -> None:
    """Score every pair and print the figures, development and held-out documents apart."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pair", nargs=2, action="append", type=Path, metavar=("TEXT", "CURATED"))
    ap.add_argument("--held-out", nargs="*", default=[], metavar="NAME",
                    help="documents (file stems) the rules were not developed on, reported apart")
    args = ap.parse_args()
    config = Config(root=ROOT)
    pairs = [tuple(p) for p in args.pair] if args.pair else default_pairs()
    dev, held = {}, {}
    for text_path, curated in pairs:
        if not text_path.is_file() or not curated.is_file():
            print(f"skipped {text_path.name}: {'text' if not text_path.is_file() else 'curated graph'} not found",
                  file=sys.stderr)
            continue
        (held if text_path.stem in args.held_out else dev)[text_path.stem] = score(text_path, curated, config)
    report("Development documents", dev)
    if held:
        report("Held-out documents (the rules were not developed on these)", held)
    elif args.held_out:
        print("\nNo held-out document found among the pairs.")


if __name__ == "__main__":
    main()
