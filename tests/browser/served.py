"""A real `kg serve` of the built graph in memory, read-only, on a free loopback port (tests/conftest.py's
start_kg_serve: `sys.executable -m kg`, so the checkout's code runs when PYTHONPATH points at it), and the
SPARQL answers the tests compute their expectations from."""
from __future__ import annotations

import json
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import IO, Any

from conftest import start_kg_serve, stop

PREFIXES = """PREFIX casd: <https://w3id.org/casd/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


@dataclass
class Served:
    """One running server."""

    process: Any
    port: int

    @property
    def origin(self) -> str:
        """scheme://host:port, as the pages link to it (no --base-url)."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """The absolute URL of a path on the server."""
        return self.origin + path

    def select(self, query: str) -> list[dict[str, str]]:
        """A SELECT over the served graph (the casd and rdfs prefixes declared): each solution's values as text."""
        request = urllib.request.Request(self.url("/sparql?" + urllib.parse.urlencode({"query": PREFIXES + query})),
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.load(response)
        return [{name: term["value"] for name, term in row.items()} for row in answer["results"]["bindings"]]

    def local(self, iri: str) -> str:
        """The server path of an IRI under https://w3id.org/casd/."""
        base = "https://w3id.org/casd/"
        assert iri.startswith(base), iri
        return "/" + iri[len(base):]

    def stop(self) -> None:
        """Stop the server (SIGTERM, then wait)."""
        stop(self.process)


def start(log: IO[bytes], *args: str) -> Served:
    """`kg serve ARGS` (the built graph in memory unless ARGS say otherwise), read-only, its access log to `log`."""
    process, port = start_kg_serve(*args, writable=False, log=log)
    return Served(process, port)
