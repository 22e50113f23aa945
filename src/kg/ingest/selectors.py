"""Quote selectors computed from a source text: exact words, 24 code points of context each side, offsets.

Offsets count Unicode code points in the text as `kg.build.provenance` reads it (the file read as UTF-8 text,
so a str index is a code point), end exclusive; every selector made here is checked by that same code
(`verify`), so the two cannot drift apart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from kg.build import provenance
from kg.errors import KgError
from kg.vocab import CASD, OA

CONTEXT = 24            # code points of prefix and suffix, as data/avim-blog-50.trig has them


@dataclass(frozen=True)
class Selector:
    """The two selectors of one quote: a TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def read_text(path: Path) -> str:
    """A source text as the quote check reads it (UTF-8, Python's text mode)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KgError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise KgError(f"{path}: a folder, not a text file") from None
    except UnicodeDecodeError as err:
        raise KgError(f"{path}: not UTF-8 text (byte {err.start}: {err.reason})") from None


def selector(text: str, start: int, end: int) -> Selector:
    """The selector of text[start:end], with up to CONTEXT code points of context each side."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}-{end} outside a text of {len(text)} code points")
    return Selector(text[start:end], text[max(0, start - CONTEXT):start], text[end:end + CONTEXT], start, end)


def occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of `phrase` in `text`; if it does not occur as written, of every place
    where it occurs with each run of white space in it matching any run of white space (a line break in the text
    typed as a space)."""
    found, at = [], text.find(phrase)
    while phrase and at >= 0:
        found.append((at, at + len(phrase)))
        at = text.find(phrase, at + 1)
    words = phrase.split()
    if found or not words:
        return found
    loose = re.compile(r"\s+".join(re.escape(w) for w in words))
    return [(m.start(), m.end()) for m in loose.finditer(text)]


def locate(text: str, phrase: str, occurrence: int | None = None) -> Selector:
    """The selector of `phrase` in `text`: its only occurrence, or the `occurrence`-th (1-based)."""
    if not phrase:
        raise KgError("the phrase is empty")
    found = occurrences(text, phrase)
    if not found:
        raise KgError(f"{phrase!r} is not in the text")
    if occurrence is None:
        if len(found) > 1:
            raise KgError(f"{phrase!r} occurs {len(found)} times (at {', '.join(str(s) for s, _ in found)}); "
                          f"choose one with --occurrence 1..{len(found)}")
        occurrence = 1
    if not 1 <= occurrence <= len(found):
        raise KgError(f"{phrase!r} occurs {len(found)} time(s); --occurrence {occurrence} is out of range")
    start, end = found[occurrence - 1]
    return selector(text, start, end)


def add_selectors(graph: Graph, quote: URIRef, sel: Selector) -> None:
    """Add the two selectors of `quote` to `graph`, as blank nodes named after the quote (stable output)."""
    tq, tp = BNode(f"{_tail(quote)}-text"), BNode(f"{_tail(quote)}-position")
    graph.add((quote, OA.hasSelector, tq))
    graph.add((tq, RDF.type, OA.TextQuoteSelector))
    graph.add((tq, OA.exact, Literal(sel.exact)))
    graph.add((tq, OA.prefix, Literal(sel.prefix)))
    graph.add((tq, OA.suffix, Literal(sel.suffix)))
    graph.add((quote, OA.hasSelector, tp))
    graph.add((tp, RDF.type, OA.TextPositionSelector))
    graph.add((tp, OA.start, Literal(sel.start)))
    graph.add((tp, OA.end, Literal(sel.end)))


def _tail(iri: URIRef) -> str:
    return "".join(c if c.isalnum() else "-" for c in str(iri).rsplit("/", 1)[-1])


def verify(data: Graph, source: Path, quotes: list[URIRef] | None = None) -> list[str]:
    """What `kg.build.provenance` finds wrong with the quotes in `data` (default: all) read against the text
    file `source`, whatever their source's dcterms:identifier says; one line per problem."""
    probe = Graph()
    for triple in data:
        probe.add(triple)
    for doc in set(probe.objects(None, OA.hasSource)):
        probe.remove((doc, DCTERMS.identifier, None))
        probe.add((doc, DCTERMS.identifier, Literal(str(Path(source).resolve()))))  # absolute: read as is
    chosen = list(probe.subjects(RDF.type, CASD.Quote)) if quotes is None else quotes
    return [f"{_tail(URIRef(str(q)))}: {message}"
            for q, message in provenance.mismatches(probe, [Path(source).resolve().parent], chosen)]


def check_selector(text_file: Path, sel: Selector) -> list[str]:
    """The quote check's verdict on one selector against the text file (empty when it matches)."""
    g, quote, doc = Graph(), URIRef("urn:kg:quote:probe"), URIRef("urn:kg:document:probe")
    g.add((quote, RDF.type, CASD.Quote))
    g.add((quote, OA.hasSource, doc))
    add_selectors(g, quote, sel)
    return verify(g, text_file)


def turtle_string(value: str) -> str:
    """A Turtle string literal of `value` on one line ("…" with \\n, \\" and \\\\ escaped)."""
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'


def trig_fragment(sel: Selector) -> str:
    """The oa:hasSelector lines of a quote, ready to paste into TriG, laid out as data/avim-blog-50.trig has them."""
    return (f"        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact {turtle_string(sel.exact)} ;\n"
            f"                         oa:prefix {turtle_string(sel.prefix)} ; oa:suffix {turtle_string(sel.suffix)} ] ,\n"
            f"                       [ a oa:TextPositionSelector ; oa:start {sel.start} ; oa:end {sel.end} ] .")
