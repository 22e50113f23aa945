"""`kg serve`: the graph over the SPARQL 1.1 Protocol, with the settings its options (made from Config) name."""
from __future__ import annotations

import argparse
import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

from kg.commands.options import config_values
from kg.config import Config
from kg.errors import KgError
from kg.query import guard


def serve(args: argparse.Namespace, config: Config) -> int:
    """Serve until stopped; a port already taken fails before the graph is built."""
    metrics_folder()
    from kg.server import create_app, ops, wsgi

    config = settings(args, config)
    listening = wsgi.listen(config)                 # a port already taken fails here, before the graph is built
    processes = wsgi.http_workers(config)           # forked from the app, which is made for them
    if wsgi.on_disk(config):
        ops.check_store_directory(config)          # opened in the serving process (see wsgi.run)
        make_app = lambda: create_app(config, processes=processes)
    else:
        app = create_app(config, processes=processes)
        make_app = lambda: app
    print(f"kg: serving {'an empty store' if config.empty else config.store} at "
          f"http://{config.host}:{config.port}/sparql "
          f"({'writable with the token' if config.write_token else 'read-only'}, "
          f"{wsgi.http_workers(config)} HTTP process(es))", file=sys.stderr, flush=True)
    wsgi.run(make_app, config, listening)
    return 0


def metrics_folder() -> None:
    """Put prometheus_client in multiprocess mode, with a fresh folder of this server's own, before it is
    imported: the HTTP processes are forked (and replaced), and /metrics sums the files each one writes.
    Where it was imported already, its mode stands, and create_app refuses an app for several processes."""
    if "prometheus_client" in sys.modules:
        return       # chosen already (kg serve called in-process): an app for several processes is then refused
    folder = tempfile.mkdtemp(prefix="kg-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder       # inherited by every process forked from this one
    atexit.register(_remove_from, os.getpid(), folder)


def _remove_from(owner: int, folder: str) -> None:
    """At exit: remove the metrics folder, in the process that made it only (forked ones inherit atexit)."""
    if os.getpid() == owner:
        shutil.rmtree(folder, ignore_errors=True)


def settings(args: argparse.Namespace, config: Config) -> Config:
    """The Config that `kg serve`'s options describe: the plain ones as given, the special ones checked or worked out."""
    from kg.server import proxies, wsgi

    values = config_values(args)
    threads, executors = values.pop("threads"), values.pop("executors")       # None: worked out below
    values["write_token"] = _write_token(values["write_token"])
    values["allow_service"] = tuple(guard.check_allow_list(values["allow_service"]))
    values["trust_proxy"] = tuple(str(n) for n in proxies.parse_networks(values["trust_proxy"]))
    if values["preload"] and not values["empty"]:
        raise KgError("--preload goes with --empty (the built graph and stores have their own data)")
    config = config.replace(**values)
    config = config.replace(executors=wsgi.default_executors(config) if executors is None else executors)
    return config.replace(threads=wsgi.default_threads(config) if threads is None else threads)


def _write_token(path: Path | None) -> str | None:
    """The token in the file --write-token-file names, else $KG_WRITE_TOKEN; None (read-only) without one."""
    if path is None:
        return os.environ.get("KG_WRITE_TOKEN") or None
    if not path.is_file():
        raise KgError(f"{path}: no such file")
    return path.read_text(encoding="utf-8").strip() or None
