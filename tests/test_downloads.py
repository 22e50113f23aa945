"""Downloads, dataset metadata, licences, citation and the ontology's documentation (issue 14 §5): every file
under /download/ with its ETag, the files parsed and compared with the store, the VoID/DCAT description queried
for each field it must carry, pyLODE's page checked against the ontology, and reproducible bytes."""
from __future__ import annotations

import gzip
import hashlib
import html
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from kg.build import describe, downloads, ontodoc, pipeline
from kg.config import Config
from kg.query import formats
from kg.server import create_app
from kg.store.embedded import EmbeddedStore, query
from kg.vocab import CASD, DATASET_IRI, DOWNLOADS, IANA_MEDIA_TYPES, LICENCE

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = "https://kg.example.org/casd"
DATASET = ("dataset.trig", "dataset.nq", "dataset.jsonld")
ALL = (*DATASET, "void.ttl", "LICENSE", "LICENSE-DATA", "CITATION.cff")


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Config:
    return Config(root=ROOT, base_url=PUBLIC, doc_cache=tmp_path_factory.mktemp("doc-cache"))


@pytest.fixture(scope="module")
def client(built, public):
    return create_app(public, store=EmbeddedStore(built.store)).test_client()


@pytest.fixture(scope="module")
def served(client) -> dict[str, bytes]:
    return {name: client.get(f"/download/{name}").data for name in ALL}


@pytest.fixture(scope="module")
def void(served) -> ox.Store:
    store = ox.Store()
    store.load(served["void.ttl"], format=ox.RdfFormat.TURTLE)
    return store


def _select(store: ox.Store, where: str) -> list[dict[str, str]]:
    prefixes = ("PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dcterms: <http://purl.org/dc/terms/> "
                "PREFIX void: <http://rdfs.org/ns/void#> PREFIX owl: <http://www.w3.org/2002/07/owl#> "
                "PREFIX foaf: <http://xmlns.com/foaf/0.1/> ")
    answer = store.query(prefixes + where)
    assert isinstance(answer, ox.QuerySolutions)
    names = [v.value for v in answer.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in answer]


def test_each_file_has_a_strong_etag_a_304_and_a_file_name(client, served):
    for name in ALL:
        r = client.get(f"/download/{name}")
        assert r.status_code == 200, name
        etag = r.headers["ETag"]
        assert etag == f'"sha256-{hashlib.sha256(r.data).hexdigest()}"', name        # strong: the content's hash
        assert f'filename="{name}"' in r.headers["Content-Disposition"]
        again = client.get(f"/download/{name}", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag, name
        assert client.get(f"/download/{name}", headers={"If-None-Match": '"sha256-0"'}).status_code == 200
        packed = client.get(f"/download/{name}", headers={"Accept-Encoding": "gzip"})
        assert packed.headers["Content-Encoding"] == "gzip" and gzip.decompress(packed.data) == r.data
        assert packed.headers["ETag"] != etag and "Accept-Encoding" in packed.headers["Vary"]
    assert client.get("/download/dataset.docx").status_code == 404
    assert client.get("/download/dataset.docx").mimetype == "text/plain"


def test_dataset_files_have_the_format_tables_media_types(client):
    for name, fmt in zip(DATASET, (formats.BY_NAME["trig"], formats.BY_NAME["nquads"], formats.BY_NAME["jsonld"])):
        r = client.get(f"/download/{name}")
        assert r.headers["Content-Type"] == fmt.content_type
        assert ox.RdfFormat.from_extension(name.rsplit(".", 1)[1]) == fmt.rdf_format
        assert r.headers["Content-Disposition"].startswith("attachment")


def test_nquads_hold_exactly_the_stores_quads_and_trig_and_jsonld_the_same(built, served):
    nquads = list(ox.parse(served["dataset.nq"], format=ox.RdfFormat.N_QUADS))
    assert len(nquads) == len(built.store) and len(set(nquads)) == len(nquads)
    trig = set(ox.parse(served["dataset.trig"], format=ox.RdfFormat.TRIG))
    jsonld = set(ox.parse(served["dataset.jsonld"], format=ox.RdfFormat.JSON_LD))
    assert set(nquads) == trig == jsonld
    without_blanks = {q for q in built.store if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))}
    assert without_blanks <= set(nquads)


def test_the_server_serves_the_bytes_kg_build_writes(built, public, served, tmp_path):
    files = pipeline.write(built, tmp_path / "out", public)
    for name in (*DATASET, "void.ttl"):
        assert files[name].read_bytes() == served[name], name          # the same base URL, the same description
    assert (tmp_path / "out" / ontodoc.DOC_FILE).read_bytes() == ontodoc.cached(public.ontology_files, public.doc_cache)


