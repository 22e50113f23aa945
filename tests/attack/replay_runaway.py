"""Replay: storms of concurrent runaway queries against a real read-only `kg serve` (issue 10, part 3).

    python tests/attack/replay_runaway.py [--storms 2 4 10 20]

For each storm size, that many queries that would run for hours arrive at once while another client keeps asking
ordinary ones. Every runaway must be answered 503 within its deadline plus a small bound, the ordinary client
must be served, and afterwards both HTTP processes must be back and answering. Exits 1 on any failure.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

from test_runaway import test_concurrent_runaways_each_get_503_and_others_are_served as storm  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--storms", type=int, nargs="+", default=[2, 4, 10, 20])
    args = parser.parse_args()
    wedged = 0
    for size in args.storms:
        started = time.monotonic()
        with tempfile.TemporaryDirectory() as folder:
            try:
                storm(Path(folder), size)
                print(f"{size} concurrent runaways: all 503 within the bound, processes replaced "
                      f"({time.monotonic() - started:.1f} s)")
            except AssertionError as err:
                wedged += 1
                print(f"{size} concurrent runaways: FAILED: {str(err)[:300]}")
    print(f"runaway replay: {len(args.storms)} storms, {wedged} failed, {wedged} wedged servers")
    return 1 if wedged else 0


if __name__ == "__main__":
    sys.exit(main())
