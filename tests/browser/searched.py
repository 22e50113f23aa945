"""What the search tests type, chosen from the served graph by SPARQL and from the stored texts: a word found in
few quotes, a word found in one source text and in no name or quote, a name's word, and a query of stop words."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable

from browser.served import Served
from kg.config import Config
from kg.query.fulltext.fold import STOP_WORDS, fold
from kg.server.pages import attribution

QUOTES = """PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?quote ?exact ?text WHERE { ?quote a casd:Quote ; oa:hasSource ?text ;
  oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ?exact ] } ORDER BY ?quote"""
TEXTS = """PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?text ?id ?label WHERE { ?text dcterms:identifier ?id FILTER STRSTARTS(?id, "data/sources/")
  OPTIONAL { ?text rdfs:label ?label FILTER (LANG(?label) = "en") } } ORDER BY ?text"""
NAMES = """SELECT ?l WHERE { ?x rdfs:label|<http://www.w3.org/2004/02/skos/core#altLabel> ?l }"""
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Target:
    """A word to type and what it must find: the IRI, and the text it lives in (a quote's text, or the text)."""

    word: str
    iri: str
    text: str
    label: str = ""


def rarest(texts: Iterable[str], candidates: Iterable[str], wanted: Callable[[str], bool]) -> str:
    """Of the candidate words (7 letters or more, not stop words) that `wanted` accepts, the one in the fewest
    texts (folded), the longest first on a tie."""
    counts = Counter(w for text in texts for w in set(WORD.findall(fold(text))))
    words = sorted({w for w in candidates if len(w) >= 7 and w.isalpha() and fold(w) not in STOP_WORDS
                    and wanted(w)})
    assert words, "no such word in the graph"
    return min(words, key=lambda w: (counts[fold(w)], -len(w)))


def quote(server: Served) -> Target:
    """A word of few quotes, and the first quote that holds it."""
    rows = server.select(QUOTES)
    word = rarest([r["exact"] for r in rows], [w for r in rows for w in WORD.findall(r["exact"])], lambda w: True)
    row = next(r for r in rows if word in WORD.findall(r["exact"]))
    return Target(word, row["quote"], row["text"])


def source(server: Served) -> Target:
    """A word of one source text that no name and no quote holds, and that text."""
    texts = {r["text"]: (r, (attribution.text_path(Config().root, r["id"]) or "").read_text(encoding="utf-8"))
             for r in server.select(TEXTS)}
    said = [r["l"] for r in server.select(NAMES)] + [r["exact"] for r in server.select(QUOTES)]
    named = {w for text in said for w in WORD.findall(fold(text))}
    word = rarest([t for _, t in texts.values()], [w for _, t in texts.values() for w in WORD.findall(t)],
                  lambda w: fold(w) not in named)
    iri, (row, _) = next((iri, found) for iri, found in texts.items() if fold(word) in WORD.findall(fold(found[1])))
    return Target(word, iri, iri, row.get("label", ""))


def stop_words() -> str:
    """A query made only of stop words."""
    return " ".join(sorted(STOP_WORDS)[:3])
