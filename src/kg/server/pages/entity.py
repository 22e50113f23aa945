"""The HTML page of an IRI (/page/LOCAL): its label in Turkish or English, its types, its statements each with
the quotes behind it, owl:sameAs links, the links to it with counts, paged, and the sections of its type (a
meeting's, a person's); a source text's page (source.py); and the ontology's page, its classes and properties."""
from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import request

from kg.server import ops, responses
from kg.server.pages import deref, evidence, links, pagecache, querylinks, sections, source, views
from kg.server.pages.terms import Row as Grouped, Shown, group, labels, language, pick, show
from kg.server.reply import Reply
from kg.server.services import Services, services
from kg.vocab import BASE, CASD, DCTERMS, SCHEMA, SKOS, GRAPH_INFERRED, GRAPH_ONTOLOGY, OA, ONTOLOGY_IRI, OWL, RDF_TYPE, RDFS, compact

PAGE_SIZE = 50                       # incoming links per page
LABELS = (str(RDFS.label),)          # predicates whose values name a node
DESCRIPTIONS = (str(RDFS.comment), str(SCHEMA.description), str(SKOS.definition))   # … and describe it
SAME_AS = str(OWL.sameAs)
IDENTIFIER = str(DCTERMS.identifier)  # a source text's file (data/sources/…): its page is the source page
QUOTE, HAS_SOURCE = str(CASD.Quote), str(OA.hasSource)   # a quote's page links to its passage


@deref.store_answers
def page(local: str) -> Reply:
    """The entity's page, a source text's, or the ontology's; a real 404 for an IRI the store does not know."""
    if local == links.ONTOLOGY_LOCAL:
        return ontology_page()
    parts = services()
    lang, base = language(), links.base_url(parts.config, request.url_root)
    kept = pagecache.key(parts, lang, base)
    body = pagecache.get(parts, kept)
    if body is not None:
        return _html(body, base, local, lang)
    reply = _made(parts, local, lang, base)
    if reply.status == 200:
        pagecache.put(parts, kept, reply.body)
    return reply


def _made(parts: Services, local: str, lang: str, base: str) -> Reply:
    """The page made from the store."""
    iri = links.iri_of(local)
    if iri is None or not deref.exists(parts, iri):
        return deref.not_found(local)
    try:
        number = max(1, int(request.args.get("page", "1")))
    except ValueError:
        return responses.bad_request("page must be a whole number")
    outgoing = group(parts.store.query(f"""SELECT ?p ?o ?pl ?ol WHERE {{ {iri} ?p ?o
        OPTIONAL {{ ?p <{RDFS.label}> ?pl }} OPTIONAL {{ ?o <{RDFS.label}> ?ol }} }} ORDER BY ?p ?o"""), ("p", "o"), ("pl", "ol"))
    own = [o for (p, o), _ in outgoing if p.value in LABELS and isinstance(o, ox.Literal)]
    said = [o for (p, o), _ in outgoing if p.value in DESCRIPTIONS and isinstance(o, ox.Literal)]
    types = {o.value for (p, o), _ in outgoing if p.value == RDF_TYPE}
    common = {"lang": lang, "languages": views.LANGUAGES, "t": views.WORDS[lang], "iri": iri.value,
              "title": pick(own, lang) or compact(iri.value), "description": pick(said, lang),
              "version": ops.dataset_version(parts),
              "downloads": [(f.name, links.data_url(base, local, f)) for f in links.DOCUMENT_FORMATS],
              "queries": querylinks.for_page(base, iri.value, sections.SUMMIT in types)}
    identifier = next((o.value for (p, o), _ in outgoing if p.value == IDENTIFIER and isinstance(o, ox.Literal)), None)
    if identifier is not None and identifier.startswith("data/sources/"):
        body = views.render("source", **common, **source.context(parts.store, iri, identifier, parts.config.root,
                                                                 lang, base, views.WORDS[lang]))
        return _html(body, base, local, lang)
    rows, held = _facts(parts, iri, outgoing, lang, base)
    source_text = next((o for (p, o), _ in outgoing if p.value == HAS_SOURCE), None)
    body = views.render(
        "entity", **common, **_incoming(parts, iri, number, lang, base),
        types=[r.value for r in rows if r.predicate == RDF_TYPE],
        same=[Shown(r.value.text, r.value.href) for r in rows if r.predicate == SAME_AS and r.value.href],
        outgoing=[r for r in rows if r.predicate not in (RDF_TYPE, SAME_AS)],
        held=held, passage=evidence.passage(base, source_text, iri) if QUOTE in types else None,
        meeting=sections.meeting(parts.store, iri, rows, lang, base) if sections.SUMMIT in types else None,
        person=sections.person(parts.store, iri, lang, base) if sections.PERSON in types else None)
    return _html(body, base, local, lang)


def _html(body: str | bytes, base: str, local: str, lang: str) -> Reply:
    """A page's reply, with its alternates and its language."""
    reply = responses.ok(body, links.HTML_TYPE)
    return reply._replace(headers=reply.headers + [("Link", links.alternates(base, local)),
                                                   ("Content-Language", lang), ("Vary", "Accept-Language")])