def test_void_carries_publisher_dates_version_and_rights(void, served, config):
    ontology = Graph()
    for path in config.ontology_files:
        ontology.parse(path)
    created = {str(d) for d in ontology.objects(None, DCTERMS.created)}
    row, = _select(void, f"""SELECT ?name ?issued ?modified ?version ?info ?licence WHERE {{ <{DATASET_IRI}>
        dcterms:publisher [ foaf:name ?name ] ; dcterms:issued ?issued ; dcterms:modified ?modified ;
        dcat:version ?version ; owl:versionInfo ?info ; dcterms:license ?licence }}""")
    assert row["name"] and row["issued"] in created and row["modified"] >= row["issued"]
    assert row["version"] == row["info"] == describe.nquads_hash(served["dataset.nq"])
    assert row["licence"] == LICENCE
    rights = {r["lang"]: r["text"] for r in _select(void, f"""SELECT ?text (LANG(?text) AS ?lang) WHERE {{
        <{DATASET_IRI}> dcterms:rights ?text }}""")}
    assert set(rights) == {"tr", "en"} and "publishers" in rights["en"] and "quotation" in rights["en"]
    endpoint, = _select(void, f"SELECT ?e WHERE {{ <{DATASET_IRI}> void:sparqlEndpoint ?e }}")
    assert endpoint["e"] == PUBLIC + "/sparql"


def test_void_names_each_download_with_its_iana_media_type_size_and_licence(client, void, served):
    rows = _select(void, f"""SELECT ?url ?type ?size ?licence WHERE {{ <{DATASET_IRI}> dcat:distribution ?d .
        ?d dcat:downloadURL ?url ; dcat:mediaType ?type ; dcat:byteSize ?size ; dcterms:license ?licence }}""")
    by_name = {r["url"].removeprefix(DOWNLOADS): r for r in rows}
    assert set(by_name) == set(DATASET)
    for name, row in by_name.items():
        media_type = client.get(f"/download/{name}").mimetype
        assert row["type"] == IANA_MEDIA_TYPES + media_type
        assert re.fullmatch(r"https://www\.iana\.org/assignments/media-types/(application|text)/[a-z+.-]+", row["type"])
        assert int(row["size"]) == len(served[name]) and row["licence"] == LICENCE


def _readme_rows() -> dict[str, list[str]]:
    """data/sources/README.md: each text file's row and the URLs in it."""
    rows = {}
    for line in (ROOT / "data" / "sources" / "README.md").read_text(encoding="utf-8").splitlines():
        found = re.match(r"\| `([^`]+\.txt)` \|", line)
        if found:
            rows[found.group(1)] = [u.rstrip(".,;") for u in re.findall(r"https?://[^\s)`|]+", line)]
    return rows


def test_void_sources_are_the_original_urls_of_the_documents_the_data_quotes(void, built):
    sources = {r["s"] for r in _select(void, f"SELECT ?s WHERE {{ <{DATASET_IRI}> dcterms:source ?s }}")}
    rows = _readme_rows()
    quoted = {s["id"].value.removeprefix("data/sources/") for s in query(built.store,
        f"SELECT ?id WHERE {{ ?doc <{CASD}textFile> ?text . ?text <{DCTERMS.identifier}> ?id }}")}
    assert quoted <= set(rows) and len(quoted) >= 30
    for name in quoted:
        assert set(rows[name]) <= sources, name                     # every URL of each quoted document
    urls = {u for name in quoted for u in rows[name]}
    without_url = sources - urls
    assert all(iri.startswith("https://w3id.org/casd/document/") for iri in without_url)   # the founding document
    assert len(without_url) == len([n for n in quoted if not rows[n]])
    not_quoted = {u for name in set(rows) - quoted for u in rows[name]}
    assert not (not_quoted & sources)                               # texts kept for a curator are no source yet


def test_download_page_lists_every_file_with_size_type_and_licence(client, served):
    for lang, words in (("en", ("Downloads", "MIT", "CC BY 4.0", "quotation")),
                        ("tr", ("İndirmeler", "MIT", "CC BY 4.0", "alıntı"))):
        r = client.get("/download/", headers={"Accept-Language": lang})
        page = html.unescape(r.get_data(as_text=True))
        assert r.status_code == 200 and f'<html lang="{lang}">' in page and all(w in page for w in words)
        for name in ALL:
            row = page.split(f'/download/{name}">{name}</a>', 1)[1].split("</tr>", 1)[0]
            assert f">{len(served[name])}<" in row, name
            assert client.get(f"/download/{name}").mimetype in row
            assert ("CC BY 4.0" in row) == (name in (*DATASET, "void.ttl"))
        version = describe.nquads_hash(served["dataset.nq"])
        assert f"<cite>casd knowledge graph team." in page and version in page and f"{PUBLIC}/sparql" in page
    assert client.get("/download").status_code == 200


