"""Benchmark `kg serve` against `oxigraph serve` (and rdflib-endpoint) on the same data and query mix.

Run by hand, not in CI:
    .venv/bin/python bench/endpoint.py --sizes 10000,100000 --clients 4 --seconds 10
    .venv/bin/python bench/endpoint.py --sizes 1000000 --rdflib-endpoint /path/to/venv/bin/rdflib-endpoint
    .venv/bin/python bench/endpoint.py --sizes 10000 --baseline /tmp/before   # a change, before and after

For each size it generates a graph of the casd ontology (summits, participations, people, states, issues in a
SKOS hierarchy, decisions), starts each server on loopback with the same data (memory against memory: kg
serve --empty --preload, read-only, and oxigraph serve loaded through its /store), then runs
the query mix with concurrent keep-alive clients, the servers interleaved, in three modes: every request a
distinct query text ("distinct": a unique comment defeats any answer cache), a small repeated set
("repeated"), and only the sub-millisecond kinds, ASK and DESCRIBE, each text distinct ("sub-ms"). It prints
throughput, p50/p99 latency, the peak proportional memory (PSS) of each server's process tree, and the ratios
kg/oxigraph. After the repeated mode it also measures the clients' own ceiling (`ASK {}` against oxigraph, the
cheapest request either server answers): a cache cannot show more than that, so a repeated-mix ratio is only
meaningful where oxigraph runs the mix well below the ceiling.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

B = "https://w3id.org/casd/"
C = B + "ontology#"
GRAPH = B + "graph/bench"
TOKEN = "bench-token"


# ---------------------------------------------------------------- data

def generate(triples: int, seed: int = 7) -> str:
    """N-Quads of a synthetic graph of about `triples` triples, all in one named graph."""
    rnd = random.Random(seed)
    out, n = [], 0
    states = [f"{B}state/s{i}" for i in range(60)]
    people = [f"{B}person/p{i}" for i in range(max(50, triples // 200))]
    issues = [f"{B}issue/i{i}" for i in range(300)]

    def add(s, p, o):
        nonlocal n
        out.append(f"<{s}> <{p}> {o} <{GRAPH}> .\n")
        n += 1

    for s in states:
        add(s, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{C}State>")
        add(s, "http://www.w3.org/2000/01/rdf-schema#label", f'"{s.rsplit("/", 1)[1]}"@en')
    for i, s in enumerate(issues):
        add(s, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{C}Issue>")
        if i >= 10:
            add(s, "http://www.w3.org/2004/02/skos/core#broader", f"<{issues[(i - 10) // 3]}>")
    for p in people:
        add(p, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{C}Person>")
        add(p, "http://www.w3.org/2000/01/rdf-schema#label", f'"{p.rsplit("/", 1)[1]}"@en')
    k = 0
    while n < triples:
        summit = f"{B}summit/m{k}"
        year = 1990 + k % 35
        add(summit, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{C}Summit>")
        add(summit, C + "date", f'"{year}"^^<http://www.w3.org/2001/XMLSchema#gYear>')
        add(summit, C + "ordinal", f'"{k + 1}"^^<http://www.w3.org/2001/XMLSchema#integer>')
        add(summit, C + "hostState", f"<{rnd.choice(states)}>")
        if k:
            add(f"{B}summit/m{k - 1}", C + "nextSummit", f"<{summit}>")
        chosen = rnd.sample(people, 5)
        for j, person in enumerate(chosen):
            part = f"{B}participation/m{k}-{j}"
            add(part, C + "meeting", f"<{summit}>")
            add(part, C + "agent", f"<{person}>")
            add(part, C + "role", f"<{C}{'Chair' if j == 0 and k % 3 else 'Participant'}>")
            add(part, C + "onBehalfOf", f"<{rnd.choice(states)}>")
        for issue in rnd.sample(issues, 3):
            add(summit, C + "discussed", f"<{issue}>")
        if k % 4 == 0:
            add(summit, C + "adopted", f"<{B}decision/d{k}>")
        k += 1
    return "".join(out)


# ---------------------------------------------------------------- queries

P = f"PREFIX casd: <{C}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "


def mix(size: int, rnd: random.Random) -> list[tuple[str, str]]:
    """(kind, query) pairs of the benchmark mix, with random parameters."""
    summits = max(1, size // 40)
    m, p, i = rnd.randrange(summits), rnd.randrange(max(50, size // 200)), rnd.randrange(30)
    year = 1990 + rnd.randrange(35)
    return [
        ("join", P + f"SELECT ?person ?label ?state WHERE {{ ?part casd:meeting <{B}summit/m{m}> ; "
                     f"casd:agent ?person ; casd:onBehalfOf ?state . ?person rdfs:label ?label }}"),
        ("aggregate", P + f'SELECT ?host (COUNT(?s) AS ?n) WHERE {{ ?s casd:date "{year}"^^<http://www.w3.org/2001/XMLSchema#gYear> ; '
                          "casd:hostState ?host } GROUP BY ?host ORDER BY DESC(?n) LIMIT 10"),
        ("path", P + f"SELECT ?issue ?summit WHERE {{ ?issue skos:broader+ <{B}issue/i{i}> . ?summit casd:discussed ?issue }} LIMIT 100"),
        ("optional", P + f'SELECT ?s ?chair WHERE {{ ?s casd:date "{year}"^^<http://www.w3.org/2001/XMLSchema#gYear> '
                         "OPTIONAL { ?p casd:meeting ?s ; casd:role casd:Chair ; casd:agent ?chair } } LIMIT 100"),
        ("ask", P + f"ASK {{ ?part casd:meeting <{B}summit/m{m}> ; casd:agent <{B}person/p{p}> }}"),
        ("describe", f"DESCRIBE <{B}person/p{p}>"),
        ("not-exists", P + f'SELECT ?s WHERE {{ ?s casd:date "{year}"^^<http://www.w3.org/2001/XMLSchema#gYear> '
                           "FILTER NOT EXISTS { ?s casd:adopted ?d } } LIMIT 50"),
        ("optional-first", P + f"SELECT ?s ?c WHERE {{ OPTIONAL {{ ?p casd:meeting ?s ; casd:role casd:Chair ; casd:agent ?c }} "
                               f"?s casd:hostState <{B}state/s{i}> }} LIMIT 50"),
    ]


SUB_MS = ("ask", "describe")   # the kinds that take well under a millisecond to evaluate


# ---------------------------------------------------------------- servers

class Server:
    def __init__(self, name: str, proc: subprocess.Popen, port: int, path: str):
        self.name, self.proc, self.port, self.path = name, proc, port, path

    def tree(self) -> list[int]:
        """The server's process and all its descendants."""
        pids, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            try:
                for task in Path(f"/proc/{pid}/task").iterdir():
                    todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
        return pids

    def pss_mib(self) -> float:
        """Proportional set size of the process tree: a page shared by forked processes counts once in total."""
        total = 0
        for pid in self.tree():
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
            except OSError:
                continue
        self.peak_pss = max(getattr(self, "peak_pss", 0.0), total / 1024)
        return total / 1024

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(port: int, path: str, proc) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on {port} exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path + "?query=" + urllib.parse.quote("ASK {}"))
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on {port} did not start")


