"""Precision and recall of `kg ingest` per fact type, against the curated graph of each document.

Run by hand, not in CI:
    .venv/bin/python bench/ingest.py [--pair TEXT.txt CURATED.trig]… [--held-out NAME…] [--uncommitted] [--strict]
Without --pair: every Turkish text of data/sources/ that has a curated graph, data/<doc>.trig or data/series/<doc>.trig as the curators
committed it (`git log -- data/` shows them; --uncommitted also takes files not yet committed), else the hand-made
expected facts of bench/ingest-expected/<doc>.trig; a text with neither is not scored. --held-out names documents
(by file stem) the rules were not developed on; they are reported apart, with their own totals. HELD_OUT, the
default, is the second held-out set (haberler-2025-11-16-3, haberler-2025-12-03, modern-az-undated,
ntv-2025-11-16), curated by hand without running kg ingest on it. The first held-out set (setav-undated,
dikgazete-undated, haberler-2025-11-16-2) was scored once and then folded into development.

The proposals are made as `kg ingest` makes them (with --published when the curated graph gives the document's
publication day), resolving names against the project's graph WITHOUT the facts of the curated file being scored
(else the answer would be in the gazetteer), nor those of any held-out document: of the scored file only the
entities' types, labels, cities' states and Wikidata links are kept (not the issues it alone names), as they would
be for a new document about people and places the graph already knows. Facts are compared as (subject,
predicate, object) after IRI resolution: an entity the proposals mark as new is the curated entity of the same
class with the same label (Turkish case folding, or the same spelling skeleton); a meeting is the curated
meeting of the same ordinal; a participation is (meeting, agent); a document adopted is (meeting, its class).

Two measurement rules, because a curated file records what its text adds to the graph, not all it says:
- a statement the curator typed casd:ConflictingClaim (the text's "14 Temmuz 2023" where the graph holds 14
  September) is what the text states: its (subject, predicate, object) is an expected fact of that text, although
  the graph does not assert it;
- a proposed fact the curated file lacks but another document asserts (business-turkmenistan-undated's curator did
  not repeat the host state avim-blog-50 asserts; trtavaz-2019-11-30's did) is set apart, "already in the graph":
  neither wrong nor a hit. --strict counts it as wrong; --verbose lists it.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.build.loading import parse_files
from kg.config import Config
from kg.ingest import extract, gazetteer, proposals, selectors, turkish
from kg.rdfconv import graph_of
from kg.vocab import CASD

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = ROOT / "bench" / "ingest-expected"
HELD_OUT = [  # the second held-out set, curated by hand without running kg ingest on it
    "haberler-2025-11-16-3", "haberler-2025-12-03", "modern-az-undated", "ntv-2025-11-16"]
TYPES = ["meeting", "date", "place", "host", "participant", "role", "issue", "document"]
PLACE_PROPERTIES = {extract.PLACE, CASD.city}
NAMES = {RDF.type, RDFS.label, SKOS.altLabel, CASD.inState, OWL.sameAs}


def committed(path: Path) -> bool:
    """Whether git tracks the file (the curators commit a curated graph when it is done)."""
    done = subprocess.run(["git", "-C", str(ROOT), "ls-files", "--error-unmatch", str(path.relative_to(ROOT))],
                          capture_output=True)
    return done.returncode == 0


def is_turkish(text: str) -> bool:
    """Whether a text is Turkish (kg ingest reads Turkish; English and Russian documents are curated by hand):
    Turkish letters and Turkish function words, little Cyrillic."""
    folded = turkish.fold(text)
    words = len(re.findall(r"(?<!\w)(?:ve|ile|bir|için|olarak|bu|da|de)(?!\w)", folded))
    cyrillic = len(re.findall(r"[\u0400-\u04ff]", text))
    return words >= 3 and bool(re.search(r"[ğış]", folded)) and cyrillic < len(text) / 10


def default_pairs(uncommitted: bool = False, skip: frozenset[str] = frozenset()) -> list[tuple[Path, Path]]:
    """(text, ground truth) of every Turkish source text with a curated graph, else with expected facts; the
    documents in `skip` are not even opened."""
    pairs = []
    for text in sorted((ROOT / "data" / "sources").glob("*.txt")):
        if text.stem in skip:
            continue
        curated = next((c for c in (ROOT / "data" / f"{text.stem}.trig", ROOT / "data" / "series" / f"{text.stem}.trig")
                        if c.is_file()), ROOT / "data" / f"{text.stem}.trig")
        if curated.is_file() and (uncommitted or committed(curated)):
            truth = curated
        elif (EXPECTED / f"{text.stem}.trig").is_file():
            truth = EXPECTED / f"{text.stem}.trig"
        else:
            continue
        if is_turkish(selectors.read_text(text)):
            pairs.append((text, truth))
    return pairs


def _plain(path: Path) -> Graph:
    ds = Dataset()
    ds.parse(path, format="trig")
    g = Graph()
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    return g


def with_conflicting_claims(g: Graph) -> Graph:
    """The curated graph with the triple of each of its casd:ConflictingClaim statements added: what the text
    states where it disagrees with the graph is still what the text states."""
    out = Graph() + g
    for st in g.subjects(RDF.type, CASD.ConflictingClaim):
        s, p, o = g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)
        if None not in (s, p, o):
            out.add((s, p, o))
    return out


def facts(g: Graph, typed: frozenset[Node] = frozenset()) -> dict[str, set[tuple]]:
    """The graph's facts of each type, in comparable form. `typed`: meetings typed elsewhere (data/entities.trig
    declares them; a document's graph then states only its facts about them)."""
    out: dict[str, set[tuple]] = defaultdict(set)
    summits = set(g.subjects(RDF.type, CASD.Summit)) | {s for s in typed if any((s, p, None) in g for p in (
        CASD.partOfSeries, CASD.ordinal, CASD.date, CASD.hostState, *PLACE_PROPERTIES))}
    for s in sorted(summits, key=str):
        out["meeting"].add((s, "summit"))
        for p, kind in ((CASD.ordinal, "meeting"), (CASD.partOfSeries, "meeting"), (CASD.date, "date"),
                        (CASD.hostState, "host"), (CASD.discussed, "issue"), *((p, "place") for p in PLACE_PROPERTIES)):
            for o in g.objects(s, p):
                out[kind].add((s, p, str(o) if p in (CASD.ordinal, CASD.date) else o))
        for o in g.objects(s, CASD.adopted):
            for cls in g.objects(o, RDF.type):
                out["document"].add((s, CASD.adopted, cls))
    for part in sorted(set(g.subjects(RDF.type, CASD.Participation)) | set(g.subjects(CASD.meeting, None)), key=str):
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


