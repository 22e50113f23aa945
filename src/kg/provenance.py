"""Check that every quote's words stand in its source text at its offsets."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from kg.errors import ProvenanceError
from kg.namespaces import CASD, OA


def quote_mismatches(data: Graph, root: Path) -> list[str]:
    """One line per quote whose exact words, prefix or suffix differ from the text at its offsets."""
    problems, texts = [], {}
    for quote in sorted(data.subjects(RDF.type, CASD.Quote)):
        source = data.value(quote, OA.hasSource)
        rel = data.value(source, DCTERMS.identifier) if source is not None else None
        if rel is None:
            problems.append(f"{quote}: its source has no dcterms:identifier naming the text file")
            continue
        if rel not in texts:
            path = root / str(rel)
            if not path.is_file():
                problems.append(f"{quote}: source text {rel} not found under {root}")
                texts[rel] = None
                continue
            texts[rel] = path.read_text(encoding="utf-8")
        text = texts[rel]
        if text is None:
            continue
        problems.extend(_check_one(data, quote, text))
    return problems


def _check_one(data: Graph, quote, text: str) -> list[str]:
    exact = prefix = suffix = start = end = None
    for sel in data.objects(quote, OA.hasSelector):
        if (sel, RDF.type, OA.TextQuoteSelector) in data:
            exact, prefix, suffix = (data.value(sel, p) for p in (OA.exact, OA.prefix, OA.suffix))
        if (sel, RDF.type, OA.TextPositionSelector) in data:
            start, end = (data.value(sel, p) for p in (OA.start, OA.end))
    if exact is None or start is None or end is None:
        return [f"{quote}: needs a TextQuoteSelector and a TextPositionSelector"]
    s, e = int(start), int(end)
    out = []
    if text[s:e] != str(exact):
        out.append(f"{quote}: text[{s}:{e}] is {text[s:e]!r}, not {str(exact)!r}")
    if prefix is not None and not text[:s].endswith(str(prefix)):
        out.append(f"{quote}: the text before offset {s} does not end with the prefix {str(prefix)!r}")
    if suffix is not None and not text[e:].startswith(str(suffix)):
        out.append(f"{quote}: the text after offset {e} does not start with the suffix {str(suffix)!r}")
    return out


def check_quotes(data: Graph, root: Path) -> int:
    """Raise ProvenanceError listing every mismatch; return the number of quotes checked."""
    problems = quote_mismatches(data, root)
    if problems:
        raise ProvenanceError(f"{len(problems)} quote(s) do not match their source text: " + " | ".join(problems[:5]))
    return len(set(data.subjects(RDF.type, CASD.Quote)))

