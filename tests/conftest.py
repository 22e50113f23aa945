"""Shared fixtures: the project's configuration, one build of the real graph, and data patching."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import pipeline
from kg.config import Config
from kg.vocab import PREFIXES

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SHARED = ROOT.parent / "shared"
NO_SHARED = ("needs ../shared beside the checkout (the W3C SPARQL 1.1 and SHACL test suites and the source corpus, "
             "laid there in CI); a bare clone skips it")

# W3C suites record each test's outcome here (suite -> test -> passed); the pass counts are printed at the end.
W3C_OUTCOMES: dict[str, dict[str, bool]] = {}
W3C_SIZES: dict[str, int] = {}


_RUNNING: list = [None]          # the test item running in this process


@pytest.fixture(autouse=True)
def _running_item(request):
    _RUNNING[0] = request.node
    yield
    _RUNNING[0] = None


def record_w3c(suite: str, size: int, test: str, passed: bool) -> None:
    """Note one W3C test's outcome for the summary printed after the run: as a user property of the running test,
    which its reports carry to the process that prints the summary (pytest-xdist's controller, or this one)."""
    _RUNNING[0].user_properties.append(("w3c", (suite, size, test, passed)))


def pytest_runtest_logreport(report) -> None:
    """Gather the W3C outcomes that the reports carry."""
    for name, value in report.user_properties:
        if name == "w3c":
            suite, size, test, passed = value
            W3C_SIZES[suite] = size
            W3C_OUTCOMES.setdefault(suite, {})[test] = passed


def pytest_terminal_summary(terminalreporter) -> None:
    """The W3C pass counts, whatever order the tests ran in (or why the suites did not run)."""
    if not W3C_SIZES:
        if not SHARED.exists():
            terminalreporter.write_line(f"W3C suites: not run; {NO_SHARED}")
        return
    terminalreporter.section("W3C conformance")
    for suite, size in sorted(W3C_SIZES.items()):
        outcomes = W3C_OUTCOMES.get(suite, {})
        terminalreporter.write_line(f"{suite}: {sum(outcomes.values())}/{size} passed ({len(outcomes)} run)")


@pytest.fixture(scope="session")
def config() -> Config:
    return Config(root=ROOT)


@pytest.fixture(scope="session")
def built(config: Config) -> pipeline.Built:
    """The real build (HermiT, pySHACL, quote check), run once per session."""
    return pipeline.check(config)


# The founding document, the Wikidata graphs and the two series documents that give the founding document's 1st
# and 2nd meetings their days: a base a quarter the size of the data, for the tests that validate or reason over
# a patched copy once per case. It lacks some of what the rest of the series declares (a city's class, an outcome
# adopted in 2019), so such tests compare against its own report.
FOUNDING = sorted([*(ROOT / "data").glob("*.trig"), *(ROOT / "data" / "series" / f"{name}.trig" for name in (
    "mir24-undated", "mfa-tm-2019-11-30"))])


def founding_quads() -> list[ox.Quad]:
    """The quads of FOUNDING."""
    from kg.build.loading import parse_files
    return list(parse_files(FOUNDING))


def patched_store(config: Config, patch: Path, data: list[ox.Quad] | None = None) -> ox.Store:
    """The shipped data (or `data`) in a store, with a SPARQL Update fixture applied."""
    if data is None:
        _, data = pipeline.load_sources(config)
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


def metric_samples(text: str) -> dict[tuple, float]:
    """A Prometheus exposition, read by prometheus_client's own parser: {(name, sorted labels): value}."""
    from prometheus_client.parser import text_string_to_metric_families
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


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
    import os

    def send(method: str, path: str, headers: dict, body: bytes):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=float(os.environ.get("KG_TEST_HTTP_TIMEOUT", "60")))
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()
    return send


def _available(proc) -> str:
    """What a failed server wrote to its stderr pipe so far, without waiting (a process it left behind may still
    hold the pipe open, so reading to the end could block for ever)."""
    import os
    if proc.stderr is None:
        return "see its log"
    os.set_blocking(proc.stderr.fileno(), False)
    try:
        data = proc.stderr.read() or b""
    except OSError:
        data = b""
    return data.decode(errors="replace")[-2000:]


