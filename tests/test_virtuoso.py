"""What kg does where Virtuoso differs from SPARQL 1.1 (kg.virtuoso; docs/remote-stores.md): through
`kg serve --store http://…/sparql` in front of a real Virtuoso, and the update rewriting on its own."""
from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from conftest import TOKEN, http_sender
from kg.store.remote import Endpoints
from kg.store.virtuoso import rewrite_update

AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE = {**AUTH, "Content-Type": "application/sparql-update"}
VIRTRDF = "http://www.openlinksw.com/schemas/virtrdf#"


def _direct(port: int, query: str) -> dict:
    """A query sent straight to Virtuoso (not through kg), its JSON answer."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/sparql?query={urllib.parse.quote(query)}",
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as r:
        return json.loads(r.read())


def _insert(send, graphs: list[str]) -> None:
    text = " ".join(f"GRAPH <{g}> {{ <http://example.org/s> <http://example.org/p> \"in {g}\" }}" for g in graphs)
    status, _, body = send("POST", "/sparql", UPDATE, f"INSERT DATA {{ {text} }}".encode())
    assert status == 204, body


# ---------------------------------------------------------------- the update rewriting, without a server

def test_drop_all_becomes_a_clear_of_each_graph():
    assert rewrite_update("DROP ALL", lambda: ["http://a", "http://b"]) == \
        "CLEAR SILENT GRAPH <http://a> ;\nCLEAR SILENT GRAPH <http://b>"
    assert rewrite_update("clear silent named", lambda: ["http://a"]) == "CLEAR SILENT GRAPH <http://a>"
    assert rewrite_update("DROP ALL", lambda: []) is None


def test_drop_graph_becomes_clear_and_default_is_left_out_with_the_prologue_kept():
    text = ("PREFIX ex: <http://example.org/> DROP SILENT GRAPH ex:g ; CLEAR DEFAULT ; "
            "INSERT DATA { GRAPH ex:h { ex:s ex:p 1 } }")
    assert rewrite_update(text, lambda: pytest.fail("no graph list needed")) == \
        "PREFIX ex: <http://example.org/> CLEAR SILENT GRAPH ex:g ;\nINSERT DATA { GRAPH ex:h { ex:s ex:p 1 } } "


def test_other_updates_go_as_they_are():
    text = 'INSERT DATA { GRAPH <http://g> { <http://s> <http://p> "DROP ALL" } }'
    assert rewrite_update(text, lambda: pytest.fail("no graph list needed")) is text


def test_virtuosos_layout_is_told_from_the_url():
    e = Endpoints.from_url("http://127.0.0.1:8890/sparql")
    base = "http://127.0.0.1:8890"
    assert (e.query, e.update, e.graph_store, e.dialect) == (
        f"{base}/sparql", f"{base}/sparql", f"{base}/sparql-graph-crud", "virtuoso")
    assert Endpoints.from_url("http://127.0.0.1:3030/ds/sparql").dialect == "sparql11"


# ---------------------------------------------------------------- through kg serve, in front of a real Virtuoso

def test_drop_all_through_kg_empties_the_data_and_keeps_virtuosos_own_graphs(virtuoso_server, virtuoso_kg_server):
    """Virtuoso takes DROP ALL as a no-op (and says it was done); kg clears each graph instead."""
    send = http_sender(virtuoso_kg_server)
    _insert(send, ["http://example.org/a", "http://example.org/b"])
    status, _, body = send("POST", "/sparql", UPDATE, b"DROP ALL")
    assert status == 204, body
    assert not _direct(virtuoso_server, "ASK { GRAPH ?g { <http://example.org/s> ?p ?o } }")["boolean"]
    assert _direct(virtuoso_server, f"ASK {{ GRAPH <{VIRTRDF}> {{ ?s ?p ?o }} }}")["boolean"]


def test_drop_graph_through_kg_drops_a_graph_never_created(virtuoso_server, virtuoso_kg_server):
    """Virtuoso refuses DROP GRAPH (500) for a graph that INSERT DATA made; kg sends CLEAR GRAPH."""
    send = http_sender(virtuoso_kg_server)
    _insert(send, ["http://example.org/c"])
    status, _, body = send("POST", "/sparql", UPDATE, b"DROP GRAPH <http://example.org/c>")
    assert status == 204, body
    assert not _direct(virtuoso_server, "ASK { GRAPH <http://example.org/c> { ?s ?p ?o } }")["boolean"]


def test_health_and_service_description_leave_out_virtuosos_own_graphs(virtuoso_kg_server):
    send = http_sender(virtuoso_kg_server)
    send("POST", "/sparql", UPDATE, b"DROP ALL")
    _insert(send, ["http://example.org/d"])
    status, _, body = send("GET", "/health", {}, b"")
    assert status == 200 and body == b"ok 1 quads\n"
    status, _, body = send("GET", "/sparql", {"Accept": "application/n-triples"}, b"")
    assert status == 200 and b"<http://example.org/d>" in body and VIRTRDF.encode() not in body


def test_the_default_graph_of_the_graph_store(virtuoso_kg_server):
    """Virtuoso has no default graph of its own (its graph store answers ?default with a 500): kg reads it as
    empty, deletes it as a no-op, and refuses a write into it with a message that says why."""
    send = http_sender(virtuoso_kg_server)
    status, headers, body = send("GET", "/store?default", {"Accept": "application/n-triples"}, b"")
    assert status == 200 and body.strip() == b""
    assert send("DELETE", "/store?default", AUTH, b"")[0] == 204
    status, _, body = send("PUT", "/store?default", {**AUTH, "Content-Type": "application/n-triples"},
                           b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    assert status == 400 and b"no default graph of its own" in body


def test_an_answer_cut_at_resultsetmaxrows_is_never_passed_on_as_whole(virtuoso_server, virtuoso_kg_server):
    """Virtuoso cuts answers at ResultSetMaxRows (10000 here, as Debian ships it): a SELECT says so in a header,
    which kg passes on as Kg-Result-Truncated; a graph store read (cut at 10001 triples) does not, so kg counts
    and refuses it (502)."""
    graph = "http://example.org/big"
    lines = "".join(f"<http://example.org/n{i}> <http://example.org/p> \"{i}\" .\n" for i in range(10500))
    crud = f"http://127.0.0.1:{virtuoso_server}/sparql-graph-crud?graph={urllib.parse.quote(graph, safe='')}"
    put = urllib.request.Request(crud, data=lines.encode(), method="PUT",
                                 headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(put, timeout=60).close()
    send = http_sender(virtuoso_kg_server)
    try:
        q = urllib.parse.quote(f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        status, headers, body = send("GET", f"/sparql?query={q}", {"Accept": "text/csv"}, b"")
        assert status == 200 and headers.get("kg-result-truncated") == "true; limit=10000"
        assert len(body.splitlines()) == 10001           # the header line and the 10000 rows Virtuoso sent
        status, _, body = send("GET", f"/store?graph={graph}", {"Accept": "application/n-triples"}, b"")
        assert status == 502 and b"of the 10500 triples" in body
    finally:
        urllib.request.urlopen(urllib.request.Request(crud, method="DELETE"), timeout=60).close()
