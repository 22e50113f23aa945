"""Bring selected statements of the linked items, and of their capitals, in from Wikidata."""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset

from kg.link import records
from kg.link.client import WikidataClient
from kg.link.entity import Entity, parse
from kg.link.outcomes import Finding

FOLLOWED = ("P36",)        # items named by these statements are described too (the capitals: places)


@dataclass
class Enriched:
    """The enrichment graph, the links that could not be read (missing, redirected), and the items read."""

    dataset: Dataset
    findings: list[Finding]
    items: list[Entity]


def enrich(client: WikidataClient, links: dict[str, str]) -> Enriched:
    """The enrichment graph for the linked items and their capitals, and the links that could not be read."""
    by_item = {qid: iri for iri, qid in links.items()}
    items, findings = _fetch(client, sorted(by_item), by_item)
    followed = sorted({v for item, _ in items for p in FOLLOWED for v in item.values(p) if isinstance(v, str)}
                      - set(by_item))
    more, _ = _fetch(client, followed, {})
    return Enriched(records.wikidata_graph(items + more), findings, [item for item, _ in items + more])


def _fetch(client: WikidataClient, ids: list[str], by_item: dict[str, str]) -> tuple[list[tuple[Entity, str]], list[Finding]]:
    items, findings = [], []
    for qid, (data, retrieved) in sorted(client.entities(ids, list(records.LABEL_LANGUAGES)).items()):
        item = parse(qid, data)
        if item.missing:
            findings.append(Finding(by_item.get(qid, ""), qid, "the item is missing or deleted; not enriched"))
        elif item.redirected_from:
            findings.append(Finding(by_item.get(qid, ""), qid, f"the item redirects to {item.id}; not enriched "
                                                                "until the link is updated"))
        else:
            items.append((item, retrieved))
    return items, findings
