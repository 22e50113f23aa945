"""The Flask application: create_app(config) builds it; every route is in the ROUTES table below."""
from __future__ import annotations

import atexit
import logging
import time
import weakref

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from kg.config import Config
from kg.query.cache import ResultCache
from kg.errors import KgError
from kg.query.executor import ExecutorPool
from kg.query.inline import InlineEvaluator
from kg.store.embedded import EmbeddedStore
from kg.server import envelope, graphstore, limits, observe, ops, protocol, proxies, responses
from kg.server.fastpath import QueryFastPath
from kg.server.reply import Reply

log = logging.getLogger("kg.server")

# Every HTTP route the server answers, in one place: (rule, endpoint name, view, methods).
ROUTES = [
    ("/sparql", "sparql", protocol.sparql, protocol.SPARQL_METHODS + ["PUT", "DELETE", "PATCH"]),
    (graphstore.PATH, "store", graphstore.graph_store, graphstore.METHODS + ["PATCH"]),
    # a URL under /store names the graph whose IRI it is (direct graph identification; see graphstore.py)
    (graphstore.PATH + "/<path:name>", "store_direct", graphstore.graph_store, graphstore.METHODS + ["PATCH"]),
    ("/.well-known/void", "void", ops.void, ["GET", "HEAD"]),
    ("/health", "health", ops.health, ["GET", "HEAD"]),
    ("/metrics", "metrics", ops.metrics, ["GET"]),
]
# Plain queries to /sparql (GET ?query=, POST form or application/sparql-query) are answered by
# fastpath.QueryFastPath in front of Flask, with the same functions as the sparql view; all else reaches Flask.
ADMITTED = {"sparql", "store", "store_direct"}   # endpoints behind the throttle and the concurrency cap



def create_app(config: Config, store=None) -> Flask:
    """The application for one store; `store` defaults to the one the configuration names."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_upload_bytes
    app.register_error_handler(413, lambda _e: responses.error(413, f"The request body is larger than {config.max_upload_bytes} bytes."))
    app.register_error_handler(HTTPException, _plain_http_error)
    app.register_error_handler(Exception, _plain_server_error)
    app.extensions["kg.config"] = config
    app.extensions["kg.store"] = store if store is not None else ops.open_store(config)
    if store is None and config.store == "memory" and not config.empty:   # the built graph: the build's version
        app.extensions["kg.built_version"] = (app.extensions["kg.store"].version,
                                              ops.built_version(app.extensions["kg.store"]))
    if isinstance(app.extensions["kg.store"], EmbeddedStore):
        app.extensions["kg.pool"] = _evaluator(app.extensions["kg.store"], config)
        app.extensions["kg.cache"] = ResultCache()
        atexit.register(_close_pool, weakref.ref(app.extensions["kg.pool"]))   # without keeping the store alive
    app.extensions["kg.metrics"] = observe.Metrics()
    app.extensions["kg.cap"] = limits.ConcurrencyCap(config.max_concurrent)
    app.extensions["kg.throttle"] = limits.Throttle(config.client_rate, config.client_burst)
    for rule, endpoint, view, methods in ROUTES:
        app.add_url_rule(rule, endpoint, view, methods=methods, strict_slashes=False)
    app.before_request(_admit)
    app.after_request(_finish)
    app.teardown_request(_release)
    app.wsgi_app = QueryFastPath(app)       # plain /sparql queries: same answer, without Flask's request objects
    if config.trust_proxy:                  # outermost, so the fast path and Flask see the same client
        app.wsgi_app = proxies.ForwardedFor(app.wsgi_app, proxies.parse_networks(config.trust_proxy))
    return app


def _evaluator(store: EmbeddedStore, config: Config) -> ExecutorPool | InlineEvaluator:
    """Query processes, or (executors=0, read-only servers only) evaluation threads in the HTTP process."""
    if config.executors == 0:
        if config.write_token:
            raise KgError("executors=0 needs a read-only server: a writable store must not be dropped with its process")
        return InlineEvaluator(store, config.threads, config.query_timeout, config.max_rows)
    return ExecutorPool(store, config.executors, config.query_timeout, config.max_rows)


def _close_pool(ref: weakref.ref) -> None:
    """At exit: stop idle query processes and remove checkpoints, if the pool still exists."""
    pool = ref()
    if pool is not None:
        pool.close()


def _plain_http_error(err: HTTPException) -> Reply:
    """Werkzeug's errors (404, 405 …) as plain text, never its HTML page."""
    return responses.error(err.code or 500, err.description or err.name,
                           **({"Allow": err.valid_methods and ", ".join(err.valid_methods)} if getattr(err, "valid_methods", None) else {}))


def _plain_server_error(err: Exception) -> Reply:
    """A fault of ours: logged with its traceback, answered in plain text without it."""
    log.error("error answering %s %s", request.method, request.path, exc_info=err)
    return responses.error(500, "The server failed while answering this request; the failure was logged.")


def _admit() -> Reply | None:
    g.started = time.perf_counter()
    if request.endpoint not in ADMITTED or request.method == "OPTIONS":
        return None
    refused = envelope.admit(current_app.extensions, request.remote_addr)
    g.admitted = refused is None
    return refused


def _release(_exc) -> None:
    if g.pop("admitted", False):
        current_app.extensions["kg.cap"].leave()


def _finish(response: Response) -> Response:
    return envelope.finish(current_app.extensions, response, method=request.method, path=request.path,
                           route=request.endpoint or "unknown", accept_encoding=request.headers.get("Accept-Encoding"),
                           started=g.get("started", time.perf_counter()), client=request.remote_addr,
                           text=g.get("operation_text"), rows=g.get("rows"))
