"""The seccomp network ban, each case in a forked child (never in the pytest process), reported through a pipe."""
from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import threading
import time
from typing import Any, Callable, Iterator

import pyoxigraph as ox
import pytest

from kg.server import sandbox

pytestmark = pytest.mark.skipif(sandbox.native_arch() is None, reason="seccomp filter only for Linux x86_64/aarch64")

Install = Callable[[], bool]
CHILD_TIMEOUT = 8.0


def in_child(body: Callable[[Install], dict[str, Any]], *, filtered: bool = True) -> dict[str, Any]:
    """Fork; the child runs `body(install)` and sends back its dict as JSON. `install` is a no-op if not filtered."""
    install: Install = sandbox.deny_network_sockets if filtered else (lambda: False)
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:                                     # the child: never return into pytest
        code = 0
        try:
            os.close(rfd)
            try:
                out = body(install)
            except BaseException as exc:             # noqa: BLE001 - reported to the parent
                out = {"child_error": f"{type(exc).__name__}: {exc}"}
            os.write(wfd, json.dumps(out).encode())
        except BaseException:                        # noqa: BLE001
            code = 3
        finally:
            os._exit(code)
    os.close(wfd)
    data, deadline = b"", time.monotonic() + CHILD_TIMEOUT
    try:
        while time.monotonic() < deadline:
            if select.select([rfd], [], [], deadline - time.monotonic())[0]:
                chunk = os.read(rfd, 65536)
                if not chunk:
                    break
                data += chunk
        else:
            os.kill(pid, signal.SIGKILL)
    finally:
        os.close(rfd)
        os.waitpid(pid, 0)
    assert data, "the child reported nothing"
    out = json.loads(data)
    assert "child_error" not in out, out["child_error"]
    return out


class CountingListener:
    """An HTTP listener on 127.0.0.1 in the parent that counts connections and answers each with a 500."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._seen_marker = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                with contextlib.suppress(OSError):
                    head = conn.recv(65536)
                    if head == b"MARKER":
                        self._seen_marker.set()
                        continue
                    self.hits += 1
                    conn.sendall(b"HTTP/1.1 500 Nope\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def settled_hits(self) -> int:
        """Connections so far: accept() is FIFO, so once a marker connection is served, all earlier ones were."""
        self._seen_marker.clear()
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as marker:
            marker.sendall(b"MARKER")
            assert self._seen_marker.wait(3)
        return self.hits

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[CountingListener]:
    """A fresh counting listener per test."""
    served = CountingListener()
    yield served
    served.close()


def attempt(action: Callable[[], object]) -> str:
    """'ok', or the exception's type and message."""
    try:
        action()
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"
    return "ok"


def inet_attempts(port: int) -> dict[str, str]:
    """Try every way of making a network socket that the filter should refuse."""
    kinds = {"inet": (socket.AF_INET, socket.SOCK_STREAM), "inet6": (socket.AF_INET6, socket.SOCK_STREAM),
             "udp": (socket.AF_INET, socket.SOCK_DGRAM), "netlink": (socket.AF_NETLINK, socket.SOCK_RAW),
             "packet": (socket.AF_PACKET, socket.SOCK_RAW)}
    out = {name: attempt(lambda fam=fam, typ=typ: socket.socket(fam, typ).close()) for name, (fam, typ) in kinds.items()}
    out["connect"] = attempt(lambda: socket.create_connection(("127.0.0.1", port), timeout=2).close())
    return out


def status() -> dict[str, str]:
    """The seccomp and no_new_privs lines of /proc/self/status."""
    with open("/proc/self/status") as f:
        return dict(line.rstrip("\n").split(":\t", 1) for line in f if line.startswith(("Seccomp", "NoNewPrivs")))


def test_socket_refused_in_every_thread(listener: CountingListener) -> None:
    """socket() of every non-AF_UNIX family fails with EPERM, also in a thread started before the filter (TSYNC)."""
    def body(install: Install) -> dict[str, Any]:
        go, report = threading.Event(), {}
        worker = threading.Thread(target=lambda: (go.wait(), report.update(inet_attempts(listener.port))))
        worker.start()                               # exists before the filter: TSYNC must reach it
        installed, again = install(), install()
        go.set()
        worker.join()
        return {"installed": installed, "again": again, "main": inet_attempts(listener.port),
                "thread": report, "status": status()}

    out = in_child(body)
    assert out["installed"] and out["again"]
    assert out["status"] == {"NoNewPrivs": "1", "Seccomp": "2", "Seccomp_filters": "1"}   # idempotent: one filter
    for where in ("main", "thread"):
        assert set(out[where]) == {"inet", "inet6", "udp", "netlink", "packet", "connect"}
        for name, result in out[where].items():
            assert result.startswith("PermissionError"), (where, name, result)
    assert listener.settled_hits() == 0


