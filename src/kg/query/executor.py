"""Evaluate queries in child processes that can be killed, so that no query outlives its deadline.

pyoxigraph releases the GIL while it evaluates a query but cannot cancel one. Each child process is forked
from the server while no write is in progress, so it holds a copy-on-write snapshot of the in-memory store
(or reopens an on-disk store read-only); it evaluates one query at a time, writes the serialised answer to
a pipe, and is killed if it is still busy at the deadline. An on-disk store is not shared with a forked
child: each version gets a checkpoint (hard links, cheap) that the children open read-only, and those children
are forked from a clean process (kg.query.clean_start), never from the server. After a write, children holding the older
snapshot are retired and new ones forked. The whole answer is read before the HTTP status is chosen, so a
timeout is never a 200 with a cut body.
"""
from __future__ import annotations

import os
import pickle
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path

import pyoxigraph as ox

from kg import deepstack
from kg.query import clean_start
from kg.query import formats
from kg.query.framing import read as _read, write as _write
from kg.errors import KgError, QueryError
from kg.errors import redact
from kg.sparql.lexer import top_level_limit
from kg.store.embedded import EmbeddedStore, EngineResult, query

class QueryTimeout(KgError):
    """The query ran past its deadline and its process was killed."""


@dataclass(frozen=True)
class Answer:
    """What evaluating a query produced: a serialised result, a refusal, or an error."""

    status: str             # "ok", "not-acceptable", "error"
    media_type: str = ""
    body: bytes = b""
    message: str = ""
    offered: tuple[str, ...] = ()
    truncated_at: int | None = None   # the row cap, when the result had more rows than it
    rows: int | None = None           # solutions or triples in the answer, where the format tells exactly


@dataclass
class _Child:
    pid: int
    send: int
    recv: int
    version: int
    process: BaseProcess | None = None      # started by kg.query.clean_start (on-disk stores), not os.fork


class ExecutorPool:
    """Up to `size` query processes on snapshots of one EmbeddedStore."""

    def __init__(self, store: EmbeddedStore, size: int, timeout: float, max_rows: int):
        self.store, self.size, self.timeout, self.max_rows = store, size, timeout, max_rows
        self._checkpoints: dict[int, Path] = {}     # on-disk stores: a read-only copy per data version
        self._idle: list[_Child] = []
        self._live: dict[int, int] = {}             # pid -> data version, for every child not yet reaped
        self._busy = 0
        self._cond = threading.Condition()

    def evaluate(self, text: str, default_graphs: list[str], named_graphs: list[str], base_iri: str | None,
                 accept: str | None, requested: str | None) -> Answer:
        """Run one query in a child; raise QueryTimeout if it is not done by the deadline."""
        deadline = time.monotonic() + self.timeout
        child = self._acquire(deadline)
        healthy = False
        try:
            _write(child.send, pickle.dumps((text, default_graphs, named_graphs, base_iri, accept, requested, self.max_rows)))
            answer = pickle.loads(_read(child.recv, deadline))
            healthy = True
            return answer
        except TimeoutError:
            raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped") from None
        except (EOFError, OSError) as err:     # the process died: only that query's snapshot went with it
            return Answer("error", message=f"evaluating this query stopped the process that ran it ({err}); "
                                           "nothing else was affected")
        finally:
            self._release(child, healthy)

    def close(self) -> None:
        """Stop every idle child (busy ones stop when they are released) and remove the checkpoints."""
        with self._cond:
            idle, self._idle = self._idle, []
        for child in idle:
            _kill(child)
        for path in self._checkpoints.values():
            shutil.rmtree(path.parent, ignore_errors=True)
        self._checkpoints.clear()

    # -- children

    def _acquire(self, deadline: float) -> _Child:
        """An idle child on the current data version, a new one if there is room, or wait until the deadline."""
        stale: list[_Child] = []
        try:
            with self._cond:
                while True:
                    version = self.store.version
                    for child in [c for c in self._idle if c.version != version]:
                        self._idle.remove(child)
                        stale.append(child)
                    if self._idle:
                        self._busy += 1
                        return self._idle.pop()
                    if self._busy < self.size:
                        self._busy += 1
                        break
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or not self._cond.wait(remaining):
                        raise QueryTimeout("every query process stayed busy until the deadline")
        finally:
            for child in stale:
                self._retire(child)
        try:
            return self._fork()
        except BaseException:
            with self._cond:
                self._busy -= 1
                self._cond.notify()
            raise

    def _release(self, child: _Child, healthy: bool) -> None:
        kept = False
        with self._cond:
            self._busy -= 1
            if healthy and child.version == self.store.version:
                self._idle.append(child)
                kept = True
            self._cond.notify()
        if not kept:
            self._retire(child)

    def _fork(self) -> _Child:
        if self.store.path is not None:
            with self.store.write_lock:    # no write is half done in the checkpoint
                version = self.store.version
                checkpoint = self._checkpoint(version)
            pid, send, recv, process = clean_start.start(serve_checkpoint, checkpoint)
            child = _Child(pid, send, recv, version, process)
        else:
            child = self._fork_snapshot()
        with self._cond:
            self._live[child.pid] = child.version
        return child

    def _fork_snapshot(self) -> _Child:
        """A child forked from the server: a copy-on-write snapshot of the in-memory store."""
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        with self.store.write_lock:        # no write is half done in the snapshot
            version = self.store.version
            pid = os.fork()
        if pid == 0:                       # the child never returns from here
            try:
                _child_main(self.store.oxigraph, to_child_r, from_child_w)
            finally:
                os._exit(0)
        os.close(to_child_r)
        os.close(from_child_w)
        return _Child(pid, to_child_w, from_child_r, version)

    def _retire(self, child: _Child) -> None:
        """Kill a child and drop the checkpoints that no living child reads any more."""
        _kill(child)
        with self._cond:
            self._live.pop(child.pid, None)
            in_use = set(self._live.values()) | {self.store.version}
            stale = [v for v in self._checkpoints if v not in in_use]
            paths = [self._checkpoints.pop(v) for v in stale]
        for path in paths:
            shutil.rmtree(path.parent, ignore_errors=True)


    def _checkpoint(self, version: int) -> Path:
        """A read-only copy of the on-disk store at this version; older copies are removed."""
        if version not in self._checkpoints:
            target = Path(tempfile.mkdtemp(prefix="kg-snapshot-")) / "store"
            self.store.oxigraph.flush()
            self.store.oxigraph.backup(str(target))
            self._checkpoints[version] = target
        return self._checkpoints[version]


