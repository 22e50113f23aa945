"""Replay: every deep or long construct that crashed the engine, at many depths, against real servers.

    python tests/attack/replay_crash.py [--factors 0.5 1 2 3 5 10] [--timeout 3]

Feeds each construct of deep_texts (nested braces, parentheses, OPTIONAL, `!`, chains of `&&`, `+`, UNION, path
parentheses, nested update groups) at each factor of its measured crash depth and at the longest length the
server accepts, to a read-only server (2 HTTP processes) and to a writable one, and after each asks `ASK {}`.
Prints one line per server and exits 1 on any crash (a process killed by a signal), server exit, unanswered
request, 5xx other than 503, or HTML error body.
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

from conftest import TOKEN, http_sender, start_kg_serve  # noqa: E402
from deep_texts import CRASH_DEPTHS, build, longest  # noqa: E402
from test_crash import _answers  # noqa: E402
from kg.config import Config  # noqa: E402

QUERY = {"Content-Type": "application/sparql-query"}
UPDATE = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}


def _cases(factors: list[float], updates: bool) -> list[tuple[str, str]]:
    names = ["update-brace"] if updates else [n for n in CRASH_DEPTHS if n != "update-brace"]
    cases = [(f"{n} x{f:g}", build(n, max(1, int(f * CRASH_DEPTHS[n])))) for n in names for f in factors]
    cases += [(f"{n} longest", build(n, longest(n, Config.max_query_length))) for n in names]
    if updates:       # the query constructs inside an update's WHERE
        for n in (m for m in CRASH_DEPTHS if m != "update-brace"):
            where = build(n, CRASH_DEPTHS[n]).split("WHERE", 1)[1]
            cases.append((f"update with {n}", "INSERT { <urn:x:a> <urn:x:b> 1 } WHERE " + where))
    return cases


def _replay(label: str, args: list[str], writable: bool, cases, headers) -> dict:
    proc, port = start_kg_serve(*args, writable=writable)
    send, tally, problems = http_sender(port), collections.Counter(), []
    try:
        for name, text in cases:
            try:
                status, head, body = send("POST", "/sparql", headers, text.encode())
                tally[status] += 1
                if status >= 500 and status != 503:
                    problems.append(f"{name}: {status}")
                if status >= 400 and not head.get("content-type", "").startswith("text/plain"):
                    problems.append(f"{name}: {status} is not plain text")
                if not _answers(send):
                    problems.append(f"after {name}: ASK was not answered 200")
            except OSError as err:
                problems.append(f"{name}: no answer ({err})")
            if proc.poll() is not None:
                problems.append(f"the server exited after {name}")
                break
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    crashes = err.decode(errors="replace").count("killed by signal")
    print(f"{label}: {len(cases)} texts, statuses {dict(sorted(tally.items()))}, {crashes} crashes, "
          f"{len(problems)} problems" + "".join(f"\n  {p}" for p in problems[:20]))
    return {"crashes": crashes, "problems": len(problems)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=float, nargs="+", default=[0.5, 1, 2, 3, 5, 10])
    parser.add_argument("--timeout", default="3")
    args = parser.parse_args()
    started = time.monotonic()
    results = [
        _replay("read-only server", ["--empty", "--timeout", args.timeout, "--workers", "2"], False,
                _cases(args.factors, False), QUERY),
        _replay("writable server", ["--empty", "--timeout", args.timeout], True, _cases(args.factors, True), UPDATE),
    ]
    bad = sum(r["crashes"] + r["problems"] for r in results)
    print(f"crash replay: {bad} crashes or problems in {time.monotonic() - started:.0f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
