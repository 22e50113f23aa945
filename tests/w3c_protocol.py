"""Read the W3C SPARQL 1.1 Protocol tests and run them through any HTTP sender (test client or real server)."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

TABULAR = ("application/sparql-results+xml", "application/sparql-results+json", "text/csv", "text/tab-separated-values")
BOOLEAN = ("application/sparql-results+xml", "application/sparql-results+json")
RDF_TYPES = ("application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json", "text/html",
             "application/xhtml+xml")

# (method, path, headers, body) -> (status, headers, body)
Send = Callable[[str, str, dict, bytes], tuple[int, dict, bytes]]


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    statuses: list[str]
    fmt: str | None
    boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[Request]
    graphs: dict[str, Path] = field(default_factory=dict)   # graph IRI -> file


def load(manifest: Path) -> list[ProtocolTest]:
    """The tests of the manifest, in its order."""
    g = Graph().parse(manifest, format="turtle", publicID=manifest.resolve().as_uri())
    entries = Collection(g, g.value(URIRef(manifest.resolve().as_uri()), MF.entries))
    return [_test(g, t, manifest.parent) for t in entries]


def _test(g: Graph, node, folder: Path) -> ProtocolTest:
    graphs = {}
    for gd in g.objects(node, UT.graphData):
        graphs[str(g.value(gd, RDFS.label))] = folder / str(g.value(gd, UT.graph)).rsplit("/", 1)[-1]
    action = g.value(node, MF.action)
    requests = [_request(g, r) for r in Collection(g, g.value(action, HT.requests))]
    return ProtocolTest(str(node).rsplit("#", 1)[-1], str(g.value(node, MF.name)), requests, graphs)


def _request(g: Graph, r) -> Request:
    headers = {}
    header_list = g.value(r, HT.headers)
    if header_list is not None:
        for h in Collection(g, header_list):
            headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
    body = b""
    body_node = g.value(r, HT.body)
    if body_node is not None:
        encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
        if "charset=UTF-16" in headers.get("content-type", ""):
            encoding = "UTF-16"
        body = str(g.value(body_node, CNT.chars)).encode(encoding)
    resp = g.value(r, HT.resp)
    statuses = sorted(str(s).removeprefix(HTS) for s in g.objects(resp, MF.expectedStatus))
    fmt = g.value(resp, MF.expectedFormat)
    boolean = g.value(resp, MF.expectedBoolean)
    return Request(str(g.value(r, HT.methodName)), str(g.value(r, HT.absolutePath)), headers, body,
                   statuses, str(fmt) if fmt is not None else None,
                   None if boolean is None else boolean.toPython())


def run(test: ProtocolTest, send: Send, sparql_path: str, store_path: str, token: str) -> None:
    """Run one test: reset the store, load its graphs through the Graph Store Protocol, send its requests."""
    auth = {"Authorization": f"Bearer {token}"}
    status, _, body = send("POST", sparql_path, {"Content-Type": "application/sparql-update", **auth}, b"DROP ALL")
    assert status == 204, (status, body)
    for iri, path in test.graphs.items():
        status, _, body = send("PUT", f"{store_path}?graph={iri}", {"Content-Type": "application/n-triples", **auth},
                               path.read_bytes())
        assert status in (201, 204), (status, body)
    for i, req in enumerate(test.requests):
        path = sparql_path + req.path.removeprefix("/sparql/")
        status, headers, body = send(req.method, path, {**req.headers, **auth}, req.body)
        where = f"{test.name} request {i + 1}: {req.method} {req.path} -> {status} {body[:300]!r}"
        assert any(str(status).startswith(s[0]) if s.endswith("xx") else str(status) == s for s in req.statuses), where
        if req.fmt is not None:
            _check_format(req, headers, body, where)


def _check_format(req: Request, headers: dict, body: bytes, where: str) -> None:
    media = headers.get("content-type", "").split(";")[0].strip().lower()
    allowed = {"boolean": BOOLEAN, "tabular": TABULAR, "RDF": RDF_TYPES}[req.fmt]
    assert media in allowed, f"{where}: content type {media} not one of {allowed}"
    if req.boolean is not None:
        assert _boolean(media, body) is req.boolean, where


def _boolean(media: str, body: bytes) -> bool:
    if media == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    root = ET.fromstring(body)
    node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    return node.text.strip() == "true"
