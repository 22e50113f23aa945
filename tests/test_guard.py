"""No server-side request forgery: SERVICE and LOAD reach only allow-listed endpoints; nothing else is fetched."""
from __future__ import annotations

import contextlib
import socket
import threading

import pyoxigraph as ox
import pytest

from conftest import TOKEN
from kg.query import guard
from kg.config import Config
from kg.server import create_app


class Listener:
    """A TCP listener on loopback that counts the connections it is offered."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop = True
        self.thread.join()
        self.sock.close()


@pytest.fixture()
def listener():
    lst = Listener()
    yield lst
    lst.close()


def client(allow=()):
    return create_app(Config(empty=True, write_token=TOKEN, allow_service=tuple(allow))).test_client()


def test_service_to_unlisted_host_is_refused_without_a_connection(listener):
    url = f"http://127.0.0.1:{listener.port}/sparql"
    r = client().get("/sparql", query_string={"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"})
    assert r.status_code == 403 and url.encode() in r.data and b"allow-list" in r.data
    assert listener.connections == 0


@pytest.mark.parametrize("query", [
    "PREFIX x: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE SILENT x:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ service <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<http://127.0.0.1:{port}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
])
def test_disguised_services_are_refused(listener, query):
    r = client().get("/sparql", query_string={"query": query.format(port=listener.port)})
    assert r.status_code == 403
    assert listener.connections == 0


def test_load_is_refused_without_a_connection(listener):
    r = client().post("/sparql", data=f"LOAD <http://127.0.0.1:{listener.port}/data.ttl>",
                      content_type="application/sparql-update", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403
    assert listener.connections == 0


def test_from_never_fetches(listener):
    url = f"http://127.0.0.1:{listener.port}/g"
    r = client().get("/sparql", query_string={"query": f"SELECT * FROM <{url}> FROM NAMED <{url}> WHERE {{ ?s ?p ?o }}"})
    assert r.status_code == 200
    assert listener.connections == 0


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://evil.example/sparql> { }" }',
    "# SERVICE <http://evil.example/sparql>\nSELECT * WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://ex.org/> SELECT * WHERE { ?s ex:SERVICE ?o . ?s ex:LOAD ?service }",
    "SELECT ?service WHERE { ?service a <http://www.w3.org/ns/sparql-service-description#Service> }",
])
def test_no_false_refusals_for_queries_that_only_mention_the_word(query):
    assert client().get("/sparql", query_string={"query": query}).status_code == 200


def test_an_allow_listed_endpoint_is_reached(listener):
    url = f"http://127.0.0.1:{listener.port}/sparql"
    r = client(allow=[url]).get("/sparql", query_string={"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"})
    assert r.status_code == 400            # the stand-in closes the connection: a clear error, not a crash
    assert listener.connections >= 1


def test_a_listed_name_that_resolves_inside_is_refused_without_a_connection(listener):
    url = f"http://localhost:{listener.port}/sparql"          # on the list, but the name points at loopback
    r = client(allow=[url]).get("/sparql", query_string={"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"})
    assert r.status_code == 403 and b"internal address" in r.data
    assert listener.connections == 0


def test_a_redirect_from_a_listed_endpoint_is_not_followed(listener):
    """The engine reports a redirect as an error instead of following it, so the target never sees a connection."""
    import http.server

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{listener.port}/sparql")
            self.send_header("Content-Length", "0")
            self.end_headers()
        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        r = client(allow=[url]).get("/sparql", query_string={"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"})
    finally:
        server.shutdown()
    assert r.status_code == 400 and b"redirect" in r.data
    assert listener.connections == 0


def test_a_remote_error_body_is_not_echoed():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    url = f"http://127.0.0.1:{srv.getsockname()[1]}/sparql"

    def answer():
        conn, _ = srv.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 500 Oops\r\nContent-Type: text/plain\r\nContent-Length: 15\r\n\r\nSECRET-INTERNAL")
        conn.close()
    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    r = client(allow=[url]).get("/sparql", query_string={"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"})
    thread.join(5)
    srv.close()
    assert r.status_code == 400 and b"500" in r.data
    assert b"SECRET" not in r.data


@pytest.mark.parametrize("bad", ["ftp://example.org/sparql", "https://user:pw@example.org/sparql", "example.org"])
def test_allow_list_entries_are_checked(bad):
    with pytest.raises(guard.KgError):
        guard.check_allow_list([bad])


def test_json_ld_remote_context_is_not_fetched(listener):
    body = f'{{"@context": "http://127.0.0.1:{listener.port}/context.jsonld", "@id": "http://a", "name": "x"}}'
    r = client().put("/store?default", data=body, content_type="application/ld+json",
                     headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 400
    assert listener.connections == 0


def test_rdf_xml_external_entity_is_not_fetched(listener):
    body = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "http://127.0.0.1:{listener.port}/x">]>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">'
            '<rdf:Description rdf:about="http://a"><ex:p>&e;</ex:p></rdf:Description></rdf:RDF>')
    client().put("/store?default", data=body, content_type="application/rdf+xml",
                 headers={"Authorization": f"Bearer {TOKEN}"})
    assert listener.connections == 0


# ---------------------------------------------------------------- issue 10, part 2: the engine reads what was checked


@pytest.fixture()
def other():
    lst = Listener()
    yield lst
    lst.close()


def _run(text: str, update: bool = False) -> None:
    """Evaluate the text with the engine, as the server does with what guard.check returned."""
    with contextlib.suppress(SyntaxError, OSError, ValueError, RuntimeError):
        ox.Store().update(text) if update else list(ox.Store().query(text))


BYPASSES = [
    ("SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/\\u0078> {{ ?x ?p ?o }} }}", False),
    ("PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ex:a\\# ?o SERVICE <http://127.0.0.1:{port}/x> {{ }} }}", False),
    ("PREFIX ex: <http://e/> SELECT * {{ ?s ?p ex:a\\' SERVICE <http://127.0.0.1:{port}/x> {{ }} ?s ?p 'z' }}", False),
    ("LOAD <http://127.0.0.1:{port}/x-\\u0075>", True),
]


@pytest.mark.parametrize("template, update", BYPASSES)
def test_the_four_reported_bypasses_are_refused(listener, template, update):
    text = template.format(port=listener.port)
    _run(text, update)                                   # the engine left alone does connect: a real bypass
    assert listener.connections >= 1
    with pytest.raises(guard.Refused, match="allow-list"):      # refused before evaluation: nothing is sent
        guard.check(text, [])


def test_the_engine_decodes_escapes_only_in_iris_and_strings(listener):
    assert guard._engine_decodes_whole_text() is False
    text = f"SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{listener.port}/> {{ }} }}"
    assert guard.check(text, []) is text                 # no keyword can be read: the fast exit
    _run(text)
    assert listener.connections == 0


def test_an_escaped_endpoint_is_checked_decoded(listener):
    allowed = f"http://127.0.0.1:{listener.port}/A"
    text = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/\\u+041> {{ }} }}"   # from_str_radix takes +
    assert f"SERVICE <{allowed}>" in guard.check(text, [allowed])
    with pytest.raises(guard.Refused, match="cannot be resolved"):
        guard.check(f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/\\uD800> {{ }} }}", [allowed])


def test_the_operand_the_engine_uses_is_the_one_checked(listener, other):
    """`SERVICE SILENTf:x` is SERVICE SILENT f:x to the engine; the rewrite pins the operand that was checked."""
    text = (f"PREFIX SILENTf: <http://127.0.0.1:{listener.port}/> PREFIX f: <http://127.0.0.1:{other.port}/> "
            "SELECT * WHERE { SERVICE SILENTf:sparql { ?s ?p ?o } }")
    _run(text)
    assert other.connections >= 1 and listener.connections == 0        # the engine's own reading
    seen, out = other.connections, guard.check(text, [f"http://127.0.0.1:{listener.port}/sparql"])
    _run(out)
    assert listener.connections >= 1 and other.connections == seen


@pytest.mark.parametrize("text", [
    "SELECT * WHERE {{ SERVICESILENT<http://127.0.0.1:{port}/>{{}} }}",
    "SELECT * WHERE {{ ?s ?p trueSERVICE <http://127.0.0.1:{port}/> {{}} }}",
    "SELECT * WHERE {{ ?s ?p \"x\"@en-SERVICE <http://127.0.0.1:{port}/> {{}} }}",
    "PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ex:a.b.SERVICE <http://127.0.0.1:{port}/> {{}} }}",
    "SELECT * WHERE {{ _:service ?p ?o }}",
    "SELECT * WHERE {{ SERVICE {{ }} }}",
    "INSERT DATA {{ <http://a/> <http://b/> 1 }} ; lOaD <http://127.0.0.1:{port}/x>",
])
def test_words_the_engine_might_read_otherwise_are_refused(listener, text):
    text = text.format(port=listener.port)
    with pytest.raises(guard.Refused):
        guard.check(text, [f"http://127.0.0.1:{listener.port}/x"] if "lOaD" not in text else [])


def test_a_prefixed_name_holding_the_word_becomes_an_iri(listener):
    text = f"PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ex:z.sErViCe <http://127.0.0.1:{listener.port}/> {{}} }}"
    out = guard.check(text, [])
    assert "<http://e/z.\\u0073ErViCe>" in out
    _run(out)
    assert listener.connections == 0


def test_prefixes_redeclared_between_update_operations(listener, other):
    a, f = f"http://127.0.0.1:{listener.port}/", f"http://127.0.0.1:{other.port}/"
    early = f"PREFIX p: <{a}> INSERT DATA {{ <http://a/> <http://b/> 1 }} ;\nPREFIX p: <{f}> LOAD p:x"
    with pytest.raises(guard.Refused, match=f"{f}x"):
        guard.check(early, [a + "x"])
    late = f"PREFIX p: <{f}> INSERT DATA {{ <http://a/> <http://b/> 1 }} ;\nPREFIX p: <{a}> LOAD SILENT p:x"
    out = guard.check(late, [a + "x"])
    assert f"LOAD SILENT <{a}x>" in out
    _run(out, update=True)                    # pyoxigraph 0.5.13 takes no PREFIX after ';': a syntax error
    assert other.connections == 0


def test_base_and_the_given_base_iri(listener):
    url = f"http://127.0.0.1:{listener.port}/"
    assert f"<{url}sparql>" in guard.check(f"BASE <{url}> SELECT * {{ SERVICE <sparql> {{}} }}", [url + "sparql"])
    assert f"<{url}sparql>" in guard.check("SELECT * { SERVICE <sparql> {} }", [url + "sparql"], base_iri=url + "q")
    for base, match in ((None, "BASE"), ("http://127.0.0.1:1/", "allow-list")):
        with pytest.raises(guard.Refused, match=match):
            guard.check("SELECT * { SERVICE <sparql> {} }", [url + "sparql"], base_iri=base)
    with pytest.raises(guard.Refused, match=r"\./"):
        guard.check(f"SELECT * {{ SERVICE <{url}a/../sparql> {{}} }}", [f"{url}a/../sparql"])


def test_mentions_of_the_words_keep_their_meaning():
    data = 'PREFIX ex: <http://ex.org/> INSERT DATA { ex:s ex:SERVICE "load \\"SERVICE\\" here" ; ex:load ex:x }'
    query = ('PREFIX ex: <http://ex.org/> # a SERVICE in a comment\n'
             'SELECT ?service ?o WHERE { ?service ex:SERVICE ?o ; ex:load ?l . FILTER(CONTAINS(?o, "SERVICE")) '
             "FILTER(?l = <http://ex.org/x>) }")
    store = ox.Store()
    store.update(data)
    out = guard.check(query, [])
    assert out != query and "SERVICE" not in out.upper().replace("?SERVICE", "")
    assert [list(map(str, r)) for r in store.query(out)] == [list(map(str, r)) for r in store.query(query)] != []
    text = "SELECT ?service ?loaded WHERE { ?service ?p ?loaded }"        # only variables: returned unchanged
    assert guard.check(text, []) is text
