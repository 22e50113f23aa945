"""Time HermiT on the project's data with and without the record of provenance, and compare what it infers.

Run by hand (not in CI):  .venv/bin/python bench/reasoning.py [--runs 3]
The anchor is the reasoner given every data triple that carries OWL meaning, statements and quotes included (as
before `reasoning.provenance_records` existed); the other side leaves the statements and quotes out. Both run in
the same process on the same data, alternately, and the script prints the median wall time of each, the ratio,
the size of each input, and whether the inferred graphs are the same triples.
"""
from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from pathlib import Path
from unittest import mock

from kg.build import pipeline, reasoning
from kg.config import Config
from kg.rdfconv import graph_of

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    ontology_quads, data_quads = pipeline.load_sources(Config(root=ROOT))
    ontology, data = graph_of(ontology_quads), graph_of(data_quads)
    everything = mock.patch.object(reasoning, "provenance_records", lambda o, d: set())
    times: dict[str, list[float]] = {"all": [], "without provenance": []}
    outputs: dict[str, set] = {}
    for _ in range(args.runs):
        for name in times:
            with everything if name == "all" else contextlib.nullcontext():
                size = len(reasoning.reasoner_input(ontology, data))
                start = time.perf_counter()
                outputs[name] = set(reasoning.infer(ontology, data))
                times[name].append(time.perf_counter() - start)
            print(f"  {name:<20} input {size:>6} triples  {times[name][-1]:6.2f} s  inferred {len(outputs[name])}")
    anchor, ours = (statistics.median(times[n]) for n in times)
    print(f"data: {len(data)} triples; median over {args.runs} runs: all {anchor:.2f} s, without provenance "
          f"{ours:.2f} s ({anchor / ours:.2f}x faster)")
    print(f"same inferred triples: {outputs['all'] == outputs['without provenance']}")


if __name__ == "__main__":
    main()
