"""The Graph Store HTTP Protocol at /store: graph creation by POST, multipart uploads, direct graph IRIs."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from conftest import TOKEN
from kg.config import Config
from kg.build.gate import ShapeGate
from kg.server import create_app, services
from kg.store.embedded import EmbeddedStore

AUTH = {"Authorization": f"Bearer {TOKEN}"}
NT = {"Accept": "application/n-triples"}
BOUNDARY = "kg-test-boundary"


@pytest.fixture()
def client():
    return create_app(Config(empty=True, write_token=TOKEN)).test_client()


def multipart(*parts: tuple[str, str, str]) -> bytes:
    """A multipart/form-data body of file parts (name, Content-Type, text)."""
    out = "".join(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
                  f"Content-Type: {media}\r\n\r\n{text}\r\n" for name, media, text in parts)
    return (out + f"--{BOUNDARY}--\r\n").encode()


def post_parts(client, path: str, *parts, headers=AUTH):
    return client.post(path, data=multipart(*parts), headers=headers,
                       content_type=f"multipart/form-data; boundary={BOUNDARY}")


def quads(client) -> set:
    return set(services(client.application).store.oxigraph)


# ---------------------------------------------------------------- POST to /store creates a graph

def test_post_to_the_store_creates_a_graph_named_in_location(client):
    r = client.post("/store", data="<http://a> <http://b> <c> .", content_type="text/turtle", headers=AUTH)
    assert r.status_code == 201
    location = r.headers["Location"]
    assert location.startswith("http://localhost/store/graphs/") and len(location) > len("http://localhost/store/graphs/")
    by_parameter = client.get("/store", query_string={"graph": location}, headers=NT)
    assert by_parameter.status_code == 200
    assert by_parameter.data.decode() == f"<http://a> <http://b> <{location[:location.rindex('/') + 1]}c> .\n"
    direct = client.get(location.removeprefix("http://localhost"), headers=NT)     # the Location, GET directly
    assert direct.status_code == 200 and direct.data == by_parameter.data
    again = client.post("/store", data="<http://a> <http://b> <http://d> .", content_type="text/turtle", headers=AUTH)
    assert again.status_code == 201 and again.headers["Location"] != location      # a new graph each time
    assert services(client.application).store.named_graphs() == sorted([location, again.headers["Location"]])


@pytest.mark.parametrize("auth", [None, "Bearer wrong"])
def test_creating_a_graph_needs_the_write_token(client, auth):
    r = client.post("/store", data="<http://a> <http://b> <http://c> .", content_type="text/turtle",
                    headers={"Authorization": auth} if auth else {})
    assert r.status_code == 403 and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Location" not in r.headers and quads(client) == set()


def test_a_read_only_server_creates_no_graph():
    client = create_app(Config(empty=True)).test_client()
    r = client.post("/store", data="<http://a> <http://b> <http://c> .", content_type="text/turtle", headers=AUTH)
    assert r.status_code == 403 and b"read-only" in r.data and quads(client) == set()


def test_only_a_post_may_leave_the_graph_unnamed(client):
    for method in ("GET", "PUT", "DELETE"):
        r = client.open("/store", method=method, data="<http://a> <http://b> <http://c> .",
                        content_type="text/turtle", headers=AUTH)
        assert r.status_code == 400 and r.mimetype == "text/plain", method
    assert quads(client) == set()


# ---------------------------------------------------------------- multipart/form-data

def test_multipart_parts_are_merged_into_the_graph(client):
    client.put("/store?graph=http://g", data="<http://s> <http://p> 0 .", content_type="text/turtle", headers=AUTH)
    r = post_parts(client, "/store?graph=http://g",
                   ("one.ttl", "text/turtle; charset=utf-8", "<http://s> <http://p> 1 . _:x <http://p> 1 ."),
                   ("two.nt", "application/n-triples", "<http://s> <http://p> <http://o> .\n_:x <http://p> \"2\" ."))
    assert r.status_code == 204
    got = Graph().parse(data=client.get("/store?graph=http://g", headers=NT).data, format="nt")
    assert len(got) == 5
    assert len({s for s in got.subjects() if s.n3().startswith("_:")}) == 2    # _:x of each part is its own node


def test_multipart_into_a_new_graph_by_post_to_the_store(client):
    r = post_parts(client, "/store", ("a.ttl", "text/turtle", "<http://a> <http://b> 1 ."),
                   ("b.ttl", "text/turtle", "<http://a> <http://b> 2 ."))
    assert r.status_code == 201
    assert len(client.get("/store", query_string={"graph": r.headers["Location"]}, headers=NT).data.splitlines()) == 2


def test_a_broken_part_is_named_and_nothing_is_stored(client):
    client.put("/store?graph=http://g", data="<http://s> <http://p> 0 .", content_type="text/turtle", headers=AUTH)
    before = quads(client)
    r = post_parts(client, "/store?graph=http://g", ("good.ttl", "text/turtle", "<http://s> <http://p> 1 ."),
                   ("broken.ttl", "text/turtle", "<http://s> <http://p> ."))
    assert r.status_code == 400 and r.mimetype == "text/plain"
    assert b"'broken.ttl'" in r.data and b"does not parse" in r.data and b"good.ttl" not in r.data
    assert quads(client) == before
    r = post_parts(client, "/store", ("good.ttl", "text/turtle", "<http://s> <http://p> 1 ."),
                   ("picture", "image/png", "not a graph"))
    assert r.status_code == 415 and b"'picture'" in r.data and "Location" not in r.headers
    assert quads(client) == before


def test_a_part_without_a_filename_is_refused(client):
    body = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="data"\r\nContent-Type: text/turtle\r\n\r\n'
            f"<http://a> <http://b> 1 .\r\n--{BOUNDARY}--\r\n").encode()
    r = client.post("/store?default", data=body, headers=AUTH, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert r.status_code == 415 and b"'data'" in r.data and quads(client) == set()


def test_multipart_is_for_post_only(client):
    r = client.put("/store?default", data=multipart(("a.ttl", "text/turtle", "<http://a> <http://b> 1 .")),
                   headers=AUTH, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert r.status_code == 415 and quads(client) == set()


def test_multipart_needs_the_write_token(client):
    r = post_parts(client, "/store?default", ("a.ttl", "text/turtle", "<http://a> <http://b> 1 ."), headers={})
    assert r.status_code == 403 and quads(client) == set()


def test_a_multipart_body_over_the_upload_limit_is_413():
    client = create_app(Config(empty=True, write_token=TOKEN, max_upload_bytes=1000)).test_client()
    r = post_parts(client, "/store?default", ("a.ttl", "text/turtle", "<http://a> <http://b> 1 ."),
                   ("b.ttl", "text/turtle", "# " + "x" * 2000 + "\n<http://a> <http://b> 2 ."))
    assert r.status_code == 413 and r.mimetype == "text/plain" and quads(client) == set()


def test_an_upload_without_a_length_over_the_limit_is_413_and_never_cut_short():
    """As kg.server.bodies hands a chunked body on: the stream ended by the server, one byte past the limit. The
    first 100 bytes are whole triples, so a body cut at the limit would be written; it must be refused whole."""
    import io
    app = create_app(Config(empty=True, write_token=TOKEN, max_upload_bytes=100))
    lines = [b'<http://a> <http://b> "' + b"x" * 22 + str(i).encode() + b'" .\n' for i in range(3)]   # 50 bytes each
    body = b"".join(lines)[:101]
    environ = {"REQUEST_METHOD": "PUT", "PATH_INFO": "/store", "QUERY_STRING": "default", "SERVER_NAME": "localhost",
               "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True,
               "CONTENT_TYPE": "application/n-triples", "HTTP_AUTHORIZATION": f"Bearer {TOKEN}", "SCRIPT_NAME": ""}
    started = []
    answer = b"".join(app(environ, lambda status, headers, exc=None: started.append(status)))
    assert started == ["413 REQUEST ENTITY TOO LARGE"] and answer == b"The request body is larger than 100 bytes.\n"
    assert set(services(app).store.oxigraph) == set()


def test_the_shape_gate_judges_the_parts_together():
    shapes = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://x/OneName> a sh:NodeShape ; sh:targetClass <http://x/Person> ;
            sh:property [ sh:path <http://x/name> ; sh:maxCount 1 ] .""")
    store = EmbeddedStore(ox.Store(), gate=ShapeGate(shapes, Graph()))
    client = create_app(Config(empty=True, write_token=TOKEN), store=store).test_client()
    person = "<http://x/p> a <http://x/Person> ; <http://x/name> "
    r = post_parts(client, "/store?graph=http://g", ("a.ttl", "text/turtle", person + '"A" .'),
                   ("b.ttl", "text/turtle", person + '"B" .'))
    assert r.status_code == 422 and b"Nothing was changed" in r.data and quads(client) == set()
    assert post_parts(client, "/store?graph=http://g", ("a.ttl", "text/turtle", person + '"A" .')).status_code == 201


