"""Every IRI dereferences (issue 14 §1): 303 by Accept and ?format=, data documents with version and ETag, the
ontology document, real 404s, the entity page, the w3id rules; and a walk over every subject IRI of the build."""
from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import Config
from kg.server import create_app
from kg.server.pages import entity, links
from kg.store.embedded import EmbeddedStore
from kg.vocab import BASE, OWL, RDF_TYPE

ROOT = Path(__file__).resolve().parents[1]
SUMMIT = "summit/2021-turkmenistan"
IRI = BASE + SUMMIT
MEDIA = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
         "rdfxml": "application/rdf+xml"}
EXT = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld", "rdfxml": "rdf"}


@pytest.fixture(scope="module")
def store(built):
    return EmbeddedStore(built.store)


@pytest.fixture(scope="module")
def client(store):
    return create_app(Config(), store=store).test_client()


def _path(location: str) -> str:
    return location.removeprefix("http://localhost")


def _parse(body: bytes, media: str) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(body, format=ox.RdfFormat.from_media_type(media))}


@pytest.mark.parametrize("accept, target", [
    (None, f"/page/{SUMMIT}"), ("*/*", f"/page/{SUMMIT}"), ("text/html", f"/page/{SUMMIT}"),
    ("application/json", f"/page/{SUMMIT}"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", f"/page/{SUMMIT}"),
    *((media, f"/data/{SUMMIT}.{EXT[name]}") for name, media in MEDIA.items()),
    ("text/html;q=0.5, text/turtle", f"/data/{SUMMIT}.ttl"),
])
def test_303_by_accept(client, accept, target):
    r = client.get("/" + SUMMIT, headers={"Accept": accept} if accept else {})
    assert r.status_code == 303 and _path(r.headers["Location"]) == target
    assert r.headers["Vary"] == "Accept"
    link = r.headers["Link"]
    for name, media in MEDIA.items():
        assert f'</data/{SUMMIT}.{EXT[name]}>; rel="alternate"; type="{media}"' in link.replace("http://localhost", "")
    assert f'/page/{SUMMIT}>; rel="alternate"; type="text/html"' in link
    assert client.head("/" + SUMMIT, headers={"Accept": accept} if accept else {}).status_code == 303


@pytest.mark.parametrize("fmt, target", [("html", f"/page/{SUMMIT}"), ("ttl", f"/data/{SUMMIT}.ttl"),
                                         ("nt", f"/data/{SUMMIT}.nt"), ("jsonld", f"/data/{SUMMIT}.jsonld"),
                                         ("rdf", f"/data/{SUMMIT}.rdf")])
def test_303_by_format_parameter(client, fmt, target):
    r = client.get("/" + SUMMIT, query_string={"format": fmt}, headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and _path(r.headers["Location"]) == target
    assert client.get("/" + SUMMIT, query_string={"format": "docx"}).status_code == 400


@pytest.mark.parametrize("name", list(MEDIA))
def test_each_data_format_parses_and_holds_the_iris_triples(client, store, name):
    r = client.get(f"/data/{SUMMIT}.{EXT[name]}")
    assert r.status_code == 200 and r.mimetype == MEDIA[name]
    got = _parse(r.data, MEDIA[name])
    node = ox.NamedNode(IRI)
    own = {ox.Triple(q.subject, q.predicate, q.object) for q in store.oxigraph.quads_for_pattern(node, None, None)}
    incoming = {ox.Triple(q.subject, q.predicate, q.object) for q in store.oxigraph.quads_for_pattern(None, None, node)}
    assert own and incoming and own | incoming <= got


def test_blank_nodes_are_followed(client, store):
    """A quote's selector (a blank node) comes with the quote."""
    row = next(iter(store.query("SELECT ?q WHERE { ?q ?p ?b FILTER(isBlank(?b) && isIRI(?q) && "
                                "STRSTARTS(STR(?q), 'https://w3id.org/casd/')) } LIMIT 1")))
    local = row["q"].value[len(BASE):]
    got = _parse(client.get(f"/data/{local}.nt").data, "application/n-triples")
    blanks = {t.object for t in got if t.subject == row["q"] and isinstance(t.object, ox.BlankNode)}
    assert blanks and all(any(t.subject == b for t in got) for b in blanks)


def test_etag_and_version_give_304(client):
    r = client.get(f"/data/{SUMMIT}.ttl")
    etag, version = r.headers["ETag"], r.headers["Kg-Dataset-Version"]
    assert etag.startswith('"') and not etag.startswith("W/") and version in etag
    again = client.get(f"/data/{SUMMIT}.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert client.get(f"/data/{SUMMIT}.nt", headers={"If-None-Match": etag}).status_code == 200


def test_built_graph_carries_the_builds_version(built):
    app = create_app(Config())                      # builds the graph itself: the version `kg build` writes
    r = app.test_client().get(f"/data/{SUMMIT}.ttl")
    assert r.status_code == 200 and not r.headers["Kg-Dataset-Version"].startswith("store-version")


def test_ontology_hash_iri_goes_to_the_ontology_document(client):
    r = client.get("/ontology#Summit", headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and _path(r.headers["Location"]) == "/data/ontology.ttl"
    data = client.get("/data/ontology.ttl")
    assert data.status_code == 200
    assert ox.Triple(ox.NamedNode(BASE + "ontology#Summit"), ox.NamedNode(RDF_TYPE),
                     ox.NamedNode(str(OWL.Class))) in _parse(data.data, "text/turtle")
    r = client.get("/ontology")
    assert r.status_code == 303 and _path(r.headers["Location"]) == "/page/ontology"
    page = client.get("/page/ontology").get_data(as_text=True)
    row = page.split('<tr id="Summit">', 1)[1].split("</tr>", 1)[0]     # the fragment lands on the term
    assert '<td lang="tr">Zirve</td>' in row and '<td lang="en">Summit</td>' in row
    assert "<h2>Classes (" in page and "<h2>Properties (" in page


def test_unknown_iri_is_a_real_404(client):
    html = client.get("/summit/1066-hastings", headers={"Accept": "text/html"})
    assert html.status_code == 404 and html.mimetype == "text/html" and b"<main>" in html.data
    text = client.get("/summit/1066-hastings")
    assert text.status_code == 404 and text.mimetype == "text/plain"
    for path in ("/page/summit/1066-hastings", "/data/summit/1066-hastings.ttl", f"/data/{SUMMIT}.docx",
                 "/summit/a%3Eb", "/person/x y"):
        assert client.get(path).status_code == 404, path


def test_page_in_turkish_and_english(client):
    tr = client.get(f"/page/{SUMMIT}", headers={"Accept-Language": "tr-TR,tr;q=0.9"}).get_data(as_text=True)
    en = client.get(f"/page/{SUMMIT}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="tr">' in tr and "<h1>Orta Asya Devlet Başkanları 3. İstişare Toplantısı" in tr
    assert '<html lang="en">' in en and "<h1>3rd Consultative Meeting" in en
    assert 'href="?lang=en"' in tr and 'href="?lang=tr"' in en          # the visible switch
    assert '/page/ontology#Summit">Zirve</a>' in tr and '/page/ontology#Summit">Summit</a>' in en   # types, labelled
    switched = client.get(f"/page/{SUMMIT}?lang=tr", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<h1>Orta Asya" in switched and "<main>" in switched
    assert "https://" not in en.split("<body>")[0].replace("w3id.org", "")   # nothing loaded from outside


def test_page_shows_types_links_and_paged_incoming(client):
    page = client.get("/page/state/turkmenistan").get_data(as_text=True)
    assert "Links here" in page and 'href="http://www.wikidata.org/entity/Q' in page
    assert "page 1 /" in page
    pages = int(page.split("page 1 / ")[1].split()[0])
    assert pages > 1 and 'rel="next"' in page
    last = client.get(f"/page/state/turkmenistan?page={pages}").get_data(as_text=True)
    assert f"page {pages} / {pages}" in last and 'rel="prev"' in last and last != page
    assert entity.PAGE_SIZE == 50


def test_page_escapes_labels(built):
    store = ox.Store()
    for q in built.store.quads_for_pattern(ox.NamedNode(IRI), None, None):
        store.add(q)
    bad = ox.Literal("<script>alert(1)</script>", language="en")
    store.add(ox.Quad(ox.NamedNode(IRI), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), bad,
                      ox.NamedNode(BASE + "graph/x")))
    c = create_app(Config(), store=EmbeddedStore(store)).test_client()
    page = c.get(f"/page/{SUMMIT}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_base_url_sets_redirects_and_rules():
    assert links.htaccess("https://casd.example.org/").endswith(
        "RewriteRule ^(.*)$ https://casd.example.org/$1 [R=303,L]\n")
    shipped = (ROOT / "w3id" / ".htaccess").read_text(encoding="utf-8")
    base = shipped.split("# public base: ", 1)[1].split("\n", 1)[0]
    assert shipped == links.htaccess(base)


def test_base_url_option(store):
    c = create_app(Config(base_url="https://kg.example.org/"), store=store).test_client()
    r = c.get("/" + SUMMIT)
    assert r.headers["Location"] == f"https://kg.example.org/page/{SUMMIT}"


def test_every_subject_iri_dereferences(store):
    """The issue's done-when: every subject IRI under the base answers 303, then 200 as HTML and in each format
    (the ontology's hash terms go to the ontology document, tested above). One client sends them all, so it has
    a rate of its own: pages are behind the per-client throttle (test_pages_are_throttled)."""
    client = create_app(Config(client_rate=1e6, client_burst=10**6), store=store).test_client()
    subjects = sorted({row["s"].value for row in store.query(
        f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), '{BASE}')) }}")
        if "#" not in row["s"].value})
    assert len(subjects) > 300
    start = time.perf_counter()
    for iri in subjects:
        local = "/" + iri[len(BASE):]
        for accept in ["text/html", *MEDIA.values()]:
            r = client.get(local, headers={"Accept": accept})
            assert r.status_code == 303, (iri, accept)
            target = client.get(_path(r.headers["Location"]), headers={"Accept": accept})
            assert target.status_code == 200, (iri, accept)
            assert target.mimetype == accept, (iri, accept)
    elapsed = time.perf_counter() - start
    print(f"walked {len(subjects)} subject IRIs × 5 representations in {elapsed:.1f} s")


def test_a_failing_store_is_a_503_not_a_500(store):
    from kg.errors import KgError
    from kg.server import services

    app = create_app(Config(), store=EmbeddedStore(store.oxigraph))

    def fails(*_args, **_kwargs):
        raise KgError("the remote store timed out")
    services(app).store.query = fails
    c = app.test_client()
    for path in ("/" + SUMMIT, f"/page/{SUMMIT}", f"/data/{SUMMIT}.ttl"):
        r = c.get(path)
        assert r.status_code == 503 and r.mimetype == "text/plain", path


def test_pages_are_throttled_and_capped_like_queries(store):
    """Pages, data documents and redirects sit behind the per-client throttle: one client past its burst gets
    a plain-text 429 with Retry-After, while another client is still served."""
    client = create_app(Config(client_rate=1.0, client_burst=5), store=store).test_client()
    paths = [f"/page/{SUMMIT}", f"/data/{SUMMIT}.ttl", f"/{SUMMIT}", "/ontology", "/no-such-thing"]
    statuses = [client.get(paths[i % len(paths)], headers={"Accept": "text/html"}).status_code for i in range(12)]
    assert 429 not in statuses[:5] and statuses[5:] == [429] * 7, statuses
    refused = client.get(f"/page/{SUMMIT}")
    assert refused.mimetype == "text/plain" and "Retry-After" in refused.headers
    other = client.get(f"/page/{SUMMIT}", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 200
    assert client.get("/health").status_code == 200          # monitoring is exempt