def _facts(parts: Services, iri: ox.NamedNode, outgoing: list[Grouped], lang: str,
           base: str) -> tuple[list[sections.Row], list[sections.Row]]:
    """The IRI's statements, each with the quotes behind it and whether the reasoner inferred it; and the facts
    sources state that the graph does not assert (conflicting claims, and less precise forms of asserted facts)."""
    found, claims = evidence.gather(parts.store, iri, lang, base)
    inferred = {(row["p"], row["o"]) for row in parts.store.query(
        f"SELECT ?p ?o WHERE {{ GRAPH <{GRAPH_INFERRED}> {{ {iri} ?p ?o }} }}")}
    asserted = {key for key, _ in outgoing}
    held = [fact for fact in found if fact not in asserted]
    names = labels(parts.store, {term for fact in held for term in fact}) if held else {}
    return [sections.Row(p.value, show(p, pl, lang, base), show(o, ol, lang, base), tuple(found.get((p, o), ())),
                         (p, o) in inferred, f"fact-{index}")
            for index, ((p, o), (pl, ol)) in enumerate(outgoing, 1)], [
        sections.Row(p.value, show(p, names.get(p, []), lang, base), show(o, names.get(o, []), lang, base),
                     tuple(found[(p, o)]), anchor=f"held-{index}", conflicting=(p, o) in claims)
        for index, (p, o) in enumerate(sorted(held, key=lambda fact: (str(fact[0]), str(fact[1]))), 1)]


def _incoming(parts: Services, iri: ox.NamedNode, number: int, lang: str, base: str) -> dict[str, Any]:
    """The links to the IRI: counts per property, and one page of them."""
    counts = group(parts.store.query(f"""SELECT ?p (COUNT(DISTINCT ?s) AS ?n) ?pl WHERE {{ ?s ?p {iri}
        OPTIONAL {{ ?p <{RDFS.label}> ?pl }} }} GROUP BY ?p ?pl ORDER BY ?p"""), ("p", "n"), ("pl",))
    total = sum(int(n.value) for (_, n), _ in _firsts(counts))
    pages = max(1, -(-total // PAGE_SIZE))
    incoming = group(parts.store.query(f"""SELECT ?s ?p ?sl ?pl WHERE {{
        {{ SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {iri} }} ORDER BY ?p ?s LIMIT {PAGE_SIZE}
           OFFSET {(min(number, pages) - 1) * PAGE_SIZE} }}
        OPTIONAL {{ ?s <{RDFS.label}> ?sl }} OPTIONAL {{ ?p <{RDFS.label}> ?pl }} }}"""), ("s", "p"), ("sl", "pl"))
    return {"counts": [(show(p, labels[0], lang, base), int(n.value)) for (p, n), labels in _firsts(counts)],
            "incoming_total": total, "page": min(number, pages), "pages": pages,
            "incoming": [(show(s, labels[0], lang, base), show(p, labels[1], lang, base))
                         for (s, p), labels in incoming]}


def _firsts(rows: list[Grouped]) -> list[Grouped]:
    """Rows of a GROUP BY that also grouped on a label: one per leading key term, the labels merged."""
    merged: dict[Any, Grouped] = {}
    for key, labels in rows:
        if key[0] in merged:
            for into, more in zip(merged[key[0]][1], labels):
                into.extend(x for x in more if x not in into)
        else:
            merged[key[0]] = (key, labels)
    return list(merged.values())


def ontology_page() -> Reply:
    """A list of the ontology's classes and properties with their Turkish and English labels."""
    parts = services()
    base = links.base_url(parts.config, request.url_root)
    found: dict[str, dict[str, dict[str, str]]] = {"Classes": {}, "Properties": {}}
    for row in parts.store.query(f"""SELECT ?t ?k ?l WHERE {{ GRAPH <{GRAPH_ONTOLOGY}> {{ ?t a ?k
            FILTER(isIRI(?t) && STRSTARTS(STR(?t), "{BASE}ontology#"))
            OPTIONAL {{ ?t <{RDFS.label}> ?l }} }} }}"""):
        kind = row["k"].value
        section = "Classes" if kind.endswith(("#Class",)) else "Properties" if "Property" in kind else None
        if section is None:
            continue
        term = found[section].setdefault(row["t"].value, {"name": row["t"].value.split("#", 1)[1], "tr": "", "en": ""})
        label = row["l"]
        if isinstance(label, ox.Literal) and label.language in ("tr", "en"):
            term[label.language] = label.value
    sections = [(heading, sorted(terms.values(), key=lambda t: t["name"])) for heading, terms in found.items()]
    body = views.render("ontology", lang="en", title="CASD ontology", iri=ONTOLOGY_IRI,
                                  turtle=links.data_url(base, links.ONTOLOGY_LOCAL, links.BY_EXTENSION["ttl"]),
                                  sections=sections)
    reply = responses.ok(body, links.HTML_TYPE)
    return reply._replace(headers=reply.headers + [("Link", links.alternates(base, links.ONTOLOGY_LOCAL))])
