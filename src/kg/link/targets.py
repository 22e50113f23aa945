"""What `kg link` links, read from our graph: the actors, places and positions, with what their checks need."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox

from kg.vocab import CASD

LANGUAGES = ("tr", "en")    # the languages of our labels; searches use the label's own language
CLASS_ORDER = ("State", "Region", "Place", "Organization", "Position", "Person")   # a later class's checks read earlier links


@dataclass(frozen=True)
class Target:
    """An entity of ours to link: its IRI, class, names, the date it is named for, and what the checks need."""

    iri: str
    cls: str
    labels: tuple[tuple[str, str], ...]                     # (name, language)
    as_of: date | None
    positions: tuple[tuple[str, date | None, int | None], ...] = ()   # persons: (position IRI, date, year)
    belongs_to: tuple[str, ...] = ()                        # positions: the state or organisation (IRI)


def targets(store: ox.Store) -> list[Target]:
    """The graph's actors, places and positions, in CLASS_ORDER, with what their checks need."""
    as_of = _latest_summit_date(store)
    out = []
    for cls in CLASS_ORDER:
        rows = store.query(f"SELECT DISTINCT ?e WHERE {{ ?e a <{CASD[cls]}> }} ORDER BY ?e",
                           use_default_graph_as_union=True)
        for row in rows:
            iri = row["e"].value
            out.append(Target(iri, cls, _labels(store, iri), as_of,
                              _positions(store, iri) if cls == "Person" else (),
                              _belongs_to(store, iri) if cls == "Position" else ()))
    return out


def rank(target: Target | None) -> int:
    """Where a target's class stands in CLASS_ORDER (an entity no longer in the graph comes last)."""
    return CLASS_ORDER.index(target.cls) if target is not None else len(CLASS_ORDER)


def _labels(store: ox.Store, iri: str) -> tuple[tuple[str, str], ...]:
    """Its labels and alternative labels, Turkish first, then English, then the rest."""
    rows = store.query(f"""SELECT DISTINCT ?l WHERE {{ {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}
                           UNION {{ <{iri}> <http://www.w3.org/2004/02/skos/core#altLabel> ?l }} }}""",
                       use_default_graph_as_union=True)
    found = {(r["l"].value, r["l"].language or "") for r in rows}
    return tuple(sorted(found, key=lambda nl: (LANGUAGES.index(nl[1]) if nl[1] in LANGUAGES else 9, nl)))


def _positions(store: ox.Store, iri: str) -> tuple[tuple[str, date | None, int | None], ...]:
    """A person's positions: each capacity they took part in, with that summit's date and year, and those held."""
    rows = store.query(f"""SELECT DISTINCT ?position ?date ?year WHERE {{
            {{ ?p <{CASD.participant}> <{iri}> ; <{CASD.inCapacityOf}> ?position .
               OPTIONAL {{ ?p <{CASD.participationIn}> ?s . OPTIONAL {{ ?s <{CASD.date}> ?date }}
                          OPTIONAL {{ ?s <{CASD.year}> ?year }} }} }}
            UNION {{ <{iri}> <{CASD.holdsPosition}> ?position }} }}""", use_default_graph_as_union=True)
    out = set()
    for r in rows:
        day = date.fromisoformat(r["date"].value) if r["date"] is not None else None
        year = int(r["year"].value[:4]) if r["year"] is not None else None
        out.add((r["position"].value, day, year))
    return tuple(sorted(out, key=lambda t: (t[0], t[1] or date.min, t[2] or 0)))


def _belongs_to(store: ox.Store, iri: str) -> tuple[str, ...]:
    """The states or organisations a position is a position in."""
    rows = store.query(f"SELECT DISTINCT ?o WHERE {{ <{iri}> <{CASD.positionIn}> ?o }} ORDER BY ?o",
                       use_default_graph_as_union=True)
    return tuple(r["o"].value for r in rows)


def _latest_summit_date(store: ox.Store) -> date | None:
    """The latest day any summit of the graph took place."""
    rows = list(store.query(f"SELECT (MAX(?d) AS ?latest) WHERE {{ ?s <{CASD.date}> ?d }}",
                            use_default_graph_as_union=True))
    value = rows[0]["latest"] if rows else None
    return date.fromisoformat(value.value) if value is not None else None