def engine_attempts(port: int) -> dict[str, str]:
    """A SERVICE query and a LOAD update aimed at the listener, and a local query that must still work."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://ex/s"), ox.NamedNode("http://ex/p"), ox.Literal("o")))
    service = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    return {"service": attempt(lambda: list(store.query(service))),
            "load": attempt(lambda: store.update(f"LOAD <http://127.0.0.1:{port}/x.ttl>")),
            "local": str(len(list(store.query("SELECT * WHERE { ?s ?p ?o }"))))}


def test_engine_reaches_listener_without_filter(listener: CountingListener) -> None:
    """Positive control: the same SERVICE and LOAD do connect when nothing stops them."""
    out = in_child(lambda install: engine_attempts(listener.port), filtered=False)
    assert "500" in out["service"] and "500" in out["load"], out
    assert listener.settled_hits() == 2


def test_engine_cannot_connect_with_filter(listener: CountingListener) -> None:
    """pyoxigraph's SERVICE and LOAD fail with EPERM and never reach the listener; local queries still run."""
    out = in_child(lambda install: {"installed": install(), **engine_attempts(listener.port)})
    assert out["installed"]
    for name in ("service", "load"):
        assert out[name].startswith("PermissionError"), (name, out[name])
    assert out["local"] == "1"
    assert listener.settled_hits() == 0


def test_existing_sockets_and_unix_keep_working() -> None:
    """Open TCP connections, the inherited listener, and new AF_UNIX sockets work under the filter."""
    inherited = socket.create_server(("127.0.0.1", 0))   # like granian's listening socket, inherited by workers

    def body(install: Install) -> dict[str, Any]:
        server = socket.create_server(("127.0.0.1", 0))
        client = socket.create_connection(server.getsockname(), timeout=2)
        accepted, _ = server.accept()                # an open TCP connection from before the filter
        installed = install()
        client.sendall(b"ping")
        got = accepted.recv(4)
        accepted.sendall(b"pong")
        back = client.recv(4)
        left, right = socket.socketpair()            # AF_UNIX, created after the filter
        left.sendall(b"unix")
        unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        inherited.settimeout(3)
        conn, _ = inherited.accept()                 # a connection the parent opens to the inherited listener
        conn.sendall(conn.recv(5).upper())
        return {"installed": installed, "tcp": (got + back).decode(), "pair": right.recv(4).decode(),
                "unix_family": unix.family == socket.AF_UNIX}

    with inherited, socket.create_connection(inherited.getsockname(), timeout=3) as peer:
        peer.sendall(b"hello")                       # waits in the backlog until the filtered child accepts it
        result = in_child(body)
        echoed = peer.recv(5)
    assert result == {"installed": True, "tcp": "pingpong", "pair": "unix", "unix_family": True}
    assert echoed == b"HELLO"


def test_grandchild_inherits_filter(listener: CountingListener) -> None:
    """A process forked after the filter is bound by it without installing anything itself."""
    def body(install: Install) -> dict[str, Any]:
        installed = install()
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:                                 # the grandchild: no install call of its own
            try:
                report = {"sockets": inet_attempts(listener.port), "engine": engine_attempts(listener.port),
                          "status": status(), "flag": sandbox.installed()}
                os.write(wfd, json.dumps(report).encode())
            finally:
                os._exit(0)
        os.close(wfd)
        with os.fdopen(rfd, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        return {"installed": installed, **json.loads(data)}

    out = in_child(body)
    assert out["installed"] and out["flag"]
    assert out["status"]["Seccomp"] == "2" and out["status"]["Seccomp_filters"] == "1"
    assert all(r.startswith("PermissionError") for r in out["sockets"].values()), out["sockets"]
    assert out["engine"]["service"].startswith("PermissionError"), out["engine"]
    assert out["engine"]["load"].startswith("PermissionError"), out["engine"]
    assert listener.settled_hits() == 0


def test_unknown_arch_returns_false_and_installs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """On an ABI the filter does not know, the call reports False and changes nothing."""
    def body(install: Install) -> dict[str, Any]:
        monkeypatch.setattr(sandbox.platform, "machine", lambda: "mips64")
        return {"installed": install(), "status": status(),
                "inet": attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).close())}

    out = in_child(body)
    assert out == {"installed": False, "status": status(), "inet": "ok"}   # unchanged from the parent's


def test_program_shape() -> None:
    """Every jump lands inside the program, and the last two instructions are ALLOW then EPERM."""
    for arch in sandbox.ARCHES.values():
        insns = sandbox.program(arch)
        for i, (code, jt, jf, _k) in enumerate(insns):
            if code in (sandbox.BPF_JEQ_K, sandbox.BPF_JGE_K):
                assert i + 1 + max(jt, jf) < len(insns)
        assert insns[-2][3] == sandbox.SECCOMP_RET_ALLOW
        assert insns[-1][3] == sandbox.SECCOMP_RET_ERRNO | 1
