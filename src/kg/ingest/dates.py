"""Turkish date expressions, each as an RDF literal at the precision the text states, with its span.

"6 Ağustos 2021" → xsd:date; "Mart 2018'de", "Kasım 2025" → xsd:gYearMonth; "2018de", "2018'de",
"2018 yılında" → xsd:gYear; "15-16 Kasım" and "15 Mart" take their year from the text's own dates;
"30 Kasım 2019 08:32" at the head of a text is its dateline; "24.09.2021" is a date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Literal
from rdflib.namespace import XSD

from kg.ingest.turkish import fold

MONTHS = {"ocak": 1, "şubat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "haziran": 6, "temmuz": 7, "ağustos": 8,
          "eylül": 9, "ekim": 10, "kasım": 11, "aralık": 12}
_MONTH = "(?P<month>" + "|".join(MONTHS) + ")"
_SUFFIX = r"(?:'?(?:da|de|ta|te|dan|den|tan|ten|daki|deki|ın|in|un|ün|nın|nin|a|e|ya|ye|ı|i|u|ü|yı|yi))?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_END = r"(?![\w-])"

# Most specific first; a span taken by one form is not read again by a later one.
_FORMS: list[tuple[str, re.Pattern[str]]] = [
    ("range", re.compile(rf"(?<![\w.])(?P<day>\d{{1,2}})\s*[-–]\s*(?P<day2>\d{{1,2}})\s+{_MONTH}{_SUFFIX}"
                         rf"(?:\s+{_YEAR}{_SUFFIX})?{_END}")),
    ("date", re.compile(rf"(?<![\w.])(?P<day>\d{{1,2}})\s+{_MONTH}\s+{_YEAR}{_SUFFIX}"
                        rf"(?:\s+(?P<time>\d{{1,2}}[:.]\d\d))?(?:\s+tarihinde)?{_END}")),
    ("numeric", re.compile(rf"(?<![\w.])(?P<day>\d{{1,2}})\.(?P<mnum>\d{{1,2}})\.{_YEAR}{_END}")),
    ("month", re.compile(rf"(?<![\w.])(?P<day>\d{{1,2}})\s+{_MONTH}{_SUFFIX}{_END}")),
    ("yearmonth", re.compile(rf"(?<![\w.\d]){_MONTH}\s+{_YEAR}{_SUFFIX}(?:\s+(?:ayında|ayı))?{_END}")),
    ("year", re.compile(rf"(?<![\w.\d-]){_YEAR}(?:\s+yıl(?:ı|ında|ının|ındaki))?{_SUFFIX}(?![\w]|\s*[-–]\s*\d)")),
]


@dataclass(frozen=True)
class DateMention:
    """A date in the text: its span, its value at the stated precision, and (for "15-16 Kasım") the last day."""

    start: int
    end: int
    value: Literal
    precision: str                    # "day", "month" or "year"
    until: Literal | None = None      # the last day of a range
    dateline: bool = False            # the date at the head of the text (its publication)
    year_from_context: bool = False   # the year is not written here; it comes from the text's other dates
    relative: bool = False            # "cuma günü", "yarın": counted from the report's own date
    year_from: str = ""               # "graph" or "publication": whence the year of a day written without one


def _date(year: int, month: int, day: int) -> Literal | None:
    try:
        import datetime
        datetime.date(year, month, day)
    except ValueError:
        return None
    return Literal(f"{year:04d}-{month:02d}-{day:02d}", datatype=XSD.date)


def find_dates(text: str, default_year: int | None = None, reference: Literal | None = None) -> list[DateMention]:
    """Every date expression of the text, in order. A day and month without a year take the year of the
    nearest dated expression before it (else after it, else `default_year`: the meeting's year as the graph
    has it, else the year that puts the day nearest the report's own day, `reference`); without any, they are
    left out."""
    folded = fold(text)
    taken: list[tuple[int, int]] = []
    raw: list[tuple[str, re.Match[str]]] = []
    for kind, pattern in _FORMS:
        for m in pattern.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            raw.append((kind, m))
    raw.sort(key=lambda km: km[1].start())
    years = [(m.start(), int(m.group("year"))) for _, m in raw if m.groupdict().get("year")]
    head = len(text) - len(text.lstrip())
    out: list[DateMention] = []
    for kind, m in raw:
        g = m.groupdict()
        month = MONTHS[g["month"]] if g.get("month") else int(g["mnum"]) if g.get("mnum") else None
        year = int(g["year"]) if g.get("year") else _context_year(m.start(), years, None)
        source = ""
        if year is None and default_year is not None:
            year, source = default_year, "graph"
        elif year is None and reference is not None and month and g.get("day"):
            year, source = _nearest_year(reference, month, int(g["day"])), "publication"
        if year is None:
            continue
        end = m.end()
        if kind == "year":
            out.append(DateMention(m.start(), end, Literal(str(year), datatype=XSD.gYear), "year"))
        elif kind == "yearmonth" and month:
            out.append(DateMention(m.start(), end, Literal(f"{year:04d}-{month:02d}", datatype=XSD.gYearMonth),
                                   "month"))
        elif month:
            value = _date(year, month, int(g["day"]))
            until = _date(year, month, int(g["day2"])) if g.get("day2") else None
            if value is None or (g.get("day2") and until is None):
                continue
            dateline = kind == "date" and m.start() == head and text[end:end + 1] in ("\n", "")
            out.append(DateMention(m.start(), end, value, "day", until, dateline, not g.get("year"), year_from=source))
    return out


def _context_year(at: int, years: list[tuple[int, int]], default: int | None) -> int | None:
    before = [y for s, y in years if s < at]
    after = [y for s, y in years if s > at]
    return before[-1] if before else after[0] if after else default


def _nearest_year(reference: Literal, month: int, day: int) -> int | None:
    """The year that puts the day and month nearest the reference day (a report of 2 January about "30 Aralık"
    speaks of the year before); None without a reference day."""
    import datetime
    if reference.datatype != XSD.date:
        return None
    ref = datetime.date.fromisoformat(str(reference))
    near = [(abs((datetime.date(y, month, min(day, 28)) - ref).days), y) for y in (ref.year - 1, ref.year, ref.year + 1)]
    return min(near)[1]


def dateline(text: str) -> DateMention | None:
    """The date the text opens with on a line of its own ("30 Kasım 2019 08:32"), if it has one."""
    for d in find_dates(text):
        return d if d.dateline else None
    return None


WEEKDAYS = {"pazartesi": 0, "salı": 1, "çarşamba": 2, "perşembe": 3, "cuma": 4, "cumartesi": 5, "pazar": 6}
_RELATIVE = re.compile(r"(?<![\w'])(?:(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) +
                       r")\s+günü|(?P<word>dün|bugün|yarın))(?![\w'])")
_FUTURE = re.compile(r"\w(?:acak|ecek|ıyor|iyor)\w*")


def relative_dates(text: str, start: int, end: int, reference: Literal) -> list[DateMention]:
    """Days named relative to the report's own date (its dateline or publication day) between start and end:
    "cuma günü" (the last Friday on or before that date, or the next one in a sentence in the future tense),
    "dün", "bugün", "yarın". Nothing without a reference day."""
    import datetime
    if reference.datatype != XSD.date:
        return []
    day = datetime.date.fromisoformat(str(reference))
    folded = fold(text)
    future = bool(_FUTURE.search(folded, start, end))
    out = []
    for m in _RELATIVE.finditer(folded, start, end):
        if m.group("weekday"):
            back = (day.weekday() - WEEKDAYS[m.group("weekday")]) % 7
            when = day + datetime.timedelta(days=(7 - back) % 7) if future else day - datetime.timedelta(days=back)
        else:
            when = day + datetime.timedelta(days={"dün": -1, "bugün": 0, "yarın": 1}[m.group("word")])
        out.append(DateMention(m.start(), m.end(), Literal(when.isoformat(), datatype=XSD.date), "day",
                               relative=True))
    return out


def weekdays(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """(start, end, weekday: 0 is Monday) of each "cuma günü", "salı günü" … between start and end."""
    return [(m.start(), m.end(), WEEKDAYS[m.group("weekday")]) for m in _RELATIVE.finditer(fold(text), start, end)
            if m.group("weekday")]
