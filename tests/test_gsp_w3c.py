"""The W3C SPARQL 1.1 Graph Store Protocol tests: in-process, against `kg serve --empty`, and (the current suite)
against `kg serve` fronting a real `oxigraph serve` and a real Virtuoso.

graph-store-protocol/manifest.ttl (manifest-direct.ttl and manifest-indirect.ttl): 13 tests of 39 requests.
http-rdf-update/manifest.ttl, the deprecated earlier suite: 18 tests of one request each, run as one sequence,
with the corrections tests/w3c_gsp.py lists in ERRATA. How the manifests are read and run: tests/w3c_gsp.py.
"""
from __future__ import annotations

import pytest

from conftest import NO_SHARED, SHARED, TOKEN, client_sender, http_sender, record_w3c
from kg.config import Config
from kg.server import create_app

SPARQL11 = SHARED / "w3c" / "sparql" / "sparql11"
GSP = SPARQL11 / "graph-store-protocol"
OLD = SPARQL11 / "http-rdf-update" / "manifest.ttl"
if not (GSP / "manifest.ttl").exists() or not OLD.exists():
    pytest.skip(NO_SHARED, allow_module_level=True)

import w3c_gsp  # noqa: E402

CURRENT = w3c_gsp.load(GSP / "manifest.ttl")
DEPRECATED = w3c_gsp.load_sequence(OLD)
# What /store offers, as the manifests name features (mf:requires): graphs named by ?graph= or by the request
# path under /store, and a POST to /store itself creating a graph. A test needing anything else is skipped.
FEATURES = {w3c_gsp.DIRECT, w3c_gsp.INDIRECT, w3c_gsp.CREATION}


def _run(suite: str, tests: list, test, send) -> None:
    reason = w3c_gsp.not_applicable(test, FEATURES)
    if reason:
        pytest.skip(f"not applicable: {reason}")       # reported as skipped, not counted as passed
    record_w3c(suite, len(tests), test.name, False)
    w3c_gsp.run(test, send, "/store", "/sparql", TOKEN, FEATURES)
    record_w3c(suite, len(tests), test.name, True)


@pytest.fixture(scope="module")
def client():
    # the deprecated suite replays its sequence for each test: some 200 requests, more than the default burst
    return create_app(Config(empty=True, write_token=TOKEN, client_rate=100000, client_burst=100000)).test_client()


def test_the_manifests_hold_13_and_18_tests():
    """13 listed tests of 39 requests (4 direct, 9 indirect), 18 deprecated ones; 31 tests, 57 requests in all."""
    assert [len([t for t in CURRENT if w3c_gsp.DIRECT in t.requires]), len(CURRENT)] == [4, 13]
    assert sum(len(t.steps) for t in CURRENT) == 39
    assert len(DEPRECATED) == 18
    assert [t.name for t in w3c_gsp.load_unlisted(GSP / "manifest-direct.ttl")] == ["head_non_existing_direct"]
    assert sorted(t.name for t in DEPRECATED if t.errata) == sorted(w3c_gsp.ERRATA)


@pytest.mark.parametrize("test", CURRENT, ids=[t.name for t in CURRENT])
def test_w3c_gsp_in_process(client, test):
    _run("W3C SPARQL 1.1 Graph Store Protocol (in-process app)", CURRENT, test, client_sender(client))


@pytest.mark.parametrize("test", CURRENT, ids=[t.name for t in CURRENT])
def test_w3c_gsp_real_server(empty_server, test):
    _run("W3C SPARQL 1.1 Graph Store Protocol (kg serve)", CURRENT, test, http_sender(empty_server))


# Virtuoso has no default graph of its own to write into (its default graph is the union of all graphs), so kg
# refuses PUT/POST to ?default there with a 400 that says why (docs/remote-stores.md).
NO_WRITABLE_DEFAULT = {"virtuoso": {"put_get_default"}}


@pytest.mark.parametrize("test", CURRENT, ids=[t.name for t in CURRENT])
def test_w3c_gsp_remote_store(remote, test, request):
    if test.name in NO_WRITABLE_DEFAULT.get(remote.name, ()):
        request.applymarker(pytest.mark.xfail(strict=True, reason="Virtuoso has no writable default graph"))
    store = "oxigraph serve" if remote.name == "oxigraph" else "Virtuoso"
    _run(f"W3C SPARQL 1.1 Graph Store Protocol (kg serve fronting {store})", CURRENT, test, http_sender(remote.kg_port))


@pytest.mark.parametrize("test", DEPRECATED, ids=[t.name for t in DEPRECATED])
def test_w3c_gsp_deprecated_in_process(client, test):
    _run("W3C SPARQL 1.1 Graph Store Protocol, deprecated http-rdf-update (in-process app)", DEPRECATED, test,
         client_sender(client))


@pytest.mark.parametrize("test", DEPRECATED, ids=[t.name for t in DEPRECATED])
def test_w3c_gsp_deprecated_real_server(empty_server, test):
    _run("W3C SPARQL 1.1 Graph Store Protocol, deprecated http-rdf-update (kg serve)", DEPRECATED, test,
         http_sender(empty_server))


def test_the_unlisted_test_passes_too(client):
    for test in w3c_gsp.load_unlisted(GSP / "manifest-direct.ttl"):
        w3c_gsp.run(test, client_sender(client), "/store", "/sparql", TOKEN, FEATURES)


def test_a_test_needing_an_unclaimed_feature_is_not_applicable(client):
    direct = next(t for t in CURRENT if w3c_gsp.DIRECT in t.requires)
    with pytest.raises(w3c_gsp.NotApplicable, match="DirectGraphIdentification"):
        w3c_gsp.run(direct, client_sender(client), "/store", "/sparql", TOKEN, FEATURES - {w3c_gsp.DIRECT})


def test_runner_fails_an_endpoint_that_says_yes_to_everything():
    def yes(method, path, headers, body):
        if body == b"DROP ALL":
            return 204, {}, b""
        if method in ("PUT", "POST"):
            return 201, {"location": "http://www.example/store/new"}, b""
        return 200, {"content-type": "text/turtle; charset=utf-8"}, b"<http://a> <http://b> <http://c> ."
    for tests, name in [(CURRENT, "put_get_repeat_indirect"), (CURRENT, "put_delete_get_delete_direct"),
                        (CURRENT, "post_get_new_graph"), (DEPRECATED, "get_of_post__multipart_formdata"),
                        (DEPRECATED, "head_on_a_nonexisting_graph")]:
        with pytest.raises(AssertionError):
            w3c_gsp.run(next(t for t in tests if t.name == name), yes, "/store", "/sparql", TOKEN, FEATURES)