def test_licences_and_citation(served):
    citation = yaml.safe_load(served["CITATION.cff"])
    assert citation["cff-version"] == "1.2.0" and citation["license"] == "CC-BY-4.0"
    assert citation["title"] and citation["authors"] and citation["url"] == "https://w3id.org/casd/"
    assert b"MIT License" in served["LICENSE"] and LICENCE.encode() in served["LICENSE-DATA"]
    assert b"quotation" in served["LICENSE-DATA"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and set(project["license-files"]) == {"LICENSE", "LICENSE-DATA"}


def _terms(config: Config) -> dict[str, dict[str, str]]:
    """Every owl:Class and owl:ObjectProperty of the ontology's namespace, by local name, with its labels."""
    graph = Graph()
    for path in config.ontology_files:
        graph.parse(path)
    terms: dict[str, dict[str, str]] = {}
    for kind in (OWL.Class, OWL.ObjectProperty):
        for term in graph.subjects(RDF.type, kind):
            if str(term).startswith(str(CASD)):
                labels = {str(l.language): str(l) for l in graph.objects(term, RDFS.label) if isinstance(l, Literal)}
                terms[str(term)[len(str(CASD)):]] = labels
    return terms


def test_ontology_page_is_pylodes_with_every_label_in_turkish_and_english(client, config):
    r = client.get("/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 303
    page = client.get(r.headers["Location"].removeprefix(PUBLIC)).get_data(as_text=True)
    assert 'href="https://github.com/rdflib/pyLODE"' in page          # pyLODE's, not the in-house list
    terms = _terms(config)
    assert len(terms) > 40
    for name, labels in terms.items():
        assert set(labels) >= {"tr", "en"}, name
        heading = html.unescape(page.split(f'id="{name}">', 1)[1].split("</h3>", 1)[0])   # the hash IRI lands
        assert labels["tr"] in heading and labels["en"] in heading, name
    assert "skos/core#exactMatch" in page and "wikidata.org/entity/Q1072326" in page       # alignments shown
    assert not re.search(r'<(script|img|iframe)[^>]+src=|<link[^>]+href="(https?:)?//|@import|url\(', page)


def test_pylode_output_is_reproducible_and_cached_by_its_inputs(public, client, tmp_path):
    run = [sys.executable, "-c", "import sys; from pathlib import Path; from kg.build import ontodoc; "
           "sys.stdout.buffer.write(ontodoc.document(sorted(Path(sys.argv[1]).glob('*.ttl'))))", str(ROOT / "ontology")]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    made = [subprocess.run(run, env=env, capture_output=True, check=True).stdout for _ in range(2)]
    assert made[0] == made[1] == client.get("/page/ontology").data
    copy = tmp_path / "casd.ttl"
    copy.write_bytes(public.ontology_files[0].read_bytes())
    before = ontodoc.key([copy])
    copy.write_bytes(copy.read_bytes() + b"\n# changed\n")
    assert ontodoc.key([copy]) != before
    assert (public.doc_cache / f"ontology-{ontodoc.key(public.ontology_files)[:32]}.html").read_bytes() == made[0]


def test_pylode_on_a_read_only_install_reads_a_copy_of_its_background(public, client, tmp_path, monkeypatch):
    from pylode import utils
    shipped = tmp_path / "rdf"                       # pyLODE's own folder, without its pickles, read-only
    shipped.mkdir()
    for source in Path(utils.RDF_FOLDER).glob("*.ttl"):
        (shipped / source.name).write_bytes(source.read_bytes())
    monkeypatch.setattr(utils, "RDF_FOLDER", shipped)
    monkeypatch.setattr(ontodoc.os, "access", lambda path, mode: Path(path) != shipped)
    assert ontodoc.document(public.ontology_files) == client.get("/page/ontology").data
    assert sorted(p.name for p in shipped.iterdir()) == sorted(p.name for p in shipped.glob("*.ttl"))
    assert utils.RDF_FOLDER == shipped                # put back


def test_well_known_void_carries_the_same_description_without_the_files(client, void):
    known = ox.Store()
    known.load(client.get("/.well-known/void").data, format=ox.RdfFormat.TURTLE)
    ask = f"""SELECT ?p ?o WHERE {{ <{DATASET_IRI}> ?p ?o FILTER(?p IN (dcterms:source, dcterms:rights,
        dcterms:issued, dcterms:modified, dcterms:license, void:sparqlEndpoint)) }}"""
    assert _select(known, ask) and sorted(map(str, _select(known, ask))) == sorted(map(str, _select(void, ask)))
    assert not _select(known, f"SELECT ?d WHERE {{ <{DATASET_IRI}> dcat:distribution ?d }}")
