"""What `kg link` links, read from our graph: the actors, places and positions, with what their checks need.

Each target is dated by the meetings (summits) that name it: a summit names an entity by a statement between the
two (host, location, chair, planned host, in either direction) or through one of its participations (participant,
capacity, on whose behalf). A target named by several meetings keeps them all and is checked at each, as the
position check already checks each participation at its own meeting: an entity must have existed at every meeting
that names it, and checking only the latest (or the earliest) would pass an item that ended (or began) between
them. A meeting without a day or a year dates nothing. A target no dated meeting names (an organisation, a region
the text mentions) is dated by the latest dated meeting of each document (named graph) that states something of
it, the meeting the document is about, so one document's summits never date another's entities. (A person is
checked by the position check, which reads the meeting of each participation; their meetings are kept all the same.)
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import pyoxigraph as ox

from kg.vocab import CASD, XSD

LANGUAGES = ("tr", "en")    # the languages of our labels; searches use the label's own language
CLASS_ORDER = ("State", "Region", "Place", "Organization", "Position", "Person")   # a later class's checks read earlier links


class Meeting(NamedTuple):
    """A summit a target is dated by: its IRI, and its day and year (the day may be unknown)."""

    iri: str
    day: date | None
    year: int               # the day's year when the day is known

    @property
    def first(self) -> date:
        """The first day the meeting may have been held on."""
        return self.day or date(self.year, 1, 1)

    @property
    def last(self) -> date:
        """The last day the meeting may have been held on."""
        return self.day or date(self.year, 12, 31)

    @property
    def when(self) -> str:
        """The day (2021-08-06) or, when only that is known, the year (2019)."""
        return self.day.isoformat() if self.day else str(self.year)


@dataclass(frozen=True)
class Target:
    """An entity of ours to link: its IRI, class, names, the meetings it is dated by, and what the checks need."""

    iri: str
    cls: str
    labels: tuple[tuple[str, str], ...]                     # (name, language)
    meetings: tuple[Meeting, ...] = ()                      # earliest first; see the module's docstring
    positions: tuple[tuple[str, date | None, int | None], ...] = ()   # persons: (position IRI, date, year)
    belongs_to: tuple[str, ...] = ()                        # positions: the state or organisation (IRI)


def targets(store: ox.Store) -> list[Target]:
    """The graph's actors, places and positions, in CLASS_ORDER, with what their checks need."""
    out = []
    for cls in CLASS_ORDER:
        rows = _select(store, f"SELECT DISTINCT ?e WHERE {{ ?e a <{CASD[cls]}> }} ORDER BY ?e")
        for row in rows:
            iri = row["e"].value
            out.append(Target(iri, cls, _labels(store, iri), _meetings(store, iri) or _documents_meetings(store, iri),
                              _positions(store, iri) if cls == "Person" else (),
                              _belongs_to(store, iri) if cls == "Position" else ()))
    return out


def rank(target: Target | None) -> int:
    """Where a target's class stands in CLASS_ORDER (an entity no longer in the graph comes last)."""
    return CLASS_ORDER.index(target.cls) if target is not None else len(CLASS_ORDER)


def _select(store: ox.Store, text: str) -> ox.QuerySolutions:
    """The solutions of a SELECT query over the union of the graphs."""
    rows = store.query(text, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions), text      # a SELECT is answered with solutions
    return rows


def _labels(store: ox.Store, iri: str) -> tuple[tuple[str, str], ...]:
    """Its labels and alternative labels, Turkish first, then English, then the rest."""
    rows = _select(store, f"""SELECT DISTINCT ?l WHERE {{ {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}
                           UNION {{ <{iri}> <http://www.w3.org/2004/02/skos/core#altLabel> ?l }} }}""")
    found = {(r["l"].value, r["l"].language or "") for r in rows}
    return tuple(sorted(found, key=lambda nl: (LANGUAGES.index(nl[1]) if nl[1] in LANGUAGES else 9, nl)))


def _positions(store: ox.Store, iri: str) -> tuple[tuple[str, date | None, int | None], ...]:
    """A person's positions: each capacity they took part in, with that summit's day and year, and those held."""
    rows = _select(store, f"""SELECT DISTINCT ?position ?date WHERE {{
            {{ ?p <{CASD.agent}> <{iri}> ; <{CASD.inCapacityOf}> ?position .
               OPTIONAL {{ ?p <{CASD.meeting}> ?s . OPTIONAL {{ ?s <{CASD.date}> ?date }} }} }}
            UNION {{ ?tenure <{CASD.holder}> <{iri}> ; <{CASD.position}> ?position }} }}""")
    out = set()
    for r in rows:
        out.add((r["position"].value, *day_and_year(r["date"])))
    return tuple(sorted(out, key=lambda t: (t[0], t[1] or date.min, t[2] or 0)))


def _belongs_to(store: ox.Store, iri: str) -> tuple[str, ...]:
    """The states or organisations a position is a position in."""
    rows = _select(store, f"SELECT DISTINCT ?o WHERE {{ <{iri}> <{CASD.positionIn}> ?o }} ORDER BY ?o")
    return tuple(r["o"].value for r in rows)


def _meetings(store: ox.Store, iri: str) -> tuple[Meeting, ...]:
    """The dated summits that name the entity, directly or through one of their participations, earliest first."""
    rows = _select(store, f"""SELECT DISTINCT ?s ?date WHERE {{
            ?s a <{CASD.Summit}> .
            {{ ?s ?p <{iri}> }} UNION {{ <{iri}> ?p ?s }}
            UNION {{ ?part <{CASD.meeting}> ?s ; ?q <{iri}> }}
            OPTIONAL {{ ?s <{CASD.date}> ?date }} }}""")
    return tuple(sorted(_dated(rows), key=lambda m: (m.first, m.iri)))


def _documents_meetings(store: ox.Store, iri: str) -> tuple[Meeting, ...]:
    """The latest dated summit of each document (named graph) that states something of the entity."""
    rows = _select(store, f"""SELECT DISTINCT ?g ?s ?date WHERE {{
            GRAPH ?g {{ {{ <{iri}> ?p ?o }} UNION {{ ?x ?p <{iri}> }} ?s a <{CASD.Summit}> }}
            OPTIONAL {{ ?s <{CASD.date}> ?date }} }}""")
    by_document: dict[str, list[Meeting]] = {}
    for row in rows:
        by_document.setdefault(row["g"].value, []).extend(_dated([row]))
    latest = {max(found, key=lambda m: (m.last, m.iri)) for found in by_document.values() if found}
    return tuple(sorted(latest, key=lambda m: (m.first, m.iri)))


def day_and_year(value: object) -> tuple[date | None, int | None]:
    """A casd:date at the precision the source gave: the day where it is an xsd:date, and always its year."""
    if not isinstance(value, ox.Literal):
        return None, None
    day = date.fromisoformat(value.value) if value.datatype == ox.NamedNode(str(XSD.date)) else None
    return day, int(value.value[:4])


def _dated(rows: Iterable[ox.QuerySolution]) -> set[Meeting]:
    """The meetings of query rows (?s ?date) that have a date, at whatever precision."""
    out = set()
    for r in rows:
        day, year = day_and_year(r["date"])
        if year is not None:
            out.add(Meeting(r["s"].value, day, year))
    return out
