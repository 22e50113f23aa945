"""What reconciliation produces: each candidate weighed, each target's outcome, the findings of `--check`, and the
links a run has made so far (which later checks read)."""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.link.entity import Entity
from kg.link.targets import Target

THRESHOLD = 0.85            # name similarity a link needs (0..1), with every check passed


@dataclass
class Context:
    """What earlier decisions of a run established: our IRI → item id, and the items fetched for them."""

    links: dict[str, str] = field(default_factory=dict)
    items: dict[str, Entity] = field(default_factory=dict)

    def add(self, iri: str, item: Entity) -> None:
        """Record that our IRI is linked to the item."""
        self.links[iri] = item.id
        self.items[item.id] = item

    def linked_items(self) -> list[Entity]:
        """The items linked so far (those fetched)."""
        return [self.items[q] for q in self.links.values() if q in self.items]


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
        """Every check passed and the name scores THRESHOLD or more."""
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
