"""Serve the app with granian (HTTP in Rust, the app in forked worker processes), which stops gracefully on SIGTERM."""
from __future__ import annotations

import atexit
import gc
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from flask import Flask

from kg.config import Config
from kg.server import limits, observe

RESPAWN_SECONDS = 0.2     # pause before a replacement HTTP process starts
GRACEFUL_SECONDS = 10     # requests in flight get this long to finish on SIGTERM


def _in_memory(config: Config) -> bool:
    return config.empty or config.store == "memory"


def default_executors(config: Config) -> int:
    """0 (evaluate in the HTTP processes) for a read-only in-memory server, whose processes may be replaced."""
    return 0 if _in_memory(config) and not config.write_token else Config.executors


def default_threads(config: Config) -> int:
    """Request threads per HTTP process. granian's idle request threads spin (sched_yield) while waiting for
    work, which on a small machine takes CPU from the queries: with several processes, two threads each."""
    return 2 if http_workers(config) > 1 else Config.threads


def http_workers(config: Config) -> int:
    """Several HTTP processes only where they cannot disagree: a read-only server on memory or a remote store.

    Each process holds its own copy-on-write copy of an in-memory store, so a write in one would not be seen by
    the others; an on-disk store is not shared across fork. Everything else runs in one process.
    """
    on_disk = not _in_memory(config) and not config.store.startswith(("http://", "https://"))
    return 1 if config.write_token or on_disk else max(1, config.http_workers)


def _retire_this_process() -> None:
    """Stop this HTTP process gracefully (granian finishes the requests in flight, then the process exits and
    the server starts a fresh one forked from the loaded data); exit outright if that takes longer than
    GRACEFUL_SECONDS, since the runaway query keeps a core busy until the process ends."""
    backstop = threading.Timer(GRACEFUL_SECONDS + 1, os._exit, (1,))
    backstop.daemon = True
    backstop.start()
    signal.pthread_kill(threading.main_thread().ident, signal.SIGTERM)   # the thread whose handler stops granian


def run(app: Flask, config: Config) -> None:
    """Block serving `app` on the configured host and port until SIGTERM or SIGINT."""
    from granian.constants import Interfaces
    from granian.server import Server

    pool = app.extensions.get("kg.pool")
    if pool is not None and hasattr(pool, "retire"):
        pool.retire = _retire_this_process
    if http_workers(config) > 1:     # the processes sum their metrics and share their limits through a folder
        share = Path(tempfile.mkdtemp(prefix="kg-shared-"))
        atexit.register(shutil.rmtree, share, True)
        app.extensions["kg.metrics"].share_dir = share
        app.extensions["kg.throttle"] = limits.SharedThrottle(config.client_rate, config.client_burst, share / "throttle")
        app.extensions["kg.cap"] = limits.SharedCap(config.max_concurrent, share / "in-flight", http_workers(config))
    access = logging.getLogger("kg.access")
    if not access.handlers:
        handler = observe.LineBuffer(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
    server = Server("kg", address=config.host, port=config.port, interface=Interfaces.WSGI,
                    workers=http_workers(config), blocking_threads=config.threads,
                    # a writable store lives in its one process: never replace it silently with the data at start
                    respawn_failed_workers=not config.write_token, respawn_interval=RESPAWN_SECONDS,
                    workers_kill_timeout=GRACEFUL_SECONDS, log_access=False)
    gc.collect()
    gc.freeze()       # the loaded app and data stay out of the collector's scans (shorter pauses, fewer copied pages)
    server.serve(target_loader=lambda *_: app, wrap_loader=False)   # workers fork with the app already loaded
