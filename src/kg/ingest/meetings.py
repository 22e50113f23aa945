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
    noun: bool = False             # "İlki", "beşincisi": an ordinal standing for the meeting ("the first of them")


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
    used: set[int] = set()
    for m in _MEETING_WORD.finditer(folded):
        before = [o for o in ordinals if o.end <= m.start() and not o.noun
                  and re.fullmatch(r"(?:\s+[^\W\d_][\w]*){0,7}\s+", folded[o.end:m.start()] + " ")
                  and not re.search(r"[,;:()!?.]|(?<!\w)d[ae](?!\w)", folded[o.end:m.start()])]
        o = before[-1] if before else _title_number(text, m.start())
        end = m.end()
        of = next((x for x in ordinals if x.noun and re.fullmatch(r"\s+", folded[m.end():x.start])), None)
        if o is None and of is not None and _GENITIVE.search(m.group()):
            o, end = of, of.end             # "İstişare Toplantısı'nın beşincisi": the fifth of the meetings
            used.add(of.start)
        series = bool(_SERIES.search(folded[max(0, m.start() - 60):m.end()]))
        postponed = bool(re.search(r"ertelenen\s+$", folded[max(0, m.start() - 20):m.start()]))
        start = m.start() if o is None or o.start > m.start() else o.start
        found.append(Anchor(start, end, o.value if o else None, series, postponed))
    counted = [a for a in found if a.ordinal is not None]
    for o in ordinals:
        if o.noun and o.start not in used and any(_same_sentence(text, a.start, o.start) for a in counted):
            found.append(Anchor(o.start, o.end, o.value, False, noun=True))
    return sorted(found, key=lambda a: a.start)


_GENITIVE = re.compile(r"(?:[nsy]?[ıiuü]n)$")


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
    the sentence start) to the start of the next numbered anchor (or the sentence end); where a recollection
    ends between them ("İlki … Astana'da düzenlenen", "… toplantının ardından"), the two split there."""
    s, e = next(((s, e) for s, e in sentences(text) if s <= anchor.start < e), (0, len(text)))
    if anchor.ordinal is None:
        return s, e
    others = [a for a in all_anchors if a.ordinal is not None and a.ordinal != anchor.ordinal and s <= a.start < e]
    before = [a for a in others if a.end <= anchor.start]
    after = [a for a in others if a.start >= anchor.end]
    start = _split(text, max(before, key=lambda a: a.end), anchor)[1] if before else s
    end = _split(text, anchor, min(after, key=lambda a: a.start))[0] if after else e
    return start, end


_PARTICIPLE = re.compile(r"(?<!\w)(?:düzenlenen|gerçekleştirilen|gerçekleşen|yapılan|toplanan)(?!\w)[\"”'’]?")
_AFTER = re.compile(r"(?<!\w)(?:ardından|sonra|sonrasında)(?!\w),?")


def _split(text: str, a: Anchor, b: Anchor) -> tuple[int, int]:
    """(where a's clause ends, where b's begins) for two numbered anchors of one sentence, a first: at the
    participle that closes a recollection opened by a ("İlki Mart 2018'de Astana'da düzenlenen … beşincisi"), or
    after "ardından"/"sonra"; else a's runs to b and b's from a."""
    folded = fold(text)
    if _recollection(folded, a, b):
        end = [m.end() for m in _PARTICIPLE.finditer(folded, a.end, b.start)][-1]
        return end, end
    after = [m.end() for m in _AFTER.finditer(folded, a.end, b.start)]
    return b.start, (after[-1] if after else a.end)


def recalled(text: str, anchor: Anchor, all_anchors: list[Anchor]) -> bool:
    """Whether the anchor opens a relative clause that recalls its meeting to name the next one of its sentence
    ("İlki Mart 2018'de … düzenlenen toplantıların beşincisi …"): the text presupposes that meeting, it does
    not report it."""
    s, e = next(((s, e) for s, e in sentences(text) if s <= anchor.start < e), (0, len(text)))
    after = [a for a in all_anchors if a.ordinal is not None and a.ordinal != anchor.ordinal
             and anchor.end <= a.start < e]
    return bool(after) and _recollection(fold(text), anchor, min(after, key=lambda a: a.start))


def _recollection(folded: str, a: Anchor, b: Anchor) -> bool:
    """An ordinal standing for the meeting ("İlki", "ilk toplantısı"), then a participle before the next anchor."""
    return a.ordinal is not None and b.start >= a.end and (
        a.noun or bool(re.fullmatch(r"\S+\s+(?:toplantısı|zirvesi)", folded[a.start:a.end]))) and \
        _PARTICIPLE.search(folded, a.end, b.start) is not None