def _child_main(store: ox.Store, recv: int, send: int) -> None:
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, signal.SIG_DFL)
    _close_other_fds(keep={0, 1, 2, recv, send})
    deepstack.start(lambda: _serve_child(store, recv, send), "kg-query").join()   # the forking thread's stack is small


def serve_checkpoint(path: Path, recv: int, send: int) -> None:
    """The body of a query process for an on-disk store (kg.query.clean_start): open its checkpoint, answer."""
    store = ox.Store.read_only(str(path))
    deepstack.start(lambda: _serve_child(store, recv, send), "kg-query").join()


def _serve_child(store: ox.Store, recv: int, send: int) -> None:
    while True:
        try:
            request = pickle.loads(_read(recv, None))
        except EOFError:
            return
        _write(send, pickle.dumps(answer(store, *request)))


def answer(store: ox.Store, text: str, default_graphs: list[str], named_graphs: list[str], base_iri: str | None,
           accept: str | None, requested: str | None, max_rows: int) -> Answer:
    """Evaluate and serialise one query; every failure becomes an Answer, never an exception."""
    def run() -> EngineResult:
        return query(store, text, prefixes=False, default_graphs=default_graphs, named_graphs=named_graphs,
                     base_iri=base_iri)
    try:
        result = run()
        kind = formats.result_kind(result)
        fmt = formats.negotiate(kind, accept, requested)
        if fmt is None:
            return Answer("not-acceptable", offered=tuple(f.media_type for f in formats.of_kind(kind)))
        if isinstance(result, ox.QueryBoolean):
            return Answer("ok", fmt.content_type, formats.serialize(result, fmt), rows=1)
        body, truncated, limit = None, None, top_level_limit(text)
        if isinstance(result, ox.QuerySolutions) and (limit is None or limit > max_rows):
            body = formats.serialize_within(result, fmt, max_rows)
            if body is None:    # perhaps more solutions than the cap: evaluate again and keep max_rows of them
                again = run()
                assert isinstance(again, ox.QuerySolutions)     # the same SELECT: solutions again
                result, truncated = formats.capped(again, max_rows)
        if body is None:
            body = formats.serialize(result, fmt)
        return Answer("ok", fmt.content_type, body, truncated_at=truncated, rows=formats.count_rows(body, fmt))
    except QueryError as err:
        return Answer("error", message=str(err))
    except (OSError, ValueError, RuntimeError) as err:
        return Answer("error", message=f"query failed: {redact(str(err))}")


def _close_other_fds(keep: set[int]) -> None:
    """Drop the server's sockets so that a connection closes when the server closes it."""
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _kill(child: _Child) -> None:
    for fd in (child.send, child.recv):
        try:
            os.close(fd)
        except OSError:
            pass
    if child.process is not None:
        clean_start.stop(child.process)
        return
    try:
        os.kill(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(child.pid, 0)
    except ChildProcessError:
        pass
