"""Read the W3C SPARQL 1.1 Graph Store Protocol tests and run them through any HTTP sender (test client or server).

Two manifests:

* graph-store-protocol/manifest.ttl includes manifest-direct.ttl and manifest-indirect.ttl: each test is an
  ht:Connection whose ht:Requests run in order on an emptied store. A response must have one of the listed
  statuses (exact codes); mf:expectedLocation binds a template variable ($LOCATION$) to the Location header for
  the later requests; an ht:body must be isomorphic to the graph returned; the /gsp path prefix becomes ours.
  manifest-direct.ttl also defines head_non_existing_direct without listing it in mf:entries: it is not one of
  the suite's tests, so `load` leaves it out (`load_unlisted` reads it).
* http-rdf-update/manifest.ttl is the earlier, deprecated suite: each test is one request written as Markdown
  in an rdfs:comment, and the tests form one sequence on one store. So each test here replays the sequence from
  an emptied store up to and including its own request, every step checked. A response gives one example
  status where the protocol allows several (200 or 204 for a write), so statuses are compared by class.
  $GRAPHSTORE$ is our path, $HOST$ the Host sent, $NEWPATH$ the Location of the graph a POST created.
  The manifest cannot be run as written; ERRATA says where and how it is corrected, each with its reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = "http://www.w3.org/2011/http-statusCodes#"
STORE = "$GRAPHSTORE$"            # stands for the endpoint's path in every request path
HOST = "www.example"              # the manifests' ht:connectionAuthority, sent as Host (and $HOST$ of the old suite)
DIRECT, INDIRECT, CREATION = (str(MF[f]) for f in ("DirectGraphIdentification", "IndirectGraphIdentification",
                                                   "POSTGraphCreation"))
RDF_SYNTAX = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
              "application/ld+json": "json-ld", "application/n-quads": "nquads", "application/trig": "trig"}

# (method, path, headers, body) -> (status, headers with lower-case names, body)
Send = Callable[[str, str, dict, bytes], tuple[int, dict, bytes]]


class NotApplicable(Exception):
    """The test needs a feature (mf:requires) the endpoint does not claim."""


@dataclass
class Step:
    method: str
    path: str                       # starts with $GRAPHSTORE$, or is a template variable such as $NEWPATH$
    headers: dict[str, str]
    body: str
    statuses: tuple[str, ...]       # "201", or a class such as "2xx"
    location: str | None = None     # the template variable the Location header binds
    content_type: str | None = None  # expected Content-Type of the response
    graph: str | None = None        # expected graph, in the syntax of content_type (text/turtle if none)
    crlf: bool = False              # send the body with CRLF line ends (multipart)


@dataclass
class GspTest:
    name: str
    title: str
    requires: tuple[str, ...]
    steps: list[Step]
    own: int = 0                    # the first of this test's own steps; those before replay the sequence
    errata: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- graph-store-protocol/manifest.ttl

def load(manifest: Path) -> list[GspTest]:
    """The tests of a manifest (following mf:include), in order."""
    g, node = _graph(manifest)
    included = g.value(node, MF.include)
    if included is not None:
        return [t for m in Collection(g, included) for t in load(manifest.parent / str(m).rsplit("/", 1)[-1])]
    return [_test(g, t) for t in Collection(g, g.value(node, MF.entries))]


def load_unlisted(manifest: Path) -> list[GspTest]:
    """Tests a manifest defines but does not list in mf:entries."""
    g, node = _graph(manifest)
    listed = set(Collection(g, g.value(node, MF.entries)))
    return [_test(g, t) for t in sorted(set(g.subjects(None, MF.GraphStoreProtocolTest)) - listed)]


def _graph(manifest: Path) -> tuple[Graph, URIRef]:
    uri = manifest.resolve().as_uri()
    return Graph().parse(manifest, format="turtle", publicID=uri), URIRef(uri)


def _test(g: Graph, node) -> GspTest:
    action = g.value(node, MF.action)
    steps = [_step(g, r) for r in Collection(g, g.value(action, HT.requests))]
    return GspTest(str(node).rsplit("#", 1)[-1], str(g.value(node, MF.name)),
                   tuple(sorted(str(f) for f in g.objects(node, MF.requires))), steps)


def _step(g: Graph, r) -> Step:
    resp = g.value(r, HT.resp)
    path = str(g.value(r, HT.absolutePath))
    assert path.startswith("/gsp"), path
    headers = _headers(g, r)
    expected = _headers(g, resp)
    location = g.value(resp, MF.expectedLocation)
    return Step(str(g.value(r, HT.methodName)), STORE + path.removeprefix("/gsp"), headers, _chars(g, r),
                tuple(sorted(_status(str(s).removeprefix(HTS)) for s in g.objects(resp, MF.expectedStatus))),
                None if location is None else str(location), expected.get("content-type"),
                _chars(g, resp) if g.value(resp, HT.body) is not None else None)


def _headers(g: Graph, node) -> dict[str, str]:
    found = g.value(node, HT.headers)
    return {} if found is None else {str(g.value(h, HT.fieldName)).lower(): str(g.value(h, HT.fieldValue))
                                     for h in Collection(g, found)}


def _chars(g: Graph, node) -> str:
    body = g.value(node, HT.body)
    return "" if body is None else str(g.value(body, CNT.chars))


def _status(name: str) -> str:
    """hts:Created -> "201"; hts:StatusCode2xx -> "2xx"."""
    if name.startswith("StatusCode"):
        return name.removeprefix("StatusCode").lower()
    return str(HTTPStatus[re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).upper()].value)


# ---------------------------------------------------------------- http-rdf-update/manifest.ttl (deprecated)

FOAF_NAME = '<http://$HOST$$GRAPHSTORE$/person/1> foaf:name "Jane Doe"'
# test -> (why, replacements in its request body, replacements in its expected graph, a step to run before it)
ERRATA: dict[str, tuple[str, list[tuple[str, str]], list[tuple[str, str]], Step | None]] = {
    "delete__existing_graph": (
        "no listed test creates person/2.ttl, so this test and delete__nonexistent_graph would send the same "
        "request to the same store and expect 200 and 404; person/2.ttl is first PUT as an empty graph, as an "
        "earlier form of the suite did in a test this manifest does not list", [], [],
        Step("PUT", STORE + "/person/2.ttl", {"content-type": "text/turtle; charset=utf-8"}, "", ("2xx",))),
    "post__existing_graph": (
        "the Turtle body lacks the '.' that ends its triple (the current suite has it)",
        [(FOAF_NAME, FOAF_NAME + " .")], [], None),
    "post__multipart_formdata": (
        "neither part's Turtle ends its triple with '.' (the current suite has them)",
        [('foaf:familyName "Doe"', 'foaf:familyName "Doe" .'), ('foaf:givenName "Jane"', 'foaf:givenName "Jane" .')],
        [], None),
    "get_of_post__existing_graph": (
        "the expected graph is the one of get_of_put__initial_state, before the PUT of 'Jane Doe' and the POST of "
        "foaf:name; it is corrected to the graph those writes leave (what get_of_post__multipart_formdata expects, "
        "less the two names the multipart POST adds)", [],
        [('v:fn "John Doe"', 'v:fn "Jane Doe"'), ("a foaf:Person;", 'a foaf:Person; foaf:name "Jane Doe";')], None),
}


def load_sequence(manifest: Path) -> list[GspTest]:
    """The deprecated suite: test n replays the sequence of tests 1..n (with ERRATA applied) and checks every step."""
    g, node = _graph(manifest)
    sequence: list[Step] = []
    tests = []
    for t in Collection(g, g.value(node, MF.entries)):
        name = str(t).rsplit("#", 1)[-1]
        text = next(str(c) for c in g.objects(t, RDFS.comment) if "#### Request" in str(c))
        step = _markdown_step(text.replace("$HOST$/$GRAPHSTORE$", "$HOST$$GRAPHSTORE$"))
        why, in_body, in_graph, before = ERRATA.get(name, (None, [], [], None))
        step = replace(step, body=_fixed(step.body, in_body), graph=step.graph and _fixed(step.graph, in_graph))
        sequence += [before] if before else []
        sequence.append(step)
        tests.append(GspTest(name, str(g.value(t, MF.name)), (DIRECT, INDIRECT, CREATION), list(sequence),
                             len(sequence) - 1 - (before is not None), [why] if why else []))
    return tests


def _fixed(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert old in text, f"erratum no longer applies: {old!r} is not in {text!r}"
        text = text.replace(old, new)
    return text


def _markdown_step(text: str) -> Step:
    """One request and its response from the Markdown of a test's rdfs:comment (indented code blocks)."""
    request, response = (_block(part) for part in text.split("#### Response"))
    start, req_headers, body = _message(request.strip().removeprefix("#### Request"))
    method, target, _version = start.split()
    status, resp_headers, graph = _message(response)
    crlf = req_headers.get("content-type", "").startswith("multipart/")
    return Step(method, target, {k: v for k, v in req_headers.items() if k != "host"}, body,
                (status.split()[0][0] + "xx",), resp_headers.get("location"), resp_headers.get("content-type"),
                graph or None, crlf)


