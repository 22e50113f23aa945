"""Time each stage of `kg build` and its peak memory, with the engines' own work as anchors.

Run by hand (not in CI):  .venv/bin/python bench/build.py [--runs 5]
Prints, per stage, the median wall time over the runs, and the peak resident memory of the process.
Anchors, measured in the same run on the same data: parsing with rdflib instead of pyoxigraph, and a
fixed query through pyoxigraph and through rdflib's SPARQL engine.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import time

from rdflib import Dataset

from kg import build, examples
from kg.config import Config
from kg.rdfconv import graph_of
from kg.store import query


def timed(fn, runs: int) -> float:
    """Median seconds of `runs` calls."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    config = Config()

    stages: dict[str, list[float]] = {}
    for _ in range(runs):
        built = build.check(config)
        for name, seconds in built.timings.items():
            stages.setdefault(name, []).append(seconds)
    print(f"kg build stages, median of {runs} runs ({len(built.store)} quads):")
    for name, samples in stages.items():
        print(f"  {name:9} {statistics.median(samples) * 1000:8.1f} ms")
    total = sum(statistics.median(s) for s in stages.values())
    print(f"  {'total':9} {total * 1000:8.1f} ms")

    ox_parse = timed(lambda: build.load_sources(config), runs)
    rdflib_parse = timed(lambda: [Dataset().parse(p) for p in config.data_files + config.ontology_files], runs)
    print(f"parse data+ontology: pyoxigraph {ox_parse * 1000:.1f} ms, rdflib {rdflib_parse * 1000:.1f} ms "
          f"(rdflib/pyoxigraph = {rdflib_parse / ox_parse:.1f}x)")

    text = examples.text("facts-with-quotes")
    union = graph_of(built.store)
    ox_query = timed(lambda: list(query(built.store, text, prefixes=False)), runs)
    rdflib_query = timed(lambda: list(union.query(text)), runs)
    print(f"query facts-with-quotes: pyoxigraph {ox_query * 1000:.2f} ms, rdflib {rdflib_query * 1000:.2f} ms "
          f"(rdflib/pyoxigraph = {rdflib_query / ox_query:.0f}x)")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak_mib:.0f} MiB (HermiT runs in a separate JVM, not counted)")


if __name__ == "__main__":
    main()
