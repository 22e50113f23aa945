"""The store behind the CLI and the server: an embedded Oxigraph store (in memory or on disk)."""
from __future__ import annotations

import itertools
import threading
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from kg import deepstack
from kg.sparql import nesting
from kg.errors import InputError, KgError, QueryError, UpdateError  # noqa: F401 (UpdateError: kg.store.embedded's before)
from kg.store.judge import WriteJudge, graph_delta
from kg.errors import redact
from kg.vocab import PREFIXES
from kg.sparql.parse_errors import explain
from kg.sparql.lexer import mentions, tokens

DATASET_FILE = "dataset.nq"
# What the engine answers a query with: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).
EngineResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def memory_store(quads: Iterable[ox.Quad]) -> ox.Store:
    """A fresh in-memory store holding the given quads."""
    store = ox.Store()
    store.extend(list(quads))
    return store


def open_built(build_dir: Path) -> ox.Store:
    """Load a dataset written by `kg build` into memory."""
    path = Path(build_dir) / DATASET_FILE
    if not path.is_file():
        raise InputError(str(path), "no built dataset here; run `kg build` first")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    except SyntaxError as err:
        raise InputError(str(path), str(err.msg), err.lineno) from None
    return store


def load_directory(directory: Path, source: ox.Store) -> int:
    """Replace the contents of an on-disk Oxigraph store with the quads of `source`; returns their number."""
    target = ox.Store(str(directory))
    target.clear()
    target.bulk_extend(list(source))
    target.flush()
    target.optimize()
    return len(target)


def query(store: ox.Store, text: str, union_default_graph: bool = True, prefixes: bool = True,
          default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
          base_iri: str | None = None) -> EngineResult:
    """Run a SPARQL query with the project's prefixes predeclared. The dataset is the protocol's if it names one,
    else the query's own FROM / FROM NAMED (SPARQL 1.1 §13.2), else the union of the named graphs."""
    nesting.check(text, "query")
    default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
    named: list[ox.NamedNode | ox.BlankNode] | None = None
    if default_graphs or named_graphs:   # the protocol's dataset replaces FROM/FROM NAMED and the union default
        default = [ox.NamedNode(g) for g in default_graphs or []]
        named = [ox.NamedNode(g) for g in named_graphs or []]
    union = union_default_graph and default is None and not names_dataset(text)
    try:
        return store.query(text, prefixes=dict(PREFIXES) if prefixes else None, base_iri=base_iri,
                           use_default_graph_as_union=union, default_graph=default, named_graphs=named)
    except SyntaxError as err:
        raise QueryError("malformed query: " + explain(str(err), text, "query", tuple(PREFIXES) if prefixes else ())) from None
    except (OSError, ValueError, RuntimeError) as err:
        raise QueryError(f"query failed: {redact(str(err))}") from None


def names_dataset(text: str) -> bool:
    """Whether a query has a FROM or FROM NAMED clause (a keyword token, not a word in a string or an IRI)."""
    return mentions(text, "FROM") and any(tok.is_word("FROM") for tok in tokens(text))


class EmbeddedStore:
    """An Oxigraph store with a version counter, so caches and ETags know when the data changed."""

    def __init__(self, store: ox.Store | None = None, path: Path | None = None, gate: WriteJudge | None = None):
        if store is not None:
            self.oxigraph = store
        elif path is not None:
            self.oxigraph = ox.Store(str(path))
        else:
            self.oxigraph = ox.Store()
        self.path = Path(path) if path is not None else None
        self.gate = gate          # judges every write (kg.build.gate.ShapeGate), or None
        self._version = itertools.count(1)
        self.version = next(self._version)
        self.write_lock = threading.Lock()

    def query(self, text: str, *, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str | None = None) -> EngineResult:
        """Evaluate a query as the SPARQL protocol asks (no predeclared prefixes)."""
        return query(self.oxigraph, text, prefixes=False, default_graphs=default_graphs,
                     named_graphs=named_graphs, base_iri=base_iri)

    def update(self, text: str, *, base_iri: str | None = None) -> None:
        """Apply an update atomically, after the shape gate (if any) has accepted it; on any error nothing changes."""
        self._apply(text, base_iri, None)

    def _apply(self, text: str, base_iri: str | None, delta: tuple[list[ox.Quad], list[ox.Quad]] | None) -> None:
        nesting.check(text, "update")
        with self.write_lock:
            deepstack.call(self._judge_and_write, text, base_iri, delta)
            self.version = next(self._version)

    def _judge_and_write(self, text: str, base_iri: str | None,
                         delta: tuple[list[ox.Quad], list[ox.Quad]] | None) -> None:
        """The gate's verdict, then the write; every engine failure leaves the store as it was (one transaction)."""
        try:
            if self.gate is not None and delta is not None:
                self.gate.check_delta(self.oxigraph, *delta)
            elif self.gate is not None:
                self.gate.check_write(self.oxigraph, text, base_iri)
            self.oxigraph.update(text, base_iri=base_iri)
        except SyntaxError as err:
            raise QueryError("malformed update: " + explain(str(err), text, "update")) from None
        except (OSError, ValueError, RuntimeError) as err:     # RuntimeError: e.g. CREATE of a graph that exists
            raise UpdateError(f"update failed: {redact(str(err))}") from None

    def graph_exists(self, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
        """Whether the graph is there (the default graph always is)."""
        return isinstance(graph, ox.DefaultGraph) or self.oxigraph.contains_named_graph(graph)

    def triples(self, graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Triple]:
        """Every triple of one graph."""
        return [q.triple for q in self.oxigraph.quads_for_pattern(None, None, None, graph)]

    def put_graph(self, graph: ox.NamedNode | ox.DefaultGraph, triples: list[ox.Triple], merge: bool) -> None:
        """Replace (PUT) or merge into (POST) a graph in one atomic update."""
        body = _n_triples(triples).decode("utf-8") if triples else ""
        if isinstance(graph, ox.DefaultGraph):
            ops = [] if merge else ["DROP SILENT DEFAULT"]
            ops.append(f"INSERT DATA {{ {body} }}")
        else:
            ops = [] if merge else [f"DROP SILENT GRAPH <{graph.value}>"]
            ops += [f"CREATE SILENT GRAPH <{graph.value}>", f"INSERT DATA {{ GRAPH <{graph.value}> {{ {body} }} }}"]
        self._apply(" ;\n".join(ops), None, graph_delta(self.oxigraph, graph, triples, merge))

    def drop_graph(self, graph: ox.NamedNode | ox.DefaultGraph) -> None:
        """Remove a graph (or empty the default graph)."""
        self._apply("DROP DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"DROP GRAPH <{graph.value}>", None,
                    graph_delta(self.oxigraph, graph, [], merge=False))

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self.oxigraph.named_graphs())

    def __len__(self) -> int:
        return len(self.oxigraph)


def _n_triples(triples: list[ox.Triple]) -> bytes:
    """The triples written as N-Triples."""
    written = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert written is not None      # serialize() returns None only when given an output to write to
    return written
