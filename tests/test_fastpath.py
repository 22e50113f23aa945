"""The fast path answers plain queries exactly as the /sparql view does, and leaves every other request to it."""
from __future__ import annotations

import gzip

import pyoxigraph as ox
import pytest
from flask import Response
from werkzeug.test import Client

from kg.config import Config
from kg.server import create_app

ROWS = "SELECT ?s ?o WHERE { GRAPH ?g { ?s <http://p> ?o } } ORDER BY ?o"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    data = tmp_path_factory.mktemp("fast") / "data.nq"
    quads = [ox.Quad(ox.NamedNode(f"http://s/{i}"), ox.NamedNode("http://p"), ox.Literal(f"value {i}", language="tr"),
                     ox.NamedNode(f"http://g/{i % 3}")) for i in range(300)]
    data.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return create_app(Config(empty=True, preload=(data,), max_query_length=2000, client_rate=1e9, client_burst=10**9))


def both(app, method, path, **kw):
    """The same request through the fast path and through Flask alone."""
    fast = Client(app.wsgi_app, Response).open(path, method=method, **kw)
    view = Client(app.wsgi_app.next, Response).open(path, method=method, **kw)
    return fast, view


PLAIN = [
    ("GET", "/sparql", {"query_string": {"query": "ASK { ?s ?p ?o }"}}),
    ("GET", "/sparql", {"query_string": {"query": ROWS, "format": "csv"}}),
    ("GET", "/sparql", {"query_string": {"query": ROWS, "default-graph-uri": "http://g/1"}}),
    ("POST", "/sparql?default-graph-uri=http://g/2", {"data": {"query": "SELECT ?s { ?s ?p ?o } LIMIT 3"}, "content_type": FORM}),
    ("POST", "/sparql", {"data": {"query": ROWS, "named-graph-uri": "http://g/0"}, "content_type": FORM,
                         "headers": {"Accept": "application/sparql-results+xml"}}),
    ("POST", "/sparql", {"data": ROWS, "content_type": "application/sparql-query; charset=utf-8",
                         "headers": {"Accept": "text/tab-separated-values"}}),
    ("POST", "/sparql", {"data": "CONSTRUCT WHERE { GRAPH ?g { ?s ?p ?o } }", "content_type": "application/sparql-query",
                         "headers": {"Accept": "application/n-triples"}}),
    ("GET", "/sparql", {"query_string": {"query": "SELECT (<rel> AS ?i) {}"}}),                 # base IRI
    ("GET", "/sparql", {"query_string": {"query": ROWS}, "headers": {"Accept": "text/turtle"}}),     # 406
    ("GET", "/sparql", {"query_string": {"query": "SELECT ?s WHERE { ?s ?p }"}}),                    # 400
    ("GET", "/sparql", {"query_string": {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}}),  # 403
    ("GET", "/sparql", {"query_string": {"query": "ASK {} " + "#" * 3000}}),                         # 413
    ("GET", "/sparql", {"query_string": {"query": ROWS}, "headers": {"Accept-Encoding": "gzip"}}),
]


@pytest.mark.parametrize("method, path, kw", PLAIN)
def test_plain_queries_get_the_same_answer_on_both_paths(app, method, path, kw):
    fast, view = both(app, method, path, **kw)
    assert (fast.status_code, fast.get_data()) == (view.status_code, view.get_data())
    assert sorted(fast.headers.items()) == sorted(view.headers.items())


def test_the_fast_path_answers_plain_queries_itself(app, monkeypatch):
    def refuse(environ, start_response):
        raise AssertionError("reached Flask")
    monkeypatch.setattr(app.wsgi_app, "next", refuse)
    client = app.test_client()
    for method, path, kw in PLAIN:
        assert client.open(path, method=method, **kw).status_code in (200, 400, 403, 406, 413)


def test_conditional_and_compressed_answers(app):
    client = app.test_client()
    first = client.get("/sparql", query_string={"query": ROWS}, headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip" and b"value 1" in gzip.decompress(first.data)
    again = client.get("/sparql", query_string={"query": ROWS}, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


OTHERS = [
    ("GET", "/sparql", {}),                                                                    # service description
    ("GET", "/sparql", {"query_string": [("query", "ASK {}"), ("query", "ASK {}")]}),           # 400: two queries
    ("POST", "/sparql", {"data": {"update": "CLEAR ALL"}, "content_type": FORM}),             # 403: read-only
    ("POST", "/sparql", {"data": "ASK {}", "content_type": "application/sparql-query; charset=latin-1"}),   # 415
    ("POST", "/sparql", {"data": "ASK {}", "content_type": "text/plain"}),                     # 415
    ("OPTIONS", "/sparql", {}),
    ("GET", "/health", {}),
]


@pytest.mark.parametrize("method, path, kw", OTHERS)
def test_other_requests_reach_flask_unchanged(app, monkeypatch, method, path, kw):
    reached = []
    inner = app.wsgi_app.next
    monkeypatch.setattr(app.wsgi_app, "next", lambda environ, start: reached.append(1) or inner(environ, start))
    fast, view = both(app, method, path, **kw)
    assert reached and (fast.status_code, fast.mimetype) == (view.status_code, view.mimetype)
    if fast.mimetype == "text/plain":               # errors and health: the same words (the service
        assert fast.get_data() == view.get_data()   # description's blank nodes differ from call to call)
