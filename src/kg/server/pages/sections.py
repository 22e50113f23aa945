"""The parts of an entity page that depend on its type: a meeting's date, place, host, participants (roles and
offices), issues, documents and neighbours in the series; a person's meetings and offices with dates. One query
per section; the meeting's own facts come from the page's statements, already fetched."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.server.pages.terms import HEADER, Shown, group, labels, show
from kg.store.protocol import Store
from kg.vocab import CASD

SUMMIT, PERSON = str(CASD.Summit), str(CASD.Person)
# The meeting's facts shown at the top, in this order: (word of the page, property).
SUMMARY = (("date", CASD.date), ("place", CASD.location), ("host", CASD.hostState), ("status", CASD.status),
           ("series", CASD.partOfSeries), ("ordinal", CASD.ordinal), ("slogan", CASD.slogan))
ROLE_ORDER = [str(CASD[name]) for name in ("Host", "Chair", "Participant", "GuestOfHonour", "Representative")]

# One participation (and role) a row; {focus} is the meeting's or the agent's pattern. The terms' labels come in a
# second query (terms.labels): fetched here by OPTIONAL, they multiplied the rows 16-fold and the section's time 3-fold.
PARTICIPATIONS = HEADER + """SELECT ?part ?meeting ?agent ?role ?office ?for ?date WHERE {{
  {focus}
  OPTIONAL {{ ?meeting casd:date ?date }} OPTIONAL {{ ?part casd:agent ?agent }} OPTIONAL {{ ?part casd:role ?role }}
  OPTIONAL {{ ?part casd:inCapacityOf ?office }} OPTIONAL {{ ?part casd:onBehalfOf ?for }}
}}"""

TENURES = HEADER + """SELECT ?tenure ?position ?start ?end ?pl WHERE {{
  ?tenure casd:holder {iri} .
  OPTIONAL {{ ?tenure casd:position ?position OPTIONAL {{ ?position rdfs:label ?pl }} }}
  OPTIONAL {{ ?tenure casd:start ?start }} OPTIONAL {{ ?tenure casd:end ?end }}
}}"""


@dataclass(frozen=True)
class Row:
    """One fact of the page's statements table: property, value, quotes, and the row's anchor on the page."""

    predicate: str
    property: Shown
    value: Shown
    cited: tuple[Any, ...] = ()
    inferred: bool = False
    anchor: str = ""
    conflicting: bool = False        # stated by a source but held as a conflicting claim, not asserted


@dataclass(frozen=True)
class Attendance:
    """One participation: who, at which meeting (and when), in which role and office, for whom."""

    href: str | None                 # the participation's own page, where its facts' quotes are
    meeting: Shown
    date: str
    agent: Shown | None
    roles: tuple[Shown, ...]
    office: Shown | None
    behalf: Shown | None
    rank: int = 0                    # hosts and chairs first, then participants, guests of honour, representatives


@dataclass
class Office:
    """An office a person held: the dated tenures the graph has, and the meetings attended in it."""

    office: Shown
    tenures: list[tuple[str, str, str | None]] = field(default_factory=list)    # (start, end, tenure page)
    meetings: list[Attendance] = field(default_factory=list)


def meeting(store: Store, iri: ox.NamedNode, rows: list[Row], lang: str, base: str) -> dict[str, Any]:
    """A meeting's section: its summary facts (rows of the statements table), participants, issues, documents,
    sources and its neighbours in the series."""
    def values(prop: Any) -> list[Row]:
        return [row for row in rows if row.predicate == str(prop)]
    people = _attendance(store, f"?part casd:meeting {iri} . BIND({iri} AS ?meeting)", lang, base)
    people.sort(key=lambda a: (a.rank, a.agent.text if a.agent else ""))
    sources = {c.document for row in rows for c in row.cited}
    return {"summary": [(word, values(prop)) for word, prop in SUMMARY if values(prop)],
            "participants": people, "issues": values(CASD.discussed), "documents": values(CASD.adopted),
            "previous": values(CASD.previousSummit), "next": values(CASD.nextSummit),
            "sources": sorted(sources, key=lambda s: s.text)}


def person(store: Store, iri: ox.NamedNode, lang: str, base: str) -> dict[str, Any]:
    """A person's section: the meetings attended (by date), and the offices held with the tenures' dates and the
    meetings attended in each."""
    attended = _attendance(store, f"?part casd:agent {iri} ; casd:meeting ?meeting .", lang, base)
    attended.sort(key=lambda a: a.date)
    offices: dict[str, Office] = {}
    for (tenure, position, start, end), (names,) in group(store.query(TENURES.format(iri=iri)),
                                                          ("tenure", "position", "start", "end"), ("pl",)):
        shown = show(position, names, lang, base) if position is not None else Shown("?")
        office = offices.setdefault(shown.href or shown.text, Office(shown))
        office.tenures.append((_text(start), _text(end), show(tenure, [], lang, base).href))
    for seen in attended:
        if seen.office is not None:
            offices.setdefault(seen.office.href or seen.office.text, Office(seen.office)).meetings.append(seen)
    for office in offices.values():
        office.meetings = list({seen.meeting.href: seen for seen in office.meetings}.values())
    return {"attended": attended, "offices": sorted(offices.values(), key=lambda o: o.office.text)}


def _attendance(store: Store, focus: str, lang: str, base: str) -> list[Attendance]:
    """The participations that `focus` selects, one each, with its roles (host and chair first)."""
    found = [key for key, _ in group(store.query(PARTICIPATIONS.format(focus=focus)),
                                     ("part", "meeting", "agent", "office", "for", "date", "role"), ())]
    names = labels(store, {term for key in found for term in key})
    merged: dict[tuple[Any, ...], list[tuple[int, Shown]]] = {}
    for *key, role in found:
        roles = merged.setdefault(tuple(key), [])
        if role is not None:
            roles.append((_rank(role), show(role, names.get(role, []), lang, base)))
    return [_one(key, names, sorted(roles, key=lambda r: r[0]), lang, base) for key, roles in merged.items()]


def _one(key: tuple[Any, ...], names: dict[Any, list[ox.Literal]], roles: list[tuple[int, Shown]], lang: str,
         base: str) -> Attendance:
    """One participation as the page shows it."""
    part, meeting, agent, office, behalf, date = key

    def shown(term: Any) -> Shown | None:
        return show(term, names.get(term, []), lang, base) if term is not None else None
    return Attendance(show(part, [], lang, base).href, show(meeting, names.get(meeting, []), lang, base), _text(date),
                      shown(agent), tuple(role for _, role in roles), shown(office), shown(behalf),
                      rank=roles[0][0] if roles else len(ROLE_ORDER))


def _rank(role: Any) -> int:
    """A role's place in ROLE_ORDER (an unknown role last)."""
    value = role.value if isinstance(role, ox.NamedNode) else ""
    return ROLE_ORDER.index(value) if value in ROLE_ORDER else len(ROLE_ORDER)


def _text(term: Any) -> str:
    """A literal's text, or "" when unbound."""
    return term.value if isinstance(term, ox.Literal) else ""
