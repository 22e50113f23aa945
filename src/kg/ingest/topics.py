"""Rules for what a meeting was about and what it adopted: agenda issues (the graph's casd:Issue labels) and the
documents signed or decisions taken, each with the span it came from."""
from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.ingest import meetings, turkish
from kg.ingest.extract import OUTCOME, Extraction, Fact, _Meeting
from kg.ingest.gazetteer import Gazetteer
from kg.vocab import CASD

_DOCS = [(re.compile(r"ortak\s+(?:bildiri|açıklama)\w*"), CASD.JointStatement),
         (re.compile(r"(?:bildiri|deklarasyon)\w*"),
         CASD.Declaration), (re.compile(r"karar(?:ı|lar\w*)(?=\s)"), CASD.Decision),
         (re.compile(r"çağrı\w*"), CASD.Declaration), (re.compile(r"tedbirler\w*"), CASD.Decision)]
_ADOPTED = re.compile(r"imzala|onayla|kabul\s+edil|(?:açıklama|bildiri)\w*\s+(?:yaptı|yayımla|yayınla)")



def issues(text: str, folded: str, m: _Meeting, gaz: Gazetteer, found: Extraction) -> None:
    """Agenda issues (the graph's casd:Issue labels, matched by stem) in the sentences about the meeting."""
    if m.iri is None:
        return
    words = turkish.words(text)
    clauses = set(m.clauses) | {(s, e) for s, e in meetings.sentences(text)
                                if re.search(r"görüşül|ele\s+alın", folded[s:e])}
    candidates: list[tuple[int, int, URIRef]] = []
    for entry in gaz.of_kind("issue"):
        for label in entry.labels:
            stems = [turkish.stem(w) for w in turkish.fold(label).split()]
            if not stems or len(stems) > 4 or sum(len(x) for x in stems) < 6:
                continue
            for cs, ce in sorted(clauses):
                inside = [w for w in words if cs <= w[0] < ce]
                for i in range(len(inside) - len(stems) + 1):
                    window = inside[i:i + len(stems)]
                    if all(w[2].startswith(st) for w, st in zip(window, stems)):
                        candidates.append((window[0][0], window[-1][1], entry.iri))
    taken: list[tuple[int, int]] = []
    for s, e, iri in sorted(set(candidates), key=lambda c: (c[0] - c[1], c[0], str(c[2]))):
        if not any(s < te and ts < e for ts, te in taken):
            taken.append((s, e))
            found.add(Fact("issue", m.iri, CASD.discussed, iri, s, e, "issue-label-stems"))
    _cooperation_lists(folded, m.iri, sorted(clauses), gaz, found)


_COOPERATION_LABEL = re.compile(r"(?P<field>[^\W\d_]+)\s+(?:alan\w*\s+)?iş\s*birliği")
_COOPERATION_LIST = re.compile(r"(?P<list>(?:[^\W\d_]+\s*,\s*)*[^\W\d_]+(?:\s+ve\s+[^\W\d_]+)?)"
                               r"\s+(?:alan\w*\s+)?iş\s*birliğ\w*")


def _cooperation_lists(folded: str, meeting: URIRef, clauses: list[tuple[int, int]], gaz: Gazetteer,
                       found: Extraction) -> None:
    """Cooperation in fields listed before one head noun: "siyasi, ticaret, ekonomik … ve diğer alanlardaki
    işbirliği" names each of the graph's issues "<field> (alanında) iş birliği"."""
    fields: dict[str, URIRef] = {}
    for entry in gaz.of_kind("issue"):
        for label in entry.labels:
            if (lab := _COOPERATION_LABEL.fullmatch(turkish.fold(label))) and len(turkish.stem(lab["field"])) >= 4:
                fields.setdefault(turkish.stem(lab["field"]), entry.iri)
    for cs, ce in clauses:
        for lst in _COOPERATION_LIST.finditer(folded, cs, ce):
            items = re.split(r"\s*,\s*|\s+ve\s+", lst["list"])
            if len(items) < 2:
                continue
            for item in items:
                for stem, iri in sorted(fields.items()):
                    if item.startswith(stem):
                        found.add(Fact("issue", meeting, CASD.discussed, iri, lst.start(), lst.end(),
                                       "cooperation-list"))


def documents(text: str, folded: str, m: _Meeting, found: Extraction) -> None:
    """Documents signed or adopted: "ortak bildiriyi … imzaladı", "… kararı imzaladı", "tedbirler onaylandı"."""
    if m.iri is None:
        return
    year = str(m.date.value)[:4] if m.date else "undated"
    for cs, ce in sorted(set(m.clauses)):
        if not _ADOPTED.search(folded, cs, ce):
            continue
        taken: list[tuple[int, int]] = []
        for pattern, cls in _DOCS:
            for d in pattern.finditer(folded, cs, ce):
                if any(d.start() < e and s < d.end() for s, e in taken):
                    continue
                start = _phrase_start(folded, cs, d.start())
                taken.append((start, d.end()))
                phrase = text[start:d.end()]
                iri = OUTCOME[f"{year}-{'-'.join(turkish.ascii_slug(phrase.replace(chr(39), '')).split('-')[:6])}"]
                found.new[iri] = (cls, phrase)
                found.add(Fact("document", iri, RDF.type, cls, start, d.end(), "document-noun"))
                found.add(Fact("document", m.iri, CASD.adopted, iri, start, d.end(), "document-adopted"))
                found.add(Fact("document", iri, RDFS.label, Literal(phrase, lang="tr"), start, d.end(), "document-noun"))


def _phrase_start(folded: str, floor: int, at: int) -> int:
    """Where the noun phrase before a document noun begins: after the last comma, "ve" or clause word."""
    cuts = list(re.finditer(r",|(?<!\w)(?:ve|ile|sonunda|ayrıca)(?!\w)", folded[floor:at]))
    start = floor + (cuts[-1].end() if cuts else 0)
    while start < at and not folded[start].isalnum():
        start += 1
    return start
