"""The 34 W3C SPARQL 1.1 Protocol tests, through the in-process client and through a real server."""
from __future__ import annotations

import pytest

from conftest import TOKEN, W3C_PROTOCOL, client_sender, http_sender
from kg.config import Config
from kg.server import create_app

if not W3C_PROTOCOL.exists():
    pytest.skip("../shared/w3c is not beside this checkout", allow_module_level=True)

import w3c_protocol  # noqa: E402

TESTS = w3c_protocol.load(W3C_PROTOCOL)
RESULTS: dict[str, dict[str, bool]] = {"client": {}, "server": {}, "server fronting oxigraph serve": {}}


@pytest.fixture(scope="module")
def client():
    return create_app(Config(empty=True, write_token=TOKEN)).test_client()


def test_manifest_has_34_tests():
    assert len(TESTS) == 34


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol_in_process(client, test):
    RESULTS["client"][test.name] = False
    w3c_protocol.run(test, client_sender(client), "/sparql", "/store", TOKEN)
    RESULTS["client"][test.name] = True


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol_real_server(empty_server, test):
    RESULTS["server"][test.name] = False
    w3c_protocol.run(test, http_sender(empty_server), "/sparql", "/store", TOKEN)
    RESULTS["server"][test.name] = True


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol_remote_store(remote_server, test):
    RESULTS["server fronting oxigraph serve"][test.name] = False
    w3c_protocol.run(test, http_sender(remote_server), "/sparql", "/store", TOKEN)
    RESULTS["server fronting oxigraph serve"][test.name] = True


def test_print_w3c_protocol_pass_count(capsys):
    with capsys.disabled():
        for where, results in RESULTS.items():
            print(f"\nW3C SPARQL 1.1 Protocol ({where}): {sum(results.values())}/{len(TESTS)} passed")
    assert all(len(r) == len(TESTS) for r in RESULTS.values())


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
