"""Who took part in a meeting, in which role, office and on whose behalf: "Kırgızistan Cumhurbaşkanı Sadır
Caparov … katıldı", "Mirziyoyev'in başkanlığında", "… ev sahipliğinde", "onur konuğu", "Meclis Başkanı"."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import RDF

from kg.ingest import turkish
from kg.ingest.gazetteer import Gazetteer, Mention
from kg.vocab import CASD, RES

if TYPE_CHECKING:
    from kg.ingest.dates import DateMention
    from kg.ingest.extract import Extraction

_CUE = re.compile(r"katıl|başkanlığında|ev\s+sahipliğinde|liderleri|onur\s+konuğu|temsil")
_OFFICE = re.compile(r"(?:(?P<kurucu>kurucu)\s+)?(?P<office>cumhurbaşkanı|devlet\s+başkanı|meclis\s+başkanı|"
                     r"başbakanı?|dışişleri\s+bakanı)\s+$")
_HEADS = ("cumhurbaşkanı", "devlet başkanı", "kurucu cumhurbaşkanı")
_NEW_NAME = re.compile(r"(?i:cumhurbaşkanı|devlet\s+başkanı|meclis\s+başkanı|başbakanı?)\s+"
                       r"(?P<name>[A-ZÇĞİÖŞÜ][\w]+(?:\s+[A-ZÇĞİÖŞÜ][\w]+){1,2})")


def participations(text: str, folded: str, meeting: URIRef | None, clauses: list[tuple[int, int]],
                   date: DateMention | None, names: list[Mention], gaz: Gazetteer, found: Extraction) -> None:
    """Add a Participation, with its role, office and state, for each person named in a clause about the meeting
    that says who took part (katıldı, başkanlığında, ev sahipliğinde, liderleri, onur konuğu)."""
    from kg.ingest.extract import Fact

    if meeting is None:
        return
    when = str(date.value) if date is not None else None
    people = [n for n in gaz.find(text, ("state", "person", "city", "place", "organization"), when)
              if n.kind == "person"]
    states = [n for n in names if n.kind == "state"]
    for cs, ce in sorted(set(clauses)):
        if not _CUE.search(folded, cs, ce):
            continue
        here = [p for p in people if cs <= p.start < ce] + _new_people(text, folded, cs, ce, people, found)
        for person in sorted(here, key=lambda p: p.start):
            office = _OFFICE.search(folded[max(cs, person.start - 40):person.start])
            state = None
            start = person.start
            if office:
                start = person.start - (len(folded[max(cs, person.start - 40):person.start]) - office.start())
                state = next((s for s in states if s.start < start and
                              re.fullmatch(r"['\w]*\s+", folded[s.end:start])), None)
                if state is None:
                    state = _new_state(text, start, people, found)
                if state is not None:
                    start = state.start
            after = folded[person.end:person.end + 40]
            end = person.end + len(person.suffix) + (1 if after.startswith("'") else 0)
            tail = folded[end:end + 20]
            role, rule, reading = CASD.Participant, "participant-listed", CASD.Stated
            if chair := re.match(r"\s+başkanlığında", tail):
                role, rule, end = CASD.Chair, "baskanliginda", end + len(chair.group())
            elif host := re.match(r"\s+ev\s+sahipliğinde", tail):
                role, rule, end = CASD.Host, "ev-sahipliginde", end + len(host.group())
            elif re.search(r"onur\s+konuğu", folded[max(cs, start - 30):min(ce, end + 30)]):
                role, rule = CASD.GuestOfHonour, "onur-konugu"
            office_name = re.sub(r"\s+", " ", (office.group("kurucu") + " " if office and office.group("kurucu")
                                               else "") + (office.group("office") if office else "")).strip()
            if office_name and office_name not in _HEADS and role == CASD.Participant:
                role, rule, reading = CASD.Representative, "office-not-head-of-state", CASD.CuratorReading
            local = f"{str(meeting).rsplit('/', 1)[-1]}-{str(person.iri).rsplit('/', 1)[-1]}"
            node = RES["participation"][local]
            for p, o, kind in ((RDF.type, CASD.Participation, "participant"), (CASD.meeting, meeting, "participant"),
                               (CASD.agent, person.iri, "participant")):
                found.add(Fact(kind, node, p, o, start, end, "participation"))
            found.add(Fact("role", node, CASD.role, role, start, end, rule, reading,
                           "" if reading == CASD.Stated else "Sent in an office other than head of state."))
            if office and state is not None:
                position, new = gaz.position(state.iri, office_name)
                if new:
                    found.new[position] = (CASD.Position, text[state.start:person.start].strip())
                found.add(Fact("participant", node, CASD.inCapacityOf, position, start, end, "office-of-state"))
                found.add(Fact("participant", node, CASD.onBehalfOf, state.iri, start, end, "office-of-state"))


def _new_people(text: str, folded: str, cs: int, ce: int, known: list[Mention], found: Extraction) -> list[Mention]:
    """People the graph does not know, named after an office word: a new IRI from the name, marked as new."""
    out = []
    for m in _NEW_NAME.finditer(text, cs, ce):
        s, e = m.start("name"), m.end("name")
        if any(k.start < e and s < k.end for k in known):
            continue
        name, suffix = turkish.split_suffix(text[s:e])
        words = name.split()
        while words and turkish.fold(words[-1]) in ("ile", "ve", "da", "de"):
            words.pop()
        if len(words) < 2:
            continue
        name = " ".join(words)
        iri = RES["person"][turkish.ascii_slug(name)]
        found.new[iri] = (CASD.Person, name)
        out.append(Mention(s, s + len(name), iri, "person", "", new=True, label=name, how="new"))
    return out


def _new_state(text: str, office_start: int, people: list[Mention], found: Extraction) -> Mention | None:
    """A state the graph does not know, named by the one capitalised word before an office ("Azerbaycan
    Cumhurbaşkanı"): a new IRI from the name, marked as new."""
    m = re.search(r"(?<![\w'])([A-ZÇĞİÖŞÜ][\w]+)(?:'(\w+))?\s+$", text[max(0, office_start - 30):office_start])
    if m is None:
        return None
    start = max(0, office_start - 30) + m.start(1)
    if any(p.start <= start < p.end for p in people):
        return None
    name = m.group(1)
    iri = RES["state"][turkish.ascii_slug(name)]
    found.new[iri] = (CASD.State, name)
    return Mention(start, start + len(name), iri, "state", m.group(2) or "", new=True, label=name, how="new")
