"""The entities the browser tests open, chosen from the served graph by SPARQL: the person who attended the most
meetings and the latest meeting, each with exactly one Turkish and one English label, which differ (so that the
language switch shows a change)."""
from __future__ import annotations

from dataclasses import dataclass

from browser.served import Served

ONE_LABEL_EACH = """?x rdfs:label ?tr, ?en FILTER(LANG(?tr) = "tr" && LANG(?en) = "en" && STR(?tr) != STR(?en))
  FILTER NOT EXISTS { ?x rdfs:label ?tr2 FILTER(LANG(?tr2) = "tr" && ?tr2 != ?tr) }
  FILTER NOT EXISTS { ?x rdfs:label ?en2 FILTER(LANG(?en2) = "en" && ?en2 != ?en) }"""

PERSON = f"""SELECT ?x ?tr ?en (COUNT(DISTINCT ?m) AS ?n) WHERE {{
  ?x a casd:Person . ?p casd:agent ?x ; casd:meeting ?m . {ONE_LABEL_EACH} }}
GROUP BY ?x ?tr ?en ORDER BY DESC(?n) ?x LIMIT 1"""

MEETING = f"""SELECT ?x ?tr ?en WHERE {{ ?x a casd:Summit ; casd:ordinal ?o . {ONE_LABEL_EACH} }}
ORDER BY DESC(?o) LIMIT 1"""


@dataclass(frozen=True)
class Entity:
    """An IRI of the graph, its server path and its labels by language."""

    iri: str
    path: str
    tr: str
    en: str

    def label(self, lang: str) -> str:
        """The label in one of the two languages."""
        return self.tr if lang == "tr" else self.en


def pick(server: Served, query: str) -> Entity:
    """The one entity a picking query selects."""
    rows = server.select(query)
    assert rows, "the graph has no entity of this kind with a Turkish and an English label that differ"
    row = rows[0]
    return Entity(row["x"], server.local(row["x"]), row["tr"], row["en"])


def person(server: Served) -> Entity:
    """The person at the most meetings."""
    return pick(server, PERSON)


def meeting(server: Served) -> Entity:
    """The latest meeting of the series."""
    return pick(server, MEETING)


SOURCE = """SELECT ?x (COUNT(DISTINCT ?q) AS ?n) WHERE { ?q a casd:Quote ; <http://www.w3.org/ns/oa#hasSource> ?x }
GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1"""


def source(server: Served) -> str:
    """The IRI of the source text with the most quotes (its page marks them all)."""
    rows = server.select(SOURCE)
    assert rows, "the graph quotes no source text"
    return rows[0]["x"]
