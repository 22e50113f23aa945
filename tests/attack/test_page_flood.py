"""A flood of page requests from one client does not starve another (issue 14): pages, data documents and
redirects sit behind the same per-client throttle and concurrency cap as queries."""
from __future__ import annotations

import http.client
import threading
import time

import pyoxigraph as ox

from conftest import start_kg_serve, stop

ENTITY = "https://w3id.org/casd/summit/flood-test"
RATE, BURST = 20, 40               # the server's per-client limits in this test
FLOOD_THREADS = 8
FLOOD_SECONDS = 3.0
SLOWEST = 2.0                      # the other client's slowest answer, in seconds


def _data(tmp_path) -> str:
    path = tmp_path / "data.nq"
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    quads = [ox.Quad(ox.NamedNode(ENTITY), label, ox.Literal("Taşkın", language="tr"), ox.DefaultGraph())]
    quads += [ox.Quad(ox.NamedNode(f"{ENTITY}-{i}"), ox.NamedNode("https://schema.org/about"), ox.NamedNode(ENTITY),
                      ox.DefaultGraph()) for i in range(200)]
    path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return str(path)


def _get(port: int, source: str, path: str, accept: str = "text/html") -> tuple[int, float]:
    """GET from a given loopback address, so that the server sees two different clients."""
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        conn.request("GET", path, headers={"Accept": accept})
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        conn.close()


def flood(port: int, seconds: float, threads: int) -> tuple[dict[int, int], list[tuple[int, float]]]:
    """Flood from 127.0.0.2 while 127.0.0.3 reads a page, its data and a query now and then: the flooder's
    statuses counted, and the other client's statuses with their times."""
    counts: dict[int, int] = {}
    lock, stop_at = threading.Lock(), time.monotonic() + seconds
    paths = ["/page/summit/flood-test", "/data/summit/flood-test.ttl", "/summit/flood-test", "/nothing-here"]

    def flooder(n: int) -> None:
        while time.monotonic() < stop_at:
            status, _ = _get(port, "127.0.0.2", paths[n % len(paths)])
            with lock:
                counts[status] = counts.get(status, 0) + 1
    workers = [threading.Thread(target=flooder, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    other = []
    while time.monotonic() < stop_at:
        other.append(_get(port, "127.0.0.3", paths[len(other) % 2]))
        other.append(_get(port, "127.0.0.3", "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D",
                          "application/sparql-results+json"))
        time.sleep(0.2)
    for w in workers:
        w.join()
    return counts, other


def test_a_page_flood_is_throttled_and_the_other_client_is_served(tmp_path):
    log = open(tmp_path / "access.log", "wb")          # thousands of lines: more than a pipe holds
    proc, port = start_kg_serve("--empty", "--preload", _data(tmp_path), "--client-rate", str(RATE),
                                "--client-burst", str(BURST), writable=False, log=log)
    try:
        counts, other = flood(port, FLOOD_SECONDS, FLOOD_THREADS)
        assert counts.get(429, 0) > 0 and 500 not in counts, counts
        served = sum(n for status, n in counts.items() if status != 429)
        assert served <= BURST + RATE * (FLOOD_SECONDS + 1), counts    # the throttle, not the machine, held it
        assert other and all(status == 200 for status, _ in other), other
        assert max(t for _, t in other) < SLOWEST, other
    finally:
        stop(proc)
        log.close()
