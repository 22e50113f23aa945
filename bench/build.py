"""Time `kg build`, `kg validate`, the shape gate and (with --suite) the test suite, with anchors in the same run.

Run by hand (not in CI):  .venv/bin/python bench/pipeline.py [--runs 5] [--suite]
Prints, per stage of the build, the median wall time over the runs; the median wall time of the commands
`kg build` and `kg validate` as a user runs them (a new process each time, imports included); the gate's check of a
10-triple write against validating the whole data; and the peak resident memory of this process.
Anchors, measured in the same run on the same data: pySHACL called the ordinary way (rdflib parses each
SHACL-SPARQL text once per focus node) against shapes.ParsedOnce; parsing with rdflib instead of pyoxigraph;
a fixed query through pyoxigraph and through rdflib's SPARQL engine. --suite runs the README's test command once.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from rdflib import Dataset

from kg.build import pipeline
from kg.query import examples
from kg.build import shapes
from kg.config import Config
from kg.build.gate import ShapeGate
from kg.build.loading import parse_files
from kg.rdfconv import graph_of
from kg.store.embedded import query

ROOT = Path(__file__).resolve().parents[1]
KG = str(Path(sys.executable).with_name("kg"))


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
    parser.add_argument("--suite", action="store_true", help="also time the whole test suite once")
    args = parser.parse_args()
    runs = args.runs
    config = Config()

    stages: dict[str, list[float]] = {}
    for _ in range(runs):
        built = pipeline.check(config)
        for name, seconds in built.timings.items():
            stages.setdefault(name, []).append(seconds)
    print(f"kg build stages, median of {runs} runs ({len(built.store)} quads):")
    for name, samples in stages.items():
        print(f"  {name:9} {statistics.median(samples) * 1000:8.1f} ms")
    total = sum(statistics.median(s) for s in stages.values())
    print(f"  {'total':9} {total * 1000:8.1f} ms")

    ox_parse = timed(lambda: pipeline.load_sources(config), runs)
    rdflib_parse = timed(lambda: [Dataset().parse(p) for p in config.data_files + config.ontology_files], runs)
    print(f"parse data+ontology: pyoxigraph {ox_parse * 1000:.1f} ms, rdflib {rdflib_parse * 1000:.1f} ms "
          f"(rdflib/pyoxigraph = {rdflib_parse / ox_parse:.1f}x)")

    text = examples.text("facts-with-quotes")
    union = graph_of(built.store)
    ox_query = timed(lambda: list(query(built.store, text, prefixes=False)), runs)
    rdflib_query = timed(lambda: list(union.query(text)), runs)
    print(f"query facts-with-quotes: pyoxigraph {ox_query * 1000:.2f} ms, rdflib {rdflib_query * 1000:.2f} ms "
          f"(rdflib/pyoxigraph = {rdflib_query / ox_query:.0f}x)")
    with tempfile.TemporaryDirectory() as out:
        command_build = timed(lambda: _run([KG, "build", "--out", f"{out}/b"]), runs)
    command_validate = timed(lambda: _run([KG, "validate"]), runs)
    print(f"commands (new process, imports included): kg build {command_build:.2f} s, kg validate {command_validate:.2f} s")

    ontology = graph_of(parse_files(config.ontology_files))
    shapes_graph = pipeline.load_shapes(config.shapes_files)
    _, data_quads = pipeline.load_sources(config)
    data = graph_of(data_quads)
    once = timed(lambda: shapes.validate(data, shapes_graph, ontology), runs)
    plain = timed(lambda: _plain_pyshacl(data + ontology, shapes_graph), runs)
    print(f"SHACL validation of the data: pySHACL with ParsedOnce {once:.2f} s, the ordinary way {plain:.2f} s "
          f"(ordinary/ParsedOnce = {plain / once:.1f}x)")

    gate = ShapeGate(shapes_graph, ontology)
    summit = ox.NamedNode("https://w3id.org/casd/summit/2021-turkmenistan")
    write = [ox.Quad(summit, ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"), ox.Literal(f"alias {i}", language="en"),
                     ox.NamedNode("https://w3id.org/casd/graph/avim-blog-50")) for i in range(10)]
    delta = timed(lambda: gate.check_delta(built.store, write, []), runs)
    full = timed(lambda: gate.check_full(built.store, write, []), runs)
    print(f"gate, 10-triple write on a summit: delta check {delta:.2f} s, whole-data validation {full:.2f} s "
          f"(whole/delta = {full / delta:.1f}x)")
    if args.suite:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=ROOT,
                              capture_output=True, text=True)
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
        print(f"test suite: {time.perf_counter() - started:.0f} s wall ({summary})")

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak_mib:.0f} MiB (HermiT runs in a separate JVM, not counted)")


def _run(command: list[str]) -> None:
    """Run a command in the project folder; fail loudly if it fails."""
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)


def _plain_pyshacl(data, shapes_graph) -> None:
    """pySHACL called the ordinary way, on an ordinary rdflib graph."""
    import pyshacl
    pyshacl.validate(data, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True,
                     meta_shacl=False, do_owl_imports=False)


if __name__ == "__main__":
    main()
