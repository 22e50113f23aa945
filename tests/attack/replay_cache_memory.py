"""Replay: a flood of distinct queries must not grow the server's memory through its answer cache (issue 10, 6c).

Starts a real read-only `kg serve --empty --preload FILE --client-rate inf` on loopback, sends distinct
`ASK { <urn:x:N> ?p ?o }` queries from several threads for --seconds, samples the RSS of the server's whole
process tree (from /proc) every second, prints it at start, middle and end, and exits 1 if it grew by more than
--bound-mib over the second half (by then every one-off allocation has been made; only a cache that admits
each distinct answer keeps growing). Run: .venv/bin/python tests/attack/replay_cache_memory.py [--seconds 30]
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

SECONDS = 30.0          # how long the flood lasts
THREADS = 4             # client threads, each on its own keep-alive connection
BOUND_MIB = 10.0        # allowed RSS growth over the second half
SUBJECTS = 1_000        # triples preloaded (<urn:x:N> for N below this: some answers are true)
START_TIMEOUT = 30.0    # seconds the server may take to come up
MIB = 1024 * 1024


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree_rss(pid: int) -> int:
    """The resident memory of a process and all its descendants, in bytes (0 for ones gone meanwhile)."""
    total, todo, page = 0, [pid], os.sysconf("SC_PAGE_SIZE")
    while todo:
        p = todo.pop()
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * page
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def start_server(data: Path) -> tuple[subprocess.Popen, int]:
    """A read-only `kg serve --empty --preload data` without throttling, once it answers /health."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "KG_WRITE_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", str(port), "--empty",
                             "--preload", str(data), "--client-rate", "inf"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read()
            return proc, port
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("kg serve did not start")
            time.sleep(0.1)


def flood(port: int, numbers: itertools.count, stop: threading.Event, counts: dict[str, int]) -> None:
    """Send distinct ASK queries over one keep-alive connection until told to stop."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
    while not stop.is_set():
        body = f"ASK {{ <urn:x:{next(numbers)}> ?p ?o }}".encode()
        try:
            conn.request("POST", "/sparql", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = str(response.status)
        except (OSError, http.client.HTTPException) as err:
            status = type(err).__name__
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        counts[status] = counts.get(status, 0) + 1
    conn.close()


def main(argv: list[str] | None = None) -> int:
    """Run the replay and print the figures; 1 if memory grew past the bound over the second half."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=SECONDS)
    ap.add_argument("--threads", type=int, default=THREADS)
    ap.add_argument("--bound-mib", type=float, default=BOUND_MIB)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data.nt"
        data.write_text("".join(f"<urn:x:{i}> <urn:p> \"{i}\" .\n" for i in range(SUBJECTS)))
        proc, port = start_server(data)
        try:
            return _replay(proc.pid, port, args)
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def _replay(pid: int, port: int, args: argparse.Namespace) -> int:
    """Flood the server while sampling its memory; print and judge the figures."""
    stop, numbers = threading.Event(), itertools.count()
    counts: list[dict[str, int]] = [{} for _ in range(args.threads)]
    threads = [threading.Thread(target=flood, args=(port, numbers, stop, c), daemon=True) for c in counts]
    samples = [tree_rss(pid)]
    started = time.monotonic()
    for t in threads:
        t.start()
    while (elapsed := time.monotonic() - started) < args.seconds:
        time.sleep(min(1.0, args.seconds - elapsed))
        samples.append(tree_rss(pid))
    stop.set()
    for t in threads:
        t.join(timeout=30)
    total: dict[str, int] = {}
    for c in counts:
        for status, n in c.items():
            total[status] = total.get(status, 0) + n
    sent = sum(total.values())
    start, middle, end = samples[0], samples[len(samples) // 2], samples[-1]
    print(f"queries: {sent} distinct in {args.seconds:.0f} s ({sent / args.seconds:.0f}/s), statuses {total}")
    print(f"server RSS (MiB): start {start / MIB:.1f}, middle {middle / MIB:.1f}, end {end / MIB:.1f}")
    print(f"growth (MiB): whole run {(end - start) / MIB:+.1f}, second half {(end - middle) / MIB:+.1f} "
          f"(bound {args.bound_mib:.1f})")
    print("samples (MiB): " + " ".join(f"{s / MIB:.0f}" for s in samples))
    if total.get("200", 0) < sent * 0.99:
        print("FAIL: the server did not answer the flood")
        return 1
    if end - middle > args.bound_mib * MIB:
        print("FAIL: memory kept growing under distinct queries")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
