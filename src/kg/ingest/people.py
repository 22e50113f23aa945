"""Who took part in a meeting, in which role, office and on whose behalf: "Kırgızistan Cumhurbaşkanı Sadır
Caparov … katıldı", "Mirziyoyev'in başkanlığında", "… ev sahipliğinde", "onur konuğu", "Meclis Başkanı"."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import RDF

from kg.ingest import turkish
from kg.ingest.gazetteer import Gazetteer, Mention
from kg.ingest.newnames import new_people, new_state
from kg.vocab import CASD, RES

if TYPE_CHECKING:
    from kg.ingest.dates import DateMention
    from kg.ingest.extract import Extraction

_CUE = re.compile(r"katıl|iştirak|başkanlığında|ev\s+sahipliği|liderleri|onur\s+konuğu|temsil|bir\s+araya\s+gel|"
                  r"buluş|hazır\s+bulun|"
                  r"(?:zirve|toplantı)\w*\s+için\s+(?:\w+\s+)?gelen")
_GUESTS_CAME = re.compile(r"(?:ülkeye|ülkesine)\s+gelen")    # "X, zirve için ülkeye gelen Y ile Z …": X receives them
_KIN = re.compile(r"'?\w*\s+(?:oğlu|kızı|eşi|babası|annesi)(?!\w)")     # "Berdimuhammedov'un oğlu": not him
_ON_BEHALF = re.compile(r"(?<!\w)(?P<state>[^\W\d_][\w]*)(?:'\w+)?\s+adına(?!\w)")
_OFFICE = re.compile(r"(?:(?P<kurucu>kurucu)\s+)?(?:milli\s+)?(?P<office>cumhurbaşkanı|devlet\s+başkanı|meclis\s+başkanı|"
                     r"başbakanı?|dışişleri\s+bakanı)\s+$")
_HEADS = ("cumhurbaşkanı", "devlet başkanı", "kurucu cumhurbaşkanı")


def participations(text: str, folded: str, meeting: URIRef | None, clauses: list[tuple[int, int]],
                   date: DateMention | None, names: list[Mention], gaz: Gazetteer, found: Extraction,
                   host_state: URIRef | None = None) -> None:
    """Add a Participation, with its role, office and state, for each person named in a clause about the meeting
    that says who took part (katıldı, başkanlığında, ev sahipliğinde, liderleri, onur konuğu)."""
    from kg.ingest.extract import Fact

    if meeting is None:
        return
    when = str(date.value) if date is not None else None
    people = [n for n in gaz.find(text, ("state", "person", "city", "place", "organization"), when, meeting)
              if n.kind == "person"]
    states = [n for n in names if n.kind == "state"]
    for cs, ce in sorted(set(clauses)):
        if not _CUE.search(folded, cs, ce):
            continue
        here = [p for p in people if cs <= p.start < ce] + new_people(text, cs, ce, people, found)
        here = [p for p in here if not _KIN.match(folded, p.end)]
        previous = cs
        for person in sorted(here, key=lambda p: p.start):
            office = _OFFICE.search(folded[max(cs, person.start - 40):person.start])
            state = None
            start = person.start
            behalf = False
            positions: list[URIRef] = []
            represented: list[URIRef] = []
            if office:
                start = person.start - (len(folded[max(cs, person.start - 40):person.start]) - office.start())
                state = next((s for s in states if s.start < start and
                              re.fullmatch(r"['\w]*\s+", folded[s.end:start])), None)
                if state is None:                      # "Türkmenistan adına zirveye Meclis Başkanı …"
                    state = _on_behalf(folded, states, previous, start)
                    behalf = state is not None
                if state is None:
                    state = new_state(text, start, people, found)
                if state is not None:
                    start = state.start
            else:                                      # an office the graph names ("BM … Özel Temsilcisi")
                positions, at, represented = _graph_positions(text, folded, gaz, previous, person.start)
                if positions:
                    start = at
                    named = next((s for s in states if s.start == at), None)   # "Türkmenistan Halk Maslahatı …"
                    if named is not None:
                        state, behalf = named, True
            previous = person.end
            after = folded[person.end:person.end + 40]
            end = person.end + len(person.suffix) + (1 if after.startswith("'") else 0)
            tail = folded[end:end + 20]
            role, rule, reading = CASD.Participant, "participant-listed", CASD.Stated
            if chair := re.match(r"\s+başkanlığında", tail):
                role, rule, end = CASD.Chair, "baskanliginda", end + len(chair.group())
            elif host := re.match(r"\s+ev\s+sahipliği(?:nde|\s+yaptığı|\s+yapacağı)(?!\w)", folded[end:end + 30]):
                role, rule, end = CASD.Host, "ev-sahipliginde", end + len(host.group())
            elif re.search(r"onur\s+konuğu", folded[max(cs, start - 30):min(ce, end + 30)]):
                role, rule = CASD.GuestOfHonour, "onur-konugu"
            elif host_state is not None and state is not None and state.iri == host_state and \
                    _GUESTS_CAME.search(folded, end, ce):
                role, rule, reading = CASD.Host, "receives-those-who-came", CASD.CuratorReading
            office_name = re.sub(r"\s+", " ", (office.group("kurucu") + " " if office and office.group("kurucu")
                                               else "") + (office.group("office") if office else "")).strip()
            if behalf and office and role == CASD.Participant:
                role, rule = CASD.Representative, "adina"
            elif office_name and office_name not in _HEADS and role == CASD.Participant:
                role, rule, reading = CASD.Representative, "office-not-head-of-state", CASD.CuratorReading
            local = f"{str(meeting).rsplit('/', 1)[-1]}-{str(person.iri).rsplit('/', 1)[-1]}"
            node = RES["participation"][local]
            for p, o, kind in ((RDF.type, CASD.Participation, "participant"), (CASD.meeting, meeting, "participant"),
                               (CASD.agent, person.iri, "participant")):
                found.add(Fact(kind, node, p, o, start, end, "participation"))
            found.add(Fact("role", node, CASD.role, role, start, end, rule, reading,
                           "" if reading == CASD.Stated else "Sent in an office other than head of state."
                           if role == CASD.Representative else "The head of the host state, receiving those who came "
                                                               "for the meeting."))
            if office and state is not None:
                position, new = gaz.position(state.iri, office_name)
                if new:
                    found.new[position] = (CASD.Position, text[state.start:person.start].strip())
                found.add(Fact("participant", node, CASD.inCapacityOf, position, start, end, "office-of-state"))
                found.add(Fact("participant", node, CASD.onBehalfOf, state.iri, start, end,
                               "on-behalf-of-state" if behalf else "office-of-state"))
            if state is None and not positions:
                _office_from_elsewhere(text, folded, meeting, node, person, people, states, role, host_state, gaz,
                                       start, end, found)
            for position in positions:
                found.add(Fact("participant", node, CASD.inCapacityOf, position, start, end, "office-in-graph"))
                if state is not None:
                    found.add(Fact("participant", node, CASD.onBehalfOf, state.iri, start, end, "office-in-graph"))
                for whom in represented:           # "… Genel Sekreterinin … özel temsilcisi"
                    found.add(Fact("participant", node, CASD.onBehalfOf, whom, start, end, "representative-of"))
                if position in gaz.represents:
                    found.add(Fact("participant", node, CASD.onBehalfOf, gaz.represents[position], start, end,
                                   "office-represents", CASD.CuratorReading,
                                   "The office's holder represents whom the graph says the office represents."))
    _states_taking_part(text, folded, meeting, clauses, states, gaz, found)
    _one_role(found)


_LEVEL = re.compile(r"\s+(?:cumhurbaşkanlığı\s+seviyesinde|devlet\s+başkanları|cumhurbaşkanları|liderleri)(?!\w)")
_LIST_GAP = re.compile(r"\s*,\s*|\s+(?:ve|ile)\s+")


def _states_taking_part(text: str, folded: str, meeting: URIRef, clauses: list[tuple[int, int]],
                        states: list[Mention], gaz: Gazetteer, found: Extraction) -> None:
    """States said to take part at the level of their heads of state, no one named: "Zirveye Kazakistan,
    Özbekistan, Kırgızistan ve Tacikistan Cumhurbaşkanlığı seviyesinde katılım gösterdi", "… ve Tacikistan Devlet
    Başkanları … iştirak etmiş": a participation of the state, in its head of state's office, unless the text
    names someone taking part on its behalf."""
    from kg.ingest.extract import Fact

    present = {f.object for f in found.facts if f.predicate == CASD.onBehalfOf
               and str(f.subject).startswith(str(RES["participation"][str(meeting).rsplit("/", 1)[-1]]))}
    for cs, ce in sorted(set(clauses)):
        if not _CUE.search(folded, cs, ce):
            continue
        here = [x for x in states if cs <= x.start < ce]
        for i, last in enumerate(here):
            level = _LEVEL.match(folded, last.end + len(last.suffix))
            if level is None or last.suffix:
                continue
            listed = [last]
            for prev in reversed(here[:i]):
                if prev.suffix or not _LIST_GAP.fullmatch(folded[prev.end:listed[0].start]):
                    break
                listed.insert(0, prev)
            if len(listed) < 2 and "seviyesinde" not in level.group():
                continue                                   # "Kazakistan Devlet Başkanları" alone: not a list
            for st in listed:
                if st.iri not in present:
                    present.add(st.iri)
                    _state_part(text, meeting, st, "cumhurbaşkanı", listed[0].start, level.end(),
                                "state-at-head-of-state-level", gaz, found)
        for st in here:                  # "Türkmenistan Milli Meclis Başkanı ile …": an office, no name after it
            office = _UNNAMED.match(text, st.end + len(st.suffix))
            if office and not st.suffix and st.iri not in present:
                present.add(st.iri)
                name = re.sub(r"\s+", " ", turkish.fold(office.group("office")))
                _state_part(text, meeting, st, name, st.start, office.end("office"), "office-holder-not-named", gaz,
                            found)


_UNNAMED = re.compile(r"\s+(?:[Mm]illi\s+)?(?P<office>(?:[Cc]umhurbaşkanı|[Dd]evlet\s+[Bb]aşkanı|[Mm]eclis\s+[Bb]aşkanı))"
                      r"(?=\s*(?:,|;|\s(?:ile|ve)\s))")


def _state_part(text: str, meeting: URIRef, st: Mention, office: str, start: int, end: int, rule: str,
                gaz: Gazetteer, found: Extraction) -> None:
    """A participation of a state, through the holder of one of its offices whom the text does not name."""
    from kg.ingest.extract import Fact

    node = RES["participation"][f"{str(meeting).rsplit('/', 1)[-1]}-{str(st.iri).rsplit('/', 1)[-1]}"]
    for p, o in ((RDF.type, CASD.Participation), (CASD.meeting, meeting), (CASD.agent, st.iri)):
        found.add(Fact("participant", node, p, o, start, end, rule))
    head = office in _HEADS
    found.add(Fact("role", node, CASD.role, CASD.Participant if head else CASD.Representative, start, end, rule,
                   CASD.Stated if head else CASD.CuratorReading,
                   "" if head else "Sent in an office other than head of state."))
    position, new = gaz.position(st.iri, office)
    if new:
        found.new[position] = (CASD.Position, f"{text[st.start:st.end]} {office.title()}")
    found.add(Fact("participant", node, CASD.inCapacityOf, position, start, end, rule, CASD.CuratorReading,
                   "The state took part through this office; the text names no one."))
    found.add(Fact("participant", node, CASD.onBehalfOf, st.iri, start, end, rule))


def _office_from_elsewhere(text: str, folded: str, meeting: URIRef, node: URIRef, person: Mention,
                           people: list[Mention], states: list[Mention], role: URIRef, host_state: URIRef | None,
                           gaz: Gazetteer, start: int, end: int, found: Extraction) -> None:
    """The office of someone named without one where he takes part ("Mirziyoyev'in başkanlığında"): as the text
    names it elsewhere ("Özbekistan Cumhurbaşkanı Mirziyoyev"; "Cumhurbaşkanı Mirziyoyev" for the one who chairs or
    hosts, in the host state), else as the graph has him at this very meeting. Readings, never stated here."""
    from kg.ingest.extract import Fact

    for other in (p for p in people if p.iri == person.iri and p.start != person.start):
        office = _OFFICE.search(folded[max(0, other.start - 40):other.start])
        if office is None:
            continue
        office_name = re.sub(r"\s+", " ", ((office.group("kurucu") or "") + " " + office.group("office")).strip())
        at = other.start - (len(folded[max(0, other.start - 40):other.start]) - office.start())
        state = next((s for s in states if s.start < at and re.fullmatch(r"['\w]*\s+", folded[s.end:at])), None)
        whom = state.iri if state is not None else host_state if role in (CASD.Chair, CASD.Host) else None
        if whom is None:
            continue
        position, new = gaz.position(whom, office_name)
        if new:
            continue
        qs, qe = (state.start if state is not None else at), other.end
        comment = ("The office is the one the text gives this person elsewhere" +
                   ("." if state is not None else ", in the state that hosts the meeting he chairs or hosts."))
        found.add(Fact("participant", node, CASD.inCapacityOf, position, qs, qe, "office-named-elsewhere",
                       CASD.CuratorReading, comment))
        found.add(Fact("participant", node, CASD.onBehalfOf, whom, qs, qe, "office-named-elsewhere",
                       CASD.CuratorReading, comment))
        return
    if (meeting, person.iri) in gaz.capacity:
        position, whom = gaz.capacity[(meeting, person.iri)]
        comment = "The office the graph already has this person in at this meeting (another source states it)."
        found.add(Fact("participant", node, CASD.inCapacityOf, position, start, end, "office-at-meeting-in-graph",
                       CASD.CuratorReading, comment))
        found.add(Fact("participant", node, CASD.onBehalfOf, whom, start, end, "office-at-meeting-in-graph",
                       CASD.CuratorReading, comment))


def _one_role(found: Extraction) -> None:
    """A participation named as host, chair, guest or representative in one sentence and listed among those who
    took part in another keeps the particular role only."""
    particular = {f.subject for f in found.facts if f.predicate == CASD.role and f.object != CASD.Participant}
    found.facts[:] = [f for f in found.facts
                      if not (f.predicate == CASD.role and f.object == CASD.Participant and f.subject in particular)]


def _on_behalf(folded: str, states: list[Mention], floor: int, at: int) -> Mention | None:
    """The state of "<state> adına" (on behalf of) last before the office, after the previous person."""
    found = None
    for m in _ON_BEHALF.finditer(folded, floor, at):
        found = next((s for s in states if s.start == m.start("state")), found)
    return found


def _graph_positions(text: str, folded: str, gaz: Gazetteer, floor: int,
                     at: int) -> tuple[list[URIRef], int, list[URIRef]]:
    """The graph's position named first (by the stems of a label's words) in the words before a person, from the
    previous person on: its IRI (or none), where it begins, and the position it names its holder representative
    of, if any."""
    words = [w for w in turkish.words(text) if floor <= w[0] < at]
    hits: list[tuple[int, int, URIRef]] = []      # inside a longer one ("BM Genel Sekreteri" of "… Temsilcisi"): not
    for entry in gaz.of_kind("position"):
        for label in entry.labels:
            stems = [turkish.stem(w) for w in turkish.fold(label).split()]
            if len(stems) < 2:
                continue
            for i in range(len(words) - len(stems) + 1):
                window = words[i:i + len(stems)]
                if all(w[2].startswith(st) for w, st in zip(window, stems)) and \
                        not re.search(r"[.;:]", folded[window[-1][1]:at]):
                    hits.append((window[0][0], window[-1][1], entry.iri))
    outer = [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and o[1] - o[0] > h[1] - h[0] for o in hits)]
    outer.sort(key=lambda h: (h[0], str(h[2])))
    # a participation has one capacity (casd:inCapacityOf): the first office named; a curator adds any other as a
    # tenure
    if not outer:
        return [], at, []
    first = outer[0]
    # "BM Genel Sekreterinin … özel temsilcisi": the office inside it, in the genitive, is whom its holder represents
    whom = sorted({h[2] for h in hits if first[0] <= h[0] and h[1] < first[1] and h[2] != first[2]
                   and folded[h[0]:h[1]].endswith(turkish.GENITIVE)
                   and re.search(r"(?<!\w)temsilci", folded[h[1]:first[1]])}, key=str)
    return [first[2]], first[0], whom[:1]