def _block(text: str) -> str:
    return "\n".join(line[4:] if line.startswith("    ") else line.strip() for line in text.splitlines())


def _message(text: str) -> tuple[str, dict[str, str], str]:
    """Start line, headers (lower-case names) and body of an HTTP message written out."""
    lines = text.strip("\n").splitlines()
    end = lines.index("") if "" in lines else len(lines)
    headers = dict((k.strip().lower(), v.strip()) for k, _, v in (h.partition(":") for h in lines[1:end]))
    return lines[0], headers, "\n".join(lines[end + 1:]).strip("\n") + ("\n" if end < len(lines) else "")


# ---------------------------------------------------------------- running

def run(test: GspTest, send: Send, store_path: str, sparql_path: str, token: str, features: set[str]) -> None:
    """Empty the store, then send the test's requests in order; AssertionError at the first that is wrong."""
    reason = not_applicable(test, features)
    if reason:
        raise NotApplicable(reason)
    auth = {"Authorization": f"Bearer {token}"}
    status, _, body = send("POST", sparql_path, {"Content-Type": "application/sparql-update", **auth}, b"DROP ALL")
    assert status == 204, (status, body)
    bound = {"$HOST$": HOST, STORE: store_path}
    for i, step in enumerate(test.steps):
        path = _substitute(step.path, bound)
        if "://" in path:                      # a Location used as the request target: its path and query
            url = urlsplit(path)
            path = url.path + (f"?{url.query}" if url.query else "")
        text = _substitute(step.body, bound)
        body = (text.replace("\r\n", "\n").replace("\n", "\r\n") if step.crlf else text).encode("utf-8")
        status, headers, got = send(step.method, path, {**step.headers, "Host": HOST, **auth}, body)
        where = (f"{test.name} {'step' if i >= test.own else 'earlier step'} {i + 1}: {step.method} {path} -> "
                 f"{status} {got[:300]!r}")
        assert any(str(status) == s or (s.endswith("xx") and str(status)[0] == s[0]) for s in step.statuses), \
            f"{where}; expected {' or '.join(step.statuses)}"
        if step.location:
            assert headers.get("location"), f"{where}: no Location header"
            bound[step.location] = headers["location"]
        if step.content_type:
            _check_media(step.content_type, headers.get("content-type", ""), where)
        if step.graph is not None:
            _check_graph(_substitute(step.graph, bound), step.content_type, headers, got, f"http://{HOST}{path}", where)


