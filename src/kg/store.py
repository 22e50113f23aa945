"""The embedded Oxigraph store that holds the built dataset and answers SPARQL."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from kg.errors import InputError, QueryError
from kg.namespaces import PREFIXES

DATASET_FILE = "dataset.nq"


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


def query(store: ox.Store, text: str, union_default_graph: bool = True, prefixes: bool = True):
    """Run a SPARQL query with the project's prefixes predeclared; the default graph is the union of the named graphs."""
    try:
        return store.query(text, prefixes=dict(PREFIXES) if prefixes else None,
                           use_default_graph_as_union=union_default_graph)
    except SyntaxError as err:
        raise QueryError(f"malformed query: {err}") from None
    except OSError as err:
        raise QueryError(f"query failed: {err}") from None
