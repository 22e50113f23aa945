"""Where a text speaks of a meeting of the series: sentences, meeting words with their ordinals, and the clause
of the text that belongs to each."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.ingest.dates import MONTHS
from kg.ingest.ordinals import Ordinal, find_ordinals
from kg.ingest.turkish import fold

_MEETING_WORD = re.compile(r"(?<![\w])(?:istişare\s+)?(?:toplantı|zirve)\w*(?:'\w+)?", re.S)
_SERIES = re.compile(r"istişare\s+toplantı|devlet\s+başkanları|cumhurbaşkanları")
# a sentence ends at . ! ? (not after a digit: "7. Orta Asya") followed by white space, or at a line break
# after such a mark or after a short line (a dateline, a heading); a PDF's long lines run on
_SENTENCE_END = re.compile(r"(?<!\d)[.!?][\"”']?(?=\s)|(?<=[.!?:\"”])[ \t]*\n|^[^\n]{0,60}\n|\n(?=\s*\n)", re.M)


@dataclass(frozen=True)
class Anchor:
    """A word for a meeting ("İstişare Toplantısı'na", "toplantıya", "ikincisi"): its span (from the ordinal
    when there is one), its ordinal, and whether it names the series."""

    start: int
    end: int
    ordinal: int | None
    series: bool
    postponed_ref: bool = False    # "ertelenen istişare toplantısı": the meeting said to be postponed


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, leading white space left out."""
    out, at = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((at, m.end()))
        at = m.end()
    out.append((at, len(text)))
    spans = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        if s < e:
            spans.append((s, e))
    return spans


def anchors(text: str) -> list[Anchor]:
    """The meeting words of the text with their ordinals: an ordinal up to seven words before the meeting word
    in the same phrase ("7. Orta Asya Devlet Başkanları İstişare Toplantısı", "ilk istişare toplantısı"), or a
    noun ordinal ("ikincisi") in a sentence that already counts meetings."""
    folded = fold(text)
    ordinals = find_ordinals(text)
    found: list[Anchor] = []
    for m in _MEETING_WORD.finditer(folded):
        before = [o for o in ordinals if o.end <= m.start() and not o.noun
                  and re.fullmatch(r"(?:\s+[^\W\d_][\w]*){0,7}\s+", folded[o.end:m.start()] + " ")
                  and not re.search(r"[,;:()]", folded[o.end:m.start()])]
        o = before[-1] if before else _title_number(text, m.start())
        series = bool(_SERIES.search(folded[max(0, m.start() - 60):m.end()]))
        postponed = bool(re.search(r"ertelenen\s+$", folded[max(0, m.start() - 20):m.start()]))
        found.append(Anchor(o.start if o else m.start(), m.end(), o.value if o else None, series, postponed))
    counted = [a for a in found if a.ordinal is not None]
    for o in ordinals:
        if o.noun and any(_same_sentence(text, a.start, o.start) for a in counted):
            found.append(Anchor(o.start, o.end, o.value, False))
    return sorted(found, key=lambda a: a.start)


_TITLE_NUMBER = re.compile(r"(?<![\w.,'’])(\d{1,2})((?:\s+[A-ZÇĞİÖŞÜ][\w'’()]*){1,6})\s+$")


def _title_number(text: str, at: int) -> Ordinal | None:
    """A number without its dot before a capitalised name of a meeting ("1 Orta Asya Liderler Zirvesi"): read
    as the ordinal when every word from the number to the meeting word is capitalised (a title, not a count:
    "2 gün süren zirve" is not), and the first is not a month ("15 Mart Zirvesi")."""
    if not text[at:at + 1].isupper():
        return None
    m = _TITLE_NUMBER.search(text, max(0, at - 80), at)
    if m is None or fold(m.group(2).split()[0]) in MONTHS:
        return None
    return Ordinal(m.start(1), m.end(1), int(m.group(1)))


def _same_sentence(text: str, a: int, b: int) -> bool:
    return any(s <= a < e and s <= b < e for s, e in sentences(text))


def clause(text: str, anchor: Anchor, all_anchors: list[Anchor]) -> tuple[int, int]:
    """The part of the anchor's sentence that belongs to it: from the end of the previous numbered anchor (or
    the sentence start) to the start of the next numbered anchor (or the sentence end)."""
    s, e = next(((s, e) for s, e in sentences(text) if s <= anchor.start < e), (0, len(text)))
    if anchor.ordinal is None:
        return s, e
    others = [a for a in all_anchors if a.ordinal is not None and a.ordinal != anchor.ordinal and s <= a.start < e]
    before = [a.end for a in others if a.end <= anchor.start]
    after = [a.start for a in others if a.start >= anchor.end]
    return (max(before) if before else s), (min(after) if after else e)
