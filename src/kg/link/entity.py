"""Read Wikidata's entity JSON (wbgetentities) into plain values: labels, statements with qualifiers and reference
URLs, dates, and, when the service answers from recorded facts rather than being Wikidata, what it declares of them
(its `recorded` member: the recorded facts and each source of the item's facts; see `Entity.recorded`)."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

@dataclass(frozen=True)
class Time:
    """A Wikidata time value: the first and last day it may mean (a year means the whole year)."""

    text: str               # as Wikidata writes it: +2019-03-20T00:00:00Z
    precision: int          # 9 year, 10 month, 11 day

    @property
    def earliest(self) -> date:
        """The first day the value may mean."""
        year, month, day = _parts(self.text)
        return date(year, month if self.precision >= 10 and month else 1, day if self.precision >= 11 and day else 1)

    @property
    def latest(self) -> date:
        """The last day the value may mean."""
        year, month, day = _parts(self.text)
        if self.precision >= 11 and day:
            return date(year, month, day)
        if self.precision >= 10 and month:
            return date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 12, 31)


@dataclass(frozen=True)
class Statement:
    """One statement: its main value and its qualifiers' values, by property."""

    id: str
    value: object                                   # "Q…", Time, (lat, lon), str, or None for no/unknown value
    qualifiers: dict[str, list[object]] = field(default_factory=dict)
    rank: str = "normal"
    sources: tuple[str, ...] = ()                   # the reference URLs (P854) its references cite

    def qualifier(self, prop: str) -> object | None:
        """The first value of a qualifier, or None if the statement has none."""
        values = self.qualifiers.get(prop) or [None]
        return values[0]


@dataclass(frozen=True)
class Recorded:
    """What a service answering from recorded facts declares of an item: the recorded facts (an IRI, and the file
    they are kept in) and the public sources of the item's facts (IRI, key, description)."""

    facts: str
    file: str
    sources: tuple[tuple[str, str, str], ...]


@dataclass
class Entity:
    """What linking and enrichment read of an item."""

    id: str
    missing: bool = False
    redirected_from: str | None = None
    revision: int | None = None
    modified: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    claims: dict[str, list[Statement]] = field(default_factory=dict)
    recorded: Recorded | None = None                # set when the answer came from recorded facts, not Wikidata

    def values(self, prop: str) -> list[object]:
        """The values of a property's statements, deprecated ones left out."""
        return [s.value for s in self.statements(prop)]

    def item_ids(self, prop: str) -> list[str]:
        """The items (Q…) an item-valued property's statements name, deprecated ones left out."""
        return [v for v in self.values(prop) if isinstance(v, str)]

    def statements(self, prop: str) -> list[Statement]:
        """A property's statements that have a value, deprecated ones left out."""
        return [s for s in self.claims.get(prop, []) if s.rank != "deprecated" and s.value is not None]

    def names(self) -> list[tuple[str, str]]:
        """Every (name, language) the item is known by: labels, then aliases."""
        out = [(v, lang) for lang, v in self.labels.items()]
        out += [(a, lang) for lang, names in self.aliases.items() for a in names]
        return out


def parse(asked: str, data: dict) -> Entity:
    """An Entity from one `entities` member of a wbgetentities answer."""
    if "missing" in data:
        return Entity(id=asked, missing=True)
    redirect = data.get("redirects")
    return Entity(
        id=data["id"],
        redirected_from=redirect["from"] if redirect else None,
        revision=data.get("lastrevid"),
        modified=data.get("modified"),
        labels={lang: v["value"] for lang, v in data.get("labels", {}).items()},
        aliases={lang: [a["value"] for a in vs] for lang, vs in data.get("aliases", {}).items()},
        claims={prop: [_statement(s) for s in statements] for prop, statements in data.get("claims", {}).items()},
        recorded=_recorded(data.get("recorded")),
    )


def _recorded(data: object) -> Recorded | None:
    """The declaration of a service that answers from recorded facts (real Wikidata sends none)."""
    if not isinstance(data, dict) or not isinstance(data.get("facts"), str):
        return None
    sources = tuple((str(s.get("id", "")), str(s.get("key", "")), str(s.get("source", "")))
                    for s in data.get("sources", []) if isinstance(s, dict) and s.get("id"))
    return Recorded(data["facts"], str(data.get("file", "")), sources)


def _statement(data: dict) -> Statement:
    qualifiers = {prop: [_value(q) for q in snaks] for prop, snaks in data.get("qualifiers", {}).items()}
    urls = [_value(snak) for ref in data.get("references", []) for snak in ref.get("snaks", {}).get("P854", [])]
    return Statement(data.get("id", ""), _value(data["mainsnak"]), qualifiers, data.get("rank", "normal"),
                     tuple(u for u in dict.fromkeys(urls) if isinstance(u, str)))


def _value(snak: dict) -> object:
    if snak.get("snaktype") != "value":
        return None
    kind, value = snak["datavalue"]["type"], snak["datavalue"]["value"]
    if kind == "wikibase-entityid":
        return value.get("id") or f"Q{value['numeric-id']}"
    if kind == "time":
        return Time(value["time"], int(value["precision"]))
    if kind == "globecoordinate":
        return (float(value["latitude"]), float(value["longitude"]))
    if kind == "monolingualtext":
        return value["text"]
    if kind == "quantity":
        return value["amount"]
    return value


def _parts(text: str) -> tuple[int, int, int]:
    sign = -1 if text.startswith("-") else 1
    year, month, day = text.lstrip("+-").split("T")[0].split("-")
    return sign * int(year), int(month), int(day)
