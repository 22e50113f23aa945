"""Benchmark the pages people read (issue 14 §6): server time of an entity page, pages per second over HTTP, the
query page's transfer size and the layout shift of the pages in a real browser.

Run by hand, not in CI (needs the test extra's Playwright and Debian's chromium-headless-shell):
    PYTHONPATH=src .venv/bin/python bench/pages.py [--seconds 10] [--clients 2] [--rounds 3]

- Server time: every IRI of the built graph under https://w3id.org/casd/ (the ontology's terms aside), its page
  asked of the Flask app in process (werkzeug's test client, no HTTP), `--rounds` times; p50 and p99, and for the
  meetings', people's and source texts' pages apart, each page made from the store (the answers' cache off).
  Anchors in the same run, the same way: each IRI's Turtle data document, /health (it counts the quads) and the
  303 of /ontology (no store query at all). Then the meetings' and people's pages kept by kg.server.pages.pagecache
  against the same pages made each time (the anchor), from the 3rd visit on.
- Pages per second: a real `kg serve` of the built graph (2 HTTP processes), `--clients` client processes with
  keep-alive connections cycling through the same pages for `--seconds`; the anchors are /health and the 303 of
  /ontology against the same server for as long each. The clients share the machine with the server, so the anchor is also their own ceiling.
- Transfer size of the query page (`/`, whatever it serves): every response the browser receives while loading
  it, as sent (Playwright's sizes) and each body gzipped (level 6), summed.
- Layout shift: Cumulative Layout Shift (a PerformanceObserver on `layout-shift`, from before the first byte)
  of an entity page and `/`, in all and after the load event, 1 s after load.
Targets (the issue's, for context, never asserted): ≤ 20 ms p50, ≥ 500 pages/s on 2 cores, ≤ 400 KB gzipped, no
layout shift after load.
"""
from __future__ import annotations

import argparse
import gzip
import http.client
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import pyoxigraph as ox  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

from browser import chromium, entities, served  # noqa: E402
from browser.watch import Watch  # noqa: E402
from kg.build import pipeline  # noqa: E402
from kg.config import Config  # noqa: E402
from kg.server import create_app  # noqa: E402
from kg.server.services import services  # noqa: E402
from kg.store.embedded import EmbeddedStore  # noqa: E402
from kg.vocab import BASE, ONTOLOGY_IRI  # noqa: E402

SUBJECTS = f"""SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")
    && !STRSTARTS(STR(?s), "{ONTOLOGY_IRI}")) }} ORDER BY ?s"""
SHIFTS = """window.__kgShifts = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput)
  window.__kgShifts.push([e.startTime, e.value]); }).observe({type: 'layout-shift', buffered: true});"""


def percentiles(times: list[float]) -> tuple[float, float]:
    """p50 and p99 of durations in seconds, in milliseconds."""
    ordered = sorted(times)
    return (statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000)


def local_paths(store: EmbeddedStore) -> list[str]:
    """The local path of every subject IRI under the base, the ontology and its terms left out."""
    rows = store.query(SUBJECTS)
    assert isinstance(rows, ox.QuerySolutions)
    return [row["s"].value[len(BASE):] for row in rows]


def timed(client: Any, paths: list[str], rounds: int, status: int = 200) -> list[float]:
    """Seconds per request of each path, `rounds` times over (each answer must have that status)."""
    times = []
    for _ in range(rounds):
        for path in paths:
            t0 = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - t0)
            assert response.status_code == status, (path, response.status_code)
            response.close()
    return times


