"""Time the pages people read: an entity page, a meeting page, a person page and a source-text page, on the built
graph, through Flask's test client (server time only: no network, no HTTP server).

Run by hand (not in CI):  .venv/bin/python bench/pages.py [--requests 100]
Prints, per page, the median (p50) and p90 wall time and the median CPU time of this process over the requests
(CPU time is the steadier number on a shared machine), the page's size, and the pages a second one process
would serve at the p50 CPU time. The issue's target: an entity page in at most 20 ms at p50.
"""
from __future__ import annotations

import argparse
import statistics
import time

from kg.build import pipeline
from kg.config import Config
from kg.server import create_app
from kg.store.embedded import EmbeddedStore

PAGES = {
    "entity (a state)": "/page/state/turkmenistan",
    "meeting (2021, the most quoted)": "/page/summit/2021-turkmenistan",
    "person (the most meetings)": "/page/person/kassym-jomart-tokayev",
    "source text (the founding document)": "/page/document/avim-blog-50-text",
}


def main() -> None:
    """Build the graph once, then request each page `--requests` times after one warm-up request."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    built = pipeline.check(Config())
    client = create_app(Config(executors=0), store=EmbeddedStore(built.store)).test_client()
    for name, path in PAGES.items():
        size = len(client.get(path, headers={"Accept-Language": "en"}).data)
        walls, cpus = [], []
        for _ in range(args.requests):
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(path, headers={"Accept-Language": "en"})
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            assert response.status_code == 200, (path, response.status_code)
        p50, cpu50 = statistics.median(walls) * 1000, statistics.median(cpus) * 1000
        print(f"{name:38} {path:40} wall p50 {p50:5.1f} ms  p90 {sorted(walls)[int(len(walls) * 0.9)] * 1000:5.1f} ms"
              f"  CPU p50 {cpu50:5.1f} ms  {size / 1024:5.1f} KiB  ~{1000 / cpu50:4.0f} pages/s a process")


if __name__ == "__main__":
    main()
