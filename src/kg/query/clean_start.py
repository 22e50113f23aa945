"""Start query processes for an on-disk store from a clean process, never by forking the server.

RocksDB runs flush and compaction on background threads. A child forked from the server at a moment when one
of them holds a lock inherits the lock but not the thread, and hangs on its first RocksDB call, even one on a
different store (measured: one wedged query in 200 write-then-query rounds under load; tests/attack/
replay_disk_writes.py). multiprocessing's fork server is a fresh interpreter, started once by exec, that never
opens a store; each query process is forked from it, so it inherits no lock that anyone holds.
"""
from __future__ import annotations

import multiprocessing
import os
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Callable

STOP_SECONDS = 5          # how long a killed query process may take to be reported gone

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["kg.query.executor"])     # the fork server imports the engine once


def start(body: Callable[[Path, int, int], None], path: Path) -> tuple[int, int, int, BaseProcess]:
    """Start `body(path, recv, send)` in a process forked from the fork server: its pid, the descriptor to
    write requests to, the descriptor to read answers from, and the process."""
    to_child_r, to_child_w = _CONTEXT.Pipe(duplex=False)
    from_child_r, from_child_w = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_run, args=(body, path, to_child_r, from_child_w), daemon=True,
                               name="kg-query")
    process.start()
    to_child_r.close()
    from_child_w.close()
    assert process.pid is not None          # started: it has its pid
    send, recv = os.dup(to_child_w.fileno()), os.dup(from_child_r.fileno())
    to_child_w.close()
    from_child_r.close()
    return process.pid, send, recv, process


def _run(body: Callable[[Path, int, int], None], path: Path, recv: Connection, send: Connection) -> None:
    body(path, recv.fileno(), send.fileno())


def stop(process: BaseProcess) -> None:
    """Kill a query process and wait until the fork server reports it gone."""
    process.kill()
    process.join(STOP_SECONDS)
