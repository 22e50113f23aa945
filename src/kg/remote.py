"""A remote SPARQL 1.1 store (Oxigraph server, Fuseki, GraphDB, QLever …) behind the same interface as the embedded one."""
from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox

from kg import __version__, deepstack, nesting
from kg.errors import KgError, QueryError
from kg.gate import graph_delta
from kg.store import UpdateError

USER_AGENT = f"kg/{__version__} (casd knowledge graph; SPARQL 1.1 client)"
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
ERROR_EXCERPT = 2000   # characters of a backend's error message passed on to the client


class RemoteStoreError(KgError):
    """The remote store could not be reached or answered with a server error."""


@dataclass
class GraphResult:
    """A CONSTRUCT/DESCRIBE result fetched from a remote store, writable like pyoxigraph's."""

    triples: list
    is_graph = True

    def serialize(self, format) -> bytes:
        return ox.serialize(self.triples, format=format)


@dataclass(frozen=True)
class Endpoints:
    """Where the remote store answers queries, updates and the Graph Store Protocol."""

    query: str
    update: str
    graph_store: str

    @classmethod
    def from_url(cls, url: str) -> "Endpoints":
        """Oxigraph's and Fuseki's layouts (…/query, …/update, …/store or …/data); otherwise one URL for all."""
        base, _, last = url.rstrip("/").rpartition("/")
        if last in ("query", "sparql"):
            store = "store" if last == "query" else "data"
            return cls(url, f"{base}/update", f"{base}/{store}")
        return cls(url, url, url)


class RemoteStore:
    """Speaks the SPARQL 1.1 Protocol, Update and Graph Store Protocol to another server."""

    version = None   # the remote data may change behind our back: no ETags

    def __init__(self, endpoints: Endpoints, timeout: float = 60.0, gate=None):
        self.endpoints = endpoints
        self.timeout = timeout
        self.gate = gate          # a kg.gate.ShapeGate that judges every write before it is sent, or None

    # -- SPARQL

    def query(self, text: str, *, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str | None = None):
        fields = [("query", text)] + [("default-graph-uri", g) for g in default_graphs or []] \
            + [("named-graph-uri", g) for g in named_graphs or []]
        status, media, body = self._send("POST", self.endpoints.query, urllib.parse.urlencode(fields).encode(),
                                         {"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT})
        if status >= 400:
            raise QueryError(f"the store refused the query ({status}): {_excerpt(body)}")
        if media == "application/n-triples" or media == "text/plain":
            return GraphResult(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)))
        fmt = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
               "application/sparql-results+xml": ox.QueryResultsFormat.XML}.get(media)
        if fmt is None:
            raise RemoteStoreError(f"the store answered a query with {media or 'no media type'}")
        return ox.parse_query_results(body, format=fmt)

    def update(self, text: str, *, base_iri: str | None = None) -> None:
        """Send an update, once the shape gate (if any) has judged it on the remote data it touches."""
        nesting.check(text, "update")
        if self.gate is not None:
            try:
                deepstack.call(self.gate.check_write, RemoteView(self), text, base_iri)
            except SyntaxError as err:
                raise QueryError(f"malformed update: {err}") from None
            except (ValueError, RuntimeError) as err:          # the engine refused it on the copy
                raise UpdateError(f"update failed: {err}") from None
        status, _, body = self._send("POST", self.endpoints.update, text.encode("utf-8"),
                                     {"Content-Type": "application/sparql-update"})
        if status >= 400:
            raise UpdateError(f"the store refused the update ({status}): {_excerpt(body)}")

    # -- Graph Store Protocol

    def graph_exists(self, graph) -> bool:
        if isinstance(graph, ox.DefaultGraph):
            return True
        status, _, _ = self._send("HEAD", self._graph_url(graph), None, {"Accept": "application/n-triples"})
        return status == 200

    def triples(self, graph) -> list:
        status, _, body = self._send("GET", self._graph_url(graph), None, {"Accept": "application/n-triples"})
        if status == 404:
            return []
        if status >= 400:
            raise RemoteStoreError(f"the store could not return the graph ({status}): {_excerpt(body)}")
        return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]

    def put_graph(self, graph, triples: list, merge: bool) -> None:
        if self.gate is not None:
            view = RemoteView(self)
            self.gate.check_delta(view, *graph_delta(view, graph, triples, merge))
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
        status, _, answer = self._send("POST" if merge else "PUT", self._graph_url(graph), body,
                                       {"Content-Type": "application/n-triples"})
        if status >= 400:
            raise UpdateError(f"the store refused the graph ({status}): {_excerpt(answer)}")

    def drop_graph(self, graph) -> None:
        if self.gate is not None:
            view = RemoteView(self)
            self.gate.check_delta(view, *graph_delta(view, graph, [], merge=False))
        status, _, body = self._send("DELETE", self._graph_url(graph), None, {})
        if status >= 400 and status != 404:
            raise UpdateError(f"the store could not delete the graph ({status}): {_excerpt(body)}")

    def named_graphs(self) -> list[str]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(s["g"].value for s in result)

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(result))["n"].value)

    def push(self, source: ox.Store, progress=None) -> int:
        """Replace each named graph of the remote store with the one in `source`; returns the triples sent.

        `progress(graph, triples_sent, total)` is called after each graph, for a progress display.
        """
        total, sent = len(source), 0
        for graph in sorted(source.named_graphs(), key=lambda g: g.value):
            triples = [q.triple for q in source.quads_for_pattern(None, None, None, graph)]
            self.put_graph(graph, triples, merge=False)
            sent += len(triples)
            if progress is not None:
                progress(graph.value, sent, total)
        return sent

    # -- HTTP

    def _graph_url(self, graph) -> str:
        query = "default" if isinstance(graph, ox.DefaultGraph) else urllib.parse.urlencode({"graph": graph.value})
        return f"{self.endpoints.graph_store}?{query}"

    def _send(self, method: str, url: str, body: bytes | None, headers: dict) -> tuple[int, str, bytes]:
        """One exchange, all of it (connecting, waiting, reading) within the store's timeout."""
        deadline = time.monotonic() + self.timeout
        request = urllib.request.Request(url, data=body, method=method, headers={"User-Agent": USER_AGENT, **headers})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, _media(response.headers), _read_by(response, deadline, url)
        except urllib.error.HTTPError as err:
            return err.code, _media(err.headers), _read_by(err, deadline, url)
        except (urllib.error.URLError, OSError) as err:
            raise RemoteStoreError(f"cannot reach the store at {url}: {getattr(err, 'reason', err)}") from None


