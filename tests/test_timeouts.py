"""A query past its deadline is stopped (its process killed) and answered 503, while others are served."""
from __future__ import annotations

import csv
import io
import json
import threading
import time

import pyoxigraph as ox
import pytest

from conftest import TOKEN
from kg.config import Config
from kg.server import create_app, services
from kg.store.embedded import EmbeddedStore, load_directory

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"   # 400^4 solutions
FAST = "ASK { ?s ?p ?o }"


def filled_store(n: int = 400) -> ox.Store:
    store = ox.Store()
    store.extend([ox.Quad(ox.NamedNode(f"http://s/{i}"), ox.NamedNode("http://p"), ox.Literal(i),
                          ox.NamedNode("http://g")) for i in range(n)])
    return store


def app_for(store, **settings):
    return create_app(Config(write_token=TOKEN, **settings), store=store)


def test_runaway_query_is_killed_and_answered_503():
    app = app_for(EmbeddedStore(filled_store()), query_timeout=1.0, executors=1)
    pool = services(app).evaluator
    client = app.test_client()
    started = time.monotonic()
    r = client.post("/sparql", data=SLOW, content_type="application/sparql-query")
    assert r.status_code == 503 and b"ran longer than 1 s and was stopped" in r.data
    assert time.monotonic() - started < 3
    assert pool._live == {}                                     # the process that ran it is gone
    r = client.post("/sparql", data=FAST, content_type="application/sparql-query")
    assert r.status_code == 200 and r.data.endswith(b"true}")   # a fresh process answers the next one


def test_other_clients_are_served_while_a_query_runs_away():
    app = app_for(EmbeddedStore(filled_store()), query_timeout=3.0, executors=2)
    slow_status = []
    thread = threading.Thread(target=lambda: slow_status.append(
        app.test_client().post("/sparql", data=SLOW, content_type="application/sparql-query").status_code))
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    r = app.test_client().post("/sparql", data=FAST, content_type="application/sparql-query")
    assert r.status_code == 200 and time.monotonic() - started < 1.0
    thread.join()
    assert slow_status == [503]


def test_writes_are_seen_by_the_next_query():
    app = app_for(EmbeddedStore(filled_store(3)))
    client = app.test_client()
    count = lambda: client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
                               headers={"Accept": "text/csv"}).data.splitlines()[1]
    assert count() == b"3"
    assert client.post("/sparql", data="INSERT DATA { GRAPH <http://g> { <http://x> <http://p> 1 } }",
                       content_type="application/sparql-update",
                       headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 204
    assert count() == b"4"


def test_on_disk_store_queries_read_a_checkpoint(tmp_path):
    load_directory(tmp_path / "db", filled_store(5))
    store = EmbeddedStore(path=tmp_path / "db")
    app = app_for(store)
    client = app.test_client()
    q = {"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"}
    assert client.get("/sparql", query_string=q, headers={"Accept": "text/csv"}).data.splitlines()[1] == b"5"
    client.put("/store?graph=http://h", data="<http://a> <http://b> <http://c> .", content_type="text/turtle",
               headers={"Authorization": f"Bearer {TOKEN}"})
    assert client.get("/sparql", query_string=q, headers={"Accept": "text/csv"}).data.splitlines()[1] == b"6"
    pool = services(app).evaluator
    assert list(pool._checkpoints) == [store.version]            # the older checkpoint was removed
    pool.close()
    assert pool._checkpoints == {}


def test_real_server_stops_a_runaway_query(tmp_path):
    from conftest import http_sender, start_kg_serve, stop
    load_directory(tmp_path / "db", filled_store())
    proc, port = start_kg_serve("--store", str(tmp_path / "db"), "--timeout", "1")
    try:
        send = http_sender(port)
        status, _, body = send("POST", "/sparql", {"Content-Type": "application/sparql-query"}, SLOW.encode())
        assert status == 503 and b"stopped" in body
        status, _, _ = send("GET", "/health", {}, b"")
        assert status == 200
    finally:
        stop(proc)


def test_a_capped_answer_says_so():
    app = app_for(EmbeddedStore(filled_store(30)), max_rows=10)
    client = app.test_client()
    r = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and len(r.data.splitlines()) == 11
    assert r.headers["Kg-Result-Truncated"] == "true; limit=10"
    r = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 10"})
    assert "Kg-Result-Truncated" not in r.headers
    assert len(json.loads(r.data)["results"]["bindings"]) == 10


ROWS_OF = {"application/sparql-results+json": lambda body: len(json.loads(body)["results"]["bindings"]),
           "application/sparql-results+xml": lambda body: body.count(b"<result>") + body.count(b"<result/>"),
           "text/csv": lambda body: len(list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))) - 1,
           "text/tab-separated-values": lambda body: len(list(ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)))}