def not_applicable(test: GspTest, features: set[str]) -> str | None:
    """Why the test does not apply to an endpoint with these features (None: it does)."""
    missing = sorted(m.rsplit("#")[-1] for m in set(test.requires) - features)
    return f"{test.name} needs {', '.join(missing)}, which the endpoint does not claim" if missing else None


def _substitute(text: str, bound: dict[str, str]) -> str:
    for name, value in bound.items():
        text = text.replace(name, value)
    return text


def _check_media(expected: str, got: str, where: str) -> None:
    """The media type must match; so must the charset, where one is expected."""
    def parts(value: str) -> tuple[str, str | None]:
        media, _, params = value.partition(";")
        charset = re.search(r"charset\s*=\s*\"?([\w-]+)", params, re.I)
        return media.strip().lower(), charset.group(1).lower() if charset else None
    (media, charset), (got_media, got_charset) = parts(expected), parts(got)
    assert got_media == media and charset in (None, got_charset), f"{where}: Content-Type {got!r}, expected {expected!r}"


def _check_graph(expected: str, media: str | None, headers: dict, body: bytes, base: str, where: str) -> None:
    want = Graph().parse(data=expected, format=RDF_SYNTAX[(media or "text/turtle").split(";")[0].strip()],
                         publicID=base)
    got_media = headers.get("content-type", "").split(";")[0].strip().lower()
    assert got_media in RDF_SYNTAX, f"{where}: Content-Type {got_media!r} is not an RDF syntax"
    got = Graph().parse(data=body, format=RDF_SYNTAX[got_media], publicID=base)
    assert isomorphic(want, got), (f"{where}: graph not isomorphic to the expected one\nexpected:\n"
                                   f"{want.serialize(format='nt')}\ngot:\n{got.serialize(format='nt')}")
