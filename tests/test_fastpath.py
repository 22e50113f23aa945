"""The fast path answers plain queries exactly as the /sparql view does, and leaves every other request to it;
both read the request with the one reader (kg.server.operation) and finish it with the one finisher."""
from __future__ import annotations

import gzip

import pyoxigraph as ox
import pytest
from flask import Response
from werkzeug.test import Client, EnvironBuilder

from kg.config import Config
from kg.server import ROUTES, create_app, operation, queries
from kg.server.fastpath import QueryFastPath

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


def test_the_routes_table_shows_the_fast_route_and_create_app_serves_it(app):
    [front] = [r for r in ROUTES if r.front]
    assert (front.rule, front.endpoint, front.methods) == ("/sparql", "sparql", ["GET", "POST"])
    assert isinstance(app.wsgi_app, QueryFastPath) and app.wsgi_app.take is front.view
    assert (app.wsgi_app.path, app.wsgi_app.endpoint) == (front.rule, front.endpoint)
    flask_rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint != "static"}
    assert flask_rules == {r.rule for r in ROUTES if not r.front}      # every other row is a Flask route


def test_a_request_the_fast_path_reads_and_leaves_is_read_once(app, monkeypatch):
    reads = []
    real = operation._read
    monkeypatch.setattr(operation, "_read", lambda environ, limit: reads.append(1) or real(environ, limit))
    r = app.test_client().post("/sparql", data={"update": "CLEAR ALL"}, content_type=FORM)
    assert r.status_code == 403 and reads == [1]          # Flask answered from what the fast path read


def test_a_body_without_a_length_is_read_as_flask_reads_it(app):
    """A chunked body (no Content-Length; the server ends the stream) takes the same way through both paths."""
    def environ():
        env = EnvironBuilder(path="/sparql", method="POST", data="ASK { ?s ?p ?o }",
                             content_type="application/sparql-query").get_environ()
        del env["CONTENT_LENGTH"]
        env["wsgi.input_terminated"] = True
        return env
    fast = Client(app.wsgi_app, Response).open(environ())
    view = Client(app.wsgi_app.next, Response).open(environ())
    assert (fast.status_code, fast.get_data()) == (view.status_code, view.get_data()) == (200, fast.get_data())
    assert fast.get_data().endswith(b"true}")


def test_a_body_over_the_upload_limit_is_the_same_413_on_both_paths():
    small = create_app(Config(empty=True, max_upload_bytes=100))
    fast, view = both(small, "POST", "/sparql", data={"query": "ASK {} #" + "x" * 200}, content_type=FORM)
    assert fast.status_code == view.status_code == 413 and fast.get_data() == view.get_data()
    assert fast.get_data() == b"The request body is larger than 100 bytes.\n"


def test_a_fault_is_the_same_logged_500_on_both_paths(app, monkeypatch, caplog):
    def broken(*_args):
        raise RuntimeError("a bug")
    monkeypatch.setattr(queries, "answer", broken)
    fast, view = both(app, "GET", "/sparql", query_string={"query": "ASK {}"})
    assert fast.status_code == view.status_code == 500 and fast.get_data() == view.get_data()
    assert sorted(fast.headers.items()) == sorted(view.headers.items()) and b"a bug" not in fast.get_data()
    assert sum("error answering GET /sparql" in rec.getMessage() for rec in caplog.records) == 2


def test_raw_utf8_in_the_query_string_is_read_as_utf8_on_both_paths(app):
    """PEP 3333 hands the URL's bytes as latin-1 text; the reader gives back the UTF-8 the client sent."""
    raw = 'query=SELECT ("ı" AS ?x) {}'.encode("utf-8").decode("latin-1")
    for wsgi in (app.wsgi_app, app.wsgi_app.next):
        environ = EnvironBuilder(path="/sparql", method="GET").get_environ()
        environ["QUERY_STRING"] = raw
        status = []
        body = b"".join(wsgi(environ, lambda s, h, exc=None: status.append(s)))
        assert status[0].startswith("200") and '"value":"ı"'.encode() in body, body
