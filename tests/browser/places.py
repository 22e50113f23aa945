"""Every page the browser tests visit, by name, with the path to open and the status it must end with. A test
parametrised over NAMES runs on each; a new page (the query page, a source document) is one name and one entry."""
from __future__ import annotations

from dataclasses import dataclass

from urllib.parse import urlencode

from browser import entities, searched
from browser.served import Served

NAMES = ("query", "person", "meeting", "source", "ontology", "not-found", "search", "search-refused")


@dataclass(frozen=True)
class Place:
    """A path on the server and the final status of loading it."""

    path: str
    status: int = 200


def places(server: Served) -> dict[str, Place]:
    """The places of NAMES on this server, the entities chosen from its graph."""
    person = entities.person(server)
    unknown = person.iri + "-not-in-the-graph"
    assert not server.select(f"SELECT * WHERE {{ {{ <{unknown}> ?p ?o }} UNION {{ ?s ?p <{unknown}> }} }} LIMIT 1")
    return {
        "query": Place("/"),
        "person": Place(person.path),
        "meeting": Place(entities.meeting(server).path),
        "source": Place(server.local(entities.source(server))),
        "ontology": Place("/ontology"),
        "not-found": Place(server.local(unknown), 404),
        # the results of a person's surname: names, quotes and source texts; and a search refused (stop words)
        "search": Place("/search?" + urlencode({"q": person.tr.split()[-1]})),
        "search-refused": Place("/search?" + urlencode({"q": searched.stop_words()}), 400),
    }
