"""Serve the app with granian: HTTP in Rust, the app in forked worker processes kept alive by our supervisor, each
behind the RSGI front of kg.server.bodies (bodies read within a deadline, then the app on a request thread);
graceful stop on SIGTERM. The Flask app itself stays a WSGI app, as the tests and embedders use it."""
from __future__ import annotations

import errno
import gc
import logging
import os
import signal
import socket
import sys
import threading
from typing import Callable

from flask import Flask

from kg.config import Config
from kg.errors import KgError
from kg.query.inline import RETIRING, InlineEvaluator
from kg.server import bodies, envelope, observe, responses, sandbox
from kg.server.envelope import Exchange
from kg.server.services import services
from kg.server.supervisor import RESPAWN_SECONDS, SupervisedServer

log = logging.getLogger("kg.server")
GRACEFUL_SECONDS = 10     # requests in flight get this long to finish on SIGTERM
PR_SET_PDEATHSIG = 1      # prctl(2)
BACKLOG = 1024            # connections the listening socket queues while every HTTP process is busy or restarting


def _in_memory(config: Config) -> bool:
    return config.empty or config.store == "memory"


def default_executors(config: Config) -> int:
    """0 (evaluate in the HTTP processes) for a read-only in-memory server, whose processes may be replaced."""
    return 0 if _in_memory(config) and not config.write_token else Config.executors


def default_threads(config: Config) -> int:
    """Request threads per HTTP process (kg.server.bodies): with several processes, two each, as every thread
    more contends for the interpreter's lock with the others on a small machine."""
    return 2 if http_workers(config) > 1 else Config.threads


def http_workers(config: Config) -> int:
    """Several HTTP processes only where they cannot disagree: a read-only server on memory or a remote store.

    Each process holds its own copy-on-write copy of an in-memory store, so a write in one would not be seen by
    the others; an on-disk store is not shared across fork. Everything else runs in one process.
    """
    return 1 if config.write_token or on_disk(config) else max(1, config.http_workers)


def _retirement(query_timeout: float) -> Callable[[], None]:
    """How an HTTP process retires after a runaway query: it stops taking connections and finishes the requests
    in flight (each answered by its own deadline, at most `query_timeout` away), then exits, and the supervisor
    starts a fresh one forked from the loaded data. It exits outright one second after the last deadline, since
    the runaway query keeps a core busy until the process ends."""
    def retire() -> None:
        backstop = threading.Timer(query_timeout + 1, os._exit, (1,))
        backstop.daemon = True
        backstop.start()
        main = threading.main_thread().ident
        assert main is not None          # the main thread is running: it has its id
        signal.pthread_kill(main, signal.SIGTERM)   # the thread whose handler stops granian
    return retire


def on_disk(config: Config) -> bool:
    """An Oxigraph store in a directory (RocksDB): it must be opened in the process that serves it."""
    return not _in_memory(config) and not config.store.startswith(("http://", "https://"))


def listen(config: Config) -> socket.socket:
    """The server's listening socket, bound at once (before the graph is built) so that a port already taken is
    one clear error; without SO_REUSEPORT, so that a second server cannot silently share it."""
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    try:
        return socket.create_server((config.host, config.port), family=family, backlog=BACKLOG)
    except OSError as err:
        raise KgError(f"cannot listen on {config.host}:{config.port}: {err.strerror or err}"
                      + (" (another server holds that port)" if err.errno == errno.EADDRINUSE else "")) from None


