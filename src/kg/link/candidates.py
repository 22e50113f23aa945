"""Find the Wikidata items a target may be, by every spelling of its names, and score how well their names fit."""
from __future__ import annotations

from kg.link import names
from kg.link.client import WikidataClient
from kg.link.entity import Entity
from kg.link.targets import LANGUAGES, Target

SEARCH_LIMIT = 7            # candidates per search


def candidate_ids(client: WikidataClient, target: Target) -> list[str]:
    """Items found by any spelling of any of the target's names (for people also by surname alone)."""
    # Documents often name people by surname alone: searching it too brings namesakes in for the checks to refuse.
    ids: list[str] = []
    for name, language in target.labels:
        spellings = names.spellings(name, language)
        if target.cls == "Person":
            spellings += [s.split()[-1] for s in spellings if len(s.split()) > 1 and s.split()[-1] not in spellings]
        for spelling in dict.fromkeys(spellings):
            found = client.search(spelling, language if language in LANGUAGES else "en", SEARCH_LIMIT)
            ids += [hit["id"] for hit in found.data.get("search", []) if hit["id"] not in ids]
    return ids


def best_name(target: Target, item: Entity) -> tuple[float, tuple[str, str]]:
    """The best similarity of any of our names to any of the item's, and the (name, language) of theirs that gave it."""
    best, matched = 0.0, ("", "")
    for ours, our_language in target.labels:
        for theirs, their_language in item.names():
            s = names.similarity(ours, our_language, theirs, their_language)
            if s > best:
                best, matched = s, (theirs, their_language)
    return best, matched