def server_time(rounds: int) -> list[str]:
    """Lines on the in-process server time of entity pages against the anchors."""
    built = pipeline.check(Config(root=ROOT))
    store = EmbeddedStore(built.store)
    app = create_app(Config(root=ROOT, client_rate=float("inf")), store=store)     # no throttle
    services(app).cache = None          # every page made from the store (page_cache below measures them kept)
    client = app.test_client()
    locals_ = local_paths(store)
    timed(client, ["/page/" + p for p in locals_[:20]], 1)                  # warm up
    page = percentiles(timed(client, ["/page/" + p for p in locals_], rounds))
    kinds = {kind: percentiles(timed(client, ["/page/" + p for p in locals_ if p.startswith(prefix) and
                                              p.endswith(suffix)], rounds))
             for kind, prefix, suffix in (("summit", "summit/", ""), ("person", "person/", ""),
                                          ("source", "document/", "-text"))}
    kept = page_cache(store, locals_, rounds)
    data = percentiles(timed(client, [f"/data/{p}.ttl" for p in locals_], rounds))
    health = percentiles(timed(client, ["/health"] * len(locals_), rounds))
    see_other = percentiles(timed(client, ["/ontology"] * len(locals_), rounds, 303))
    return [f"server time, in process, {len(locals_)} IRIs x {rounds} rounds ({len(built.store)} quads), each page "
            "made from the store:",
            f"  entity page, all   p50 {page[0]:7.2f} ms  p99 {page[1]:7.2f} ms   (target p50 <= 20 ms)",
            *(f"  {kind + ' pages':18} p50 {t[0]:7.2f} ms  p99 {t[1]:7.2f} ms" for kind, t in kinds.items()),
            *kept,
            f"  Turtle document    p50 {data[0]:7.2f} ms  p99 {data[1]:7.2f} ms   page/document p50 {page[0] / data[0]:.1f}x",
            f"  /health (anchor)   p50 {health[0]:7.2f} ms  p99 {health[1]:7.2f} ms   page/health p50 {page[0] / health[0]:.1f}x",
            f"  /ontology 303      p50 {see_other[0]:7.2f} ms  p99 {see_other[1]:7.2f} ms   "
            f"page/303 p50 {page[0] / see_other[0]:.1f}x (no store query)"]


def page_cache(store: EmbeddedStore, locals_: list[str], rounds: int) -> list[str]:
    """Lines on the meetings' and people's pages made every time (the answers' cache off: the anchor) against the
    same pages kept (kg.server.pages.pagecache), both over `max(rounds, 3)` visits: a page is kept from its 2nd."""
    paths = ["/page/" + p for p in locals_ if p.startswith(("summit/", "person/"))]
    visits = max(rounds, 3)
    times = {}
    for name, cached in (("made each time", False), ("kept", True)):
        app = create_app(Config(root=ROOT, client_rate=float("inf")), store=store)
        if not cached:
            services(app).cache = None
        times[name] = percentiles(timed(app.test_client(), paths, visits)[2 * len(paths):])   # the 3rd visit on
    made, kept = times["made each time"], times["kept"]
    return [f"  meetings+people, 3rd visit on: made each time p50 {made[0]:6.2f} ms, kept p50 {kept[0]:6.2f} ms "
            f"({made[0] / kept[0]:.1f}x; pagecache)"]