def run(make_app: Callable[[], Flask], config: Config, listening: socket.socket) -> None:
    """Block serving the app on the configured host and port until SIGTERM or SIGINT.

    `make_app` makes the app for http_workers(config) processes (create_app(config, processes=…)). The app,
    and with it the data, is made here once and inherited by every HTTP process, except for an on-disk store:
    RocksDB's background threads do not survive fork, so a store opened before the fork hangs on its first
    flush. Each HTTP process then makes its own app (there is only one such process)."""
    from granian.constants import Interfaces

    if on_disk(config):
        loader: Callable[..., Flask] = lambda *_: _in_worker(_for_processes(make_app(), config), config)
    else:
        app = _for_processes(make_app(), config)
        loader = lambda *_: _in_worker(app, config)
    _log_access()
    # RSGI, not WSGI: granian's WSGI interface holds a request thread while a body trickles in, without a deadline
    server = SupervisedServer("kg", address=config.host, port=config.port, interface=Interfaces.RSGI,
                              workers=http_workers(config), backlog=BACKLOG,
                              # a writable in-memory store lives in its one process: never replace it silently
                              respawn_failed_workers=not (config.write_token and _in_memory(config)),
                              respawn_interval=RESPAWN_SECONDS, workers_kill_timeout=GRACEFUL_SECONDS,
                              log_access=False)
    server.listening = listening
    gc.collect()
    gc.freeze()       # the loaded app and data stay out of the collector's scans (shorter pauses, fewer copied pages)
    # granian types target_loader as returning a callable, but an RSGI app may be an object with __rsgi__
    # (granian.rsgi._callbacks_from_target), as BodyFront is
    server.serve(target_loader=lambda *_: _front(loader(), config),  # type: ignore[arg-type]
                 wrap_loader=False)                                   # forks with the app loaded


def _front(app: Flask, config: Config) -> bodies.BodyFront:
    """The RSGI front of this HTTP process. Where queries are evaluated in it (a read-only in-memory server),
    its request threads evaluate them and its loop keeps their deadline; an overrun is answered 503 and this
    process retires (its runaway thread ends with it), and so is every request still waiting for a thread."""
    parts = services(app)
    pool = parts.evaluator
    if not isinstance(pool, InlineEvaluator):
        return bodies.BodyFront(app, config.threads, config.max_upload_bytes)
    pool.direct = True
    retire = _retirement(config.query_timeout)
    retired = threading.Event()

    def overrun(environ: dict, waiting: bool) -> tuple[int, list[tuple[str, str]], bytes]:
        message = RETIRING if waiting else f"the query ran longer than {config.query_timeout:g} s and was stopped"
        if not waiting and not retired.is_set():
            retired.set()
            log.warning("a query ran past %g s; this process (%d) retires", config.query_timeout, os.getpid())
            retire()
        path = environ.get("PATH_INFO", "")
        exchange = Exchange(environ.get("REQUEST_METHOD", ""), path, path.strip("/") or "unknown",
                            environ.get("REMOTE_ADDR"), None)
        exchange.started -= 0 if waiting else config.query_timeout
        reply = envelope.finish(parts, responses.error(503, message, Retry_After="1"), exchange)
        return reply.status, reply.headers, reply.body
    return bodies.BodyFront(app, config.threads, config.max_upload_bytes, deadline=config.query_timeout,
                            overrun=overrun)


def _in_worker(app: Flask, config: Config) -> Flask:
    """Runs in each HTTP process as it starts: it ends with the supervisor (an orphan would go on serving the
    shared socket with stale data), and where nothing may be fetched the kernel is told to refuse every new
    network socket to it and the processes it forks (kg.server.sandbox), behind the SERVICE/LOAD guard."""
    _end_with_parent()
    if not config.allow_service and not config.store.startswith(("http://", "https://")):
        if not sandbox.deny_network_sockets():
            log.warning("could not install the seccomp filter that refuses network sockets; the guard alone applies")
    return app


def _end_with_parent() -> None:
    """SIGTERM (a graceful stop) to this process when the supervisor dies, however it dies (Linux prctl(2))."""
    import ctypes
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (AttributeError, OSError):
        return                                     # not Linux: the supervisor's own shutdown stops its workers
    if os.getppid() != parent:                     # it died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)


def _for_processes(app: Flask, config: Config) -> Flask:
    """The app, checked to be made for the HTTP processes this server runs (create_app(config,
    processes=http_workers(config))): limits and metrics shared by that many processes cannot be added later."""
    made = services(app)
    if made.processes != http_workers(config):
        raise KgError(f"the app was made for {made.processes} HTTP process(es), but this server runs "
                      f"{http_workers(config)}: make it with create_app(config, processes={http_workers(config)})")
    return app


def _log_access() -> None:
    """The access log's buffered handler on standard error, unless the embedding application set one."""
    access = logging.getLogger("kg.access")
    if not access.handlers:
        handler = observe.LineBuffer(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
