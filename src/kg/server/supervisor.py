"""Keep the HTTP processes running, whatever happens to them: the server never exits because workers die.

granian's own supervision exits the whole server when a worker dies again within 5.5 s of being respawned
("Worker crash loop detected, exiting"). Here a worker is retired on purpose whenever a query overruns its
deadline (the runaway query dies with it), so a burst of runaway queries looks exactly like a crash loop,
and one small request that crashed two workers in a row used to stop the server. This loop replaces each
dead worker instead, after a pause that doubles while workers keep dying young (RESPAWN_SECONDS up to
RESPAWN_MAX_SECONDS), so a crash loop degrades to fewer processes for a few seconds, never to none for good.

It overrides granian's main loop (`_serve_loop`), an internal method, so the granian version is pinned in
pyproject.toml and tests/attack/test_runaway.py kills workers repeatedly to show the server stays up.
A writable in-memory server still stops when its one process dies: its data lived only there, and starting
again from the data loaded at start would silently drop every write since.
"""
from __future__ import annotations

import logging
import socket
import time
from typing import Any, Callable

from granian._granian import SocketHolder
from granian.server.mp import MPServer

RESPAWN_SECONDS = 0.2        # pause before replacing a worker that had been running for a while
RESPAWN_MAX_SECONDS = 5.0    # the longest pause, for a worker that keeps dying as soon as it starts
STABLE_SECONDS = 10.0        # a worker that lived this long resets its pause

log = logging.getLogger("kg.server")


class SupervisedServer(MPServer):
    """granian's multi-process server with one listening socket and a main loop that always replaces dead workers."""

    listening: socket.socket | None = None    # bound by the caller (kg.server.wsgi.listen) before serving

    def _init_shared_socket(self) -> None:
        """One listening socket, held here and shared by every worker. granian on Linux gives each worker a socket
        of its own (SO_REUSEPORT): connections the kernel queued at a worker that retires are reset with it, while
        no worker is alive connections are refused, and a second server on the same port shares it silently.
        A shared socket, bound without SO_REUSEPORT, keeps them queued for the next worker."""
        if self.listening is None:
            raise RuntimeError("SupervisedServer needs its listening socket: set .listening before serve()")
        self._sso = self.listening
        self._sso.set_inheritable(True)
        self._sfd = self._sso.fileno()
        # granian's stub declares no SocketHolder constructor (at run time it is (fd, uds, backlog)), and its
        # AbstractServer sets `self._shd = None` in __init__ unannotated, so mypy types the attribute as None
        self._shd = SocketHolder(self._sfd, False, self.backlog)  # type: ignore[call-arg, assignment]
        self._ssp = None

    def _serve_loop(self, spawn_target: Callable[..., Any], target_loader: Callable[..., Any]) -> None:
        pauses: dict[int, float] = {}     # worker index -> its current pause
        due: dict[int, float] = {}        # worker index -> when to start its replacement
        while True:
            wait = max(0.0, min(due.values()) - time.monotonic()) if due else None
            self.main_loop_interrupt.wait(wait)
            if self.interrupt_signal:
                break
            self.main_loop_interrupt.clear()
            dead, self.interrupt_children[:] = list(self.interrupt_children), []
            if dead and not self.respawn_failed_workers:
                log.error("an HTTP process of a writable in-memory server died; its data went with it: stopping")
                self.interrupt_children[:] = dead      # granian's shutdown then exits with an error status
                break
            for idx in dead:
                pauses[idx] = _next_pause(pauses.get(idx), time.monotonic() - self.wrks[idx].birth)
                due[idx] = time.monotonic() + pauses[idx]
                log.warning("HTTP process %d exited (%s); a new one starts in %.1f s", idx + 1,
                            _how(self.wrks[idx].inner.exitcode), pauses[idx])
            for idx in [i for i, when in due.items() if when <= time.monotonic()]:
                del due[idx]
                self._replace(idx, spawn_target, target_loader)
            if self.reload_signal:
                self._reload(spawn_target, target_loader)

    def _replace(self, idx: int, spawn_target: Callable[..., Any], target_loader: Callable[..., Any]) -> None:
        """Start a fresh worker in the dead one's place (forked from this process, with the loaded data)."""
        self.wrks[idx].join(0)                          # reap it
        worker = self._spawn_worker(idx=idx, target=spawn_target, callback_loader=target_loader)
        worker.start()
        self.wrks[idx] = worker


def _how(exitcode: int | None) -> str:
    """A process's end in words: a signal (a crash, or a kill) or its exit status."""
    if exitcode is None:
        return "status unknown"
    return f"killed by signal {-exitcode}" if exitcode < 0 else f"exit status {exitcode}"


def _next_pause(previous: float | None, lived: float) -> float:
    """RESPAWN_SECONDS after a long life; doubled (up to RESPAWN_MAX_SECONDS) for one that died young."""
    if previous is None or lived >= STABLE_SECONDS:
        return RESPAWN_SECONDS
    return min(RESPAWN_MAX_SECONDS, previous * 2)
