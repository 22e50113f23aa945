"""A remote SPARQL 1.1 store (Oxigraph server, Virtuoso, Fuseki, GraphDB, QLever …) behind the same interface as the
embedded one. Where Virtuoso differs, kg.virtuoso says how; docs/remote-stores.md lists what the tests saw."""
from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from email.message import Message
from typing import Callable

import pyoxigraph as ox

from kg import __version__, deepstack, http
from kg.sparql import nesting
from kg.store import virtuoso
from kg.errors import KgError, QueryError, UpdateError
from kg.store.judge import WriteJudge, graph_delta
from kg.store.remote_view import RemoteView
from kg.sparql.lexer import tokens

USER_AGENT = f"kg/{__version__} (casd knowledge graph; SPARQL 1.1 client)"
RESULTS, XML_RESULTS = ox.QueryResultsFormat.JSON.media_type, ox.QueryResultsFormat.XML.media_type
TRIPLES = ox.RdfFormat.N_TRIPLES.media_type
# One media type per query form: Virtuoso ignores q-values (it answered CONSTRUCT with a results table).
ACCEPT_BY_FORM = {"SELECT": RESULTS, "ASK": RESULTS, "CONSTRUCT": TRIPLES, "DESCRIBE": TRIPLES}
_IRIREF = re.compile(r'[^<>"{}|^`\\\x00-\x20]+')   # what may stand between < and > in SPARQL
ERROR_EXCERPT = 2000   # characters of a backend's error message passed on to the client


class RemoteStoreError(KgError):
    """The remote store could not be reached or answered with a server error."""


@dataclass
class GraphResult:
    """A CONSTRUCT/DESCRIBE result fetched from a remote store, writable like pyoxigraph's."""

    triples: list[ox.Triple]
    is_graph = True

    def serialize(self, format: ox.RdfFormat) -> bytes:
        """The triples written in an RDF format, as pyoxigraph's QueryTriples.serialize writes them."""
        written = ox.serialize(self.triples, format=format)
        assert written is not None      # serialize() returns None only when given an output to write to
        return written


# What a remote store answers a query with: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).
RemoteResult = ox.QuerySolutions | ox.QueryBoolean | GraphResult


@dataclass(frozen=True)
class Endpoints:
    """Where the remote store answers queries, updates and the Graph Store Protocol."""

    query: str
    update: str
    graph_store: str
    dialect: str = "sparql11"     # or "virtuoso"

    @classmethod
    def from_url(cls, url: str) -> "Endpoints":
        """Virtuoso's layout (/sparql, /sparql-graph-crud), Oxigraph's and Fuseki's (…/query, …/update, …/store or
        …/data); otherwise one URL for all."""
        if virtuoso.is_endpoint(url):
            return cls(url, url, virtuoso.graph_store(url), "virtuoso")
        base, _, last = url.rstrip("/").rpartition("/")
        if last in ("query", "sparql"):
            store = "store" if last == "query" else "data"
            return cls(url, f"{base}/update", f"{base}/{store}")
        return cls(url, url, url)


