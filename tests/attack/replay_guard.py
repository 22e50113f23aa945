"""Replay the guard fuzz at scale: `python tests/attack/replay_guard.py --cases 20000 [--seed N]`.

Prints one summary line and the guard's cost, and exits 1 if any connection reached the forbidden listener.
"""
from __future__ import annotations

import argparse
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_guard import run  # noqa: E402

from kg import guard  # noqa: E402

ORDINARY = ("PREFIX schema: <http://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "SELECT ?person ?name ?born WHERE {\n  ?person a schema:Person ; schema:name ?name .\n"
            "  OPTIONAL { ?person schema:birthDate ?born }\n  FILTER(LANG(?name) = \"en\" || LANG(?name) = \"\")\n"
            "  ?person rdfs:label ?label . FILTER(CONTAINS(LCASE(?label), \"ada\"))\n}\n"
            "ORDER BY ?name LIMIT 100")


def cost(text: str, allow: list[str]) -> float:
    """Microseconds per guard.check on the text (best of 5 runs)."""
    number = 2000
    best = min(timeit.repeat(lambda: guard.check(text, allow, "http://localhost/sparql"), number=number, repeat=5))
    return best / number * 1e6


def main() -> int:
    """Run the fuzz and report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    summary = run(args.cases, seed=args.seed)
    print(summary.line())
    allow = ["http://127.0.0.1:9/sparql"]
    plain = ORDINARY.ljust(400)
    with_service = plain.replace("OPTIONAL {", "SERVICE <http://127.0.0.1:9/sparql> {", 1)
    print(f"guard cost: {cost(plain, allow):.2f} µs on a {len(plain)}-character query without SERVICE, "
          f"{cost(with_service, allow):.1f} µs on a {len(with_service)}-character one with SERVICE")
    for text in summary.culprits:
        print("---\n" + text)
    return 1 if summary.forbidden else 0


if __name__ == "__main__":
    sys.exit(main())
