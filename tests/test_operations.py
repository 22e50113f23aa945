"""Throttling, the concurrency cap, the access log and the metrics."""
from __future__ import annotations

import json
import logging

import pytest

from kg.config import Config
from kg.server import create_app, services
from kg.server.limits import Throttle, retry_after


def test_throttle_refills_at_its_rate():
    t = Throttle(rate=2.0, burst=2)
    assert t.admit("a", now=0.0) == 0 and t.admit("a", now=0.0) == 0
    wait = t.admit("a", now=0.0)
    assert 0.49 < wait <= 0.5 and retry_after(wait) == "1"
    assert t.admit("b", now=0.0) == 0          # another client has its own bucket
    assert t.admit("a", now=0.6) == 0          # refilled


def test_429_with_retry_after_for_a_client_over_its_rate():
    client = create_app(Config(empty=True, client_rate=0.5, client_burst=2)).test_client()
    codes = [client.get("/sparql?query=ASK%7B%7D").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    r = client.get("/sparql?query=ASK%7B%7D")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1 and b"slow down" in r.data
    assert client.get("/health").status_code == 200      # health checks are never throttled


def test_503_when_every_slot_is_taken():
    app = create_app(Config(empty=True, max_concurrent=1))
    services(app).cap.enter()                     # a long request holds the only slot
    r = app.test_client().get("/sparql?query=ASK%7B%7D")
    assert r.status_code == 503 and r.headers["Retry-After"] == "1"
    services(app).cap.leave()
    assert app.test_client().get("/sparql?query=ASK%7B%7D").status_code == 200


def test_slots_are_released_after_errors():
    app = create_app(Config(empty=True, max_concurrent=1))
    client = app.test_client()
    for _ in range(3):
        assert client.get("/sparql?query=ASK%7B").status_code == 400
    assert client.get("/sparql?query=ASK%7B%7D").status_code == 200


REQUESTS = "kg_http_requests_total"


def _requests(route: str, method: str, status: int) -> tuple:
    return (REQUESTS, (("method", method), ("route", route), ("status", str(status))))


def test_metrics_count_requests_by_route_and_status():
    from conftest import metric_samples
    client = create_app(Config(empty=True)).test_client()
    client.get("/sparql?query=ASK%7B%7D")
    client.get("/sparql?query=ASK%7B")
    answer = client.get("/metrics")
    assert answer.content_type == "text/plain; version=0.0.4; charset=utf-8"
    got = metric_samples(answer.get_data(as_text=True))
    assert got[_requests("sparql", "GET", 200)] == 1 and got[_requests("sparql", "GET", 400)] == 1
    assert got[("kg_http_request_duration_seconds_count", (("route", "sparql"),))] == 2
    assert got[("kg_store_quads", ())] == 0 and got[("kg_http_processes", ())] == 1
    assert got[("kg_http_throttled_total", ())] == 0
    buckets = [v for (name, labels), v in got.items()
               if name == "kg_http_request_duration_seconds_bucket" and ("route", "sparql") in labels]
    assert buckets == sorted(buckets) and buckets[-1] == buckets[-2] == 2      # cumulative, up to +Inf


def test_metrics_of_two_apps_in_one_process_are_their_own():
    """Outside kg serve's multiprocess mode, each app counts its own requests (tests, embedding applications)."""
    from conftest import metric_samples
    first, second = (create_app(Config(empty=True)).test_client() for _ in range(2))
    first.get("/sparql?query=ASK%7B%7D")
    assert metric_samples(first.get("/metrics").get_data(as_text=True))[_requests("sparql", "GET", 200)] == 1
    assert _requests("sparql", "GET", 200) not in metric_samples(second.get("/metrics").get_data(as_text=True))


def test_histogram_buckets_count_every_request_up_to_their_bound():
    from conftest import metric_samples
    from kg.server.observe import DURATION_BUCKETS, Metrics
    metrics = Metrics()
    for seconds in (0.0005, 0.001, 0.003, 0.2, 99.0):
        metrics.observe("sparql", "GET", 200, seconds)
    got = {dict(labels)["le"]: v for (name, labels), v in metric_samples(metrics.render(None)).items()
           if name.endswith("_bucket")}
    assert got["0.001"] == 2 and got["0.005"] == 3 and got["0.25"] == 4 and got["30.0"] == 4 and got["+Inf"] == 5
    assert len(got) == len(DURATION_BUCKETS) + 1


def test_access_log_is_one_json_line_with_the_query_hash(caplog):
    client = create_app(Config(empty=True)).test_client()
    with caplog.at_level(logging.INFO, logger="kg.access"):
        client.post("/sparql", data="ASK {}", content_type="application/sparql-query")
    [record] = [r for r in caplog.records if r.name == "kg.access"]
    entry = json.loads(record.getMessage())
    assert entry["status"] == 200 and entry["method"] == "POST" and entry["path"] == "/sparql"
    assert len(entry["query_hash"]) == 16 and entry["ms"] >= 0 and entry["rows"] == 1


def test_the_servers_buffered_access_log_writes_the_same_lines(caplog, monkeypatch):
    """The server's own handler skips the logging machinery and buffers: same JSON lines, written out in batches."""
    import io
    from kg.server import observe
    client = create_app(Config(empty=True)).test_client()
    queries = ["ASK {}", 'SELECT ?x WHERE { VALUES ?x { "ü\\"\\n" 1 } }']
    with caplog.at_level(logging.INFO, logger="kg.access"):
        for q in queries:
            client.post("/sparql", data=q, content_type="application/sparql-query", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    expected = [json.loads(r.getMessage()) for r in caplog.records if r.name == "kg.access"]
    stream, logger = io.StringIO(), logging.getLogger("kg.access")
    buffered = observe.LineBuffer(stream)
    monkeypatch.setattr(logger, "handlers", [buffered])
    monkeypatch.setattr(logger, "level", logging.INFO)
    for q in queries:
        client.post("/sparql", data=q, content_type="application/sparql-query", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert stream.getvalue() == ""                                     # nothing written per request …
    buffered.flush()                                                   # … until the flusher's turn
    got = [json.loads(line) for line in stream.getvalue().splitlines()]
    drop = lambda e: {k: v for k, v in e.items() if k not in ("ms", "time")}
    assert [drop(e) for e in got] == [drop(e) for e in expected] and len(got) == 2
    assert all(set(e) == set(x) for e, x in zip(got, expected))
    monkeypatch.setattr(observe, "ACCESS_BUFFER_BYTES", 1)             # a full buffer is written at once
    client.post("/sparql", data="ASK {}", content_type="application/sparql-query")
    assert len(stream.getvalue().splitlines()) == 3


def test_a_throttle_without_a_rate_limit_counts_nothing(tmp_path):
    import math
    from kg.server.limits import SharedThrottle, Throttle
    for throttle in (Throttle(math.inf, 1), SharedThrottle(math.inf, 1, tmp_path / "t")):
        assert all(throttle.admit("10.0.0.1") == 0 for _ in range(1000))


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/tab-separated-values", "text/csv"])
def test_access_log_counts_the_rows_of_an_answer(caplog, accept):
    client = create_app(Config(empty=True)).test_client()
    query = 'SELECT ?x { VALUES ?x { 1 "a}},{\\"b" "c\\nd" <http://e> } }'
    with caplog.at_level(logging.INFO, logger="kg.access"):
        for _ in range(2):                                         # the second answer comes from the cache
            r = client.post("/sparql", data=query, content_type="application/sparql-query", headers={"Accept": accept})
            assert r.status_code == 200
    rows = [json.loads(r.getMessage())["rows"] for r in caplog.records if r.name == "kg.access"]
    assert rows == [4, 4] or (accept == "text/csv" and rows == [None, None])   # CSV with quotes: not counted


def test_access_log_never_miscounts_empty_rows(caplog):
    """A row with nothing bound is written `{}` in JSON: such answers are counted where exact, else null."""
    client = create_app(Config(empty=True)).test_client()
    with caplog.at_level(logging.INFO, logger="kg.access"):
        for values in ("UNDEF 1 UNDEF", "1 UNDEF UNDEF 2"):
            client.post("/sparql", data=f"SELECT ?x {{ VALUES ?x {{ {values} }} }}", content_type="application/sparql-query")
        client.post("/sparql", data="SELECT ?x { VALUES ?x { UNDEF 1 UNDEF } }", content_type="application/sparql-query",
                    headers={"Accept": "text/tab-separated-values"})
    rows = [json.loads(r.getMessage())["rows"] for r in caplog.records if r.name == "kg.access"]
    assert rows == [None, None, 3]


def test_several_http_processes_only_where_they_cannot_disagree():
    from kg.server.wsgi import http_workers
    assert http_workers(Config(store="memory")) == 2
    assert http_workers(Config(store="http://127.0.0.1:7878/query")) == 2
    assert http_workers(Config(store="memory", write_token="t")) == 1      # writes must be seen by every query
    assert http_workers(Config(store="/data/db")) == 1                     # an on-disk store is not shared by fork
    assert http_workers(Config(empty=True, http_workers=3)) == 3


def test_an_app_for_several_processes_needs_prometheus_multiprocess_mode():
    """Here prometheus_client keeps values in memory, so an app for two processes would count one: refused."""
    from kg.errors import KgError
    with pytest.raises(KgError, match="PROMETHEUS_MULTIPROC_DIR"):
        create_app(Config(empty=True), processes=2)
    single = services(create_app(Config(empty=True)))
    assert single.processes == 1 and not single.metrics.shared
    assert [key for key in create_app(Config(empty=True)).extensions if key.startswith("kg")] == ["kg"]


def _in_multiprocess_mode(tmp_path, script: str) -> str:
    """Run `script` in a fresh Python whose prometheus_client is in multiprocess mode, as under kg serve."""
    import os
    import subprocess
    import sys
    import textwrap
    folder = tmp_path / "metrics"
    folder.mkdir()
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_an_app_made_for_several_processes_shares_its_limits_and_metrics(tmp_path):
    out = _in_multiprocess_mode(tmp_path, """
        import pytest
        from kg.config import Config
        from kg.errors import KgError
        from kg.server import create_app, services
        from kg.server.limits import SharedCap, SharedThrottle
        from kg.server.wsgi import _for_processes
        config = Config(empty=True, http_workers=2)
        parts = services(create_app(config, processes=2))
        assert isinstance(parts.cap, SharedCap) and isinstance(parts.throttle, SharedThrottle), parts
        assert parts.metrics.shared and parts.processes == 2
        with pytest.raises(KgError, match="made for 1 HTTP process"):   # wsgi.run refuses, never patches
            _for_processes(create_app(config), config)
        ready = create_app(config, processes=2)
        assert _for_processes(ready, config) is ready
        print("checked")
    """)
    assert out.strip() == "checked"


def test_metrics_of_several_processes_are_summed_and_outlive_them(tmp_path):
    """Two forked processes count requests; a third, which counted none, reports both after they exited."""
    from conftest import metric_samples
    out = _in_multiprocess_mode(tmp_path, """
        import os
        from kg.server.observe import Metrics
        metrics = Metrics()
        for seconds in (0.002, 0.2):
            child = os.fork()
            if child == 0:
                for _ in range(3):
                    metrics.observe("sparql", "GET", 200, seconds)
                metrics.observe("sparql", "GET", 429, seconds)
                os._exit(0)
            assert os.waitpid(child, 0)[1] == 0
        print(metrics.render(7))
    """)
    got = metric_samples(out)
    assert got[_requests("sparql", "GET", 200)] == 6 and got[_requests("sparql", "GET", 429)] == 2
    assert got[("kg_http_request_duration_seconds_bucket", (("le", "0.0025"), ("route", "sparql")))] == 4
    assert got[("kg_http_request_duration_seconds_count", (("route", "sparql"),))] == 8
    assert got[("kg_http_throttled_total", ())] == 2
    assert got[("kg_http_processes", ())] == 3                # the two that exited and the one that answers
    assert got[("kg_store_quads", ())] == 7


def test_read_only_server_with_preloaded_data(tmp_path):
    from conftest import http_sender, start_kg_serve, stop
    data = tmp_path / "d.nq"
    data.write_text("<http://a> <http://b> <http://c> <http://g> .\n")
    proc, port = start_kg_serve("--empty", "--preload", str(data), writable=False)
    try:
        send = http_sender(port)
        for _ in range(6):
            status, _, body = send("GET", "/sparql?query=ASK%7BGRAPH%3Fg%7B%3Chttp%3A%2F%2Fa%3E%3Fp%3Fo%7D%7D", {}, b"")
            assert status == 200 and body.endswith(b"true}")
        status, _, _ = send("POST", "/sparql", {"Content-Type": "application/sparql-update"}, b"CLEAR ALL")
        assert status == 403
    finally:
        stop(proc)
    assert b"2 HTTP process(es)" in proc.stderr.read()


def test_void_names_this_endpoint_counts_once_per_version_and_follows_writes():
    from conftest import TOKEN
    client = create_app(Config(empty=True, write_token=TOKEN)).test_client()
    first = client.get("/.well-known/void", base_url="http://kg.example:8080")
    assert first.status_code == 200 and b"<http://kg.example:8080/sparql>" in first.data
    assert b"void:triples 0" in first.data
    assert client.get("/.well-known/void", base_url="http://kg.example:8080").data == first.data
    client.put("/store?graph=http://g", data="<http://a> <http://b> <http://c> .", content_type="text/turtle",
               headers={"Authorization": f"Bearer {TOKEN}"})
    assert b"void:triples 1" in client.get("/.well-known/void").data
    mounted = client.get("/.well-known/void", base_url="http://kg.example/kg/")      # served under a path prefix
    assert b"<http://kg.example/kg/sparql>" in mounted.data


def test_void_counting_obeys_the_query_timeout():
    import pyoxigraph as ox
    from kg.store.embedded import EmbeddedStore
    store = ox.Store()
    store.extend([ox.Quad(ox.NamedNode(f"http://s/{i}"), ox.NamedNode(f"http://p/{i}"), ox.Literal(i), ox.NamedNode("http://g"))
                  for i in range(200_000)])
    app = create_app(Config(empty=True, query_timeout=0.05, executors=1), store=EmbeddedStore(store))
    r = app.test_client().get("/.well-known/void")
    assert r.status_code == 503 and b"ran longer than 0.05 s" in r.data


def test_a_real_server_reports_the_requests_of_all_its_processes():
    from conftest import http_sender, metric_samples, start_kg_serve, stop
    proc, port = start_kg_serve("--empty", "--workers", "2", writable=False)
    try:
        send = http_sender(port)
        for i in range(40):                                   # a new connection each: both processes get some
            assert send("GET", f"/sparql?query=ASK%7B%7D%23{i}", {}, b"")[0] == 200
        seen = []
        for _ in range(4):                                    # whichever process answers: no wait, no staleness
            got = metric_samples(send("GET", "/metrics", {}, b"")[2].decode())
            seen.append((got[_requests("sparql", "GET", 200)], got[("kg_http_processes", ())]))
        assert all(n == 40 for n, _ in seen) and max(p for _, p in seen) == 2
    finally:
        stop(proc)


def _summed_in_two_forked_processes(work) -> int:
    """Run `work` in two processes forked from this one, at once, and add up what they return. Neither exits
    before both have done their work (a process that has exited no longer holds anything)."""
    import multiprocessing
    ctx = multiprocessing.get_context("fork")
    results, both_done = ctx.Queue(), ctx.Barrier(2)

    def run() -> None:
        done = work()
        both_done.wait(30)
        results.put(done)
    workers = [ctx.Process(target=run) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    return results.get(timeout=5) + results.get(timeout=5)


def test_shared_throttle_gives_a_client_its_burst_once_across_forked_processes(tmp_path):
    """Two processes forked from one server take tokens from the same buckets (at once, under the file lock)."""
    from kg.server.limits import SharedThrottle
    throttle = SharedThrottle(rate=1e-6, burst=40, path=tmp_path / "throttle")
    admitted = _summed_in_two_forked_processes(lambda: sum(throttle.admit("10.0.0.7") == 0 for _ in range(60)))
    assert admitted == 40                                              # per-process buckets would admit 80
    assert throttle.admit("10.0.0.8") == 0                             # another client has its own bucket
    assert throttle.admit("10.0.0.7") > 0                              # and the parent sees the spent one


def test_a_client_gets_its_burst_once_from_a_server_with_two_processes(tmp_path):
    """Against a real `kg serve --workers 2`: one client's burst is shared, whichever process answers."""
    from conftest import http_sender, start_kg_serve, stop
    proc, port = start_kg_serve("--empty", "--workers", "2", "--client-rate", "0.001", "--client-burst", "30",
                                writable=False)
    try:
        send = http_sender(port)                                       # a new connection for every request
        codes = [send("GET", "/sparql?query=ASK%7B%7D", {}, b"")[0] for _ in range(45)]
        assert codes.count(200) <= 30 and codes.count(429) >= 15       # not 30 per process
        assert codes[-1] == 429
    finally:
        stop(proc)


def test_shared_cap_counts_requests_in_flight_across_forked_processes(tmp_path):
    """Two processes forked from one server share the cap; the slots of a process that died are freed."""
    from kg.server.limits import SharedCap
    cap = SharedCap(limit=12, path=tmp_path / "in-flight")
    held = _summed_in_two_forked_processes(lambda: sum(cap.enter() for _ in range(10)))   # exit without leaving
    assert held == 12                                                  # per-process caps would admit 20
    assert cap.enter()                                                 # both died: their 12 are freed
    assert sum(cap.enter() for _ in range(20)) == 11 and not cap.enter()
    cap.leave()
    assert cap.enter()


def test_a_server_with_two_processes_keeps_one_cap(tmp_path):
    """Against a real `kg serve --workers 2 --max-concurrent 2`: four slow queries at once, two are turned away."""
    from concurrent.futures import ThreadPoolExecutor
    from conftest import http_sender, start_kg_serve, stop
    data = tmp_path / "d.nt"
    data.write_text("".join(f"<http://s/{i}> <http://p> <http://o/{i}> .\n" for i in range(2500)))
    slow = b"SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"          # 2500^2 pairs: over half a second
    proc, port = start_kg_serve("--empty", "--preload", str(data), "--workers", "2", "--max-concurrent", "2",
                                writable=False)
    try:
        send = http_sender(port)
        with ThreadPoolExecutor(4) as pool:
            codes = list(pool.map(lambda _: send("POST", "/sparql", {"Content-Type": "application/sparql-query"},
                                                 slow)[0], range(4)))
        assert sorted(codes) == [200, 200, 503, 503]
        assert send("POST", "/sparql", {"Content-Type": "application/sparql-query"}, b"ASK {}")[0] == 200
    finally:
        stop(proc)


def test_too_many_processes_for_one_shared_cap_is_refused_at_start(tmp_path):
    from kg.errors import KgError
    from kg.server.limits import SharedCap
    with pytest.raises(KgError, match="at most 256"):
        SharedCap(limit=4, path=tmp_path / "in-flight", processes=257)
