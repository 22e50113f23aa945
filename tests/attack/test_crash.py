"""No query or update text can crash a process, and the server outlives any worker that dies (issue 10, part 1)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import TOKEN, http_sender, start_kg_serve
from deep_texts import CRASH_DEPTHS, build, children, longest
from kg.sparql import nesting
from kg.config import Config
from kg.errors import QueryError

QUERY = {"Content-Type": "application/sparql-query"}
UPDATE = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
NESTED = ["brace", "paren", "optional", "not", "path-paren", "bnode", "collection", "update-brace"]     # deep by brackets or prefix operators
CHAINED = ["and", "plus", "union"]                                                 # long, but flat for the limit


@pytest.mark.parametrize("name", NESTED)
def test_nesting_past_the_limit_is_refused_before_parsing(name):
    for n in (nesting.MAX_NESTING + 1, CRASH_DEPTHS[name], 10 * CRASH_DEPTHS[name]):
        with pytest.raises(QueryError, match=f"more than {nesting.MAX_NESTING} \\(MAX_NESTING\\)"):
            nesting.check(build(name, n))
    nesting.check(build(name, 8))                                 # ordinary depths pass


def test_depth_counts_only_what_the_parser_nests():
    assert nesting.depth("SELECT * { FILTER(!!?x) }") == 4
    assert nesting.depth('SELECT * { ?s ?p "((((((" } # ((((((((') == 1          # strings and comments are not read
    assert nesting.depth("SELECT * { ?s <http://x/(((> ?o . ?s ?p -1, -2, -3 }") == 2     # a sign is one level
    long_flat = "SELECT * WHERE { " + " ".join(f"{{ ?s ?p {i} }}" for i in range(500)) + " }"
    nesting.check(long_flat)                                      # many groups side by side are not deep


_CRASHER = """
import sys, threading, pyoxigraph as ox
sys.path.insert(0, {tests!r})
from deep_texts import build
text = build("and", 16000)          # 1.7 x the chain that overflowed an 8 MiB thread
if sys.argv[1] == "deep":
    from kg import deepstack
    deepstack.call(lambda: list(ox.Store().query(text)))
else:
    t = threading.Thread(target=lambda: list(ox.Store().query(text)))
    t.start(); t.join()
print("survived")
"""


def test_the_engine_runs_on_a_stack_deep_enough_for_any_accepted_text():
    """A plain thread dies with the process on a long chain; the engine's deep-stack thread evaluates it."""
    script = _CRASHER.format(tests=os.path.dirname(__file__))
    plain = subprocess.run([sys.executable, "-c", script, "plain"], capture_output=True, timeout=120)
    deep = subprocess.run([sys.executable, "-c", script, "deep"], capture_output=True, timeout=120)
    assert plain.returncode < 0 and b"survived" not in plain.stdout          # the crash the fix prevents
    assert deep.returncode == 0 and b"survived" in deep.stdout, deep.stderr[-500:]


def _statuses_and_survivors(port: int, texts: list[tuple[str, str]], headers: dict) -> list[int]:
    send, statuses = http_sender(port), []
    for label, text in texts:
        status, head, body = _sent(send, headers, text.encode())
        assert status in (200, 204, 400, 413, 503), (label, status, body[:200])
        if status >= 400:
            assert head["content-type"].startswith("text/plain"), label
        if status == 400 and label.startswith(tuple(NESTED)):
            assert b"MAX_NESTING" in body, (label, body[:200])
        statuses.append(status)
        assert _answers(send), f"the server did not answer after {label}"
    return statuses


def _sent(send, headers: dict, body: bytes):
    """One request, sent again once if its connection was reset: a connection that reaches a process in the
    instant it retires (after a runaway query) may be closed with it, and a client retries."""
    try:
        return send("POST", "/sparql", headers, body)
    except ConnectionError:
        time.sleep(0.5)
        return send("POST", "/sparql", headers, body)


def _answers(send) -> bool:
    """ASK {} answered 200, following Retry-After as a client would: a connection that reached a process in
    the moment it retires (after a runaway query) is told to retry, or (if it was already accepted by the
    process that is ending) reset, and an idempotent request is sent again."""
    for _ in range(5):
        try:
            ok, head, answer = send("POST", "/sparql", QUERY, b"ASK {}")
        except ConnectionError:
            time.sleep(0.3)
            continue
        if ok == 503 and "retry-after" in head:
            time.sleep(0.3)
            continue
        return ok == 200 and b"boolean" in answer
    return False


def test_read_only_server_answers_after_every_construct():
    """Every construct at 1x, 3x and 10x its crash depth, and as long as the length limit allows."""
    proc, port = start_kg_serve("--empty", "--timeout", "3", "--workers", "2", writable=False)
    try:
        limit = Config.max_query_length
        texts = [(f"{name} x{k}", build(name, k * CRASH_DEPTHS[name])) for name in NESTED + CHAINED
                 if name != "update-brace" for k in (1, 3, 10)]
        texts += [(f"{name} longest", build(name, longest(name, limit))) for name in NESTED + CHAINED if name != "update-brace"]
        statuses = _statuses_and_survivors(port, texts, QUERY)
        assert statuses.count(413) >= 5 and statuses.count(400) >= 15
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert b"signal" not in err, err.decode(errors="replace")[-2000:]          # no worker was killed by a signal


def test_writable_server_refuses_deep_updates_and_keeps_its_data():
    proc, port = start_kg_serve("--empty")
    try:
        send = http_sender(port)
        assert send("POST", "/sparql", UPDATE, b"INSERT DATA { <urn:x:s> <urn:x:p> 1 }")[0] == 204
        before = children(proc.pid)
        texts = [(f"update-brace x{k}", build("update-brace", k * CRASH_DEPTHS["update-brace"])) for k in (1, 10)]
        texts.append(("and update", "INSERT { <urn:x:a> <urn:x:b> 1 } WHERE { FILTER(true" + "&&true" * 16000 + ") }"))
        _statuses_and_survivors(port, texts, UPDATE)
        status, _, body = send("POST", "/sparql", QUERY, b"SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
        assert status == 200 and b'"2"' in body              # the first write and the chained one, nothing lost
        assert children(proc.pid) == before                  # the one process holding the data never died
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_server_outlives_workers_that_keep_dying():
    """granian alone exits the whole server when a respawned worker dies within 5.5 s; ours replaces it."""
    proc, port = start_kg_serve("--empty", "--workers", "2", writable=False)
    try:
        for _ in range(4):                                   # kill a worker as soon as its replacement is up
            workers = children(proc.pid)
            assert len(workers) == 2
            os.kill(max(workers), signal.SIGSEGV)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and (len(children(proc.pid)) != 2 or children(proc.pid) == workers):
                time.sleep(0.05)
            assert proc.poll() is None, "the server exited"
        assert http_sender(port)("POST", "/sparql", QUERY, b"ASK {}")[0] == 200
        assert len(children(proc.pid)) == 2
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert b"killed by signal 11" in err


def test_workers_end_with_a_supervisor_that_was_killed():
    """An orphaned worker would go on answering on the shared socket with stale data."""
    proc, _ = start_kg_serve("--empty", "--workers", "2", writable=False)
    workers = children(proc.pid)
    proc.kill()
    proc.wait(timeout=10)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{pid}") and
                                              open(f"/proc/{pid}/stat").read().split()[2] != "Z" for pid in workers):
        time.sleep(0.1)
    alive = [pid for pid in workers if os.path.exists(f"/proc/{pid}") and open(f"/proc/{pid}/stat").read().split()[2] != "Z"]
    assert not alive, f"workers {alive} outlived their supervisor"
