"""`kg serve`: the graph over the SPARQL 1.1 Protocol, with the settings its options (made from Config) name."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kg.commands.options import config_values
from kg.config import Config
from kg.errors import KgError
from kg.query import guard


def serve(args: argparse.Namespace, config: Config) -> int:
    """Serve until stopped; a port already taken fails before the graph is built."""
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
