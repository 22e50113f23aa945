"""Shared fixtures: the project's configuration, one build of the real graph, and data patching."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import build
from kg.config import Config
from kg.namespaces import PREFIXES

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def config() -> Config:
    return Config(root=ROOT)


@pytest.fixture(scope="session")
def built(config: Config) -> build.Built:
    """The real build (HermiT, pySHACL, quote check), run once per session."""
    return build.check(config)


def patched_store(config: Config, patch: Path) -> ox.Store:
    """The shipped data in a store, with a SPARQL Update fixture applied."""
    _, data = build.load_sources(config)
    store = ox.Store()
    store.extend(data)
    store.update(patch.read_text(encoding="utf-8"), prefixes=dict(PREFIXES))
    return store


def expectation(patch: Path) -> tuple[str, str]:
    """The `# expect: SHAPE PATH` line of a negative fixture."""
    match = re.search(r"^# expect: (\S+) (\S+)$", patch.read_text(encoding="utf-8"), re.M)
    assert match, f"{patch.name} has no '# expect: SHAPE PATH' line"
    return match.group(1), match.group(2)


# ---------------------------------------------------------------- HTTP: an in-process client and a real server

W3C_PROTOCOL = SHARED / "w3c" / "sparql" / "sparql11" / "protocol" / "manifest.ttl"
TOKEN = "test-write-token"


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client_sender(client):
    """A sender over Flask's test client: (method, path, headers, body) -> (status, headers, body)."""
    def send(method: str, path: str, headers: dict, body: bytes):
        response = client.open(path, method=method, headers=headers, data=body)
        return response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.get_data()
    return send


def http_sender(port: int):
    """A sender over a real HTTP connection to a server on loopback."""
    import http.client

    def send(method: str, path: str, headers: dict, body: bytes):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()
    return send


@pytest.fixture(scope="session")
def empty_server():
    """`kg serve --empty` started as its own process on a free loopback port, with a write token."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    env = {**os.environ, "KG_WRITE_TOKEN": TOKEN}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--empty", "--port", str(port), "--threads", "4"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("kg serve did not start: " + proc.stderr.read().decode(errors="replace")[-2000:])
            time.sleep(0.1)
    yield port
    proc.terminate()
    proc.wait(timeout=20)