def _known(config: Config, leave_out: set[str]) -> Graph:
    """The ontology and the data files but those left out (by stem); a file that does not parse yet (a curator
    still writing it) is skipped with a word on stderr."""
    quads = parse_files(config.ontology_files, None)
    for path in config.data_files:                    # the series' documents (data/series/) among them
        if path.stem in leave_out:
            continue
        try:
            quads += parse_files([path])
        except Exception as err:                      # noqa: BLE001 - any parse failure (KgError among them)
            print(f"note: {path.name} left out of the gazetteer ({str(err).splitlines()[0][:100]})", file=sys.stderr)
    return graph_of(quads)


def published_of(curated: Graph) -> Literal | None:
    """The publication day the curated graph gives its document (what a curator passes as --published)."""
    days = sorted({o for o in curated.objects(None, CASD.datePublished)
                   if isinstance(o, Literal) and o.datatype == XSD.date})
    return days[0] if len(days) == 1 else None


def score(text_path: Path, curated_path: Path, config: Config, held_out: tuple[str, ...] = (),
          verbose: bool = False, strict: bool = False) -> dict[str, tuple[int, int, int]]:
    """(true positives, proposed, curated) per fact type for one document; a proposal the curated file lacks but
    another document asserts is left out of `proposed` unless `strict`."""
    known = _known(config, {curated_path.stem, text_path.stem, *held_out})
    elsewhere = facts(known, frozenset(known.subjects(RDF.type, CASD.Summit)))
    curated = with_conflicting_claims(_plain(curated_path))
    issues = set(curated.subjects(RDF.type, CASD.Issue)) - set(known.subjects(RDF.type, CASD.Issue))
    for s, p, o in curated:                       # the scored file's entities, not its facts nor its new issues
        if p in NAMES and s not in issues and not (p == RDF.type and o in (CASD.Summit, CASD.Participation)):
            known.add((s, p, o))
    gaz = gazetteer.from_graph(known)
    text = selectors.read_text(text_path)
    found = extract.extract(text, gaz, published_of(curated))
    doc = text_path.stem
    ds = proposals.build(doc, text, found, "https://example.org/", "bench", None)
    proposed = Graph()
    for t in ds.graph(proposals.graph_name(doc)):
        proposed.add(t)
    mapping = resolver(proposed, curated)
    resolved = Graph()
    for s, p, o in proposed:
        resolved.add((mapping.get(s, s), p, mapping.get(o, o)))
    typed = frozenset(known.subjects(RDF.type, CASD.Summit))
    mine, theirs = facts(resolved, typed), facts(curated, typed)
    known_elsewhere = {k: (mine[k] - theirs[k]) & elsewhere[k] for k in TYPES[:-1]}
    if verbose:
        from kg.vocab import compact
        for kind in TYPES[:-1]:
            for label, diff in (("proposed, not curated", mine[kind] - theirs[kind] - known_elsewhere[kind]),
                                ("proposed, not curated, already in the graph", known_elsewhere[kind]),
                                ("curated, not proposed", theirs[kind] - mine[kind])):
                for fact in sorted(diff, key=str):
                    print(f"    {doc} {kind} {label}: " + " ".join(compact(str(x)) for x in fact), file=sys.stderr)
    out = {}
    for kind in TYPES:
        if kind == "document":
            a, b = documents_count(resolved), documents_count(curated)
            tp = sum(min(n, b.get(k, 0)) for k, n in a.items())
            out[kind] = (tp, sum(a.values()), sum(b.values()))
        else:
            aside = 0 if strict else len(known_elsewhere[kind])
            out[kind] = (len(mine[kind] & theirs[kind]), len(mine[kind]) - aside, len(theirs[kind]))
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
    ap.add_argument("--held-out", nargs="*", default=HELD_OUT, metavar="NAME",
                    help=f"documents (file stems) the rules were not developed on, reported apart "
                         f"(default: {' '.join(HELD_OUT) or 'none'})")
    ap.add_argument("--strict", action="store_true",
                    help="count a proposal the curated file lacks but another document asserts as wrong")
    ap.add_argument("--uncommitted", action="store_true",
                    help="also score against curated graphs in data/ that are not committed yet")
    ap.add_argument("--development-only", action="store_true",
                    help="leave the held-out documents out entirely (while the rules are being developed)")
    ap.add_argument("--verbose", action="store_true", help="list each fact proposed and not curated, and the reverse")
    args = ap.parse_args()
    config = Config(root=ROOT)
    skip = frozenset(args.held_out) if args.development_only else frozenset()
    pairs = [tuple(p) for p in args.pair] if args.pair else default_pairs(args.uncommitted, skip)
    pairs = [p for p in pairs if p[0].stem not in skip]
    for text_path, truth in pairs:
        print(f"{text_path.stem}: against {truth.relative_to(ROOT) if truth.is_relative_to(ROOT) else truth}",
              file=sys.stderr)
    dev: dict[str, dict[str, tuple[int, int, int]]] = {}
    held: dict[str, dict[str, tuple[int, int, int]]] = {}
    for text_path, curated in pairs:
        if not text_path.is_file() or not curated.is_file():
            print(f"skipped {text_path.name}: {'curated graph' if text_path.is_file() else 'text'} not found", file=sys.stderr)
            continue
        (held if text_path.stem in args.held_out else dev)[text_path.stem] = score(
            text_path, curated, config, tuple(args.held_out), args.verbose, args.strict)
    report("Development documents", dev)
    if held:
        report("Held-out documents (the rules were not developed on these)", held)
    elif not args.development_only:
        print("\nNo held-out " + ("document found among the pairs." if args.held_out else "documents set (--held-out)."))


if __name__ == "__main__":
    main()