def request(port: int, method: str, path: str, body: bytes, headers: dict) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    r.read()
    return r.status


def start_kg(nq: str, workdir: Path, extra: list[str] = (), source: Path | None = None) -> Server:
    """kg serve --empty --preload: the data in memory, read-only (so it may use several HTTP processes); from
    another checkout's src/ if given (the baseline of a before/after comparison)."""
    port = free_port()
    path = workdir / "kg.nq"
    path.write_text(nq)
    env = {k: v for k, v in os.environ.items() if k != "KG_WRITE_TOKEN"}
    if source is not None:
        env["PYTHONPATH"] = str(source / "src")            # ahead of this checkout's editable install
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--empty", "--preload", str(path), "--port", str(port),
                             "--client-rate", "inf",
                             "--max-concurrent", "64", *extra],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_up(port, "/sparql", proc)
    return Server("kg" if source is None else "kg-baseline", proc, port, "/sparql")


def start_oxigraph(nq: str) -> Server:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_up(port, "/query", proc)
    assert request(port, "POST", "/store", nq.encode(), {"Content-Type": "application/n-quads"}) in (200, 201, 204)
    return Server("oxigraph", proc, port, "/query")


def start_rdflib_endpoint(binary: str, nq: str, workdir: Path) -> Server:
    port = free_port()
    path = workdir / "bench.nt"
    path.write_text("".join(line.rsplit(" <", 1)[0] + " .\n" for line in nq.splitlines()))
    proc = subprocess.Popen([binary, "serve", "--host", "127.0.0.1", "--port", str(port), str(path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_up(port, "/", proc)                     # rdflib-endpoint 0.6 answers SPARQL at its root
    return Server("rdflib-endpoint", proc, port, "/")


# ---------------------------------------------------------------- load

def run_clients(server: Server, size: int, clients: int, seconds: float, mode: str) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    fixed = mix(size, random.Random(1))

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
        end = time.monotonic() + seconds
        mine = []
        while time.monotonic() < end:
            if mode == "ceiling":         # the cheapest request there is: what the clients themselves can reach
                kind, q = "ask", "ASK {}"
            elif mode == "sub-ms":        # only the sub-millisecond kinds, each text distinct
                kind, q = rnd.choice([kq for kq in mix(size, rnd) if kq[0] in SUB_MS])
            else:
                kind, q = rnd.choice(mix(size, rnd) if mode == "distinct" else fixed)
            if mode not in ("repeated", "ceiling"):   # a unique text each time: no answer can come from a cache
                q += f"\n# request {seed}-{len(mine)}"
            body = urllib.parse.urlencode({"query": q}).encode()
            t0 = time.perf_counter()
            try:
                conn.request("POST", server.path, body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    with lock:
                        errors[0] += 1
            except OSError:
                with lock:
                    errors[0] += 1
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
                continue
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):      # sample memory while the load runs
        server.pss_mib()
        time.sleep(0.25)
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")
    return {"rps": len(latencies) / elapsed, "p50": pick(0.5), "p99": pick(0.99), "errors": errors[0]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--rounds", type=int, default=2, help="interleaved rounds per server and mode")
    ap.add_argument("--kg-args", default="", help="more arguments for kg serve, e.g. '--executors 2'")
    ap.add_argument("--rdflib-endpoint", help="path to an rdflib-endpoint executable (the Python anchor)")
    ap.add_argument("--modes", default="distinct,repeated,sub-ms", help="which query mixes to run")
    ap.add_argument("--baseline", type=Path, help="another checkout of this project (e.g. `git worktree add "
                    "/tmp/before HEAD~1`): its kg serve runs too, interleaved, and kg/kg-baseline is printed")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            nq = generate(size)
            servers = []
            try:
                servers += [start_kg(nq, work, args.kg_args.split()), start_oxigraph(nq)]
                if args.baseline:
                    servers.append(start_kg(nq, work, args.kg_args.split(), args.baseline))
                if args.rdflib_endpoint:
                    servers.append(start_rdflib_endpoint(args.rdflib_endpoint, nq, work))
                report(servers, size, nq, args)
            finally:
                for s in servers:
                    s.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(servers: list[Server], size: int, nq: str, args) -> None:
    """Run both modes against every server, interleaved, and print the figures and ratios."""
    print(f"\n== {nq.count(chr(10))} triples, {args.clients} clients, {args.seconds:.0f} s x {args.rounds} rounds, memory stores")
    for mode in args.modes.split(","):
        results = {s.name: [] for s in servers}
        for round_ in range(args.rounds):
            for s in servers if round_ % 2 == 0 else servers[::-1]:   # interleaved, the order reversed each round
                results[s.name].append(run_clients(s, size, args.clients, args.seconds, mode))
        summary = {}
        for s in servers:
            rs = results[s.name]
            summary[s.name] = {k: statistics.median(r[k] for r in rs) for k in ("rps", "p50", "p99")}
            summary[s.name]["errors"] = sum(r["errors"] for r in rs)
            print(f"  {mode:9} {s.name:16} {summary[s.name]['rps']:9.1f} req/s  p50 {summary[s.name]['p50']:8.2f} ms"
                  f"  p99 {summary[s.name]['p99']:9.2f} ms  errors {summary[s.name]['errors']}")
        kg, ox = summary["kg"], summary["oxigraph"]
        print(f"  {mode:9} kg/oxigraph: throughput {kg['rps'] / ox['rps']:.2f}x, p99 {kg['p99'] / ox['p99']:.2f}x")
        if mode == "repeated":
            anchor = next(s for s in servers if s.name == "oxigraph")
            ceiling = run_clients(anchor, size, args.clients, args.seconds, "ceiling")["rps"]
            print(f"  {mode:9} ceiling of these clients: {ceiling:.0f} req/s (ASK {{}} against oxigraph); "
                  f"3x oxigraph would need {3 * ox['rps']:.0f} ({3 * ox['rps'] / ceiling:.1f}x the ceiling)")
        if "kg-baseline" in summary:
            base = summary["kg-baseline"]
            paired = sorted(a["rps"] / b["rps"] for a, b in zip(results["kg"], results["kg-baseline"]))
            print(f"  {mode:9} kg/kg-baseline: throughput {kg['rps'] / base['rps']:.3f}x, p50 {kg['p50'] / base['p50']:.2f}x, "
                  f"p99 {kg['p99'] / base['p99']:.2f}x; per round {statistics.median(paired):.3f}x "
                  f"(from {paired[0]:.3f}x to {paired[-1]:.3f}x over {len(paired)} rounds)")
        if "rdflib-endpoint" in summary:
            print(f"  {mode:9} kg/rdflib-endpoint: throughput {kg['rps'] / summary['rdflib-endpoint']['rps']:.1f}x")
    for s in servers:
        print(f"  peak memory {s.name:16} {s.peak_pss:8.0f} MiB (PSS of the process tree, sampled every 0.25 s)")

if __name__ == "__main__":
    main()
