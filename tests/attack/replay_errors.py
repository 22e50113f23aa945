"""Replay: bad requests of every kind against a real writable `kg serve`; none may get a 500 or an HTML page.

    python tests/attack/replay_errors.py [--random 2000]

A fixed list (failed updates, wrong methods, media types, charsets, graph names, routes, bodies) and random
byte-level mutations of valid queries and updates. Prints the statuses seen and exits 1 on any 5xx other than
503, any error body that is not plain text, or a store that changed after a refused update.
"""
from __future__ import annotations

import argparse
import collections
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

from conftest import TOKEN, http_sender, start_kg_serve  # noqa: E402

AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE = {"Content-Type": "application/sparql-update", **AUTH}
QUERY = {"Content-Type": "application/sparql-query"}
SEEDS = ["SELECT ?s (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?o > 1) } GROUP BY ?s ORDER BY ?n LIMIT 5",
         'CONSTRUCT { ?s <urn:x:q> ?o } WHERE { ?s ?p ?o OPTIONAL { ?o ?p2 "x"@en } }',
         "ASK { VALUES ?x { 1 2 3 } ?s ?p ?x MINUS { ?s <urn:x:p> 2 } }"]
UPDATE_SEEDS = ["INSERT DATA { GRAPH <urn:x:g2> { <urn:x:a> <urn:x:b> \"c\" } }",
                "DELETE { ?s ?p ?o } INSERT { ?s ?p 2 } WHERE { GRAPH <urn:x:g> { ?s ?p ?o } }",
                "CLEAR GRAPH <urn:x:g2> ; DROP SILENT GRAPH <urn:x:g3>"]
FIXED = [
    ("POST", "/sparql", UPDATE, b"CREATE GRAPH <urn:x:g>"),
    ("POST", "/sparql", UPDATE, b"DROP GRAPH <urn:x:nowhere>"),
    ("POST", "/sparql", UPDATE, b"LOAD <http://127.0.0.1:9/x>"),
    ("POST", "/sparql", UPDATE, b"INSERT DATA { <a> <b> <c> "),
    ("POST", "/sparql", {"Content-Type": "application/sparql-update"}, b"INSERT DATA { <urn:a> <urn:b> 1 }"),
    ("POST", "/sparql", QUERY, b"\xff\xfe not utf-8"),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query; charset=latin-1"}, b"ASK {}"),
    ("POST", "/sparql", {"Content-Type": "text/html"}, b"<html>"),
    ("POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, b"query=ASK{}&query=ASK{}"),
    ("POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, b"nothing=here"),
    ("GET", "/sparql?query=ASK%7B%7D&format=nonsense", {}, b""),
    ("GET", "/sparql?query=SELECT%20*%20%7B%7D", {"Accept": "image/png"}, b""),
    ("GET", "/sparql?update=CLEAR%20ALL", {}, b""),
    ("PUT", "/sparql", {}, b""),
    ("DELETE", "/sparql", {}, b""),
    ("GET", "/store", {}, b""),
    ("GET", "/store?graph=not%20an%20iri", {}, b""),
    ("GET", "/store?graph=urn:x:nowhere", {}, b""),
    ("PUT", "/store?graph=urn:x:g", {"Content-Type": "text/turtle", **AUTH}, b"<a> <b> ."),
    ("PUT", "/store?graph=urn:x:g", {"Content-Type": "application/x-unknown", **AUTH}, b"x"),
    ("PUT", "/store?graph=urn:x:g", {"Content-Type": "application/ld+json", **AUTH}, b'{"@context": "http://127.0.0.1:9/c"}'),
    ("DELETE", "/store?graph=urn:x:nowhere", AUTH, b""),
    ("GET", "/nowhere", {}, b""),
    ("POST", "/health", {}, b""),
    ("GET", "/sparql?query=" + "A" * 200_000, {}, b""),
    # the pages and the search (issues 14 and 15)
    ("GET", "/static/" + "a" * 5000, {}, b""),
    ("GET", "/static/vendor/..%2f..%2fstatic.py", {}, b""),
    ("GET", "/download/" + "b" * 5000, {}, b""),
    ("GET", "/page/summit/x?page=%C2%B2", {}, b""),
    ("GET", "/search?q=" + "c" * 5000, {}, b""),
    ("GET", "/search?q=ve%20ile", {}, b""),
    ("GET", "/search?q=zirve&page=-1&kind=nothing", {}, b""),
    ("POST", "/sparql", QUERY, b'SELECT * { ?h <https://w3id.org/casd/ontology#search> ?words }'),
    ("POST", "/sparql", QUERY, b"SELECT * { " + b" ".join(b'?h%d <https://w3id.org/casd/ontology#search> "zirve" .' % i
                                                         for i in range(50)) + b" }"),
]


def _mutate(text: str, rng: random.Random) -> bytes:
    data = bytearray(text.encode())
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(data))
        choice = rng.random()
        if choice < 0.4:
            data[i] = rng.choice(b"{}()[]<>\"'\\#;.,?$:@^*+-/|! \n\x00\xc3")
        elif choice < 0.7:
            del data[i]
        else:
            data[i:i] = data[rng.randrange(len(data)):][: rng.randint(1, 20)]
    return bytes(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    log = tempfile.TemporaryFile()                  # the access log: more lines than a pipe holds
    proc, port = start_kg_serve("--empty", "--timeout", "3", log=log)
    started = time.monotonic()
    send, tally, bad = http_sender(port), collections.Counter(), []
    try:
        send("POST", "/sparql", UPDATE, b"INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 1 } }")
        requests = list(FIXED)
        for _ in range(args.random):
            if rng.random() < 0.7:
                requests.append(("POST", "/sparql", QUERY, _mutate(rng.choice(SEEDS), rng)))
            else:
                requests.append(("POST", "/sparql", UPDATE, _mutate(rng.choice(UPDATE_SEEDS), rng)))
        for method, path, headers, body in requests:
            try:
                status, head, answer = send(method, path, headers, body)
            except OSError as err:
                bad.append(f"{time.monotonic() - started:.1f}s {method} {path[:60]} {body[:60]!r}: no answer ({err})")
                continue
            tally[status] += 1
            if status >= 500 and status != 503:
                bad.append(f"{method} {path[:60]} {body[:60]!r}: {status} {answer[:120]!r}")
            elif status >= 400 and answer and not head.get("content-type", "").startswith("text/plain"):
                bad.append(f"{method} {path[:60]}: {status} with {head.get('content-type')}")
        status, _, answer = send("POST", "/sparql", QUERY, b"ASK {}")
        if status != 200 or proc.poll() is not None:
            bad.append(f"the server no longer answers ({status})")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"error replay: {len(requests)} bad requests, statuses {dict(sorted(tally.items()))}, "
          f"{len(bad)} 500s or non-plain errors" + "".join(f"\n  {b}" for b in bad[:20]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
