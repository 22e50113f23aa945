"""Reconcile the graph's actors, places and positions with Wikidata items, and re-verify links already made.

A candidate is found by searching the entity's Turkish and English labels and aliases in the spellings other
sources use (`candidates`); it is linked only if its name covers ours, its type fits our class, and it fits in
time (`checks`): a person must hold the position the document gives them on the date of the summit (position
held, with its start and end qualifiers), a position must belong to the state or organisation ours belongs to,
and nothing may have ended before, or begun after, a meeting that names it. Every link carries its evidence
(`outcomes`); below the threshold, or when two candidates pass alike, nothing is linked and the candidates are
returned for a curator. What is linked, and the meetings that date it, is read from our graph by `targets`.
"""
from __future__ import annotations

import pyoxigraph as ox

from kg.link import checks
from kg.link.candidates import best_name, candidate_ids
from kg.link.client import WikidataClient
from kg.link.entity import Entity, parse
from kg.link.outcomes import THRESHOLD, Context, Finding, Judgement, Outcome
from kg.link.targets import Target, rank, targets

MARGIN = 0.05               # a second passing candidate this close to the best makes the choice ambiguous


def reconcile(client: WikidataClient, store: ox.Store) -> list[Outcome]:
    """Search, weigh and decide for every target; links found earlier in the run feed later checks."""
    context = Context()
    outcomes = []
    for target in targets(store):
        outcome = decide(client, target, context)
        if outcome.link is not None:
            assert outcome.link.entity is not None      # judge() keeps the item it weighed
            context.add(target.iri, outcome.link.entity)
        outcomes.append(outcome)
    return outcomes


def decide(client: WikidataClient, target: Target, context: Context) -> Outcome:
    """The link for one target, or the reason there is none and the candidates a curator should see."""
    ids = candidate_ids(client, target)
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
    score, matched = best_name(target, item)
    j = Judgement(item.id, round(score, 3), matched, retrieved=retrieved, entity=item)
    if item.missing:
        j.failed.append("exists: the item is missing or deleted")
        return j
    (j.passed if score >= THRESHOLD else j.failed).append(f"name: {matched[0]!r}@{matched[1]} scores {score:.2f}")
    checks.type_check(target, item, context, j)
    checks.existence_check(target, item, j)
    if target.cls == "Person":
        checks.position_check(target, item, context, j)
    if target.cls == "Position":
        checks.jurisdiction_check(target, item, context, j)
    return j


def verify(client: WikidataClient, store: ox.Store, links: dict[str, str]) -> list[Finding]:
    """Re-check recorded links (entity IRI → item id): the item exists, is not a redirect, and still fits."""
    by_iri = {t.iri: t for t in targets(store)}
    fetched = client.entities(sorted(set(links.values())))
    context = Context(dict(links), {q: parse(q, data) for q, (data, _) in fetched.items()})
    findings = []
    for iri, qid in sorted(links.items(), key=lambda kv: (rank(by_iri.get(kv[0])), kv[0])):
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
