"""A real `kg serve` of the built graph in memory, read-only, on a free loopback port (tests/conftest.py's
start_kg_serve: `sys.executable -m kg`, so the checkout's code runs when PYTHONPATH points at it), and the
SPARQL answers the tests compute their expectations from."""
from __future__ import annotations

import contextlib
import fcntl
import json
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterator

import pyoxigraph as ox

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
        _, rows = self.solutions(PREFIXES + query)
        return [{name: term["value"] for name, term in row.items()} for row in rows]

    def answer(self, query: str, accept: str) -> bytes:
        """The endpoint's answer to a query as written, in the format asked for."""
        request = urllib.request.Request(self.url("/sparql?" + urllib.parse.urlencode({"query": query})),
                                         headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=60) as response:
            body: bytes = response.read()
        return body

    def solutions(self, query: str) -> tuple[list[str], list[dict[str, dict[str, str]]]]:
        """A SELECT as written (what a page sends): its variables and its solutions in SPARQL JSON terms."""
        answer = json.loads(self.answer(query, "application/sparql-results+json"))
        return answer["head"]["vars"], answer["results"]["bindings"]

    def triples(self, query: str) -> list[ox.Triple]:
        """A DESCRIBE or CONSTRUCT as written: its triples."""
        body = self.answer(query, "application/n-triples")
        return [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]

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


@contextlib.contextmanager
def shared(folder: Path, log: IO[bytes]) -> Iterator[Served]:
    """One server for every pytest-xdist worker of a run that shares `folder`: the first worker to ask starts it
    and, when its own session ends, waits until no other worker still uses it before stopping it. File locks
    (flock) are let go by the kernel when a worker dies, so a crashed worker blocks nobody."""
    info = folder / "kg-serve.json"
    with open(folder / "kg-serve.lock", "a") as gate, open(folder / "kg-serve.users", "a") as users:
        fcntl.flock(gate, fcntl.LOCK_EX)
        started = None
        if info.exists():
            running = Served(None, json.loads(info.read_text())["port"])
        else:
            running = started = start(log)
            info.write_text(json.dumps({"port": started.port}))
        fcntl.flock(users, fcntl.LOCK_SH)                   # a user until this worker's session ends
        fcntl.flock(gate, fcntl.LOCK_UN)
        try:
            yield running
        finally:
            if started is not None:
                fcntl.flock(gate, fcntl.LOCK_EX)            # nobody joins from here on
                fcntl.flock(users, fcntl.LOCK_EX)           # wait for the other users to leave
                info.unlink()
                started.stop()
