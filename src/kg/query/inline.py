"""Evaluate queries inside the HTTP process of a read-only server: no hand-off to another process per query.

pyoxigraph releases the GIL while it evaluates but cannot cancel a query. Under `kg serve` the evaluator is
`direct`: the HTTP front's request thread (a deep-stack thread) evaluates, and the front's event loop keeps
the deadline (kg.server.bodies, kg.server.wsgi). Elsewhere (an embedding WSGI server, the tests) each query
runs on one of the process's own deep-stack evaluation threads while the request thread waits for it until
the deadline. Either way a query still running then is answered 503 at once and the process retires: it
stops taking requests, answers those still waiting at once, and is replaced by a fresh process forked from
the same loaded data, so the runaway query dies with the old process while the others answer. Only a
read-only store may be served this way: a writable in-memory store lives in one process and must never be
dropped.
"""
from __future__ import annotations

import logging
import os
import queue
import threading
from typing import Callable

from kg import deepstack, forking
from kg.query.executor import Answer, QueryTimeout, answer
from kg.store.embedded import EmbeddedStore

log = logging.getLogger("kg.inline")
RETIRING = "this server process is being replaced after a query overran its deadline; retry the request"


class _Job:
    """One query and, once `done` is released, its answer (a bare lock wakes the waiter faster than an Event)."""

    __slots__ = ("args", "done", "answer")

    def __init__(self, args: tuple):
        self.args, self.done = args, threading.Lock()
        self.answer: Answer | None = None
        self.done.acquire()


class InlineEvaluator:
    """Evaluation threads in this process, started lazily after each fork; `retire` is called on a timeout."""

    def __init__(self, store: EmbeddedStore, threads: int, timeout: float, max_rows: int):
        self.store, self.threads, self.timeout, self.max_rows = store, max(1, threads), timeout, max_rows
        self.retire: Callable[[], None] = _cannot_retire    # the WSGI server's runner replaces this per process
        self.direct = False          # evaluate on the calling thread: set when the HTTP front keeps the deadline
        self._threads = forking.PerProcess(self._start_threads)
        self._retiring = False
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._lock = threading.Lock()

    def evaluate(self, text: str, default_graphs: list[str], named_graphs: list[str], base_iri: str | None,
                 accept: str | None, requested: str | None) -> Answer:
        """The answer, or QueryTimeout (and this process's retirement) when the deadline passes first."""
        if self.direct:              # the caller keeps the deadline and runs on a deep stack (kg.server.bodies)
            return answer(self.store.oxigraph, text, default_graphs, named_graphs, base_iri, accept, requested,
                          self.max_rows)
        self._ensure_threads()
        if self._retiring:
            raise QueryTimeout(RETIRING)
        job = _Job((self.store.oxigraph, text, default_graphs, named_graphs, base_iri, accept, requested, self.max_rows))
        self._jobs.put(job)
        if not job.done.acquire(timeout=self.timeout):
            self._retire()
            raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped")
        if job.answer is None:
            raise QueryTimeout(RETIRING)
        return job.answer

    def _retire(self) -> None:
        """Once: leave the process to the WSGI server's retirement, and answer at once every query still waiting
        for a thread (the threads are held by runaway queries and will not take them before the process ends)."""
        with self._lock:
            if self._retiring:
                return
            self._retiring = True
        log.warning("a query ran past %g s; this process (%d) retires", self.timeout, os.getpid())
        self.retire()
        while True:
            try:
                waiting = self._jobs.get_nowait()
            except queue.Empty:
                return
            waiting.done.release()         # answer None: "retry"

    def close(self) -> None:
        """Nothing to release: the threads are daemons and end with the process."""

    def _ensure_threads(self) -> None:
        self._threads.ensure()           # threads do not survive fork: start them in each process that serves

    def _start_threads(self) -> None:
        self._jobs, self._retiring = queue.SimpleQueue(), False
        for _ in range(self.threads):
            jobs = self._jobs
            deepstack.start(lambda: self._work(jobs), "kg-query")

    @staticmethod
    def _work(jobs: queue.SimpleQueue[_Job]) -> None:
        while True:
            job = jobs.get()
            job.answer = answer(*job.args)
            job.done.release()


def _cannot_retire() -> None:
    log.error("a query overran its deadline outside a WSGI server that can replace this process; it keeps running")
