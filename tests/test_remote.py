"""The remote-store path: the built graph pushed to a real Oxigraph server and served through kg."""
from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from conftest import http_sender
from kg.cli import main


@pytest.fixture(scope="module")
def loaded_oxigraph(oxigraph_server):
    url = f"http://127.0.0.1:{oxigraph_server}/query"
    assert main(["load", "--store", url]) == 0
    return url


def test_kg_load_pushes_every_graph(loaded_oxigraph, built, capsys):
    q = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    with urllib.request.urlopen(f"{loaded_oxigraph}?query={q}") as r:
        n = int(json.loads(r.read())["results"]["bindings"][0]["n"]["value"])
    assert n == len(built.store)


def test_served_through_kg_from_the_remote_store(loaded_oxigraph, remote_server):
    send = http_sender(remote_server)
    q = urllib.parse.quote("SELECT ?c WHERE { GRAPH ?g { <https://w3id.org/casd/summit/2021-turkmenistan> "
                           "<https://w3id.org/casd/ontology#chairedBy> ?c } }")
    status, headers, body = send("GET", f"/sparql?query={q}", {"Accept": "text/csv"}, b"")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert b"gurbanguly-berdimuhamedov" in body
    status, _, body = send("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B", {}, b"")
    assert status == 400 and b"the store refused the query (400)" in body


def test_a_silent_remote_store_gives_502_not_a_hang():
    import socket
    import time

    from conftest import TOKEN
    from kg.config import Config
    from kg.server import create_app

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)                       # accepts connections, never answers
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
    try:
        client = create_app(Config(store=url, query_timeout=1.0, write_token=TOKEN)).test_client()
        started = time.monotonic()
        r = client.get("/sparql", query_string={"query": "ASK {}"})
        assert r.status_code == 502 and b"cannot reach the store" in r.data
        assert time.monotonic() - started < 5
        assert client.get("/health").status_code == 503
        r = client.put("/store?default", data="<http://a> <http://b> <http://c> .", content_type="text/turtle",
                       headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 502
    finally:
        silent.close()


def test_a_directory_written_by_oxigraph_load_is_served(tmp_path, oxigraph_server):
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from kg.config import Config
    from kg.server import create_app

    data = tmp_path / "d.nq"
    data.write_text('<http://a> <http://b> "from oxigraph load" <http://g> .\n')
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    subprocess.run([binary, "load", "--location", str(tmp_path / "db"), "--file", str(data)], check=True,
                   capture_output=True)
    client = create_app(Config(store=str(tmp_path / "db"))).test_client()
    r = client.get("/sparql", query_string={"query": "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.data.splitlines()[1] == b"from oxigraph load"


def test_a_remote_store_that_drips_its_answer_is_cut_at_the_timeout():
    """A byte every 0.2 s would reset a per-read timeout forever; the whole exchange has one deadline."""
    import socket
    import threading
    import time

    from kg.config import Config
    from kg.server import create_app

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    stop = threading.Event()

    def drip():
        conn, _ = server.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 1000\r\n\r\n")
        while not stop.is_set():
            try:
                conn.sendall(b" ")
            except OSError:
                break
            time.sleep(0.2)
        conn.close()
    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    try:
        client = create_app(Config(store=f"http://127.0.0.1:{server.getsockname()[1]}/query", query_timeout=1.0)).test_client()
        started = time.monotonic()
        r = client.get("/sparql", query_string={"query": "ASK {}"})
        assert r.status_code == 502 and b"did not finish answering in time" in r.data
        assert time.monotonic() - started < 2.5
    finally:
        stop.set()
        server.close()


def test_writes_through_the_remote_store_pass_the_shape_gate(loaded_oxigraph, remote_server):
    """Explicit deltas are judged on the remote neighbourhood, other updates on a copy; a refused write never
    reaches the remote store."""
    from conftest import FIXTURES, TOKEN
    from kg.namespaces import PREFIXES

    send = http_sender(remote_server)
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    summit = "<https://w3id.org/casd/summit/2021-turkmenistan>"
    graph = "<https://w3id.org/casd/graph/avim-blog-50>"

    def remote_ask(text: str) -> bool:
        with urllib.request.urlopen(f"{loaded_oxigraph}?query={urllib.parse.quote(text)}") as r:
            return json.loads(r.read())["boolean"]

    bad = f'INSERT DATA {{ GRAPH {graph} {{ {summit} <https://w3id.org/casd/ontology#slogan> "no tag" }} }}'
    status, _, body = send("POST", "/sparql", auth, bad.encode())
    assert status == 422 and b"cs:Summit-slogan" in body
    assert not remote_ask(f'ASK {{ GRAPH {graph} {{ {summit} ?p "no tag" }} }}')

    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    where_update = prologue + (FIXTURES / "negative" / "chair-not-participant.ru").read_text()
    status, _, body = send("POST", "/sparql", auth, where_update.encode())
    assert status == 422 and b"chairedBy" in body
    assert not remote_ask(f"ASK {{ GRAPH {graph} {{ {summit} <https://w3id.org/casd/ontology#chairedBy> "
                          "<https://w3id.org/casd/person/erkinbek-turginov> } }")

    status, _, body = send("PUT", "/store?graph=http://example.org/g", {"Authorization": f"Bearer {TOKEN}",
                           "Content-Type": "text/turtle"}, b"<https://w3id.org/casd/summit/x> a <https://w3id.org/casd/ontology#Summit> .")
    assert status == 422 and not remote_ask("ASK { GRAPH <http://example.org/g> { ?s ?p ?o } }")

    good = 'INSERT DATA { GRAPH <http://example.org/notes> { <http://example.org/n1> <http://www.w3.org/2000/01/rdf-schema#comment> "ok" } }'
    assert send("POST", "/sparql", auth, good.encode())[0] == 204
    assert remote_ask('ASK { GRAPH <http://example.org/notes> { ?s ?p "ok" } }')
