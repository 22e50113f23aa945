"""Serve the app with gunicorn (threads in one worker process), which stops gracefully on SIGTERM."""
from __future__ import annotations

import logging
import sys

from flask import Flask

from kg.config import Config


def http_workers(config: Config) -> int:
    """Several HTTP processes only where they cannot disagree: a read-only server on memory or a remote store.

    Each process holds its own copy-on-write copy of an in-memory store, so a write in one would not be seen by
    the others; an on-disk store is not shared across fork. Everything else runs in one process.
    """
    on_disk = not config.empty and config.store not in ("memory",) and not config.store.startswith(("http://", "https://"))
    return 1 if config.write_token or on_disk else max(1, config.http_workers)


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
