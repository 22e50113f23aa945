"""Check that every quote's words stand in its source text at its offsets."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from rdflib import Graph
from rdflib.term import Node
from rdflib.namespace import DCTERMS, RDF

from kg.errors import ProvenanceError
from kg.vocab import CASD, OA


def mismatches(data: Graph, roots: Iterable[Path], quotes: Iterable[Node] | None = None) -> list[tuple[Node, str]]:
    """(quote, what is wrong) for each quote whose exact words, prefix or suffix differ from the text at its
    offsets, or whose source text is not found under any of `roots` (searched in order). Default: every quote."""
    roots = list(roots)
    problems: list[tuple[Node, str]] = []
    texts: dict[str, str | None] = {}
    # rdflib types terms as Node, which declares no ordering; every term it gives here (URIRef, BNode) is ordered
    chosen = sorted(data.subjects(RDF.type, CASD.Quote)) if quotes is None else sorted(quotes)  # type: ignore[type-var]
    for quote in chosen:
        source = data.value(quote, OA.hasSource)
        rel = data.value(source, DCTERMS.identifier) if source is not None else None
        if rel is None:
            problems.append((quote, "its source has no dcterms:identifier naming the text file"))
            continue
        if str(rel) not in texts:
            texts[str(rel)] = _read_source(str(rel), roots)
        text = texts[str(rel)]
        if text is None:
            where = ", ".join(str(r) for r in roots)
            problems.append((quote, f"source text {rel} not found under {where}, so the quote cannot be checked"))
            continue
        problems.extend((quote, message) for message in _check_one(data, quote, text))
    return problems


def _read_source(rel: str, roots: list[Path]) -> str | None:
    """The text of the first file named `rel` under the roots; None if there is none."""
    for root in roots:
        path = Path(root) / rel
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def quote_mismatches(data: Graph, root: Path) -> list[str]:
    """One line per quote whose words differ from its source text, or whose text is missing under `root`."""
    return [f"{quote}: {message}" for quote, message in mismatches(data, [root])]


def _check_one(data: Graph, quote: Node, text: str) -> list[str]:
    exact = prefix = suffix = start = end = None
    for sel in data.objects(quote, OA.hasSelector):
        if (sel, RDF.type, OA.TextQuoteSelector) in data:
            exact, prefix, suffix = (data.value(sel, p) for p in (OA.exact, OA.prefix, OA.suffix))
        if (sel, RDF.type, OA.TextPositionSelector) in data:
            start, end = (data.value(sel, p) for p in (OA.start, OA.end))
    if exact is None or start is None or end is None:
        return ["needs a TextQuoteSelector and a TextPositionSelector"]
    # rdflib types Graph.value() as Node; the terms are str subclasses (a Literal's lexical form), which int() reads
    s, e = int(start), int(end)  # type: ignore[call-overload]
    out = []
    if text[s:e] != str(exact):
        out.append(f"the source text at offsets {s}-{e} is {text[s:e]!r}, not the quoted {str(exact)!r}")
    if prefix is not None and not text[:s].endswith(str(prefix)):
        out.append(f"the text before offset {s} does not end with the prefix {str(prefix)!r}")
    if suffix is not None and not text[e:].startswith(str(suffix)):
        out.append(f"the text after offset {e} does not start with the suffix {str(suffix)!r}")
    return out


def check_quotes(data: Graph, root: Path) -> int:
    """Raise ProvenanceError listing every mismatch; return the number of quotes checked."""
    problems = quote_mismatches(data, root)
    if problems:
        raise ProvenanceError(f"{len(problems)} quote(s) do not match their source text: " + " | ".join(problems[:5]))
    return len(set(data.subjects(RDF.type, CASD.Quote)))