# ---------------------------------------------------------------- direct graph identification

def test_a_url_under_the_store_names_its_graph(client):
    assert client.put("/store/people/1.ttl", data="<#me> <http://p> 1 .", content_type="text/turtle",
                      headers=AUTH).status_code == 201
    r = client.get("/store", query_string={"graph": "http://localhost/store/people/1.ttl"}, headers=NT)
    assert r.data == b'<http://localhost/store/people/1.ttl#me> <http://p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    assert client.get("/store/people/1.ttl", headers=NT).data == r.data
    assert client.head("/store/people/1.ttl").status_code == 200
    assert client.get("/store/people/1.ttl", headers={"Host": "elsewhere.example"}).status_code == 404
    assert client.post("/store/people/1.ttl", data="<#me> <http://p> 2 .", content_type="text/turtle",
                       headers=AUTH).status_code == 204
    assert client.delete("/store/people/1.ttl", headers=AUTH).status_code == 204
    assert client.get("/store/people/1.ttl").status_code == 404
    assert client.delete("/store/people/1.ttl", headers=AUTH).status_code == 404


def test_a_direct_iri_is_decoded_once(client):
    assert client.put("/store/p%2531%20q", data="<http://a> <http://b> 1 .", content_type="text/turtle",
                      headers=AUTH).status_code == 201
    assert services(client.application).store.named_graphs() == ["http://localhost/store/p%2531%20q"]


