"""The HTML page of an IRI (/page/LOCAL): its label in Turkish or English, its types, its statements, owl:sameAs
links, and the links to it with counts, paged; and the ontology's page, its classes and properties."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import pyoxigraph as ox
from flask import request

from kg.server import ops, responses
from kg.server.pages import deref, links, views
from kg.server.reply import Reply
from kg.server.services import services
from kg.vocab import BASE, GRAPH_ONTOLOGY, ONTOLOGY_IRI, OWL, RDF_TYPE, RDFS, compact

PAGE_SIZE = 50                       # incoming links per page
LABELS = (str(RDFS.label),)          # predicates whose values name a node
SAME_AS = str(OWL.sameAs)


@dataclass(frozen=True)
class Shown:
    """A term as the page shows it: its text, where it links (None for a literal) and its language."""

    text: str
    href: str | None = None
    lang: str | None = None


def language() -> str:
    """The page's language: ?lang=tr|en, else the client's Accept-Language (English by default)."""
    asked = request.args.get("lang", "")
    if asked in views.WORDS:
        return asked
    return request.accept_languages.best_match(list(views.WORDS), default="en") or "en"


def pick(labels: Iterable[ox.Literal], lang: str) -> str | None:
    """The label in the page's language, else in the other of tr/en, else one without a language, else any."""
    found = list(labels)
    for wanted in (lang, "tr" if lang == "en" else "en", None):
        for label in found:
            if (label.language or None) == wanted or (wanted and (label.language or "").startswith(wanted + "-")):
                return label.value
    return found[0].value if found else None


@deref.store_answers
def page(local: str) -> Reply:
    """The entity's page, or the ontology's; a real 404 for an IRI the store does not know."""
    if local == links.ONTOLOGY_LOCAL:
        return ontology_page()
    parts = services()
    iri = links.iri_of(local)
    if iri is None or not deref.exists(parts, iri):
        return deref.not_found(local)
    lang, base = language(), links.base_url(parts.config, request.url_root)
    try:
        number = max(1, int(request.args.get("page", "1")))
    except ValueError:
        return responses.bad_request("page must be a whole number")
    outgoing = _rows(parts.store.query(f"""SELECT ?p ?o ?pl ?ol WHERE {{ {iri} ?p ?o
        OPTIONAL {{ ?p <{RDFS.label}> ?pl }} OPTIONAL {{ ?o <{RDFS.label}> ?ol }} }} ORDER BY ?p ?o"""), ("p", "o"), ("pl", "ol"))
    counts = _rows(parts.store.query(f"""SELECT ?p (COUNT(DISTINCT ?s) AS ?n) ?pl WHERE {{ ?s ?p {iri}
        OPTIONAL {{ ?p <{RDFS.label}> ?pl }} }} GROUP BY ?p ?pl ORDER BY ?p"""), ("p", "n"), ("pl",))
    total = sum(int(n.value) for (_, n), _ in _firsts(counts))
    pages = max(1, -(-total // PAGE_SIZE))
    incoming = _rows(parts.store.query(f"""SELECT ?s ?p ?sl ?pl WHERE {{
        {{ SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {iri} }} ORDER BY ?p ?s LIMIT {PAGE_SIZE}
           OFFSET {(min(number, pages) - 1) * PAGE_SIZE} }}
        OPTIONAL {{ ?s <{RDFS.label}> ?sl }} OPTIONAL {{ ?p <{RDFS.label}> ?pl }} }}"""), ("s", "p"), ("sl", "pl"))
    own = [o for (p, o), _ in outgoing if p.value in LABELS and isinstance(o, ox.Literal)]
    title = pick(own, lang) or compact(iri.value)
    rows = [(p.value, _show(p, pl, lang, base), _show(o, ol, lang, base)) for (p, o), (pl, ol) in outgoing]
    body = views.render(
        "entity", lang=lang, languages=views.LANGUAGES, t=views.WORDS[lang], title=title, iri=iri.value,
        downloads=[(f.name, links.data_url(base, local, f)) for f in links.DOCUMENT_FORMATS],
        types=[o for p, _, o in rows if p == RDF_TYPE],
        same=[Shown(o.text, o.href) for p, _, o in rows if p == SAME_AS and o.href],
        outgoing=[(sp, so) for p, sp, so in rows if p not in (RDF_TYPE, SAME_AS)],
        counts=[(_show(p, labels[0], lang, base), int(n.value)) for (p, n), labels in _firsts(counts)],
        incoming_total=total, page=min(number, pages), pages=pages,
        incoming=[(_show(s, labels[0], lang, base), _show(p, labels[1], lang, base)) for (s, p), labels in incoming],
        version=ops.dataset_version(parts))
    reply = responses.ok(body, links.HTML_TYPE)
    return reply._replace(headers=reply.headers + [("Link", links.alternates(base, local)),
                                                   ("Content-Language", lang), ("Vary", "Accept-Language")])


Row = tuple[tuple[Any, ...], tuple[list[ox.Literal], ...]]


def _rows(solutions: Any, keys: tuple[str, ...], label_keys: tuple[str, ...]) -> list[Row]:
    """Solutions grouped by their key terms (in first-seen order), each with the labels found for each label
    variable (an OPTIONAL label repeats a row once per language)."""
    grouped: dict[tuple[Any, ...], tuple[list[ox.Literal], ...]] = {}
    for row in solutions:
        key = tuple(row[k] for k in keys)
        labels = grouped.setdefault(key, tuple([] for _ in label_keys))
        for found, name in zip(labels, label_keys):
            value = row[name]
            if isinstance(value, ox.Literal) and value not in found:
                found.append(value)
    return list(grouped.items())


def _firsts(rows: list[Row]) -> list[Row]:
    """Rows of a GROUP BY that also grouped on a label: one per leading key term, the labels merged."""
    merged: dict[Any, Row] = {}
    for key, labels in rows:
        if key[0] in merged:
            for into, more in zip(merged[key[0]][1], labels):
                into.extend(x for x in more if x not in into)
        else:
            merged[key[0]] = (key, labels)
    return list(merged.values())


def _show(term: Any, labels: list[ox.Literal], lang: str, base: str) -> Shown:
    """A term for the page: an IRI by its label (or compact name) linking to its page here or outside."""
    if isinstance(term, ox.NamedNode):
        return Shown(pick(labels, lang) or compact(term.value), links.href(base, term.value))
    if isinstance(term, ox.Literal):
        return Shown(term.value, None, term.language)
    return Shown(str(term))


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