class RemoteStore:
    """Speaks the SPARQL 1.1 Protocol, Update and Graph Store Protocol to another server."""

    version = None   # the remote data may change behind our back: no ETags

    def __init__(self, endpoints: Endpoints, timeout: float = 60.0, gate: WriteJudge | None = None):
        self.endpoints = endpoints
        self.timeout = timeout
        self.gate = gate          # judges every write before it is sent (kg.build.gate.ShapeGate), or None
        self.virtuoso = endpoints.dialect == "virtuoso"
        self.union_default_graph = self.virtuoso     # the default graph is the union: none of its own to hold data
        self._own_graphs: list[str] | None = None

    # -- SPARQL

    def query(self, text: str, *, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str | None = None) -> RemoteResult:
        """The store's answer, whole: RemoteStoreError if the store cut it at its row limit."""
        result, cut = self.answer(text, default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri)
        if cut is not None:
            raise RemoteStoreError(f"the store cut its answer at {cut} rows (its own limit, such as Virtuoso's "
                                   "ResultSetMaxRows)")
        return result

    def answer(self, text: str, *, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
               base_iri: str | None = None) -> tuple[RemoteResult, int | None]:
        """The store's answer, and the row limit it was cut at (None if whole, as far as the store says)."""
        fields = [("query", _with_base(text, base_iri))] + [("default-graph-uri", g) for g in default_graphs or []] \
            + [("named-graph-uri", g) for g in named_graphs or []]
        form = query_form(text)
        if form is None:     # Virtuoso would carry out an update sent as a query, past the token and the gate
            raise QueryError("not a SPARQL query: after its PREFIX and BASE declarations a query begins with "
                             "SELECT, ASK, CONSTRUCT or DESCRIBE")
        accept = ACCEPT_BY_FORM[form]
        if accept == RESULTS and self.virtuoso:
            accept = XML_RESULTS         # Virtuoso's JSON gives a stored xsd:boolean true as "1"; its XML as "true"
        request = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        status, media, body, headers = self._send("POST", self.endpoints.query,
                                                  urllib.parse.urlencode(fields).encode(), request)
        if status >= 400:
            raise QueryError(f"the store refused the query ({status}): {_excerpt(body)}")
        cap = headers.get(virtuoso.MAX_ROWS_HEADER, "")
        cut = int(cap) if cap.strip().isdigit() else None
        fmt = {RESULTS: ox.QueryResultsFormat.JSON, XML_RESULTS: ox.QueryResultsFormat.XML}.get(media)
        try:
            if media == TRIPLES or media == "text/plain":
                return GraphResult(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))), cut
            if fmt is not None:
                if self.virtuoso:
                    body = virtuoso.readable_results(body)
                return ox.parse_query_results(body, format=fmt), cut
        except (SyntaxError, ValueError) as err:      # e.g. a relative IRI the store kept as it was given
            raise RemoteStoreError(f"the store's answer cannot be read: {err}") from None
        raise RemoteStoreError(f"the store answered a query with {media or 'no media type'}")

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
        if self.virtuoso:
            rewritten = virtuoso.rewrite_update(text, self.named_graphs)
            if rewritten is None:
                return
            text = rewritten
        status, _, body, _ = self._send("POST", self.endpoints.update, _with_base(text, base_iri).encode("utf-8"),
                                        {"Content-Type": "application/sparql-update", "Accept": RESULTS})
        if status >= 400:
            raise UpdateError(f"the store refused the update ({status}): {_excerpt(body)}")

    def select(self, text: str) -> ox.QuerySolutions:
        """The solutions of a SELECT query, whole; RemoteStoreError if the store answered with something else."""
        result = self.query(text)
        if not isinstance(result, ox.QuerySolutions):
            raise RemoteStoreError(f"the store answered a SELECT query with {type(result).__name__}")
        return result

    # -- Graph Store Protocol

    def graph_exists(self, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
        """Whether the graph is there (the default graph always is)."""
        if isinstance(graph, ox.DefaultGraph):
            return True
        if not self.virtuoso:            # Virtuoso's graph store has no HEAD (501)
            status, _, _, _ = self._send("HEAD", self._graph_url(graph), None, {"Accept": TRIPLES})
            if status not in (405, 501):
                return status == 200
        return bool(self.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))   # not GRAPH g {}: Virtuoso says yes

    def triples(self, graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Triple]:
        """The graph's triples, all of them (RemoteStoreError if the store would send only some)."""
        if self.union_default_graph and isinstance(graph, ox.DefaultGraph):
            return []                    # no default graph of its own: nothing can be in it
        status, _, body, _ = self._send("GET", self._graph_url(graph), None, {"Accept": TRIPLES})
        if status == 404:
            return []
        if status >= 400:
            raise RemoteStoreError(f"the store could not return the graph ({status}): {_excerpt(body)}")
        triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        if self.virtuoso:                # Virtuoso cuts a graph at ResultSetMaxRows + 1, and says nothing
            total = self._count(f"GRAPH {graph} {{ ?s ?p ?o }}")
            if len(triples) < total:
                raise RemoteStoreError(f"the store sent {len(triples)} of the {total} triples of the graph (it "
                                       "cuts answers at its ResultSetMaxRows)")
        return triples

    def put_graph(self, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph, triples: list[ox.Triple],
                  merge: bool) -> None:
        """Replace the graph with the triples (or add them, with merge), once the gate (if any) allows it. (push()
        sends a graph named by a blank node under its label.)"""
        if self.union_default_graph and isinstance(graph, ox.DefaultGraph):
            raise UpdateError("this store (Virtuoso) has no default graph of its own: write to a named graph")
        if self.gate is not None:
            view = RemoteView(self)
            self.gate.check_delta(view, *graph_delta(view, graph, triples, merge))
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
        status, _, answer, _ = self._send("POST" if merge else "PUT", self._graph_url(graph), body,
                                          {"Content-Type": TRIPLES})
        if status >= 400:
            raise UpdateError(f"the store refused the graph ({status}): {_excerpt(answer)}")

    def drop_graph(self, graph: ox.NamedNode | ox.DefaultGraph) -> None:
        """Delete the graph, once the gate (if any) allows it; a graph that is not there is no error."""
        if self.union_default_graph and isinstance(graph, ox.DefaultGraph):
            return                       # no default graph of its own: it is always empty
        if self.gate is not None:
            view = RemoteView(self)
            self.gate.check_delta(view, *graph_delta(view, graph, [], merge=False))
        status, _, body, _ = self._send("DELETE", self._graph_url(graph), None, {})
        if status >= 400 and status != 404:
            raise UpdateError(f"the store could not delete the graph ({status}): {_excerpt(body)}")

    def named_graphs(self) -> list[str]:
        """The named graphs (on Virtuoso: those holding triples, less the store's own)."""
        if not self.virtuoso:
            return sorted(s["g"].value for s in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"))
        own = set(self.own_graphs())      # and not GRAPH ?g {}: Virtuoso answers it with one unbound row
        # GROUP BY, not DISTINCT: Virtuoso 7.2 takes 12 s for DISTINCT ?g over 15,000 quads, no time for this
        result = self.select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sorted(s["g"].value for s in result if s["g"].value not in own)

    def own_graphs(self) -> list[str]:
        """The graphs the store keeps for itself (Virtuoso's), left out of what kg lists and counts."""
        if not self.virtuoso:
            return []
        if self._own_graphs is None:
            found = [s["g"].value for s in self.select(virtuoso.SERVICE_GRAPHS)]
            self._own_graphs = sorted(set(virtuoso.OWN_GRAPHS) | set(found))
        return self._own_graphs

    def __len__(self) -> int:
        return self._count(f"GRAPH ?g {{ ?s ?p ?o }} {virtuoso.not_in(self.own_graphs())}")

    def _count(self, pattern: str) -> int:
        result = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        return int(next(iter(result))["n"].value)

    def push(self, source: ox.Store, progress: Callable[[str, int, int], object] | None = None) -> int:
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

    def _graph_url(self, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
        query = "default" if isinstance(graph, ox.DefaultGraph) else urllib.parse.urlencode({"graph": graph.value})
        return f"{self.endpoints.graph_store}?{query}"

    def _send(self, method: str, url: str, body: bytes | None,
              headers: dict[str, str]) -> tuple[int, str, bytes, Message]:
        """One exchange, all of it (connecting, waiting, reading) within the store's timeout:
        (status, media type, body, response headers)."""
        try:
            answer = http.exchange(method, url, body, {"User-Agent": USER_AGENT, **headers}, self.timeout)
        except http.Unreachable as err:
            if err.late:
                raise RemoteStoreError(f"the store at {url} did not finish answering in time ({err.reason})") from None
            raise RemoteStoreError(f"cannot reach the store at {url}: {err.reason}") from None
        return answer.status, answer.media_type, answer.body, answer.headers


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the keyword that follows the prologue; None if it is none of them."""
    toks, i = tokens(text), 0
    while i < len(toks) and toks[i].is_word("BASE", "PREFIX"):
        i += 2 if toks[i].is_word("BASE") else 3
    if i < len(toks) and toks[i].is_word("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        return toks[i].text.upper()
    return None


def _with_base(text: str, base_iri: str | None) -> str:
    """The request with kg's endpoint as its base IRI (its own BASE, if any, still applies after it): a store
    would otherwise resolve relative IRIs against its own URL, or (Virtuoso) keep them relative. On the first
    line, so the store's error positions still hold."""
    return f"BASE <{base_iri}> {text}" if base_iri and _IRIREF.fullmatch(base_iri) else text


def _excerpt(body: bytes) -> str:
    return body.decode("utf-8", errors="replace").strip()[:ERROR_EXCERPT]