def test_a_url_under_the_store_and_a_graph_parameter_conflict(client):
    r = client.get("/store/people/1.ttl?graph=http://g")
    assert r.status_code == 400 and b"not both" in r.data


@pytest.mark.parametrize("method, path", [("POST", "/store"), ("PUT", "/store/people/1.ttl")])
def test_without_a_valid_host_no_graph_is_named_by_our_url(client, method, path):
    r = client.open(path, method=method, data="<http://a> <http://b> 1 .", content_type="text/turtle",
                    headers={**AUTH, "Host": "no host"})
    assert r.status_code == 400 and b"Host" in r.data and quads(client) == set()


def test_direct_writes_need_the_write_token(client):
    r = client.put("/store/people/1.ttl", data="<http://a> <http://b> 1 .", content_type="text/turtle")
    assert r.status_code == 403 and quads(client) == set()


# ---------------------------------------------------------------- methods and negotiation

def test_patch_is_not_allowed_and_changes_nothing(client):
    client.put("/store?default", data="<http://a> <http://b> 1 .", content_type="text/turtle", headers=AUTH)
    before = quads(client)
    for path in ("/store?default", "/store/people/1.ttl"):
        r = client.patch(path, data="<http://x> <http://y> 2 .", content_type="text/turtle", headers=AUTH)
        assert r.status_code == 405 and "PUT" in r.headers["Allow"] and r.mimetype == "text/plain"
    assert quads(client) == before


def test_an_accept_header_asking_for_utf8_is_served(client):
    client.put("/store?default", data="<http://a> <http://b> 1 .", content_type="text/turtle", headers=AUTH)
    r = client.get("/store?default", headers={"Accept": "text/turtle; charset=utf-8"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    assert client.get("/store?default", headers={"Accept": "text/turtle; charset=latin1"}).status_code == 406


def test_a_browser_may_create_a_graph_and_read_where_it_went():
    """CORS: the preflight allows the Graph Store's methods, and the Location of a created graph is readable."""
    client = create_app(Config(empty=True)).test_client()
    r = client.options("/store", headers={"Origin": "http://example.org", "Access-Control-Request-Method": "PUT"})
    allowed = {m.strip() for m in r.headers.get("Access-Control-Allow-Methods", "").split(",")}
    assert {"PUT", "DELETE", "POST"} <= allowed
    assert "Location" in {h.strip() for h in r.headers.get("Access-Control-Expose-Headers", "").split(",")}
