"""The checks a candidate item must pass beside its name: its type fits our class, it existed when named, a person
held the position the document gives them on that date, and a position belongs to the state or organisation ours
does. Each check appends what it saw to the judgement's passed or failed list."""
from __future__ import annotations

from datetime import date

from kg.link.entity import Entity, Time
from kg.link.outcomes import Context, Judgement
from kg.link.targets import Target

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

P_INSTANCE_OF, P_POSITION_HELD, P_START, P_END = "P31", "P39", "P580", "P582"
P_COUNTRY, P_JURISDICTION, P_INCEPTION, P_DISSOLVED = "P17", "P1001", "P571", "P576"
P_DIRECTS = "P2389"                                   # organisation directed by the office
OFFICES = ("P1906", "P1313", "P2388")                 # office held by head of state / of government / of the organisation
PART_OF = ("P361", "P706")                            # part of, located in
P_MEMBER_OF = "P463"
# Where Wikidata states a type through another item: an office its owner names, a region the linked states are
# part of, an organisation they are members of. Checked when the candidate's own P31 does not settle it.
TYPE_BY_REFERENCE: dict[str, tuple[str, ...]] = {"Position": OFFICES, "Region": PART_OF, "Organization": (P_MEMBER_OF,)}


def type_check(target: Target, item: Entity, context: Context, j: Judgement) -> None:
    """The item is an instance of a class that fits ours, or an item linked earlier names it as one."""
    types = set(item.item_ids(P_INSTANCE_OF))
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


def existence_check(target: Target, item: Entity, j: Judgement) -> None:
    """Nothing may have ended (dissolved, abolished) before, or begun after, any meeting that names it."""
    if target.cls == "Person":
        return
    for meeting in dict.fromkeys(m._replace(iri="") for m in target.meetings):      # one check per distinct date
        ended = [t for t in item.values(P_DISSOLVED) if isinstance(t, Time) and t.latest < meeting.first]
        began = [t for t in item.values(P_INCEPTION) if isinstance(t, Time) and t.earliest > meeting.last]
        if ended:
            j.failed.append(f"time: ended {ended[0].text[1:11]}, before {meeting.when}")
        elif began:
            j.failed.append(f"time: began {began[0].text[1:11]}, after {meeting.when}")
        else:
            j.passed.append(f"time: exists {'on' if meeting.day else 'in'} {meeting.when}")


def position_check(target: Target, item: Entity, context: Context, j: Judgement) -> None:
    """A person must hold each position the graph gives them, on the date (or in the year) they held it."""
    for position, day, year in target.positions:
        qid = context.links.get(position)
        if qid is None:
            continue                           # the position has no link: nothing to compare against
        held = [s for s in item.statements(P_POSITION_HELD) if s.value == qid]
        when = day.isoformat() if day else (str(year) if year else None)
        if not held:
            if f"position: never held {qid}" not in j.failed:     # once per position, not once per meeting
                j.failed.append(f"position: never held {qid}")
        elif when is None:
            j.passed.append(f"position: held {qid}")
        elif any(covers(s.qualifier(P_START), s.qualifier(P_END), day, year) for s in held):
            j.passed.append(f"position: held {qid} on {when}")
        else:
            spans = "; ".join(f"{_day(s.qualifier(P_START))}–{_day(s.qualifier(P_END))}" for s in held)
            j.failed.append(f"time: held {qid} {spans}, not on {when}")


def jurisdiction_check(target: Target, item: Entity, context: Context, j: Judgement) -> None:
    """A position must belong to the item of the state or organisation ours belongs to."""
    # By its jurisdiction, country or the organisation it directs, or by the owner naming it as its head's office.
    owners = [context.links[o] for o in target.belongs_to if o in context.links]
    if not owners:
        return
    theirs = set(item.item_ids(P_JURISDICTION)) | set(item.item_ids(P_COUNTRY)) | set(item.item_ids(P_DIRECTS))
    named_by = [q for q in owners if q in context.items and any(item.id in context.items[q].values(p) for p in OFFICES)]
    if theirs & set(owners) or named_by:
        j.passed.append(f"jurisdiction: {', '.join(sorted(theirs & set(owners) | set(named_by)))}")
    else:
        j.failed.append(f"jurisdiction: {', '.join(sorted(theirs)) or 'none stated'}, not {', '.join(owners)}")


def covers(start: object, end: object, day: date | None, year: int | None) -> bool:
    """Whether a start..end span (either may be open) includes the day, or some of the year."""
    if day is not None:
        lo = hi = day
    elif year is not None:
        lo, hi = date(year, 1, 1), date(year, 12, 31)
    else:
        raise TypeError("covers() needs a day or a year")
    if isinstance(start, Time) and start.earliest > hi:
        return False
    if isinstance(end, Time) and end.latest < lo:
        return False
    return True


def _day(t: object) -> str:
    """The day of a time value as Wikidata writes it, or … for an open end."""
    return t.text[1:11] if isinstance(t, Time) else "…"
