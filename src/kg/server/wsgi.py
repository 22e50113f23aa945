"""Serve the app with gunicorn (threads in one worker process), which stops gracefully on SIGTERM."""
from __future__ import annotations

import logging
import sys

from flask import Flask

from kg.config import Config


def _in_memory(config: Config) -> bool:
    return config.empty or config.store == "memory"


def default_executors(config: Config) -> int:
    """0 (evaluate in the HTTP processes) for a read-only in-memory server, whose processes may be replaced."""
    return 0 if _in_memory(config) and not config.write_token else Config.executors


def http_workers(config: Config) -> int:
    """Several HTTP processes only where they cannot disagree: a read-only server on memory or a remote store.

    Each process holds its own copy-on-write copy of an in-memory store, so a write in one would not be seen by
    the others; an on-disk store is not shared across fork. Everything else runs in one process.
    """
    on_disk = not _in_memory(config) and not config.store.startswith(("http://", "https://"))
    return 1 if config.write_token or on_disk else max(1, config.http_workers)


def _install_retire(worker) -> None:
    """In each HTTP process: a query past its deadline makes this worker stop taking requests and exit, so the
    arbiter forks a fresh one (gunicorn lets the requests in flight finish first)."""
    pool = worker.wsgi.extensions.get("kg.pool")
    if pool is not None and hasattr(pool, "retire"):
        pool.retire = lambda: setattr(worker, "alive", False)


def run(app: Flask, config: Config) -> None:
    """Block serving `app` on the configured host and port until SIGTERM or SIGINT."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            options = {
                "bind": f"{config.host}:{config.port}",
                "workers": http_workers(config),
                "worker_class": "gthread",
                "threads": config.threads,
                "timeout": 120,               # worker heartbeat; gthread workers answer it while requests run
                "graceful_timeout": 10,
                "keepalive": 5,
                "accesslog": None,            # kg.access writes one JSON line per request instead
                "errorlog": "-",
                "loglevel": "info",
                "post_worker_init": _install_retire,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    access = logging.getLogger("kg.access")
    if not access.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
    Server().run()