def _read_by(response, deadline: float, url: str) -> bytes:
    """The whole body, or RemoteStoreError once the deadline passes (a store sending a byte now and then
    would otherwise reset a per-read timeout forever)."""
    sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RemoteStoreError(f"the store at {url} did not finish answering in time")
        if sock is not None:
            sock.settimeout(remaining)
        try:
            chunk = response.read1(1 << 16)
        except (TimeoutError, OSError) as err:
            raise RemoteStoreError(f"the store at {url} did not finish answering in time ({err})") from None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


class RemoteView:
    """The remote store as the shape gate reads a store: quads by pattern, membership, all quads.

    The check and the write are two exchanges, not one transaction: a write by another client of the remote
    store in between is not seen. Blank nodes cannot be named across requests, so a pattern on one matches
    nothing here, and a quad with one is never taken as already present (it is always judged).
    """

    def __init__(self, remote: RemoteStore):
        self.remote = remote

    def quads_for_pattern(self, s, p, o, g=None) -> list[ox.Quad]:
        if any(isinstance(t, ox.BlankNode) for t in (s, p, o, g)):
            return []
        triple = " ".join(str(t) if t is not None else v for t, v in ((s, "?s"), (p, "?p"), (o, "?o")))
        if isinstance(g, ox.DefaultGraph):
            where = triple
        elif g is not None:
            where = f"GRAPH {g} {{ {triple} }}"
        else:
            where = f"{{ GRAPH ?g {{ {triple} }} }} UNION {{ {triple} }}"
        rows = self.remote.query(f"SELECT ?g ?s ?p ?o WHERE {{ {where} }}")
        return [ox.Quad(*(given if given is not None else row[name] for given, name in ((s, "s"), (p, "p"), (o, "o"))),
                        g if g is not None else row["g"] or ox.DefaultGraph())
                for row in rows]

    def __contains__(self, quad: ox.Quad) -> bool:
        if any(isinstance(t, ox.BlankNode) for t in (quad.subject, quad.object, quad.graph_name)):
            return False
        triple = f"{quad.subject} {quad.predicate} {quad.object}"
        where = triple if isinstance(quad.graph_name, ox.DefaultGraph) else f"GRAPH {quad.graph_name} {{ {triple} }}"
        return bool(self.remote.query(f"ASK {{ {where} }}"))

    def __iter__(self):
        return iter(self.quads_for_pattern(None, None, None))


def _media(headers) -> str:
    return (headers.get("Content-Type") or "").split(";")[0].strip().lower()


def _excerpt(body: bytes) -> str:
    return body.decode("utf-8", errors="replace").strip()[:ERROR_EXCERPT]
