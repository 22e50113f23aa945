"""Rules that find the facts of a meeting in a Turkish news or analysis text, each with the span it came from."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from kg.ingest import dates as dating
from kg.ingest import meetings, turkish
from kg.ingest.gazetteer import Gazetteer, Mention
from kg.ingest.places import host_from_place, where
from kg.vocab import CASD, RES

SERIES = RES["series"]["central-asia-consultative-meetings"]
OUTCOME = RES["outcome"]                                        # what a meeting adopts (kg.ingest.topics)
PLACE = CASD.location                                           # the ontology's property for where a meeting was

@dataclass(frozen=True)
class Fact:
    """One proposed fact: the triple, the span of the text that states it, the rule, and how it is read."""

    kind: str                      # meeting, date, place, host, participant, role, issue, document
    subject: URIRef
    predicate: URIRef
    object: Node
    start: int
    end: int
    rule: str
    reading: URIRef = CASD.Stated
    comment: str = ""


@dataclass
class Extraction:
    """The facts found in one text, and the entities they name that the graph does not know yet."""

    facts: list[Fact] = field(default_factory=list)
    new: dict[URIRef, tuple[URIRef, str]] = field(default_factory=dict)    # iri → (class, Turkish label)

    def add(self, fact: Fact) -> None:
        """Keep the fact unless the same triple is already proposed."""
        if not any((f.subject, f.predicate, f.object) == (fact.subject, fact.predicate, fact.object)
                   for f in self.facts):
            self.facts.append(fact)


@dataclass
class _Meeting:
    ordinal: int | None
    spans: list[tuple[int, int]] = field(default_factory=list)       # anchors
    clauses: list[tuple[int, int]] = field(default_factory=list)
    held: list[bool] = field(default_factory=list)                    # False: a clause that says it was put off
    postponed: bool = False
    date: dating.DateMention | None = None
    place: Mention | None = None
    place_end: int | None = None                                      # end of the place's phrase, suffix included
    host: tuple[URIRef, int, int, str, URIRef] | None = None          # state, span, rule, reading
    iri: URIRef | None = None


def extract(text: str, gaz: Gazetteer, published: Literal | None = None) -> Extraction:
    """The facts of the meetings the text speaks of, and of who took part in them, in what role and office.
    `published` (the report's day, when the curator gives it) dates "cuma günü", "yarın" when no dateline does."""
    folded = turkish.fold(text)
    found = Extraction()
    anchors = meetings.anchors(text)
    names = gaz.find(text)
    by_ordinal: dict[int | None, _Meeting] = {}
    for a in anchors:
        if a.ordinal is not None and not meetings.recalled(text, a, anchors):   # not "İlki … düzenlenen …"
            m = by_ordinal.setdefault(a.ordinal, _Meeting(a.ordinal))
            m.spans.append((a.start, a.end))
            m.clauses.append(meetings.clause(text, a, anchors))
            m.held.append(True)
    postponed = [m for m in by_ordinal.values() if any(re.search(r"ertelen", folded[s:e]) for s, e in m.clauses)]
    for m in postponed:
        m.postponed = True
        m.held = [not re.search(r"ertelen", folded[s:e]) for s, e in m.clauses]
    main = max(by_ordinal.values(), key=lambda m: m.ordinal or 0) if by_ordinal else _Meeting(None)
    by_ordinal.setdefault(main.ordinal, main)
    for a in anchors:
        if a.ordinal is None:
            target = postponed[-1] if a.postponed_ref and postponed else main
            s, e = meetings.clause(text, a, anchors)
            target.spans.append((a.start, a.end))
            target.clauses.append((s, e))
            target.held.append(a.postponed_ref or not re.search(r"ertelen", folded[s:e]))
            if re.search(r"(?<!\w)bu(?:\s+[^\W\d_]+){0,4}\s+$", folded[s:a.start]):
                # "bu üst düzey çalışma toplantılarına": "this meeting" is the one the sentence before speaks of
                before = [(ps, pe) for ps, pe in meetings.sentences(text) if pe <= s]
                if before and (before[-1], (a.start, a.end)) not in zip(target.clauses, target.spans):
                    target.spans.append((a.start, a.end))
                    target.clauses.append(before[-1])
                    target.held.append(True)
    dl = dating.dateline(text)
    reference = dl.value if dl is not None else published
    for m in by_ordinal.values():       # a day without a year: the year the graph dates this meeting to, if any
        year = gaz.summit_years.get(gaz.summits[m.ordinal], "") if m.ordinal in gaz.summits else ""
        all_dates = dating.find_dates(text, int(year) if year.isdigit() else None, reference)
        _when_and_where(text, folded, m, all_dates, names, gaz, found)
    if main.date is None and reference is not None:
        for (cs, ce), (as_, ae), held in zip(main.clauses, main.spans, main.held):
            rel = dating.relative_dates(text, cs, ce, reference) if held else []
            rel = [d for d in rel if d.start >= ae] or [d for d in rel if d.end <= as_][-1:]
            if rel:
                main.date = rel[0]
                break
    if main.date is None and dl is not None and main.spans:         # to name the meeting by year; not a fact
        month = Literal(str(dl.value)[:7], datatype=XSD.gYearMonth)
        main.date = dating.DateMention(dl.start, dl.end, month, "month", dateline=True)
    for m in by_ordinal.values():
        if m.spans:
            _identify(m, gaz, text, found)
    if main.iri is not None:
        _people(text, folded, main, names, gaz, found)
        from kg.ingest.topics import documents, issues     # they build on this module's Fact and Extraction
        issues(text, folded, main, gaz, found)
        documents(text, folded, main, found)
    return found


def _when_and_where(text: str, folded: str, m: _Meeting, all_dates: list[dating.DateMention],
                    names: list[Mention], gaz: Gazetteer, found: Extraction) -> None:
    """The meeting's date and place: in its clauses, after its anchor first, else before it."""
    for (cs, ce), (as_, ae), held in zip(m.clauses, m.spans, m.held):
        if not held:
            continue
        ds = [d for d in all_dates if cs <= d.start < ce and not d.dateline
              and not re.match(r"\s*dönem", folded[d.end:d.end + 12])]
        ds = [d for d in ds if d.start >= ae] or [d for d in ds if d.end <= as_][-1:]
        for d in ds[:1]:
            if m.date is None or _precision(d) > _precision(m.date):
                m.date = d
        where(text, folded, m, (cs, ce), (as_, ae), names, gaz, found)
    host_from_place(m, gaz)


def _precision(d: dating.DateMention) -> int:
    return {"year": 1, "month": 2, "day": 3}[d.precision]


def _identify(m: _Meeting, gaz: Gazetteer, text: str, found: Extraction) -> None:
    """The meeting's IRI (the graph's meeting of that ordinal, else one made from year and host state) and the
    facts that it is a meeting of the series, its ordinal, date, place and host state."""
    year = str(m.date.value)[:4] if m.date else None
    host = m.host[0] if m.host else None
    if m.ordinal in gaz.summits:
        m.iri = gaz.summits[m.ordinal]
    else:
        known = [s for s, y in gaz.summit_years.items() if year and y == year]
        if len(known) == 1:
            m.iri = known[0]
        elif year and host:
            m.iri = RES["summit"][f"{year}-{str(host).rsplit('/', 1)[-1]}"]
        elif m.ordinal is not None:
            m.iri = RES["summit"][f"meeting-{m.ordinal}"]
        else:
            return
        if m.iri not in gaz.entries:
            found.new[m.iri] = (CASD.Summit, f"{m.ordinal or '?'}. İstişare Toplantısı")
    if m.date is None:
        _weekday_of_known_day(m, gaz, text, found)
    s, e = m.spans[0]
    found.add(Fact("meeting", m.iri, RDF.type, CASD.Summit, s, e, "meeting-word"))
    found.add(Fact("meeting", m.iri, CASD.partOfSeries, SERIES, s, e, "meeting-word"))
    if m.ordinal is not None:
        found.add(Fact("meeting", m.iri, CASD.ordinal, Literal(m.ordinal, datatype=XSD.integer), s, e, "ordinal"))
    if m.date is not None and m.date.dateline:   # the report's date is not the meeting's: it names a new one's year …
        _dateline_of_known_day(m, gaz, text, found)     # … unless the graph already dates the meeting to that day
    elif m.date is not None and m.date.relative:
        found.add(Fact("date", m.iri, CASD.date, m.date.value, m.date.start, m.date.end, "date-relative",
                       CASD.CuratorReading, "The day the text names relative to the report's own date (its dateline "
                                            "or the publication date the curator gave)."))
    elif m.date is not None and m.date.year_from:
        found.add(Fact("date", m.iri, CASD.date, m.date.value, m.date.start, m.date.end,
                       f"date-year-from-{m.date.year_from}", CASD.CuratorReading,
                       "The text gives the day and month without a year; the year is " + (
                           "the one the graph already dates this meeting to." if m.date.year_from == "graph" else
                           "the one that puts the day nearest the report's own date.")))
    elif m.date is not None:
        found.add(Fact("date", m.iri, CASD.date, m.date.value, m.date.start, m.date.end, f"date-{m.date.precision}"))
    if m.place is not None:
        end = m.place_end or m.place.end + len(m.place.suffix) + (1 if turkish.fold(text[m.place.end:m.place.end + 1])
                                                                   == "'" else 0)
        found.add(Fact("place", m.iri, PLACE, m.place.iri, m.place.start, end, "place-locative"))
    if m.host is not None:
        state, hs, he, rule, reading = m.host
        found.add(Fact("host", m.iri, CASD.hostState, state, hs, he, rule, reading,
                       "" if reading == CASD.Stated else "The host state is read as the state of the meeting's place."))


def _people(text: str, folded: str, m: _Meeting, names: list[Mention], gaz: Gazetteer, found: Extraction) -> None:
    """Participations: people named in a sentence about the meeting that says who took part, chaired or hosted."""
    from kg.ingest.people import participations
    participations(text, folded, m.iri, m.clauses, m.date, names, gaz, found, m.host[0] if m.host else None)


def _weekday_of_known_day(m: _Meeting, gaz: Gazetteer, text: str, found: Extraction) -> None:
    """"… Toplantısı cuma günü … yapıldı" in an undated text, about a meeting the graph already dates to one day
    that is a Friday: that day, as a reading (the text names the weekday, the graph the day)."""
    import datetime
    days = sorted(gaz.summit_days.get(m.iri, set())) if m.iri is not None else []
    if m.iri is None or len(days) != 1:
        return
    day = datetime.date.fromisoformat(days[0])
    for (cs, ce), held in zip(m.clauses, m.held):
        hits = [w for w in dating.weekdays(text, cs, ce) if held]
        if hits and all(w[2] == day.weekday() for w in hits):
            found.add(Fact("date", m.iri, CASD.date, Literal(days[0], datatype=XSD.date), hits[0][0], hits[0][1],
                           "weekday-of-known-day", CASD.CuratorReading,
                           f"The text names only the weekday; the graph already dates the meeting to {days[0]}, "
                           f"that weekday."))
            return


_PAST = re.compile(r"(?<!\w)\w{3,}(?:[dt][ıiuü]|[dt][ıiuü]lar|[dt][ıiuü]ler|[ıi]len|[ıi]ştir|[ıi]ldi)(?!\w)")
_FUTURE = re.compile(r"(?<!\w)\w+(?:acak|ecek|acağı|eceği)\w*")


def _dateline_of_known_day(m: _Meeting, gaz: Gazetteer, text: str, found: Extraction) -> None:
    """A report that tells of the meeting as past ("… gerçekleştirilen 7. … Toplantısı'nda … onaylandı"), under a
    dateline ("16 Kasım 2025"), about a meeting the graph already dates to that very day and no other: that day,
    as a reading (the text does not say "bugün"; a report of the next morning would not match the graph)."""
    dl = dating.dateline(text)
    days = sorted(gaz.summit_days.get(m.iri, set())) if m.iri is not None else []
    if dl is None or m.iri is None or days != [str(dl.value)]:
        return
    said = [turkish.fold(text[cs:ce]) for (cs, ce), held in zip(m.clauses, m.held) if held]
    if said and not any(_FUTURE.search(c) for c in said) and any(_PAST.search(c) for c in said):
        found.add(Fact("date", m.iri, CASD.date, dl.value, dl.start, dl.end, "dateline-of-known-day",
                       CASD.CuratorReading, f"The text tells of the meeting as past under the dateline {days[0]}; "
                                            f"the graph already dates the meeting to that day."))
