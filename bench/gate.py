"""Time the SHACL gate: a 10-triple write judged on its neighbourhood, against validating the whole store.

Run by hand, not in CI:  .venv/bin/python bench/gate.py --sizes 100000,1000000 [--skip-full-above 200000]
The store holds the project's graph plus a generated graph of the same ontology (bench/endpoint.py) of the
given size; the write adds ten labels to one person of the project's graph.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import endpoint  # noqa: E402

from kg import build  # noqa: E402
from kg.config import Config  # noqa: E402
from kg.build.gate import ShapeGate, WriteRejected  # noqa: E402
from kg.build.loading import parse_files  # noqa: E402
from kg.rdfconv import graph_of  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000")
    ap.add_argument("--skip-full-above", type=int, default=200_000, help="no whole-store validation beyond this size")
    args = ap.parse_args()
    config = Config()
    built = build.check(config)
    gate = ShapeGate(build.load_shapes(config.shapes_files), graph_of(parse_files(config.ontology_files)))
    person = ox.NamedNode("https://w3id.org/casd/person/natalia-gherman")
    graph = ox.NamedNode("https://w3id.org/casd/graph/avim-blog-50")
    write = [ox.Quad(person, ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
                     ox.Literal(f"alias {i}", language="en"), graph) for i in range(10)]
    for size in (int(s) for s in args.sizes.split(",")):
        store = ox.Store()
        store.extend(list(built.store))
        store.bulk_extend(list(ox.parse(endpoint.generate(size).encode(), format=ox.RdfFormat.N_QUADS)))
        t0 = time.perf_counter()
        try:
            gate.check_delta(store, write, [])
            verdict = "accepted"
        except WriteRejected as err:
            verdict = f"rejected ({err.report.violation_count})"
        delta = time.perf_counter() - t0
        line = f"{len(store)} quads: 10-triple write, delta check {delta * 1000:.0f} ms ({verdict})"
        if size <= args.skip_full_above:
            t0 = time.perf_counter()
            try:
                gate.check_full(store, write, [])
            except WriteRejected:
                pass
            full = time.perf_counter() - t0
            line += f"; whole-store pySHACL validation {full:.1f} s ({full / delta:.0f}x the delta check)"
        print(line, flush=True)


if __name__ == "__main__":
    main()