def _wait_until_up(proc, url: str, what: str) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"{what} did not start: {_available(proc)}")
            time.sleep(0.1)


def start_kg_serve(*args: str, writable: bool = True, log=None):
    """`kg serve ARGS` as its own process on a free loopback port, with the test write token unless read-only.

    Its standard error (the access log) goes to a pipe, read when it stops; give `log` (an open file) for a
    server that will answer more requests than a pipe holds, else the server blocks writing its log."""
    import os
    import subprocess
    import sys

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "KG_WRITE_TOKEN"}
    if writable:
        env["KG_WRITE_TOKEN"] = TOKEN
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", str(port), "--threads", "4",
                             "--client-rate", "100000", "--client-burst", "100000", *args],
                            env=env, stdout=subprocess.DEVNULL, stderr=log or subprocess.PIPE)
    _wait_until_up(proc, f"http://127.0.0.1:{port}/health", "kg serve")
    return proc, port


def stop(proc) -> None:
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def empty_server():
    """`kg serve --empty`: an empty in-memory store without the shape gate."""
    proc, port = start_kg_serve("--empty")
    yield port
    stop(proc)


@pytest.fixture(scope="session")
def oxigraph_server():
    """A real `oxigraph serve` (PyPI package oxigraph), in memory, on loopback, with its own default graph."""
    import shutil
    import subprocess
    import sys

    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _wait_until_up(proc, f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", "oxigraph serve")
    yield port
    stop(proc)


@pytest.fixture(scope="session")
def remote_server(oxigraph_server):
    """`kg serve --store URL` fronting the real Oxigraph server."""
    proc, port = start_kg_serve("--store", f"http://127.0.0.1:{oxigraph_server}/query")
    yield port
    stop(proc)


# ---------------------------------------------------------------- Remote stores: oxigraph serve and Virtuoso

from virtuoso import virtuoso_server  # noqa: E402,F401  (a fixture: a real Virtuoso, or a skip if not installed)

REMOTES = ("oxigraph", "virtuoso")


@dataclass(frozen=True)
class Remote:
    """One real remote store and `kg serve --store URL` in front of it."""

    name: str          # "oxigraph" or "virtuoso"
    url: str           # the store's SPARQL endpoint, as given to `kg load --store` and `kg serve --store`
    kg_port: int       # the port of `kg serve --store url`

    def ask(self, text: str) -> bool:
        """An ASK sent straight to the store (not through kg)."""
        import json
        import urllib.parse
        import urllib.request

        request = urllib.request.Request(f"{self.url}?query={urllib.parse.quote(text)}",
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as r:
            return json.loads(r.read())["boolean"]


@pytest.fixture(scope="session")
def virtuoso_kg_server(virtuoso_server):
    """`kg serve --store URL` fronting the real Virtuoso's /sparql endpoint."""
    proc, port = start_kg_serve("--store", f"http://127.0.0.1:{virtuoso_server}/sparql")
    yield port
    stop(proc)


@pytest.fixture(scope="session", params=REMOTES)
def remote(request) -> Remote:
    """Each real remote store in turn (oxigraph serve, Virtuoso), with kg serve in front of it."""
    if request.param == "oxigraph":
        store, kg_port = request.getfixturevalue("oxigraph_server"), request.getfixturevalue("remote_server")
        return Remote("oxigraph", f"http://127.0.0.1:{store}/query", kg_port)
    store, kg_port = request.getfixturevalue("virtuoso_server"), request.getfixturevalue("virtuoso_kg_server")
    return Remote("virtuoso", f"http://127.0.0.1:{store}/sparql", kg_port)


# ---------------------------------------------------------------- Wikidata: a local stand-in for its services

@pytest.fixture(scope="session")
def wikidata():
    """The stand-in Wikidata API and query service (tests/wikidata_standin.py) on loopback, from the recorded facts."""
    from wikidata_standin import StandIn

    server = StandIn().start()
    yield server
    server.stop()
