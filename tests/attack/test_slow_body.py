"""Slow request bodies hold no request thread (issue 10, part 5): with more slow-body connections open than the
server has request threads, ordinary queries are answered quickly, and each slow body is cut (408) once the
body read deadline passes."""
from __future__ import annotations

import socket
import threading
import time

from conftest import http_sender, start_kg_serve, stop

from kg.server.bodies import BODY_READ_SECONDS, MIN_BODY_BYTES_PER_SECOND

WORKERS, THREADS = 2, 2
SLOW = 2 * WORKERS * THREADS + 2          # more than twice the request threads of the whole server
DECLARED = 1000                           # the slow bodies' Content-Length
DRIP_SECONDS = 1.0                        # one byte this often
QUERYING_SECONDS = 4.0
SLACK = 3.0                               # how long past its deadline a slow body may still be open
HEAD = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: %d\r\n\r\n" % DECLARED)


def _drip(socks: list[socket.socket], stop_at: float) -> None:
    """Send one byte of each slow body every DRIP_SECONDS until `stop_at` or until the server cuts it."""
    live = list(socks)
    while live and time.monotonic() < stop_at:
        for s in list(live):
            try:
                s.sendall(b"A")
            except OSError:
                live.remove(s)
        time.sleep(DRIP_SECONDS)


def _answer(s: socket.socket, until: float) -> bytes:
    """What the server sent on a slow connection before `until` (b"" if it closed it without a word)."""
    s.settimeout(max(0.1, until - time.monotonic()))
    try:
        return s.recv(200)
    except socket.timeout:
        return b"(still open)"
    except OSError:
        return b""


def _ordinary(port: int, seconds: float) -> tuple[list[float], list[str]]:
    """Latencies of GET queries sent one after another for `seconds`, and the failures among them."""
    latencies, failures = [], []
    ends = time.monotonic() + seconds
    while (left := ends - time.monotonic()) > 0:
        started = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=min(left, 2.0)) as s:
                s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                reply = s.recv(100)
            if not reply.startswith(b"HTTP/1.1 200"):
                failures.append(repr(reply[:40]))
        except OSError as err:
            failures.append(repr(err))
        latencies.append(time.monotonic() - started)
        time.sleep(0.05)
    return latencies, failures


def test_slow_bodies_hold_no_request_thread_and_are_cut_at_the_deadline():
    proc, port = start_kg_serve("--empty", "--workers", str(WORKERS), "--threads", str(THREADS), writable=False)
    socks: list[socket.socket] = []
    try:
        opened = time.monotonic()
        for _ in range(SLOW):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(HEAD)
            socks.append(s)
        deadline = opened + BODY_READ_SECONDS + DECLARED / MIN_BODY_BYTES_PER_SECOND
        threading.Thread(target=_drip, args=(socks, deadline + SLACK), daemon=True).start()
        time.sleep(0.5)                                       # the slow bodies have reached the app's side

        latencies, failures = _ordinary(port, QUERYING_SECONDS)
        assert not failures, f"{len(failures)} of {len(latencies)} ordinary queries failed: {failures[:3]}"
        latencies.sort()
        assert latencies[int(0.99 * (len(latencies) - 1))] < 1.0, latencies[-3:]

        first = _answer(socks[0], deadline + SLACK)
        first_at = time.monotonic()
        answers = [first] + [_answer(s, deadline + SLACK) for s in socks[1:]]
        cut = [a for a in answers if a == b"" or a.startswith(b"HTTP/1.1 408")]
        assert len(cut) == SLOW, f"not cut by the deadline: {[a[:30] for a in answers if a not in cut]}"
        assert first_at >= deadline - 0.5                     # and not before it

        status, _, body = http_sender(port)("POST", "/sparql", {"Content-Type": "application/sparql-query"}, b"ASK {}")
        assert status == 200 and b"true" in body              # a body sent at once is still read
    finally:
        for s in socks:
            s.close()
        stop(proc)
