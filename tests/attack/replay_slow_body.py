"""Replay: many slow request bodies against a read-only `kg serve --empty`, ordinary queries timed meanwhile.

    python tests/attack/replay_slow_body.py [--slow 50] [--seconds 20] [--drip 2] [--workers 2] [--threads 2]

Keeps `--slow` connections each sending a 1,000-byte POST body to /sparql at one byte per `--drip` seconds
(one cut by the server is replaced at once), while one client sends `GET /sparql?query=ASK{}` on fresh
connections, 20 a second, for `--seconds`. Prints one summary line (GET count, failures, p50/p99 latency, slow
bodies cut and how) and exits 1 if p99 > 100 ms or any GET failed.
"""
from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]

from conftest import start_kg_serve, stop  # noqa: E402

P99_LIMIT = 0.100
GET = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
HEAD = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 1000\r\n\r\n")


class SlowBodies:
    """`count` connections trickling their bodies; each one the server cuts is counted and replaced."""

    def __init__(self, port: int, count: int, drip: float):
        self.port, self.drip, self.cut = port, drip, {"408": 0, "closed": 0, "other": 0}
        self.socks = [self._open() for _ in range(count)]
        self.running = True

    def _open(self) -> socket.socket:
        s = socket.create_connection(("127.0.0.1", self.port))
        s.sendall(HEAD)
        s.setblocking(False)
        return s

    def _was_cut(self, s: socket.socket) -> bool:
        """Whether the server has answered or closed this connection (counted by how)."""
        try:
            data = s.recv(200)
        except BlockingIOError:
            return False
        except OSError:
            data = b""
        self.cut["408" if data.startswith(b"HTTP/1.1 408") else "closed" if not data else "other"] += 1
        return True

    def run(self) -> None:
        """Drip one byte on every connection each `drip` seconds, replacing the cut ones."""
        while self.running:
            for i, s in enumerate(self.socks):
                if self._was_cut(s):
                    s.close()
                    self.socks[i] = s = self._open()
                try:
                    s.send(b"A")
                except OSError:
                    pass
            time.sleep(self.drip)

    def close(self) -> None:
        """Stop dripping and close every connection."""
        self.running = False
        for s in self.socks:
            s.close()


def _get(port: int) -> float | None:
    """Seconds one ordinary query took, or None if it failed."""
    started = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(GET)
            reply = b""
            while chunk := s.recv(4096):
                reply += chunk
    except OSError:
        return None
    return time.perf_counter() - started if reply.startswith(b"HTTP/1.1 200") else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--slow", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--drip", type=float, default=2.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    log = tempfile.TemporaryFile()                  # the access log: more lines than a pipe holds
    proc, port = start_kg_serve("--empty", "--workers", str(args.workers), "--threads", str(args.threads),
                                writable=False, log=log)
    slow = None
    try:
        slow = SlowBodies(port, args.slow, args.drip)
        threading.Thread(target=slow.run, daemon=True).start()
        time.sleep(0.5)
        latencies, failed = [], 0
        ends = time.monotonic() + args.seconds
        while time.monotonic() < ends:
            took = _get(port)
            if took is None:
                failed += 1
            else:
                latencies.append(took)
            time.sleep(0.05)
    finally:
        if slow is not None:
            slow.close()
        stop(proc)
    latencies.sort()
    pick = lambda q: latencies[int(q * (len(latencies) - 1))] * 1000 if latencies else float("inf")
    p50, p99 = pick(0.5), pick(0.99)
    ok = not failed and p99 <= P99_LIMIT * 1000
    print(f"slow bodies: {args.slow} open for {args.seconds:g} s, cut {slow.cut if slow else {}}; "
          f"GET: {len(latencies) + failed} sent, {failed} failed, p50 {p50:.1f} ms, p99 {p99:.1f} ms "
          f"(limit {P99_LIMIT * 1000:.0f} ms) -> {'ok' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