@pytest.mark.parametrize("accept", sorted(ROWS_OF))
@pytest.mark.parametrize("values, expected", [
    ("1 2 3 4 5", (5, None)),                       # exactly the cap: whole, not marked
    ("1 2 3 4 5 6", (5, "true; limit=5")),          # one more: cut and marked
    ('"a},{b" "c\\n,d" "<result>" "},{" "x"', (5, None)),   # values that look like row marks: still whole
    ('"a},{b" "c\\n,d" "<result>" "},{" "x" "y"', (5, "true; limit=5")),
    ("UNDEF UNDEF UNDEF UNDEF UNDEF UNDEF UNDEF", (5, "true; limit=5")),   # empty rows count too
    ("UNDEF 1 UNDEF", (3, None)),
])
def test_the_row_cap_is_exact_in_every_format(accept, values, expected):
    """Answers are written straight away unless they may pass the cap; only then cut, at exactly max_rows."""
    client = app_for(EmbeddedStore(ox.Store()), max_rows=5).test_client()
    r = client.get("/sparql", query_string={"query": f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} }}"},
                   headers={"Accept": accept})
    assert r.status_code == 200
    assert (ROWS_OF[accept](r.data), r.headers.get("Kg-Result-Truncated")) == expected


def test_capped_answers_keep_every_kind_of_term():
    store = ox.Store()
    g = ox.NamedNode("http://g")
    store.extend([ox.Quad(ox.BlankNode("b1"), ox.NamedNode("http://p"), ox.Literal("x", language="tr"), g),
                  ox.Quad(ox.NamedNode("http://s"), ox.NamedNode("http://p"), ox.Literal("2021-08-06", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")), g)])
    client = app_for(EmbeddedStore(store), max_rows=10).test_client()
    r = client.get("/sparql", query_string={"query": "SELECT ?s ?o ?unbound WHERE { GRAPH ?g { ?s ?p ?o } }"},
                   headers={"Accept": "application/sparql-results+xml"})
    assert b'xml:lang="tr"' in r.data and b"XMLSchema#date" in r.data and b"<bnode>" in r.data


def test_upload_size_limit():
    client = create_app(Config(empty=True, write_token=TOKEN, max_upload_bytes=100)).test_client()
    r = client.put("/store?default", data="<http://a> <http://b> \"" + "x" * 200 + "\" .", content_type="text/turtle",
                   headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413 and r.mimetype == "text/plain"


def _children(pid: int) -> set[int]:
    """The process's children, read from each of its threads (a thread that ends meanwhile has none)."""
    from pathlib import Path
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children |= {int(c) for c in (task / "children").read_text().split()}
        except FileNotFoundError:
            continue
    return children


def test_read_only_server_retires_the_process_of_a_runaway_query(tmp_path):
    """A read-only in-memory server evaluates in its HTTP processes: the overrunning one is answered 503 and replaced."""
    from conftest import http_sender, start_kg_serve, stop
    data = tmp_path / "data.nq"
    data.write_text(ox.serialize(filled_store(), format=ox.RdfFormat.N_QUADS).decode())
    proc, port = start_kg_serve("--empty", "--preload", str(data), "--timeout", "1", "--workers", "2", writable=False)
    try:
        before = _children(proc.pid)
        assert len(before) == 2
        send = http_sender(port)
        slow = []
        thread = threading.Thread(target=lambda: slow.append(
            http_sender(port)("POST", "/sparql", {"Content-Type": "application/sparql-query"}, SLOW.encode())))
        thread.start()
        time.sleep(0.3)
        status, _, body = send("POST", "/sparql", {"Content-Type": "application/sparql-query"}, FAST.encode())
        assert status == 200 and body.endswith(b"true}")        # served while the other query runs away
        thread.join(timeout=10)
        assert slow and slow[0][0] == 503 and b"stopped" in slow[0][2]
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not (len(_children(proc.pid)) == 2 and _children(proc.pid) != before):
            time.sleep(0.2)
        after = _children(proc.pid)
        assert len(after) == 2 and len(after & before) == 1     # the runaway's process was replaced, the other kept
        for _ in range(4):                                      # and every process answers again
            status, _, body = http_sender(port)("POST", "/sparql", {"Content-Type": "application/sparql-query"}, FAST.encode())
            assert status == 200
    finally:
        stop(proc)
