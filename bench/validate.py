"""Time `kg validate FILE` (kg.build.checkfiles.validate_files) with the context's own check narrowed to the
focus nodes of what the file's report found, against the whole context validated again, and compare the reports.

Run by hand (not in CI):  .venv/bin/python bench/validate.py [--runs 3]
Two files: a project data file (its findings are the data's few warnings) and a one-line file with a bare
summit (six violations). The anchor validates the whole context a second time, as validate_files did before
`_known_to_context` passed pySHACL its focus_nodes; both run alternately in the same process, and the script prints
the median wall time of each, the ratio, and whether the two reports list the same findings.
"""
from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

from kg.build import checkfiles, shapes
from kg.config import Config

ROOT = Path(__file__).resolve().parents[1]
BARE_SUMMIT = "<https://w3id.org/casd/summit/x> a <https://w3id.org/casd/ontology#Summit> .\n"


def _whole_context(context, shapes_graph, ontology, report):      # the anchor: the context validated whole
    return {r.key for r in shapes.validate(context, shapes_graph, ontology).results} if report.results else set()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    config = Config(root=ROOT)
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare.ttl"
        bare.write_text(BARE_SUMMIT, encoding="utf-8")
        for file in (ROOT / "data" / "avim-blog-50.trig", bare):
            times: dict[str, list[float]] = {"whole context": [], "focus nodes": []}
            found: dict[str, list] = {}
            for _ in range(args.runs):
                for name in times:
                    patch = mock.patch.object(checkfiles, "_known_to_context", _whole_context)
                    with patch if name == "whole context" else contextlib.nullcontext():
                        start = time.perf_counter()
                        report = checkfiles.validate_files(config, [file])
                        times[name].append(time.perf_counter() - start)
                    found[name] = sorted(r.key for r in report.results)
            anchor, ours = (statistics.median(times[n]) for n in times)
            print(f"{file.name}: {len(found['focus nodes'])} findings; median over {args.runs} runs: whole context "
                  f"{anchor:.2f} s, focus nodes {ours:.2f} s ({anchor / ours:.2f}x faster); same findings: "
                  f"{found['whole context'] == found['focus nodes']}")


if __name__ == "__main__":
    main()