def hammer(port: int, paths: list[str], seconds: float, status: int = 200) -> tuple[int, int, list[float]]:
    """One client: GET the paths in turn on one keep-alive connection for `seconds`: (answers, answers of
    another status, times)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    done, bad, times, i = 0, 0, [], 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        conn.request("GET", paths[i % len(paths)], headers={"Accept": "text/html", "Accept-Encoding": "gzip"})
        response = conn.getresponse()
        response.read()
        times.append(time.perf_counter() - t0)
        done, bad, i = done + 1, bad + (response.status != status), i + 1
    conn.close()
    return done, bad, times


def throughput(port: int, paths: list[str], clients: int, seconds: float,
               status: int = 200) -> tuple[float, int, float, float]:
    """Answers a second from `clients` processes, answers of another status, and p50/p99 latency in ms."""
    with ProcessPoolExecutor(clients) as pool:
        results = list(pool.map(hammer, [port] * clients, [paths[k::clients] or paths for k in range(clients)],
                                [seconds] * clients, [status] * clients))
    times = [t for _, _, ts in results for t in ts]
    return sum(r[0] for r in results) / seconds, sum(r[1] for r in results), *percentiles(times)


def over_http(server: served.Served, paths: list[str], clients: int, seconds: float) -> list[str]:
    """Lines on pages a second over HTTP against /health on the same server."""
    pages = ["/page/" + p for p in paths]
    hammer(server.port, pages[:50], 1.0)                                    # warm up both HTTP processes
    rate, bad, p50, p99 = throughput(server.port, pages, clients, seconds)
    named = [p for p in pages if p.startswith(("/page/summit/", "/page/person/"))]
    heavy, heavy_bad, h50, h99 = throughput(server.port, named, clients, seconds)
    lines = [f"over HTTP, kg serve (2 HTTP processes), {clients} client processes x {seconds:.0f} s each:",
             f"  entity pages   {rate:7.0f} /s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  other status: {bad}"
             f"   (target >= 500 /s; all {len(pages)})",
             f"  meetings+people{heavy:7.0f} /s  p50 {h50:6.2f} ms  p99 {h99:6.2f} ms  other status: {heavy_bad}"
             f"   ({len(named)} pages)"]
    for path, status in (("/health", 200), ("/ontology", 303)):
        anchor, anchor_bad, a50, a99 = throughput(server.port, [path], clients, seconds, status)
        lines.append(f"  {path:<9} {status} {anchor:7.0f} /s  p50 {a50:6.2f} ms  p99 {a99:6.2f} ms  "
                     f"other status: {anchor_bad}   pages/anchor {rate / anchor:.2f}x")
    return lines


def transfer(page: Page, url: str) -> tuple[int, int, int, int]:
    """Load a URL: (responses, bytes as sent with headers, bodies' bytes, bodies gzipped at level 6)."""
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    sent = plain = zipped = 0
    for response in responses:
        body = b"" if 300 <= response.status < 400 else response.body()
        sizes = response.request.sizes()
        sent += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        plain, zipped = plain + len(body), zipped + len(gzip.compress(body, 6))
    return len(responses), sent, plain, zipped


def layout_shift(page: Page, url: str) -> tuple[float, float, int]:
    """Cumulative layout shift of loading a URL, in all and after the load event, and the shifts counted."""
    page.goto(url, wait_until="load")
    page.wait_for_timeout(1000)
    shifts = page.evaluate("() => window.__kgShifts")
    loaded = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    return sum(v for _, v in shifts), sum(v for t, v in shifts if t > loaded), len(shifts)


def in_browser(server: served.Served, entity_paths: list[str]) -> list[str]:
    """Lines on the query page's transfer size and on layout shift, each page in a fresh context."""
    lines = []
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        for path in ["/", *entity_paths]:
            context = browser.new_context(locale="en-US", service_workers="block")
            context.add_init_script(SHIFTS)
            page = context.new_page()
            watch = Watch(server.origin)
            watch.attach(page)                      # outside requests are aborted and counted
            if path == "/":
                n, sent, plain, zipped = transfer(page, server.url(path))
                status = page.evaluate("() => performance.getEntriesByType('navigation')[0].responseStatus")
                lines.append(f"query page / (status {status}): {n} responses, {sent / 1000:.1f} KB as sent, "
                             f"{plain / 1000:.1f} KB of bodies, {zipped / 1000:.1f} KB gzipped   (target <= 400 KB)")
            cls, after, count = layout_shift(page, server.url(path))
            lines.append(f"layout shift {path}: CLS {cls:.4f} ({count} shifts), after load {after:.4f}"
                         f"   (target 0 after load); requests to other hosts: {len(watch.outside)}")
            context.close()
        browser.close()
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="length of each HTTP run")
    ap.add_argument("--clients", type=int, default=2, help="client processes for the HTTP runs")
    ap.add_argument("--rounds", type=int, default=3, help="rounds over every IRI for the server time")
    args = ap.parse_args()
    for line in server_time(args.rounds):
        print(line, flush=True)
    with tempfile.TemporaryFile() as log:
        server = served.start(log)
        try:
            chosen = [entities.meeting(server).path, entities.person(server).path]
            paths = [row["s"][len(BASE):] for row in server.select(SUBJECTS)]
            for line in [*over_http(server, paths, args.clients, args.seconds), *in_browser(server, chosen)]:
                print(line, flush=True)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
