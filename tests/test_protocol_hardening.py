"""Correct answers where the endpoint used to be wrong (issue 10, parts 6 and 7): a query's own FROM, failed
updates as plain-text 4xx with the store unchanged, no HTML error page, clients behind a trusted proxy, 429s counted."""
from __future__ import annotations

import http.server
import threading

import pytest

from conftest import TOKEN
from kg.config import Config
from kg.server import create_app, services
from kg.server.proxies import client_address, parse_networks

WRITE = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}


@pytest.fixture()
def client():
    app = create_app(Config(empty=True, write_token=TOKEN))
    c = app.test_client()
    assert c.post("/sparql", data="INSERT DATA { GRAPH <http://g> { <http://s> <http://p> 1 } }", headers=WRITE).status_code == 204
    return c


def _count(client, query: str = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") -> str:
    r = client.post("/sparql", data=query, headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert r.status_code == 200
    return r.get_data(as_text=True).split()[-1]


def test_a_query_names_its_own_dataset_with_from(client):
    assert _count(client, "SELECT (COUNT(*) AS ?n) FROM <http://nope/> WHERE { ?s ?p ?o }") == "0"
    assert _count(client, "SELECT (COUNT(*) AS ?n) FROM <http://g> WHERE { ?s ?p ?o }") == "1"
    assert _count(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == "1"                  # the union default
    assert _count(client, "SELECT (COUNT(*) AS ?n) FROM NAMED <http://g> WHERE { ?s ?p ?o }") == "0"
    assert _count(client, 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o != "FROM") }') == "1"   # a word, not a clause


@pytest.mark.parametrize("update, reason", [
    ("CREATE GRAPH <http://g>", "already exists"),
    ("DROP GRAPH <http://nowhere>", "does not exist"),
])
def test_failed_updates_are_plain_400_and_change_nothing(client, update, reason):
    r = client.post("/sparql", data=update, headers=WRITE)
    assert r.status_code == 400 and r.mimetype == "text/plain" and reason in r.get_data(as_text=True)
    assert _count(client) == "1"


class _Html(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<html><body>not RDF</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_load_of_an_allowed_source_that_is_not_rdf_is_a_plain_400():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Html)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    source = f"http://127.0.0.1:{server.server_address[1]}/page"
    try:
        c = create_app(Config(empty=True, write_token=TOKEN, allow_service=(source,))).test_client()
        r = c.post("/sparql", data=f"LOAD <{source}> INTO GRAPH <http://loaded>", headers=WRITE)
        assert r.status_code == 400 and r.mimetype == "text/plain", r.get_data(as_text=True)
        assert _count(c) == "0"
    finally:
        server.shutdown()


def test_no_error_is_an_html_page(client):
    for method, path in [("GET", "/nowhere"), ("DELETE", "/health"), ("POST", "/metrics"), ("GET", "/sparql/extra")]:
        r = client.open(path, method=method)
        assert r.status_code in (404, 405) and r.mimetype == "text/plain" and b"<" not in r.data, (method, path)


def test_an_unexpected_fault_is_a_plain_500_and_logged(caplog):
    app = create_app(Config(empty=True))
    services(app).store.named_graphs = None          # a bug: the service description cannot be made
    r = app.test_client().get("/sparql")
    assert r.status_code == 500 and r.mimetype == "text/plain" and b"<" not in r.data
    assert any("error answering GET /sparql" in rec.message for rec in caplog.records)


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy():
    trusted = parse_networks(["10.0.0.0/8", "127.0.0.1"])
    assert client_address("127.0.0.1", "203.0.113.7", trusted) == "203.0.113.7"
    assert client_address("127.0.0.1", "198.51.100.1, 203.0.113.7, 10.1.2.3", trusted) == "203.0.113.7"  # nearest untrusted
    assert client_address("192.0.2.9", "203.0.113.7", trusted) == "192.0.2.9"          # not a proxy: header ignored
    assert client_address("127.0.0.1", "garbage", trusted) == "127.0.0.1"
    assert client_address("127.0.0.1", "203.0.113.7", ()) == "127.0.0.1"                # no proxy configured


def test_clients_behind_a_trusted_proxy_have_their_own_rate_and_429s_are_counted():
    app = create_app(Config(empty=True, client_rate=0.01, client_burst=1, trust_proxy=("127.0.0.1",)))
    c = app.test_client()
    ask = "/sparql?query=ASK%7B%7D"
    assert c.get(ask, headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 200
    assert c.get(ask, headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 429
    assert c.get(ask, headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 200     # another client
    plain = create_app(Config(empty=True, client_rate=0.01, client_burst=1)).test_client()
    assert plain.get(ask, headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 200
    assert plain.get(ask, headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 429   # not trusted: one client
    from conftest import metric_samples
    assert metric_samples(c.get("/metrics").get_data(as_text=True))[("kg_http_throttled_total", ())] == 1


def test_the_service_description_claims_federation_only_with_an_allow_list():
    plain = create_app(Config(empty=True)).test_client().get("/sparql", headers={"Accept": "application/n-triples"})
    assert plain.status_code == 200 and b"BasicFederatedQuery" not in plain.data
    listed = create_app(Config(empty=True, allow_service=("https://query.wikidata.org/sparql",))).test_client()
    assert b"BasicFederatedQuery" in listed.get("/sparql", headers={"Accept": "application/n-triples"}).data
