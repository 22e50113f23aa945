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
    all_dates = dating.find_dates(text)
    names = gaz.find(text)
    by_ordinal: dict[int | None, _Meeting] = {}
    for a in anchors:
        if a.ordinal is not None:
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
    for m in by_ordinal.values():
        _when_and_where(text, folded, m, all_dates, names, gaz, found)
    dl = dating.dateline(text)
    reference = dl.value if dl is not None else published
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
        capital = re.compile(r"(?P<state>\S+?)'?(?:ın|in|nın|nin|un|ün)\s+başkenti\s+(?P<city>[^\W\d_][\w]*)")
        for c in capital.finditer(folded, cs, ce):
            state = next((n for n in names if n.kind == "state" and n.start == c.start("state")), None)
            city_word = text[c.start("city"):c.end("city")]
            city_name, city_suffix = turkish.split_suffix(city_word)
            city = next((n for n in names if n.kind in ("city", "place") and n.start == c.start("city")), None)
            if city is None:
                iri = RES["place"][turkish.ascii_slug(city_name)]
                city = Mention(c.start("city"), c.start("city") + len(city_name), iri, "city", city_suffix,
                               new=iri not in gaz.entries, label=city_name)
                if city.new:
                    found.new[iri] = (CASD.City, city_name)
            if m.place is None:
                m.place, m.place_end = city, _locative_end(text, folded, city)
            if state is not None and m.host is None:
                m.host = (state.iri, c.start(), c.start("city") + len(city_name), "capital-of-state",
                          CASD.CuratorReading)
        if m.place is None:
            for n in names:                 # "Kırgızistan'ın Çolpon-Ata şehrinde": a known city after its state
                state = next((x for x in names if x.kind == "state" and turkish.is_genitive(x.suffix) and
                              re.fullmatch(r"'?" + re.escape(x.suffix) + r"\s+", folded[x.end:n.start])), None)
                end = _locative_end(text, folded, n)
                if cs <= n.start < ce and n.kind == "city" and state is not None and end is not None:
                    m.place, m.place_end = n, end
                    if m.host is None:
                        m.host = (state.iri, state.start, n.end, "city-of-state", CASD.CuratorReading)
                    break
        if m.place is None:
            locs = [(n, end) for n in names if cs <= n.start < ce and n.kind in ("city", "state")
                    and (end := _locative_end(text, folded, n)) is not None]
            locs = [x for x in locs if x[0].start >= ae] or [x for x in locs if x[0].end <= as_][-1:]
            if locs:
                m.place, m.place_end = locs[0]
        for host in _HOSTED.finditer(folded, cs, ce):   # "Tacikistan'ın ev sahipliğinde", "… ev sahipliği yaptığı"
            state = next((n for n in names if n.kind == "state" and n.start == host.start()), None)
            if state is not None:
                m.host = (state.iri, host.start(), host.end(), "ev-sahipliginde", CASD.Stated)
                break
        else:
            hosts = _HOSTS.search(folded, cs, ce)      # "Kazakistan, … toplantıya ev sahipliği yapacak"
            first = next((n for n in names if cs <= n.start < ce), None)
            if hosts and first is not None and first.kind == "state" and not first.suffix and \
                    re.match(r"\s*(?:,|\s(?:bu|yarın|bugün|\d))", folded[first.end:first.end + 8]):
                m.host = (first.iri, first.start, hosts.end(), "ev-sahipligi-yapti", CASD.Stated)
    if m.host is None and m.place is not None:
        state_iri = m.place.iri if m.place.kind == "state" else gaz.city_state.get(m.place.iri)
        if state_iri is not None:
            m.host = (state_iri, m.place.start, m.place.end, "host-is-state-of-place", CASD.CuratorReading)


_HOSTED = re.compile(r"(?<!\w)\S+?'?(?:ın|in|nın|nin|un|ün)\s+ev\s+sahipliği(?:nde|\s+yaptığı|\s+yapacağı)(?!\w)")
_HOSTS = re.compile(r"ev\s+sahipliği\s+yap(?:tı|acak|ıyor)(?!\w)")
_PLACE_NOUN = re.compile(r"\s+(?:şehr|kent|il)i'?n?(?:de|da)(?!\w)")
_NAMED_AREA = re.compile(r"(?:\s+[A-ZÇĞİÖŞÜ][\w]*){1,4}['’]?n?(?:de|da|te|ta)(?!\w)")


def _locative_end(text: str, folded: str, n: Mention) -> int | None:
    """Where the phrase that puts a meeting at a place ends, if the name is one: "Taşkent'te", "Kazakistanda",
    "Çolpon-Ata şehrinde", "Avaza Milli Turizm Bölgesi'nde" (a city then capitalised words in the locative),
    "Astana gerçekleşti …"; None if the name is not said as where something is."""
    after = n.end + len(n.suffix) + (1 if folded[n.end:n.end + 1] == "'" else 0)
    if n.suffix and turkish.is_locative(n.suffix):
        return after
    if n.suffix:
        return None
    if g := _PLACE_NOUN.match(folded, n.end):
        return g.end()
    if n.kind == "city" and (g := _NAMED_AREA.match(text, n.end)):
        return g.end()
    if re.match(r"\s+(?:gerçekleş|yapıl|düzenlen)", folded[n.end:n.end + 16]):
        return n.end
    return None


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
    if m.date is not None and m.date.dateline:
        pass        # the report's date is not the meeting's: it only gives the year to name a meeting the graph lacks
    elif m.date is not None and m.date.relative:
        found.add(Fact("date", m.iri, CASD.date, m.date.value, m.date.start, m.date.end, "date-relative",
                       CASD.CuratorReading, "The day the text names relative to the report's own date (its dateline "
                                            "or the publication date the curator gave)."))
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
