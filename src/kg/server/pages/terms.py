"""Terms as the pages show them: a label in the page's language (Turkish or English), a link to the term's page here
or outside, and the grouping of SPARQL rows whose OPTIONAL labels repeat a row once per language."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import pyoxigraph as ox
from flask import request

from kg.server.pages import links, views
from kg.store.protocol import Store
from kg.vocab import PREFIXES, compact

# The prefixes the pages' queries use, declared in each query's text (a remote store knows none of ours).
HEADER = "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n"
                 for name in ("casd", "rdf", "rdfs", "prov", "oa", "dcterms", "skos", "owl"))
LABELS = HEADER + "SELECT ?x ?l WHERE {{ VALUES ?x {{ {terms} }} ?x rdfs:label ?l }}"


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


def show(term: Any, labels: list[ox.Literal], lang: str, base: str) -> Shown:
    """A term for the page: an IRI by its label (or compact name) linking to its page here or outside."""
    if isinstance(term, ox.NamedNode):
        return Shown(pick(labels, lang) or compact(term.value), links.href(base, term.value))
    if isinstance(term, ox.Literal):
        return Shown(term.value, None, term.language)
    return Shown(str(term))


Row = tuple[tuple[Any, ...], tuple[list[ox.Literal], ...]]


def group(solutions: Any, keys: tuple[str, ...], label_keys: tuple[str, ...]) -> list[Row]:
    """Solutions grouped by their key terms (in first-seen order), each with the literals found for each label
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


def local_name(iri: str) -> str:
    """The last segment of an IRI (quote:avim-blog-50-title → avim-blog-50-title), usable as an HTML id."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def labels(store: Store, terms: set[Any]) -> dict[Any, list[ox.Literal]]:
    """The rdfs:labels of the IRIs among `terms`, in one query."""
    iris = sorted((t for t in terms if isinstance(t, ox.NamedNode)), key=str)
    if not iris:
        return {}
    found: dict[Any, list[ox.Literal]] = {}
    for row in store.query(LABELS.format(terms=" ".join(str(t) for t in iris))):
        if isinstance(row["l"], ox.Literal) and row["l"] not in found.setdefault(row["x"], []):
            found[row["x"]].append(row["l"])
    return found
