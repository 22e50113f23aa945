"""Reconcile the graph's actors, places and positions with Wikidata items, and re-verify links already made.

A candidate is found by searching the entity's Turkish and English labels and aliases in the spellings other
sources use; it is linked only if its name covers ours, its type fits our class, and it fits in time: a person
must hold the position the document gives them on the date of the summit (position held, with its start and
end qualifiers), a position must belong to the state or organisation ours belongs to, and nothing may have
ended before the date it is named for. Every link carries its evidence; below the threshold, or when two
candidates pass alike, nothing is linked and the candidates are returned for a curator.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from kg.link import names
from kg.vocab import CASD
from kg.link.client import WikidataClient
from kg.link.entity import Entity, Time, parse

THRESHOLD = 0.85            # name similarity a link needs (0..1), with every check passed
MARGIN = 0.05               # a second passing candidate this close to the best makes the choice ambiguous
SEARCH_LIMIT = 7            # candidates per search
LANGUAGES = ("tr", "en")    # the languages of our labels; searches use the label's own language

# Wikidata classes (P31 values) that fit each of our classes. A candidate of another type is refused.
ACCEPTED_TYPES: dict[str, frozenset[str]] = {
    "Person": frozenset({"Q5"}),                                                  # human
    "State": frozenset({"Q3624078", "Q6256"}),                                    # sovereign state, country
    "Organization": frozenset({"Q43229", "Q245065", "Q484652", "Q1335818", "Q3918", "Q31855", "Q1664720",
                               "Q2385804", "Q7188", "Q163740"}),  # organisation, IGO, international org.,
    # supranational org., university, research institute, institute, educational institution, government, NGO
    "Position": frozenset({"Q4164871", "Q294414", "Q30461", "Q48352", "Q2285706", "Q83307", "Q599151"}),
    # position, public office, president, head of state, head of government, minister, official
    "Region": frozenset({"Q82794", "Q1620908", "Q2221906", "Q35145263"}),
    # geographic region, historical region, geographic location, natural geographic object
    "Place": frozenset({"Q515", "Q5119", "Q486972", "Q1637706", "Q82794", "Q2221906"}),
}
CLASS_ORDER = ("State", "Region", "Place", "Organization", "Position", "Person")   # a later class's checks read earlier links

P_INSTANCE_OF, P_POSITION_HELD, P_START, P_END = "P31", "P39", "P580", "P582"
P_COUNTRY, P_JURISDICTION, P_INCEPTION, P_DISSOLVED = "P17", "P1001", "P571", "P576"
P_DIRECTS = "P2389"                                   # organisation directed by the office
OFFICES = ("P1906", "P1313", "P2388")                 # office held by head of state / of government / of the organisation
PART_OF = ("P361", "P706")                            # part of, located in
P_MEMBER_OF = "P463"
# Where Wikidata states a type through another item: an office its owner names, a region the linked states are
# part of, an organisation they are members of. Checked when the candidate's own P31 does not settle it.
TYPE_BY_REFERENCE: dict[str, tuple[str, ...]] = {"Position": OFFICES, "Region": PART_OF, "Organization": (P_MEMBER_OF,)}


@dataclass
class Context:
    """What earlier decisions of a run established: our IRI → item id, and the items fetched for them."""

    links: dict[str, str] = field(default_factory=dict)
    items: dict[str, Entity] = field(default_factory=dict)

    def add(self, iri: str, item: Entity) -> None:
        self.links[iri] = item.id
        self.items[item.id] = item

    def linked_items(self) -> list[Entity]:
        return [self.items[q] for q in self.links.values() if q in self.items]


@dataclass(frozen=True)
class Target:
    """An entity of ours to link: its IRI, class, names, the date it is named for, and what the checks need."""

    iri: str
    cls: str
    labels: tuple[tuple[str, str], ...]                     # (name, language)
    as_of: date | None
    positions: tuple[tuple[str, date | None, int | None], ...] = ()   # persons: (position IRI, date, year)
    belongs_to: tuple[str, ...] = ()                        # positions: the state or organisation (IRI)


@dataclass
class Judgement:
    """One candidate weighed: its score, the name that matched, the checks passed and the ones failed."""

    item: str
    score: float
    matched: tuple[str, str]
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    retrieved: str = ""
    entity: Entity | None = field(default=None, repr=False)

    @property
    def acceptable(self) -> bool:
        return not self.failed and self.score >= THRESHOLD


@dataclass
class Outcome:
    """A target and what came of it: the link (the best acceptable judgement) or None, and every candidate."""

    target: Target
    link: Judgement | None
    candidates: list[Judgement]
    reason: str = ""


@dataclass
class Finding:
    """A difference `--check` found between a recorded link and Wikidata now."""

    entity: str
    item: str
    problem: str


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


def reconcile(client: WikidataClient, store: ox.Store) -> list[Outcome]:
    """Search, weigh and decide for every target; links found earlier in the run feed later checks."""
    context = Context()
    outcomes = []
    for target in targets(store):
        outcome = decide(client, target, context)
        if outcome.link is not None:
            context.add(target.iri, outcome.link.entity)
        outcomes.append(outcome)
    return outcomes


def decide(client: WikidataClient, target: Target, context: Context) -> Outcome:
    """The link for one target, or the reason there is none and the candidates a curator should see."""
    ids = _candidate_ids(client, target)
    if not ids:
        return Outcome(target, None, [], "no item found by any of its names")
    fetched = client.entities(ids)
    judged = sorted((judge(target, parse(qid, data), context, retrieved) for qid, (data, retrieved) in fetched.items()),
                    key=lambda j: (-j.acceptable, -j.score, j.item))
    good = [j for j in judged if j.acceptable]
    if not good:
        return Outcome(target, None, judged, "no candidate passes every check with a name score of "
                                             f"{THRESHOLD} or more")
    if len(good) > 1 and good[1].score >= good[0].score - MARGIN:
        return Outcome(target, None, judged, f"ambiguous: {good[0].item} and {good[1].item} both pass")
    return Outcome(target, good[0], judged)


def judge(target: Target, item: Entity, context: Context, retrieved: str = "") -> Judgement:
    """Weigh one item against one target: name, type, time and, for positions, whose position it is."""
    score, matched = _best_name(target, item)
    j = Judgement(item.id, round(score, 3), matched, retrieved=retrieved, entity=item)
    if item.missing:
        j.failed.append("exists: the item is missing or deleted")
        return j
    (j.passed if score >= THRESHOLD else j.failed).append(f"name: {matched[0]!r}@{matched[1]} scores {score:.2f}")
    _type_check(target, item, context, j)
    _existence_check(target, item, j)
    if target.cls == "Person":
        _position_check(target, item, context, j)
    if target.cls == "Position":
        _jurisdiction_check(target, item, context, j)
    return j


def verify(client: WikidataClient, store: ox.Store, links: dict[str, str]) -> list[Finding]:
    """Re-check recorded links (entity IRI → item id): the item exists, is not a redirect, and still fits."""
    by_iri = {t.iri: t for t in targets(store)}
    fetched = client.entities(sorted(set(links.values())))
    context = Context(dict(links), {q: parse(q, data) for q, (data, _) in fetched.items()})
    findings = []
    for iri, qid in sorted(links.items(), key=lambda kv: (_rank(by_iri.get(kv[0])), kv[0])):
        if qid not in fetched:
            findings.append(Finding(iri, qid, "no answer for this item"))
            continue
        item, retrieved = context.items[qid], fetched[qid][1]
        if item.missing:
            findings.append(Finding(iri, qid, "the item is missing or deleted"))
            continue
        if item.redirected_from:
            findings.append(Finding(iri, qid, f"the item redirects to {item.id}"))
        target = by_iri.get(iri)
        if target is None:
            findings.append(Finding(iri, qid, "the graph no longer has this entity as an actor, place or position"))
            continue
        j = judge(target, item, context, retrieved)
        findings += [Finding(iri, qid, f"check failed: {reason}") for reason in j.failed]
    return findings


def _rank(target: Target | None) -> int:
    return CLASS_ORDER.index(target.cls) if target is not None else len(CLASS_ORDER)


# -- candidates and names

def _candidate_ids(client: WikidataClient, target: Target) -> list[str]:
    """Items found by any spelling of any name; for people also by surname alone, as documents often name them
    (which is what brings namesakes in for the checks to refuse)."""
    ids: list[str] = []
    for name, language in target.labels:
        spellings = names.spellings(name, language)
        if target.cls == "Person":
            spellings += [s.split()[-1] for s in spellings if len(s.split()) > 1 and s.split()[-1] not in spellings]
        for spelling in dict.fromkeys(spellings):
            found = client.search(spelling, language if language in LANGUAGES else "en", SEARCH_LIMIT)
            ids += [hit["id"] for hit in found.data.get("search", []) if hit["id"] not in ids]
    return ids


def _best_name(target: Target, item: Entity) -> tuple[float, tuple[str, str]]:
    best, matched = 0.0, ("", "")
    for ours, our_language in target.labels:
        for theirs, their_language in item.names():
            s = names.similarity(ours, our_language, theirs, their_language)
            if s > best:
                best, matched = s, (theirs, their_language)
    return best, matched


# -- checks

def _type_check(target: Target, item: Entity, context: Context, j: Judgement) -> None:
    types = set(item.values(P_INSTANCE_OF))
    fits = types & ACCEPTED_TYPES[target.cls]
    if fits:
        j.passed.append(f"type: instance of {', '.join(sorted(fits))}")
        return
    for other in context.linked_items():
        for prop in TYPE_BY_REFERENCE.get(target.cls, ()):
            if item.id in other.values(prop):
                j.passed.append(f"type: {other.id} {prop} {item.id}")
                return
    j.failed.append(f"type: instance of {', '.join(sorted(types)) or 'nothing'}, not a {target.cls.lower()}")


def _existence_check(target: Target, item: Entity, j: Judgement) -> None:
    """Nothing named on a date may have ended before it (dissolved, abolished) or begun after it."""
    if target.as_of is None or target.cls == "Person":
        return
    ended = [t for t in item.values(P_DISSOLVED) if isinstance(t, Time) and t.latest < target.as_of]
    began = [t for t in item.values(P_INCEPTION) if isinstance(t, Time) and t.earliest > target.as_of]
    if ended:
        j.failed.append(f"time: ended {ended[0].text[1:11]}, before {target.as_of}")
    elif began:
        j.failed.append(f"time: began {began[0].text[1:11]}, after {target.as_of}")
    else:
        j.passed.append(f"time: exists on {target.as_of}")


def _position_check(target: Target, item: Entity, context: Context, j: Judgement) -> None:
    """A person must hold each position the graph gives them, on the date (or in the year) they held it."""
    for position, day, year in target.positions:
        qid = context.links.get(position)
        if qid is None:
            continue                           # the position has no link: nothing to compare against
        held = [s for s in item.statements(P_POSITION_HELD) if s.value == qid]
        when = day.isoformat() if day else (str(year) if year else None)
        if not held:
            j.failed.append(f"position: never held {qid}")
        elif when is None:
            j.passed.append(f"position: held {qid}")
        elif any(_covers(s.qualifier(P_START), s.qualifier(P_END), day, year) for s in held):
            j.passed.append(f"position: held {qid} on {when}")
        else:
            spans = "; ".join(f"{_day(s.qualifier(P_START))}–{_day(s.qualifier(P_END))}" for s in held)
            j.failed.append(f"time: held {qid} {spans}, not on {when}")


def _jurisdiction_check(target: Target, item: Entity, context: Context, j: Judgement) -> None:
    """A position must belong to the item of the state or organisation ours belongs to: by its jurisdiction,
    country or the organisation it directs, or by the owner naming it as the office of its head."""
    owners = [context.links[o] for o in target.belongs_to if o in context.links]
    if not owners:
        return
    theirs = set(item.values(P_JURISDICTION)) | set(item.values(P_COUNTRY)) | set(item.values(P_DIRECTS))
    named_by = [q for q in owners if q in context.items and any(item.id in context.items[q].values(p) for p in OFFICES)]
    if theirs & set(owners) or named_by:
        j.passed.append(f"jurisdiction: {', '.join(sorted(theirs & set(owners) | set(named_by)))}")
    else:
        j.failed.append(f"jurisdiction: {', '.join(sorted(theirs)) or 'none stated'}, not {', '.join(owners)}")


def _covers(start: object, end: object, day: date | None, year: int | None) -> bool:
    """Whether a start..end span (either may be open) includes the day, or some of the year."""
    lo = date(year, 1, 1) if day is None else day
    hi = date(year, 12, 31) if day is None else day
    if isinstance(start, Time) and start.earliest > hi:
        return False
    if isinstance(end, Time) and end.latest < lo:
        return False
    return True


def _day(t: object) -> str:
    return t.text[1:11] if isinstance(t, Time) else "…"


# -- reading the graph

def _labels(store: ox.Store, iri: str) -> tuple[tuple[str, str], ...]:
    rows = store.query(f"""SELECT DISTINCT ?l WHERE {{ {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}
                           UNION {{ <{iri}> <http://www.w3.org/2004/02/skos/core#altLabel> ?l }} }}""",
                       use_default_graph_as_union=True)
    found = {(r["l"].value, r["l"].language or "") for r in rows}
    return tuple(sorted(found, key=lambda nl: (LANGUAGES.index(nl[1]) if nl[1] in LANGUAGES else 9, nl)))


def _positions(store: ox.Store, iri: str) -> tuple[tuple[str, date | None, int | None], ...]:
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
    rows = store.query(f"SELECT DISTINCT ?o WHERE {{ <{iri}> <{CASD.positionIn}> ?o }} ORDER BY ?o",
                       use_default_graph_as_union=True)
    return tuple(r["o"].value for r in rows)


def _latest_summit_date(store: ox.Store) -> date | None:
    rows = list(store.query(f"SELECT (MAX(?d) AS ?latest) WHERE {{ ?s <{CASD.date}> ?d }}",
                            use_default_graph_as_union=True))
    value = rows[0]["latest"] if rows else None
    return date.fromisoformat(value.value) if value is not None else None

