"""Replay: one client floods the page, data and redirect routes of a real `kg serve` while another reads pages and
asks queries (issue 14).

    python tests/attack/replay_page_flood.py [--seconds 10] [--threads 32]

Prints the flooder's statuses and the other client's slowest answer; exits 1 if the flood was not throttled, any
request failed with a 5xx, or the other client waited longer than the test's bound.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

from conftest import start_kg_serve, stop  # noqa: E402
from test_page_flood import BURST, RATE, SLOWEST, _data, flood  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, open(Path(folder) / "access.log", "wb") as log:
        proc, port = start_kg_serve("--empty", "--preload", _data(Path(folder)), "--client-rate", str(RATE),
                                    "--client-burst", str(BURST), writable=False, log=log)
        try:
            counts, other = flood(port, args.seconds, args.threads)
        finally:
            stop(proc)
    slowest = max((t for _, t in other), default=float("inf"))
    print(f"page flood, {args.threads} threads for {args.seconds:g} s: flooder got {dict(sorted(counts.items()))}; "
          f"other client: {len(other)} requests, slowest {slowest * 1000:.0f} ms")
    failed = (not counts.get(429) or any(s >= 500 for s in counts) or any(s != 200 for s, _ in other)
              or slowest >= SLOWEST)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
