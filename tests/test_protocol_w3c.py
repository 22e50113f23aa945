"""The 34 W3C SPARQL 1.1 Protocol tests, through the in-process client, a real server, and a real server in
front of each real remote store (oxigraph serve, Virtuoso)."""
from __future__ import annotations

import pytest

from conftest import NO_SHARED, TOKEN, W3C_PROTOCOL, client_sender, http_sender, record_w3c
from kg.config import Config
from kg.server import create_app

if not W3C_PROTOCOL.exists():
    pytest.skip(NO_SHARED, allow_module_level=True)

import w3c_protocol  # noqa: E402

TESTS = w3c_protocol.load(W3C_PROTOCOL)
STORE_NAMES = {"oxigraph": "oxigraph serve", "virtuoso": "Virtuoso"}

def _run(where: str, test, send) -> None:
    suite = f"W3C SPARQL 1.1 Protocol ({where})"
    record_w3c(suite, len(TESTS), test.name, False)
    w3c_protocol.run(test, send, "/sparql", "/store", TOKEN)
    record_w3c(suite, len(TESTS), test.name, True)


@pytest.fixture(scope="module")
def client():
    return create_app(Config(empty=True, write_token=TOKEN)).test_client()


def test_manifest_has_34_tests():
    assert len(TESTS) == 34


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol_in_process(client, test):
    _run("in-process app", test, client_sender(client))


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol_real_server(empty_server, test):
    _run("kg serve", test, http_sender(empty_server))


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol_remote_store(remote, test):
    """Through `kg serve --store URL` in front of each real remote store (conftest.REMOTES)."""
    _run(f"kg serve fronting {STORE_NAMES[remote.name]}", test, http_sender(remote.kg_port))


def test_runner_fails_an_endpoint_that_says_yes_to_everything():
    def yes(method, path, headers, body):
        if method == "POST" and body == b"DROP ALL":
            return 204, {}, b""
        if method == "PUT":
            return 201, {}, b""
        return 200, {"content-type": "application/sparql-results+json"}, b'{"head":{},"boolean":false}'
    by_name = {t.name: t for t in TESTS}
    for name in ("bad_query_syntax", "bad_update_dataset_conflict", "query_get"):
        with pytest.raises(AssertionError):
            w3c_protocol.run(by_name[name], yes, "/sparql", "/store", TOKEN)
