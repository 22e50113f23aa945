"""Replay: writes and queries interleaved on a real writable on-disk `kg serve --store DIR` (issue 10, part 4).

    python tests/attack/replay_disk_writes.py [--rounds 200]

Prints the rounds done, the slowest round and the wedged rounds (none may take longer than 5 s); exits 1 on any.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

from test_runaway import test_writable_on_disk_server_answers_after_every_write  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        try:
            test_writable_on_disk_server_answers_after_every_write(Path(folder), rounds=args.rounds)
        except AssertionError as err:
            print(f"disk writes: FAILED after {time.monotonic() - started:.1f} s: {err}")
            return 1
    print(f"disk writes: {args.rounds} write+query rounds in {time.monotonic() - started:.1f} s, 0 wedged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
